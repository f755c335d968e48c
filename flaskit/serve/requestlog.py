"""One line per request: time, method, path, status (coloured by class), duration, size.

:class:`RequestLog` is WSGI middleware that measures a response into a
:class:`RequestRecord`; :func:`render_plain` and :func:`render_rich` turn a
record into a line. The worker writes the lines to its (inherited) stdout.
It wraps everything else, so the size is the bytes sent (after live reload
added its script). Everything taken from the request is made safe for a
terminal (no escape sequences), and query values whose names look secret
(``?token=...``) are masked as on the error page.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flaskit.wsgi import WSGIApp

if TYPE_CHECKING:
    from rich.text import Text

# A middleware inside sets this environ key to leave its own request out of the log
# (live reload's /__flaskit/ requests, the debug page fetching a frame: the browser's
# traffic, not the app's).
UNLOGGED = "flaskit.unlogged"

STATUS_STYLES = {1: "bold", 2: "green", 3: "cyan", 4: "yellow", 5: "bold red"}


@dataclass(frozen=True)
class RequestRecord:
    """What happened to one request."""

    when: float  # seconds since the epoch, when the request arrived
    method: str
    path: str  # with the query string
    status: int
    duration_ms: float  # from the call of the app to the last byte handed to the server
    size: int | None  # body bytes sent; None when the response failed before a status

    @property
    def status_class(self) -> int:
        """1 to 5 for 1xx to 5xx."""
        return self.status // 100


def format_size(size: int | None) -> str:
    """Bytes as ``512 B``, ``1.5 kB``, ``2.0 MB``; ``-`` when unknown."""
    if size is None:
        return "-"
    if size < 1000:
        return f"{size} B"
    if size < 1_000_000:
        return f"{size / 1000:.1f} kB"
    return f"{size / 1_000_000:.1f} MB"


def _fields(record: RequestRecord) -> tuple[str, str, str, str, str]:
    clock = time.strftime("%H:%M:%S", time.localtime(record.when))
    duration = f"{record.duration_ms:.1f} ms"
    return clock, record.method, record.path, str(record.status), f"{duration} {_size(record)}"


def _size(record: RequestRecord) -> str:
    return format_size(record.size)


def render_plain(record: RequestRecord) -> str:
    """The line without colour: ``12:00:01 GET /hello 200 1.3 ms 12 B``."""
    return " ".join(_fields(record))


def render_rich(record: RequestRecord) -> Text:
    """The line with the status coloured by its class."""
    from rich.text import Text

    clock, method, path, status, rest = _fields(record)
    text = Text(f"{clock} ", style="dim")
    text.append(f"{method} {path} ")
    text.append(status, style=STATUS_STYLES.get(record.status_class, ""))
    text.append(f" {rest}", style="dim")
    return text


def _path(environ: dict[str, Any]) -> str:
    from flaskit.console import printable

    path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
    # PEP 3333 paths are latin-1-decoded bytes; show them as the UTF-8 the client sent.
    with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
        path = path.encode("latin-1").decode("utf-8")
    query = environ.get("QUERY_STRING")
    path = f"{path}?{masked_query(query)}" if query else path
    return printable(path)


def masked_query(query: str) -> str:
    """``query`` with the value of every secret-looking name masked, the rest as sent."""
    from urllib.parse import unquote_plus

    from flaskit.debugpage.masking import MASK, is_secret_name

    parts = []
    for part in query.split("&"):
        name, equals, _value = part.partition("=")
        parts.append(f"{name}={MASK}" if equals and is_secret_name(unquote_plus(name)) else part)
    return "&".join(parts)


class RequestLog:
    """WSGI middleware that reports a :class:`RequestRecord` for every request."""

    def __init__(self, app: WSGIApp, report: Callable[[RequestRecord], None]) -> None:
        self.app = app
        self.report = report

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        """Call the app and measure its response."""
        started = time.perf_counter()
        when = time.time()
        status: list[int] = []

        def recording_start_response(
            status_line: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Any:
            status[:] = [int(status_line.split(None, 1)[0])]
            return start_response(status_line, headers, exc_info)

        def finish(size: int | None) -> None:
            if environ.get(UNLOGGED):
                return
            from flaskit.console import printable

            record = RequestRecord(
                when,
                printable(str(environ.get("REQUEST_METHOD", "-"))),
                _path(environ),
                status[0] if status else 500,
                (time.perf_counter() - started) * 1000,
                size if status else None,
            )
            self.report(record)

        try:
            body = self.app(environ, recording_start_response)
        except BaseException:
            finish(None)
            raise
        return _Measured(body, finish)


class _Measured:
    """The app's response iterable, counting bytes; reports when closed."""

    def __init__(self, body: Iterable[bytes], finish: Callable[[int | None], None]) -> None:
        self.body = body
        self.finish = finish
        self.size = 0
        self.failed = False

    def __iter__(self) -> Iterator[bytes]:
        try:
            for chunk in self.body:
                self.size += len(chunk)
                yield chunk
        except BaseException:
            self.failed = True
            raise

    def close(self) -> None:
        try:
            close = getattr(self.body, "close", None)
            if close is not None:
                close()
        finally:
            self.finish(None if self.failed else self.size)
