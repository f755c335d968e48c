"""The WSGI middleware of debug mode.

It passes responses through untouched (streamed, chunk by chunk) but holds
the status and headers back until the first byte of the body exists, so an
error raised while a streamed body starts can still become the error page.
An error after bytes were sent is printed in the terminal and re-raised: the
server then drops the connection, and the client sees a broken response
rather than a complete-looking one.

Every error shown is kept a while (:mod:`.errorstore`) and named in an
``X-Flaskit-Error`` header: a client that prefers JSON gets the report as
``application/problem+json`` with a link to the page, which
``/__flaskit/errors/<id>`` serves; the overlay in the browser uses both.
"""

from __future__ import annotations

import contextlib
import secrets
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, quote

from flaskit.debugpage.errorstore import ErrorStore, error_path, stored_path
from flaskit.debugpage.masking import Masker
from flaskit.debugpage.negotiate import wants_json
from flaskit.debugpage.request import BodyRecorder, record_body
from flaskit.debugpage.settings import lenient
from flaskit.serve.requestlog import UNLOGGED
from flaskit.wsgi import WSGIApp

if TYPE_CHECKING:
    from flaskit.debugpage import AccessCheck, DebugPageConfig
    from flaskit.debugpage.interactive import InteractiveDebugger
    from flaskit.debugpage.model import ErrorReport
    from flaskit.debugpage.notfound import UnmatchedPath
    from flaskit.debugpage.richrender import RenderCache

PLAIN_500 = "Internal Server Error\n"
ERROR_HEADER = "X-Flaskit-Error"  # the id of the error a response reports
GONE = (
    "flaskit keeps the page of the last {count} errors for {minutes} minutes; this one is "
    "gone (or the server restarted since). Repeat the request to see the error again.\n"
)
CSP = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)
_OWN_MODULES = ("flaskit.debugpage",)
UNBOUNDED_WIDTH = 100_000  # columns of output that is not a terminal, without COLUMNS
# A stock 404 page is a few hundred bytes; a longer body is the app's own page.
MAX_STOCK_404 = 16 * 1024


