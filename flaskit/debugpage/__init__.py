"""The debug error page: the interface the server uses.

``flaskit run --debug`` wraps the user's app with :func:`wrap`, and serves
:func:`import_error_app` when the app cannot be imported. This first version
answers with plain text; the rich HTML page (issue "The debug page") replaces
the bodies of these functions, not their signatures.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

WSGIApp = Callable[..., Any]


@dataclass(frozen=True)
class DebugPageConfig:
    """What the page needs to know beyond the exception."""

    app_spec: str = ""
    root: Path | None = None
    allow: tuple[str, ...] = ()  # CIDRs allowed to see the page besides loopback
    editor: str | None = None
    console: bool = False


def wrap(app: WSGIApp, config: DebugPageConfig) -> WSGIApp:
    """Return ``app`` wrapped so an unhandled exception becomes a 500 error page."""

    def middleware(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        try:
            return list(app(environ, start_response))
        except Exception as exc:  # the page reports every error of the app
            print_traceback(exc, config)
            return _plain_500(exc, start_response)

    return middleware


def import_error_app(exc: BaseException, config: DebugPageConfig) -> WSGIApp:
    """A WSGI app that answers every request with the error that stopped the import."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        return _plain_500(exc, start_response)

    return app


def print_traceback(
    exc: BaseException, config: DebugPageConfig, stream: IO[str] | None = None
) -> None:
    """Print the traceback of ``exc`` in the terminal."""
    stream = sys.stderr if stream is None else stream
    stream.write("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))


def _plain_500(exc: BaseException, start_response: Callable[..., Any]) -> list[bytes]:
    body = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)).encode()
    start_response(
        "500 INTERNAL SERVER ERROR",
        [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))],
    )
    return [body]
