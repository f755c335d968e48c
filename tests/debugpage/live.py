"""Requests to a real ``flaskit run`` with the headers a browser, a tunnel or an attacker sends."""

from __future__ import annotations

import http.client
import socket
from dataclasses import dataclass

# The secrets of tests/apps/debug_hosts, as its code builds them at run time.
SECRETS = ("-".join(["hosts", "s3cr3t", "config"]), "-".join(["hosts", "s3cr3t", "local"]))


@dataclass(frozen=True)
class Answer:
    """One response: status, headers (lower-case names) and as much body as was read."""

    status: int
    headers: dict[str, str]
    body: str

    @property
    def media(self) -> str:
        """The media type of ``Content-Type``, without parameters."""
        return self.headers.get("content-type", "").split(";", 1)[0].strip()


def ask(
    port: int,
    path: str,
    host: str | None = None,
    headers: dict[str, str] | None = None,
    method: str = "GET",
    read_body: bool = True,
) -> Answer:
    """One request on a new connection; ``host`` is sent as the ``Host`` header as given.

    With ``read_body=False`` only the status and headers are read (for a stream
    that would not end).
    """
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        sent = dict(headers or {})
        sent["Host"] = host if host is not None else f"127.0.0.1:{port}"
        conn.request(method, path, headers=sent)
        response = conn.getresponse()
        body = response.read().decode("utf-8", "replace") if read_body else ""
        found = {name.lower(): value for name, value in response.getheaders()}
        return Answer(response.status, found, body)
    finally:
        conn.close()


def raw_request(port: int, request: bytes, timeout: float = 10.0) -> bytes:
    """Send ``request`` byte for byte and return everything the server answers."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(request)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)
