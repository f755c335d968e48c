"""The app that stands in for a user's app that failed to import."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from flaskit.debugpage.errorstore import ErrorStore, stored_path
from flaskit.debugpage.middleware import (
    PLAIN_500,
    Page,
    error_response,
    explain_hidden,
    serve_stored,
)
from flaskit.debugpage.settings import lenient

if TYPE_CHECKING:
    from flaskit.debugpage import AccessCheck, DebugPageConfig


class ImportErrorApp:
    """Answers every request with a 500: the page for allowed requests, plain text for others."""

    def __init__(
        self, exc: BaseException, config: DebugPageConfig, access: AccessCheck | None = None
    ) -> None:
        from flaskit.debugpage import access_check

        self.exc = exc
        self.config = config
        self.editor = lenient(config).editor
        self.access = access_check(config) if access is None else access
        self.errors = ErrorStore()

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        """Serve the error."""
        from flaskit.debugpage.report import build_report

        allowed = self.access(environ)
        stored = stored_path(str(environ.get("PATH_INFO", ""))) if allowed else None
        if stored is not None:
            return serve_stored(self.errors, stored, environ, start_response, self.editor)
        if not allowed:
            page = Page(PLAIN_500)
            explain_hidden(self.access, environ)
        else:
            try:
                report = build_report(
                    self.exc,
                    phase="import",
                    app_spec=self.config.app_spec,
                    root=self.config.root,
                    environ=environ,
                )
            except Exception:
                report = None
            page = error_response(report, self.exc, environ, self.errors, self.editor)
        start_response("500 INTERNAL SERVER ERROR", page.headers(allowed))
        return [page.body]
