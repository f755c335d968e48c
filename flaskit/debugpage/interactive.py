"""``--console``: werkzeug's interactive debugger, next to the page.

The flaskit page stays the error page. Each error is also registered with a
:class:`werkzeug.debug.DebuggedApplication`, and the page links to werkzeug's
own traceback view of it, where any frame can be inspected in a Python
console once the PIN printed in the terminal is entered. werkzeug's checks
apply unchanged: the PIN (or its cookie) for every command; its Host check
is flaskit's own (:mod:`.access`), which every debugger request has passed.

Like werkzeug's, every debugger URL is the failing request's path with a
``?__debugger__=yes&...`` query, so it never collides with the app's routes
or with flaskit's own ``/__flaskit/`` paths (live reload).
"""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import parse_qs, quote

if TYPE_CHECKING:
    from werkzeug.debug.tbtools import DebugTraceback

VIEW_COMMAND = "flaskit-traceback"  # werkzeug's view of one registered error
KEPT_TRACEBACKS = 20  # older ones are dropped so their frames can be freed
LOCKED = (
    "The interactive debugger needs the PIN printed in the terminal, and this error must "
    "still be kept (the last 20 are): open the debugger from the error page again."
)


class InteractiveDebugger:
    """Routes werkzeug debugger requests and keeps the recent tracebacks."""

    def __init__(
        self,
        app: Callable[..., Any],
        trusted: Callable[[dict[str, Any]], bool],
        stream: IO[str] | None = None,
    ) -> None:
        from werkzeug.debug import DebuggedApplication

        class Debugger(DebuggedApplication):
            def check_host_trust(self, environ: dict[str, Any]) -> bool:
                # The names flaskit allows ([::1], --allow-host, ...), not werkzeug's own list.
                return trusted(environ)

        self.debugger = Debugger(app, evalex=True, pin_security=True, pin_logging=True)
        self._tracebacks: OrderedDict[int, tuple[DebugTraceback, Callable[[str], str]]] = (
            OrderedDict()
        )
        self._lock = threading.Lock()  # requests fail on several server threads at once
        out = sys.stderr if stream is None else stream
        pin = self.debugger.pin
        state = f"PIN {pin}" if pin else "no PIN (WERKZEUG_DEBUG_PIN=off): UNSECURED"
        out.write(f" * Interactive debugger (--console) is on: {state}\n")

    def handles(self, environ: dict[str, Any]) -> bool:
        """Whether the request is for the debugger rather than the app."""
        return _query(environ).get("__debugger__") == ["yes"]

    def preserve_context(self, environ: dict[str, Any]) -> list[Any]:
        """Ask Flask to keep its contexts, so frame consoles can use ``request`` and ``g``."""
        contexts: list[Any] = []
        environ["werkzeug.debug.preserve_context"] = contexts.append
        return contexts

    def register(
        self,
        exc: BaseException,
        skip: int,
        contexts: list[Any],
        environ: dict[str, Any],
        scrub: Callable[[str], str],
    ) -> str:
        """Hand an error to the debugger; return the URL of its interactive view.

        ``scrub`` removes the report's secrets from werkzeug's view of the error,
        which shows the exception message and source lines before any PIN.
        """
        from werkzeug.debug.tbtools import DebugTraceback

        traceback = DebugTraceback(exc, skip=skip, hide=True)
        with self._lock:
            for frame in traceback.all_frames:
                self.debugger.frames[id(frame)] = frame
                self.debugger.frame_contexts[id(frame)] = contexts
            self._tracebacks[id(traceback)] = (traceback, scrub)
            while len(self._tracebacks) > KEPT_TRACEBACKS:
                _, (old, _) = self._tracebacks.popitem(last=False)
                for frame in old.all_frames:
                    self.debugger.frames.pop(id(frame), None)
                    self.debugger.frame_contexts.pop(id(frame), None)
        path = quote(f"{environ.get('SCRIPT_NAME', '')}{environ.get('PATH_INFO', '')}") or "/"
        return f"{path}?__debugger__=yes&cmd={VIEW_COMMAND}&tb={id(traceback)}"

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        """Serve werkzeug's view of a registered error, or one of werkzeug's commands."""
        from werkzeug.wrappers import Response

        query = {key: values[0] for key, values in _query(environ).items()}
        debugger = self.debugger
        if query.get("cmd") == VIEW_COMMAND:
            key = query.get("tb", "")
            kept = self._tracebacks.get(int(key)) if key.isdigit() else None
            if kept is None:
                return _plain(
                    start_response,
                    "404 NOT FOUND",
                    "This error is no longer kept; reproduce it to debug it again.",
                )
            traceback, scrub = kept
            html = traceback.render_debugger_html(
                evalex=debugger.check_host_trust(environ),
                secret=debugger.secret,
                evalex_trusted=bool(debugger.check_pin_trust(environ)),
            )
            return Response(scrub(html), mimetype="text/html")(environ, start_response)
        if self._werkzeug_answers(query, environ):
            return debugger(environ, start_response)
        # werkzeug would run the app for this request and show its own, unmasked page.
        return _plain(start_response, "403 FORBIDDEN", LOCKED)

    def _werkzeug_answers(self, query: dict[str, str], environ: dict[str, Any]) -> bool:
        """Whether werkzeug's debugger handles this command itself (its own conditions)."""
        debugger = self.debugger
        command, secret = query.get("cmd"), query.get("s")
        if command == "resource":
            return bool(query.get("f"))
        if command in ("pinauth", "printpin"):
            return secret == debugger.secret
        frame = query.get("frm", "")
        return (
            bool(command)
            and frame.isdigit()
            and int(frame) in debugger.frames
            and secret == debugger.secret
            and bool(debugger.check_pin_trust(environ))
        )


def _plain(start_response: Callable[..., Any], status: str, text: str) -> list[bytes]:
    body = text.encode()
    start_response(
        status,
        [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))],
    )
    return [body]


def _query(environ: dict[str, Any]) -> dict[str, list[str]]:
    return parse_qs(str(environ.get("QUERY_STRING", "")))