class DebugMiddleware:
    """Error page, 404 route list and (with ``--console``) werkzeug's debugger for one app."""

    def __init__(
        self, app: WSGIApp, config: DebugPageConfig, access: AccessCheck | None = None
    ) -> None:
        from flaskit.debugpage import access_check

        self.app = app
        self.config = config
        self.editor = lenient(config).editor
        self.access = access_check(config) if access is None else access
        self.interactive: InteractiveDebugger | None = None
        if config.console:
            from flaskit.debugpage.interactive import InteractiveDebugger

            self.interactive = InteractiveDebugger(app, self.access)
        self._versions: tuple[tuple[str, str], ...] = ()
        self.errors = ErrorStore()
        from flaskit.debugpage.richrender import RenderCache

        self.renders = RenderCache()  # rich's rendering of windows and values, for later pages
        from flaskit.debugpage.report import routed_app

        self.routed = routed_app(app)
        from flaskit.debugpage.frameworks import let_errors_through

        let_errors_through(app, keep_pages=config.framework_pages)

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        """Serve one request."""
        # Decided before the app runs: middleware inside it (ProxyFix) rewrites the environ.
        allowed = self.access(environ)
        if allowed and self.interactive is not None and self.interactive.handles(environ):
            return self.interactive(environ, start_response)
        if allowed:
            stored = stored_path(str(environ.get("PATH_INFO", "")))
            if stored is not None:
                if stored[1] is not None:  # the page fetching a frame: not the app's traffic
                    environ[UNLOGGED] = True
                return serve_stored(
                    self.errors, stored, environ, start_response, self.editor, self.renders
                )
        return self._serve(environ, start_response, allowed)

    def _serve(
        self, environ: dict[str, Any], start_response: Callable[..., Any], allowed: bool
    ) -> Iterator[bytes]:
        recorder = record_body(environ) if allowed else None
        contexts = self.interactive.preserve_context(environ) if self.interactive else []
        # As the request came: middleware inside the app (ProxyFix) may rewrite it.
        arrived = None if allowed else dict(environ)
        held = HeldResponse(start_response)
        iterable: Iterable[bytes] | None = None
        error: BaseException | None = None
        try:
            iterable = self.app(environ, held.start_response)
            hinted = self._http_error(environ, held, allowed, recorder)
            if hinted is not None:
                yield hinted
                return
            yield from self._body(iterable, environ, held, allowed)
        except Exception as exc:
            if held.sent:
                print_report(self._report(exc, environ, None), exc)
                raise
            error = exc
        finally:
            _close(iterable)
        if error is None:
            return
        # Outside the except block, so nothing raised later is chained to the app's error.
        report, error_page = self._error_page(error, environ, allowed, recorder, contexts)
        start_response("500 INTERNAL SERVER ERROR", error_page.headers(allowed))
        try:
            yield error_page.body
        finally:
            print_report(report, error)
            del error
            if arrived is not None:
                explain_hidden(self.access, arrived)

    def _http_error(
        self,
        environ: dict[str, Any],
        held: HeldResponse,
        allowed: bool,
        recorder: BodyRecorder | None,
    ) -> bytes | None:
        """The debug page (or JSON) with its hints, in place of the framework's own page for
        an HTTP error a hint knows (a 405, a CSRF failure), its status and headers kept.

        Only errors the framework answered itself are replaced (Flask's
        ``handle_http_exception`` found no handler of the app's), only when a hint
        applies, and only for clients allowed to see the page.
        """
        from flaskit.debugpage.frameworks import HTTP_ERROR

        error = environ.pop(HTTP_ERROR, None)
        code = getattr(error, "code", None)
        if not (allowed and isinstance(error, Exception) and code) or held.sent:
            return None
        if not held.status.startswith(f"{code} "):
            return None  # an after_request hook answered something else
        from flaskit.debugpage.hints import may_have_hints

        if not may_have_hints(error):  # a 404, a 403: nothing to add to the framework's page
            return None
        masker = Masker()
        report = self._report(error, environ, recorder, masker, status=int(code))
        if report is None or not report.hints:
            return None
        page = error_response(
            report, error, environ, self.errors, self.editor, None, masker, self.renders
        )
        ours = page.headers(allowed=True)
        replaced = {name.lower() for name, _ in ours} | {"content-security-policy"}
        kept = [(name, value) for name, value in held.headers if name.lower() not in replaced]
        held.replace(held.status, kept + ours)
        held.send()
        print_report(report, error)
        return page.body

    def _body(
        self, iterable: Iterable[bytes], environ: dict[str, Any], held: HeldResponse, allowed: bool
    ) -> Iterator[bytes]:
        """The app's body, chunk by chunk, the status and headers sent before its first byte;
        or the route list in place of the framework's stock 404."""
        # A 404 that may be the stock page is held until it is complete.
        unmatched: UnmatchedPath | None = None
        stock: list[bytes] = []
        for chunk in iterable:
            if not held.sent:
                if not chunk:
                    continue
                if not stock:
                    unmatched = self._unmatched(environ, held, allowed)
                if unmatched is not None:
                    stock.append(chunk)
                    if sum(map(len, stock)) <= MAX_STOCK_404:
                        continue
                    unmatched = None  # too long for a stock page: the app's own
                held.send()
                yield from stock[:-1]
            yield chunk
        if not held.sent:
            page = self._route_list(unmatched, held, b"".join(stock)) if unmatched else None
            if page is not None:
                yield page
                return
            held.send()
            yield from stock

    def _unmatched(
        self, environ: dict[str, Any], held: HeldResponse, allowed: bool
    ) -> UnmatchedPath | None:
        """The routes, when the response is an HTML 404 for a path no route matches
        (and the client is not a script that wants JSON: it gets the app's 404)."""
        if not (allowed and self.routed is not None and held.is_html_404()):
            return None
        if wants_json(environ):
            return None
        from flaskit.debugpage.notfound import unmatched_path

        return unmatched_path(self.routed, environ)

    def _route_list(
        self, unmatched: UnmatchedPath, held: HeldResponse, body: bytes
    ) -> bytes | None:
        """The route list in place of the framework's stock 404; ``None`` for the app's own page.

        Only the framework's default page is replaced: an ``errorhandler(404)``,
        a blueprint's ``app_errorhandler``, a catch-all ``HTTPException`` handler
        that renders its own page always wins.
        """
        from flaskit.debugpage.notfound import is_stock_not_found, render_not_found

        if not is_stock_not_found(body):
            return None
        nonce = _nonce()
        page = Page(render_not_found(unmatched, self.config.root, nonce), nonce=nonce)
        held.replace("404 NOT FOUND", page.headers(allowed=True))
        held.send()
        return page.body

    def _error_page(
        self,
        exc: BaseException,
        environ: dict[str, Any],
        allowed: bool,
        recorder: BodyRecorder | None,
        contexts: list[Any],
    ) -> tuple[ErrorReport | None, Page]:
        masker = Masker()
        report = self._report(exc, environ, recorder, masker)
        if not allowed:
            return report, Page(PLAIN_500)
        console_url = None
        if self.interactive is not None:
            skip = _own_frames(exc)
            console_url = self.interactive.register(exc, skip, contexts, environ, masker.scrub_html)
        return report, error_response(
            report, exc, environ, self.errors, self.editor, console_url, masker, self.renders
        )

    def _report(
        self,
        exc: BaseException,
        environ: dict[str, Any],
        recorder: BodyRecorder | None,
        masker: Masker | None = None,
        status: int = 500,
    ) -> ErrorReport | None:
        from flaskit.debugpage.report import build_report, collect_versions

        if not self._versions:
            self._versions = collect_versions()
        try:
            return build_report(
                exc,
                phase="request",
                app_spec=self.config.app_spec,
                root=self.config.root,
                versions=self._versions,
                environ=environ,
                recorder=recorder,
                app=self.routed,
                masker=masker,
                status=status,
            )
        except Exception as failure:  # a bug of the page must not hide the app's error
            sys.stderr.write(
                f" * Debug page: the report failed: {type(failure).__name__}: {failure}\n"
            )
            return None


