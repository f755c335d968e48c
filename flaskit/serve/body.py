"""Request bodies that end where HTTP says they end (worker side).

werkzeug's development server hands the app the connection itself as
``wsgi.input``. An app that reads it whole, with no size (Falcon's
``req.stream.read()``, a webhook checking a signature over
``environ["wsgi.input"].read()``), then waits for bytes the client never
sends: the client waits for the answer. Production servers end the input
with the body, and so does flaskit's worker:

* ``Content-Length: N``: a stream of exactly N bytes;
* ``Transfer-Encoding: chunked``: the chunks decoded, with chunk extensions
  and trailers (which werkzeug's own decoder refuses) read and dropped;
* neither: an empty stream (a request has no body unless it says so).

``wsgi.input_terminated`` is set, so werkzeug-based apps read chunked bodies
too. A request whose body length is unclear (two lengths, a length that is
not a number, a length together with chunked, a transfer coding other than
chunked) is refused before the app sees it, as gunicorn does: such a request
is how requests get smuggled past a proxy.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import Message
from typing import IO, Protocol, cast

from werkzeug.exceptions import BadRequest
from werkzeug.wsgi import LimitedStream

_DIGITS = re.compile(r"[0-9]+")
_HEX = re.compile(rb"[0-9A-Fa-f]+")
MAX_LINE = 4096  # bytes in a chunk-size line or a trailer line
MAX_TRAILERS = 100


class Reader(Protocol):
    """The connection's buffered reader (``rfile``)."""

    def read(self, size: int = -1, /) -> bytes:
        """Up to ``size`` bytes, fewer only at the end."""

    def readline(self, size: int = -1, /) -> bytes:
        """One line of at most ``size`` bytes."""

    def close(self) -> None:
        """Let go of the connection."""


@dataclass(frozen=True)
class Framing:
    """How the body of one request ends: ``length`` bytes, or chunked."""

    chunked: bool = False
    length: int = 0


@dataclass(frozen=True)
class Refusal:
    """Why a request's body length is unclear, and the status to answer with."""

    status: int
    reason: str


def framing(headers: Message) -> Framing | Refusal:
    """How the body of the request with these headers ends."""
    codings = _list(headers.get_all("Transfer-Encoding") or [])
    lengths = _list(headers.get_all("Content-Length") or [])
    if codings and lengths:
        return Refusal(400, "Both Content-Length and Transfer-Encoding were sent.")
    if codings:
        return _by_coding(codings)
    if not lengths:
        return Framing()
    if any(_DIGITS.fullmatch(value) is None for value in lengths) or len(set(lengths)) > 1:
        return Refusal(400, "Content-Length must be one non-negative number.")
    return Framing(length=int(lengths[0]))


def _by_coding(codings: list[str]) -> Framing | Refusal:
    # RFC 9112, section 6.3: without chunked last, the length cannot be known.
    if codings[-1] != "chunked" or codings.count("chunked") > 1:
        return Refusal(400, "Transfer-Encoding must end with chunked, once.")
    if len(codings) > 1:
        return Refusal(501, f"Transfer-Encoding {', '.join(codings[:-1])} is not supported.")
    return Framing(chunked=True)


def body_stream(rfile: Reader, how: Framing) -> io.RawIOBase:
    """The request body read from ``rfile``, ending as ``how`` says."""
    if how.chunked:
        return ChunkedInput(rfile)
    return LimitedStream(cast(IO[bytes], rfile), how.length)


class BadChunkedBody(BadRequest):
    """The client sent a body that does not follow HTTP's chunked coding.

    Raised by the read: a 400 in apps that answer werkzeug's HTTP errors (Flask).
    """


class ChunkedInput(io.RawIOBase):
    """The data of a ``Transfer-Encoding: chunked`` body (RFC 9112, section 7.1).

    A read fills the buffer from as many chunks as it takes (so ``read(n)``
    returns ``n`` bytes unless the body ends first), then reports the end
    once the last chunk and the trailer section have been read.
    """

    def __init__(self, rfile: Reader) -> None:
        self._rfile = rfile
        self._left = 0  # bytes left in the current chunk
        self._done = False

    def readable(self) -> bool:
        """A body is read, never written."""
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        """Read up to ``len(buffer)`` bytes of body data; 0 at the end of the body."""
        view = memoryview(buffer).cast("B")
        filled = 0
        while filled < len(view) and not self._done:
            if self._left == 0:
                self._left = self._chunk_size()
                if self._left == 0:
                    self._skip_trailers()
                    self._done = True
                    break
            wanted = min(len(view) - filled, self._left)
            data = self._rfile.read(wanted)
            if len(data) < wanted:
                raise BadChunkedBody("The client closed the connection inside a chunk.")
            view[filled : filled + wanted] = data
            filled += wanted
            self._left -= wanted
            if self._left == 0 and self._line() not in (b"\r\n", b"\n"):
                raise BadChunkedBody("A chunk is longer than its size says.")
        return filled

    def _chunk_size(self) -> int:
        line = self._line()
        size = line.split(b";", 1)[0].strip(b" \t\r\n")  # extensions are dropped
        if _HEX.fullmatch(size) is None:
            raise BadChunkedBody(f"Not a chunk size: {line[:40]!r}.")
        return int(size, 16)

    def _skip_trailers(self) -> None:
        for _ in range(MAX_TRAILERS):
            if self._line() in (b"\r\n", b"\n"):
                return
        raise BadChunkedBody(f"More than {MAX_TRAILERS} trailer lines.")

    def _line(self) -> bytes:
        line = self._rfile.readline(MAX_LINE + 1)
        if not line.endswith(b"\n"):
            if len(line) > MAX_LINE:
                raise BadChunkedBody(f"A line of the chunked body is longer than {MAX_LINE} bytes.")
            raise BadChunkedBody("The client closed the connection before the body ended.")
        return line


class DrainedInput:
    """What werkzeug's server reads the rest of a request from, after the response.

    werkzeug reads whatever the client still sends (so it sees the answer and
    not a reset); read from the body, that stops at the body's end instead of
    waiting for the client to close the connection. Closing closes the
    connection's own reader too.
    """

    def __init__(self, body: io.RawIOBase, rfile: Reader) -> None:
        self._body = body
        self._rfile = rfile

    def read(self, size: int = -1) -> bytes:
        """What is left of the body (up to ``size`` bytes)."""
        try:
            return self._body.read(size)
        except (OSError, ValueError, BadRequest):  # gone, or broken: nothing more to read
            return b""

    def close(self) -> None:
        """Close the body and the connection's reader."""
        self._body.close()
        self._rfile.close()


def _list(values: Sequence[str]) -> list[str]:
    """The items of comma-separated header values, lower case."""
    return [item.strip().lower() for value in values for item in value.split(",") if item.strip()]
