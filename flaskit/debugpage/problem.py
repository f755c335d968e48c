"""The report as ``application/problem+json`` (RFC 9457), for API clients.

The standard members first (``type``, ``title``, ``status``, ``detail``,
``instance``: the error's page), then the report as the page shows it: the
exception chain with its frames (file, line, function, code line and, for the
app's own frames, the masked locals), the hints, the request (masked), and
``page``, the absolute address of the full page for this error. Everything
comes from the report, which is masked already.
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

from flaskit.debugpage.model import ErrorReport, ExceptionInfo, Frame, RequestInfo, Variable

MEDIA_TYPE = "application/problem+json"
DOCS = "https://flaskit.readthedocs.io/en/latest/debugpage.html"
TYPES = {
    "request": f"{DOCS}#unhandled-exception",
    "import": f"{DOCS}#import-error",
}
TITLES = {
    "request": "Unhandled exception in the app",
    "import": "The app failed to load",
}


def problem_document(
    report: ErrorReport, *, instance: str | None = None, page_url: str | None = None
) -> dict[str, Any]:
    """The problem details object for ``report``; ``instance`` is the error page's path,
    ``page_url`` its full address."""
    if report.status == 500:
        problem_type, title = TYPES[report.phase], TITLES[report.phase]
    else:  # an HTTP error the framework answered (405, a CSRF failure): its status says it
        problem_type, title = "about:blank", _phrase(report.status)
    document: dict[str, Any] = {
        "type": problem_type,
        "title": title,
        "status": report.status,
        "detail": report.main.headline,
    }
    if instance is not None:
        document["instance"] = instance
    document["exception"] = report.main.type_name
    document["exceptions"] = [_exception(exc) for exc in report.exceptions]
    if report.omitted_exceptions:
        document["omitted_exceptions"] = report.omitted_exceptions
    document["hints"] = [
        {"title": hint.title, "detail": hint.detail, "fix": hint.fix} for hint in report.hints
    ]
    if report.request is not None:
        document["request"] = _request(report.request)
    if page_url is not None:
        document["page"] = page_url
    document["app"] = report.app_spec
    document["versions"] = dict(report.versions)
    return document


def render_problem(
    report: ErrorReport, *, instance: str | None = None, page_url: str | None = None
) -> str:
    """:func:`problem_document` as JSON text (ASCII only)."""
    document = problem_document(report, instance=instance, page_url=page_url)
    return json.dumps(document, indent=2) + "\n"


def _exception(exc: ExceptionInfo) -> dict[str, Any]:
    shown: dict[str, Any] = {
        "type": exc.type_name,
        "message": exc.message,
        "frames": [_frame(frame) for frame in exc.frames],
    }
    if exc.omitted_frames:
        shown["omitted_frames"] = {"count": exc.omitted_frames, "at": exc.omitted_at}
    if exc.notes:
        shown["notes"] = list(exc.notes)
    if exc.syntax_error is not None:
        error = exc.syntax_error
        shown["syntax_error"] = {
            "file": error.display_path,
            "line": error.lineno,
            "offset": error.offset,
            "code": next((s.text for s in error.source if s.current), ""),
        }
    if exc.leads_to is not None:
        shown["leads_to"] = "direct cause" if exc.leads_to == "cause" else "during handling"
    return shown


def _frame(frame: Frame) -> dict[str, Any]:
    shown: dict[str, Any] = {
        "file": frame.display_path,
        "line": frame.lineno,
        "function": frame.function,
        "code": frame.line,
        "kind": frame.kind,
    }
    if frame.package:
        shown["package"] = frame.package
    if not frame.collapsed:
        shown["locals"] = _values(frame.locals)
        if frame.hidden_locals:
            shown["hidden_locals"] = frame.hidden_locals
    return shown


def _request(request: RequestInfo) -> dict[str, Any]:
    shown: dict[str, Any] = {
        "method": request.method,
        "url": request.url,
        "remote_addr": request.remote_addr,
        "headers": _values(request.headers),
        "args": _values(request.args),
        "form": _values(request.form),
        "files": [
            {"field": f.field, "filename": f.filename, "size": f.size} for f in request.files
        ],
        "cookies": list(request.cookies),  # names only
    }
    if request.body_note:
        shown["body_note"] = request.body_note
    return shown


def _values(items: tuple[Variable, ...]) -> dict[str, str | list[str]]:
    """Names to shown values (reprs or the mask); a name given more than once (a form's
    checkboxes, ``?tag=a&tag=b``) to the list of its values."""
    shown: dict[str, str | list[str]] = {}
    for item in items:
        if item.name not in shown:
            shown[item.name] = item.value
            continue
        known = shown[item.name]
        shown[item.name] = [*known, item.value] if isinstance(known, list) else [known, item.value]
    return shown


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