class Page:
    """A rendered response body: HTML with the nonce of its script, JSON, or plain text."""

    def __init__(
        self,
        text: str,
        *,
        nonce: str | None = None,
        media: str | None = None,
        error_id: str | None = None,
    ) -> None:
        self.body = text.encode("utf-8")
        self.nonce = nonce
        self.media = media
        self.error_id = error_id

    def headers(self, allowed: bool) -> list[tuple[str, str]]:
        """Response headers; HTML pages get a policy that runs only their own script."""
        html = self.nonce is not None and allowed
        media = (self.media if allowed else None) or ("text/html" if html else "text/plain")
        headers = [
            ("Content-Type", f"{media}; charset=utf-8" if media.startswith("text/") else media),
            ("Content-Length", str(len(self.body))),
            ("Cache-Control", "no-store"),
            ("X-Content-Type-Options", "nosniff"),
        ]
        if html:
            # Same-origin scripts stay allowed: live reload injects one into every page.
            headers.append(("Content-Security-Policy", CSP.format(nonce=self.nonce)))
        if allowed and self.error_id is not None:
            headers.append((ERROR_HEADER, self.error_id))
        return headers


class HeldResponse:
    """Holds the app's status and headers back until the body's first byte."""

    def __init__(self, start_response: Callable[..., Any]) -> None:
        self._start_response = start_response
        self._write: Callable[[bytes], Any] | None = None
        self.status = ""
        self.headers: list[tuple[str, str]] = []
        self.sent = False

    def start_response(
        self, status: str, headers: list[tuple[str, str]], exc_info: Any = None
    ) -> Callable[[bytes], Any]:
        """The ``start_response`` the app sees."""
        if exc_info is not None and self.sent:
            raise exc_info[1].with_traceback(exc_info[2])
        self.status, self.headers = status, list(headers)
        return self._legacy_write

    def replace(self, status: str, headers: list[tuple[str, str]]) -> None:
        """Send a different status and headers than the app's."""
        self.status, self.headers = status, headers

    def send(self) -> None:
        """Pass the status and headers on to the server."""
        if not self.sent:
            self.sent = True
            self._write = self._start_response(self.status, self.headers)

    def is_html_404(self) -> bool:
        """Whether the app answered with an HTML 404."""
        if not self.status.startswith("404"):
            return False
        content_type = next((v for k, v in self.headers if k.lower() == "content-type"), "")
        return content_type.startswith("text/html")

    def _legacy_write(self, data: bytes) -> None:
        # PEP 3333's write(): the body has started, so the headers must go first.
        self.send()
        if self._write is not None:
            self._write(data)


