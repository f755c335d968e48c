"""The live-reload WSGI middleware: serves ``/__flaskit/`` and adds the script to pages.

A response that may receive the script (:func:`~flaskit.livereload.inject.can_inject`)
is held until its body is complete; every other response goes through chunk by
chunk, its bytes and chunk boundaries unchanged. ``start_response`` may be
called while the body is iterated (the debug page's middleware does that), so
the choice is made when the status and headers arrive, not when the app returns.

Like every debug-only feature, live reload answers only requests the debug
page's access check allows (this machine's own clients and names): for any
other request ``/__flaskit/`` paths go to the app, as if flaskit were not there,
and pages get no script.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from importlib import resources
from typing import Any
from urllib.parse import parse_qs

from flaskit.debugpage.errorstore import PREFIX as ERROR_PAGES  # the debug page answers these
from flaskit.livereload import WSGIApp, events, inject
from flaskit.livereload.hub import Hub
from flaskit.serve.requestlog import UNLOGGED

StartResponse = Callable[..., Any]
Access = Callable[[dict[str, Any]], bool]
PREFIX = "/__flaskit/"
EVENTS_PATH = PREFIX + "events"
SCRIPT_FILES = ("client.js", "overlay.js")  # served as one script, in this order
IMMUTABLE = "max-age=31536000, immutable"


class LiveReloadMiddleware:
    """Adds the live-reload script to HTML pages and answers under ``/__flaskit/``."""

    def __init__(self, app: WSGIApp, hub: Hub, access: Access) -> None:
        self.app = app
        self.hub = hub
        self.access = access
        self._script: bytes | None = None
        self._version: str | None = None

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """Serve one request."""
        if not self.access(environ):
            return self.app(environ, start_response)  # type: ignore[no-any-return]
        path = environ.get("PATH_INFO", "")
        if path.startswith(PREFIX) and not path.startswith(ERROR_PAGES):
            environ[UNLOGGED] = True  # the browser's own traffic, not the app's
            return self._own(environ, start_response, path)
        if not inject.loads_document(environ.get("HTTP_SEC_FETCH_DEST")):
            return self.app(environ, start_response)  # type: ignore[no-any-return]
        # Read before the app renders: a change during rendering makes the page stale.
        seq = self.hub.seq
        response = _Response(environ, start_response)
        body: Iterable[bytes] = self.app(environ, response.start_response)
        if response.passed:
            return body
        return _Body(body, response, lambda page, r: self._finish(page, r, environ, seq))

    def _finish(self, page: bytes, response: _Response, environ: dict[str, Any], seq: int) -> bytes:
        """The held page with the script, and the adjusted headers sent."""
        status, headers = response.held or ("500 INTERNAL SERVER ERROR", [])
        nonce = inject.csp_nonce(headers)
        tag = inject.script_tag(
            environ.get("SCRIPT_NAME", ""),
            self.hub.generation_id,
            seq,
            nonce,
            environ.get("REQUEST_METHOD", "GET"),
            self.version(),
        )
        shown = inject.shows_document(environ.get("HTTP_SEC_FETCH_DEST"))
        changed = inject.insert(page, tag, at_end=shown)
        if changed is None:  # no end tag, and not known to be a document a browser shows
            response.send(status, headers)
            return page
        response.send(status, inject.for_page(headers, len(changed)))
        return changed

    def _own(
        self, environ: dict[str, Any], start_response: StartResponse, path: str
    ) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        if path == inject.SCRIPT_PATH and method in ("GET", "HEAD"):
            script = self.script()
            # The URL pages name carries the script's hash: a reload (after every Python
            # edit) then loads the page without asking for the script again.
            versioned = parse_qs(environ.get("QUERY_STRING", "")).get("v") == [self.version()]
            start_response(
                "200 OK",
                [
                    ("Content-Type", "text/javascript; charset=utf-8"),
                    ("Content-Length", str(len(script))),
                    ("Cache-Control", IMMUTABLE if versioned else "no-cache"),
                    ("X-Content-Type-Options", "nosniff"),
                ],
            )
            return [b"" if method == "HEAD" else script]
        if path == EVENTS_PATH and method == "GET":
            return self._events(environ, start_response)
        return _plain(start_response, "404 NOT FOUND", f"flaskit: nothing at {path}\n")

    def _events(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        one_thread = not environ.get("wsgi.multithread") and not environ.get("wsgi.multiprocess")
        if one_thread or "poll" in parse_qs(environ.get("QUERY_STRING", "")):
            # Answer with the hello and hang up; the client asks again in a second. With one
            # thread a stream would block every other request; a client that cannot share
            # one stream between its tabs polls, so tabs never use up its connections.
            body = events.hello(self.hub, self.hub.seq, poll=True)
            start_response("200 OK", [*events.HEADERS, ("Content-Length", str(len(body)))])
            return [body]
        opened = self.hub.open()
        if opened is None:
            why = "this worker is stopping" if self.hub.closed else "too many live reload streams"
            return _plain(start_response, "503 SERVICE UNAVAILABLE", f"flaskit: {why}\n")
        stream, seq = opened
        start_response("200 OK", list(events.HEADERS))
        return events.stream_events(self.hub, stream, seq)

    def script(self) -> bytes:
        """The browser client (package data), read once: live reload, then the error overlay
        (a failed background request shows its error over the page)."""
        if self._script is None:
            files = resources.files("flaskit.livereload")
            parts = [files.joinpath(name).read_bytes() for name in SCRIPT_FILES]
            self._script = b"\n".join(parts)
        return self._script

    def version(self) -> str:
        """A short hash of :meth:`script`, for its URL."""
        if self._version is None:
            self._version = hashlib.sha256(self.script()).hexdigest()[:12]
        return self._version


def _plain(start_response: StartResponse, status: str, text: str) -> list[bytes]:
    body = text.encode()
    start_response(
        status,
        [
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "no-store"),
            ("X-Content-Type-Options", "nosniff"),  # the body may echo the path
        ],
    )
    return [body]


class _Response:
    """One response on its way out: passed to the server, or held to receive the script."""

    def __init__(self, environ: dict[str, Any], start_response: StartResponse) -> None:
        self.method = environ.get("REQUEST_METHOD", "GET")
        self.downstream = start_response
        self.held: tuple[str, list[tuple[str, str]]] | None = None
        self.passed = False
        self.buffer: list[bytes] = []

    def start_response(
        self, status: str, headers: list[tuple[str, str]], exc_info: Any = None
    ) -> Callable[[bytes], Any]:
        """The ``start_response`` the app sees."""
        if not self.passed and inject.can_inject(self.method, status, headers):
            self.held = (status, headers)
            self.buffer.clear()  # a second call (with exc_info) replaces the response
            return self.buffer.append
        self.held = None
        self.passed = True
        return self.send(status, headers, exc_info)

    def send(
        self, status: str, headers: list[tuple[str, str]], exc_info: Any = None
    ) -> Callable[[bytes], Any]:
        """Pass status and headers on to the server."""
        self.passed = True
        return self.downstream(status, headers, exc_info)  # type: ignore[no-any-return]


class _Body:
    """The app's body: passed through, or collected and handed to ``finish``."""

    def __init__(
        self,
        body: Iterable[bytes],
        response: _Response,
        finish: Callable[[bytes, _Response], bytes],
    ) -> None:
        self.body = body
        self.response = response
        self.finish = finish

    def __iter__(self) -> Iterator[bytes]:
        response = self.response
        chunks = iter(self.body)
        for chunk in chunks:
            if response.passed or response.held is None:
                yield chunk
                yield from chunks
                return
            response.buffer.append(chunk)
        if response.held is not None and not response.passed:
            yield self.finish(b"".join(response.buffer), response)

    def close(self) -> None:
        """Close the app's body (WSGI requires it)."""
        close = getattr(self.body, "close", None)
        if close is not None:
            close()
