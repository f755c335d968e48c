"""A tiny HTTP(S) client for the end-to-end tests: it connects to 127.0.0.1 but
sends the SNI name and Host header of the site, as a browser would for
https://example.test:PORT/."""

from __future__ import annotations

import http.client
import socket
import ssl
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Reply:
    """A response, read whole."""

    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        """The body as UTF-8 text."""
        return self.body.decode("utf-8", "replace")


def request(
    port: int,
    path: str,
    *,
    host: str,
    ca_file: Path | None = None,
    sni: str | None = None,
    method: str = "GET",
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 10,
) -> Reply:
    """One request to 127.0.0.1:port with ``Host: host:port``; TLS when ``ca_file`` is set.

    The certificate is verified against ``ca_file`` for the name ``sni`` (default:
    ``host``), so a test also proves the server presents the right certificate.
    """
    raw = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    sock: socket.socket = raw
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        if ca_file is not None:
            context = ssl.create_default_context(cafile=str(ca_file))
            sock = context.wrap_socket(raw, server_hostname=sni or host)
        conn.sock = sock
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        conn.close()
        sock.close()
        raw.close()