def error_response(
    report: ErrorReport | None,
    exc: BaseException,
    environ: dict[str, Any],
    errors: ErrorStore,
    editor: str | None,
    console_url: str | None = None,
    masker: Masker | None = None,
    cache: RenderCache | None = None,
) -> Page:
    """The answer to an allowed client: the page, or problem+json for a client that
    prefers JSON; either way the error is kept and named in ``X-Flaskit-Error``."""
    if report is None:
        return render(report, exc, editor, console_url, masker)
    error_id = errors.add(report, console_url)
    if wants_json(environ):
        return problem_page(report, environ, error_id)
    page = render(report, exc, editor, console_url, masker, cache, page_path(environ, error_id))
    page.error_id = error_id
    return page


def page_path(environ: dict[str, Any], error_id: str) -> str:
    """The path of a kept error's page, as the client sees it (below the mount point)."""
    path = quote(str(environ.get("SCRIPT_NAME", "")).encode("latin-1"), safe="/")
    return path + error_path(error_id)


def problem_page(report: ErrorReport, environ: dict[str, Any], error_id: str) -> Page:
    """``report`` as ``application/problem+json``, linking to the error's page."""
    from werkzeug.wsgi import get_host

    from flaskit.debugpage.problem import MEDIA_TYPE, render_problem

    path = page_path(environ, error_id)
    scheme = str(environ.get("wsgi.url_scheme", "http"))
    page_url = f"{scheme}://{get_host(environ)}{path}"
    body = render_problem(report, instance=path, page_url=page_url)
    return Page(body, media=MEDIA_TYPE, error_id=error_id)


