"""Request bodies end where HTTP says they end, for apps that read ``wsgi.input`` whole.

A WSGI app may read ``wsgi.input`` with no size (Falcon's ``req.stream`` is
``wsgi.input`` itself; webhook code reads it raw). The server must give it a
stream that ends at ``Content-Length``, or at the last chunk of a chunked
body, as gunicorn does; otherwise the read waits for the client, which waits
for the answer. Every request here goes over a real socket that the client
keeps open, with a short timeout: a hang fails the test within seconds.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket

import pytest

from tests.helpers import require_module
from tests.serve.server import serve

pytestmark = [pytest.mark.slow, pytest.mark.timeout(60)]
APP = "serve_bodies"
ANSWER_WITHIN = 5.0  # seconds; the app answers at once when its input ends


def exchange(port: int, head: str, body: bytes = b"") -> tuple[int, bytes]:
    """Send one request and read the whole answer (the server closes the connection).

    The client never shuts down its side, as a browser or ``requests`` would not.
    """
    with socket.create_connection(("127.0.0.1", port), timeout=ANSWER_WITHIN) as sock:
        sock.sendall(head.replace("\n", "\r\n").encode("latin-1") + b"\r\n" + body)
        received = bytearray()
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except TimeoutError:
            pytest.fail(f"no complete answer within {ANSWER_WITHIN} s; got {bytes(received)!r}")
    status_line, _, rest = bytes(received).partition(b"\r\n")
    _headers, _, content = rest.partition(b"\r\n\r\n")
    return int(status_line.split()[1]), content


def post(port: int, path: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes]:
    lines = [f"POST {path} HTTP/1.1", f"Host: 127.0.0.1:{port}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return exchange(port, "\n".join(lines) + "\n", body)


def chunked(data: bytes, size: int = 7000, extension: str = "", trailers: str = "") -> bytes:
    """``data`` as a chunked body (chunk extensions and trailers are valid HTTP/1.1)."""
    pieces = [data[i : i + size] for i in range(0, len(data), size)]
    out = b"".join(b"%x%s\r\n%s\r\n" % (len(p), extension.encode(), p) for p in pieces)
    return out + b"0\r\n" + trailers.encode() + b"\r\n"


def expect_digest(answer: tuple[int, bytes], data: bytes) -> None:
    status, content = answer
    assert status == 200, content
    assert json.loads(content) == {
        "length": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }


DATA = os.urandom(50_000)


def test_falcon_reads_the_whole_stream_with_no_size(tmp_path):
    require_module("falcon")
    with serve(tmp_path, "--app", "falcon_app:app", app=APP, expect="upload ready") as server:
        headers = {"Content-Type": "application/octet-stream", "Content-Length": str(len(DATA))}
        expect_digest(post(server.port, "/", headers, DATA), DATA)
        # No body at all: the stream is empty at once.
        expect_digest(post(server.port, "/", {}, b""), b"")
        expect_digest(post(server.port, "/", {"Transfer-Encoding": "chunked"}, chunked(DATA)), DATA)


def test_flask_raw_input_and_get_data_end_with_the_body(tmp_path):
    with serve(tmp_path, "--app", "flask_app:app", app=APP, expect="bodies ready") as server:
        length = {"Content-Length": str(len(DATA))}
        expect_digest(post(server.port, "/raw", length, DATA), DATA)
        expect_digest(post(server.port, "/data", length, DATA), DATA)
        expect_digest(post(server.port, "/raw", {}, b""), b"")
        te = {"Transfer-Encoding": "chunked"}
        expect_digest(post(server.port, "/raw", te, chunked(DATA)), DATA)
        expect_digest(post(server.port, "/data", te, chunked(DATA)), DATA)


def test_a_body_the_app_never_reads_does_not_hold_the_answer(tmp_path):
    # werkzeug reads what is left of a request after the response; it must stop at the body.
    with serve(tmp_path, "--app", "flask_app:app", app=APP, expect="bodies ready") as server:
        status, content = post(server.port, "/", {"Content-Length": str(len(DATA))}, DATA)
        assert status == 405, content
        status, content = post(server.port, "/", {"Transfer-Encoding": "chunked"}, chunked(DATA))
        assert status == 405, content


def test_chunked_bodies_with_extensions_and_trailers(tmp_path):
    with serve(tmp_path, "--app", "flask_app:app", app=APP, expect="bodies ready") as server:
        te = {"Transfer-Encoding": "chunked"}
        body = chunked(DATA, size=999, extension=";name=value", trailers="X-Checksum: abc\r\n")
        expect_digest(post(server.port, "/raw", te, body), DATA)
        expect_digest(post(server.port, "/data", {"Transfer-Encoding": "Chunked"}, body), DATA)


UNCLEAR = [
    ({"Content-Length": "12abc"}, b"x", 400),
    ({"Content-Length": "-1"}, b"", 400),
    ({"Content-Length": "3", "Transfer-Encoding": "chunked"}, b"0\r\n\r\n", 400),
    ({"Transfer-Encoding": "gzip"}, b"", 400),
    ({"Transfer-Encoding": "chunked, gzip"}, b"", 400),
    ({"Transfer-Encoding": "gzip, chunked"}, b"0\r\n\r\n", 501),
]


def test_a_body_of_unclear_length_is_refused(tmp_path):
    with serve(tmp_path, "--app", "flask_app:app", app=APP, expect="bodies ready") as server:
        for headers, body, expected in UNCLEAR:
            status, content = post(server.port, "/raw", headers, body)
            assert status == expected, (headers, content)
        assert server.get("/")[0] == 200  # and the server goes on serving
