"""Request body framing and chunked decoding (flaskit.serve.body), without a server."""

from __future__ import annotations

import io
from email.message import Message

import pytest
from werkzeug.exceptions import BadRequest

from flaskit.serve.body import (
    MAX_LINE,
    ChunkedInput,
    DrainedInput,
    Framing,
    Refusal,
    body_stream,
    framing,
)


def headers(*pairs: tuple[str, str]) -> Message:
    message = Message()
    for name, value in pairs:
        message[name] = value
    return message


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ((), Framing()),
        ((("Content-Length", "12"),), Framing(length=12)),
        ((("Content-Length", "12"), ("Content-Length", "12")), Framing(length=12)),
        ((("Content-Length", "12, 12"),), Framing(length=12)),
        ((("Transfer-Encoding", "Chunked"),), Framing(chunked=True)),
        ((("Content-Length", "12"), ("Content-Length", "13")), Refusal(400, "")),
        ((("Content-Length", "+12"),), Refusal(400, "")),
        ((("Content-Length", "١٢"),), Refusal(400, "")),  # Arabic-Indic digits: not HTTP's
        ((("Content-Length", "1"), ("Transfer-Encoding", "chunked")), Refusal(400, "")),
        ((("Transfer-Encoding", "chunked, chunked"),), Refusal(400, "")),
        ((("Transfer-Encoding", "identity"),), Refusal(400, "")),
        ((("Transfer-Encoding", "gzip, chunked"),), Refusal(501, "")),
    ],
)
def test_framing(pairs, expected):
    found = framing(headers(*pairs))
    if isinstance(expected, Refusal):
        assert isinstance(found, Refusal)
        assert found.status == expected.status
        assert found.reason
    else:
        assert found == expected


def decode(raw: bytes, size: int = -1) -> tuple[bytes, bytes]:
    """(the body read in reads of ``size``, what is left on the connection)."""
    rfile = io.BufferedReader(io.BytesIO(raw))
    stream = ChunkedInput(rfile)
    if size < 0:
        return stream.read(), rfile.read()
    parts = []
    while part := stream.read(size):
        parts.append(part)
    return b"".join(parts), rfile.read()


def test_chunks_with_extensions_and_trailers_then_the_next_bytes_stay():
    raw = b'4;a=1\r\nWiki\r\n5;q="x"\r\npedia\r\n0;end\r\nExpires: never\r\nX-Sum: 1\r\n\r\nNEXT'
    assert decode(raw) == (b"Wikipedia", b"NEXT")
    assert decode(raw, size=3) == (b"Wikipedia", b"NEXT")


def test_a_read_of_n_fills_n_across_chunks():
    rfile = io.BufferedReader(io.BytesIO(b"2\r\nab\r\n3\r\ncde\r\n0\r\n\r\n"))
    stream = ChunkedInput(rfile)
    assert stream.read(4) == b"abcd"
    assert stream.read(4) == b"e"
    assert stream.read(4) == b""


@pytest.mark.parametrize(
    "raw",
    [
        b"zz\r\nab\r\n0\r\n\r\n",  # not hexadecimal
        b"-2\r\nab\r\n0\r\n\r\n",
        b"0x2\r\nab\r\n0\r\n\r\n",
        b"2\r\nabc\r\n0\r\n\r\n",  # longer than its size
        b"5\r\nab",  # the client went away inside a chunk
        b"2\r\nab\r\n",  # ... before the last chunk
        b"0\r\nX: 1\r\n",  # ... inside the trailers
        b"1" * (MAX_LINE + 10) + b"\r\n",
        b"0\r\n" + b"X: 1\r\n" * 200 + b"\r\n",
    ],
    ids=[
        "not-hex",
        "negative",
        "0x",
        "too-long",
        "cut-in-chunk",
        "cut-before-end",
        "cut-in-trailers",
        "long-line",
        "many-trailers",
    ],
)
def test_a_broken_chunked_body_is_a_bad_request(raw):
    with pytest.raises(BadRequest):
        decode(raw)


def test_a_length_ends_the_stream_and_no_length_is_no_body():
    rfile = io.BufferedReader(io.BytesIO(b"hello, world; and the next request"))
    assert body_stream(rfile, Framing(length=12)).read() == b"hello, world"
    assert body_stream(rfile, Framing()).read() == b""


def test_what_is_left_after_the_answer_stops_at_the_body_even_a_broken_one():
    rfile = io.BufferedReader(io.BytesIO(b"3\r\nabc\r\nzz\r\n"))
    drained = DrainedInput(ChunkedInput(rfile), rfile)
    assert drained.read(2) == b"ab"
    assert drained.read(10_000_000) == b""  # the rest is broken: nothing more, no error
    drained.close()
    assert rfile.closed