def serve_stored(
    errors: ErrorStore,
    stored: tuple[str, str | None],
    environ: dict[str, Any],
    start_response: Callable[..., Any],
    editor: str | None,
    cache: RenderCache | None = None,
) -> list[bytes]:
    """``/__flaskit/errors/<id>``: a kept error's page (or its JSON), rendered afresh;
    ``/__flaskit/errors/<id>/frames/<frame>``: the HTML of one of its frames.

    The page leaves its closed frames out, as the error's first page did; with
    ``?open=<frame>`` (where a page without JavaScript links to) it has them all,
    that one open.
    """
    from flaskit.debugpage.errorstore import MAX_AGE, MAX_ERRORS
    from flaskit.debugpage.page import render_frame, render_page

    error_id, frame = stored
    kept = errors.get(error_id)
    if kept is None:
        page = Page(GONE.format(count=MAX_ERRORS, minutes=int(MAX_AGE // 60)))
        start_response("404 NOT FOUND", page.headers(allowed=True))
        return [page.body]
    report = kept.report
    nonce = _nonce()
    if frame is not None:
        html = render_frame(report, frame, cache)
        if html is None:
            page = Page(f"Error {error_id} has no frame {frame!r}.\n")
            start_response("404 NOT FOUND", page.headers(allowed=True))
            return [page.body]
        page = Page(html, nonce=nonce)
    elif wants_json(environ):
        page = problem_page(report, environ, error_id)
    else:
        opened = parse_qs(str(environ.get("QUERY_STRING", ""))).get("open", [None])[0]
        html = render_page(
            report,
            nonce=nonce,
            editor=editor,
            console_url=kept.console_url,
            cache=cache,
            stored=None if opened else page_path(environ, error_id),
            opened=opened,
        )
        page = Page(html, nonce=nonce, error_id=error_id)
    start_response("200 OK", page.headers(allowed=True))
    return [page.body]


def render(
    report: ErrorReport | None,
    exc: BaseException,
    editor: str | None,
    console_url: str | None,
    masker: Masker | None = None,
    cache: RenderCache | None = None,
    stored: str | None = None,
) -> Page:
    """The HTML page for ``report`` (kept at ``stored``, see :func:`render_page`); a plain
    traceback if the page itself fails, with the secrets ``masker`` learnt scrubbed from it."""
    from flaskit.debugpage.page import render_page

    nonce = _nonce()
    try:
        if report is not None:
            html = render_page(
                report,
                nonce=nonce,
                editor=editor,
                console_url=console_url,
                cache=cache,
                stored=stored,
            )
            return Page(html, nonce=nonce)
    except Exception as failure:
        problem = f"{type(failure).__name__}: {failure}"
    else:
        problem = "the report could not be built"
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    if masker is not None:
        text = masker.scrub(text)
    return Page(f"The flaskit debug page failed ({problem}); the plain traceback:\n\n{text}")


def print_report(
    report: ErrorReport | None, exc: BaseException | None = None, stream: Any = None
) -> None:
    """Print the report in the terminal (a plain traceback if there is no report)."""
    out = sys.stderr if stream is None else stream
    try:
        if report is not None:
            from flaskit.config import output_columns
            from flaskit.console import is_terminal, make_console
            from flaskit.debugpage.terminal import render_terminal

            if is_terminal(out):
                render_terminal(report, make_console(out))
            else:
                # A log file or a pipe: whole lines (or COLUMNS), never cut at 80 columns.
                columns = output_columns()
                console = make_console(out, width=columns or UNBOUNDED_WIDTH)
                render_terminal(report, console, expand=columns is not None)
            return
    except (OSError, ValueError):  # a closed terminal: nothing more can be printed
        return
    except Exception as failure:  # a bug in the rich rendering: Python's traceback instead
        out.write(f" * Debug page: the terminal view failed ({type(failure).__name__})\n")
    if exc is not None:
        from flaskit.console import printable

        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        with contextlib.suppress(OSError, ValueError):
            out.write(printable(text, keep="\n"))


def explain_hidden(access: AccessCheck, environ: dict[str, Any]) -> None:
    """Tell the terminal, once per client, that an error was answered with a plain 500
    because the client may not see the page (see :class:`~flaskit.debugpage.access.AccessGuard`)."""
    explain = getattr(access, "explain_hidden_error", None)
    if explain is not None:
        explain(environ)


def _own_frames(exc: BaseException) -> int:
    count = 0
    entry = exc.__traceback__
    while entry is not None:
        module = entry.tb_frame.f_globals.get("__name__", "")
        if not (isinstance(module, str) and module.startswith(_OWN_MODULES)):
            break
        count += 1
        entry = entry.tb_next
    return count


def _nonce() -> str:
    return secrets.token_urlsafe(16)


def _close(iterable: object) -> None:
    close = getattr(iterable, "close", None)
    if close is not None:
        close()
