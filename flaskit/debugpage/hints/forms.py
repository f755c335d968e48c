"""Form hints: a field the request did not send, a file sent without ``multipart/form-data``,
a CSRF check that failed (Flask-WTF)."""

from __future__ import annotations

import difflib
from typing import Any

from flaskit.debugpage.hints.context import HintContext, frame_locals, local_of_type
from flaskit.debugpage.model import Hint

MULTIPART = "multipart/form-data"
# Where a key was looked up, by the request attribute that holds the dictionary.
SOURCES = {
    "form": "form field",
    "files": "file field",
    "args": "query argument",
    "values": "form field or query argument",
    "cookies": "cookie",
    "headers": "header",
}


def missing_field(exc: BaseException, context: HintContext) -> Hint | None:
    """``request.form['x']`` (or ``.args``, ``.files``) for a key the request did not send."""
    key = exc.args[0] if exc.args else None
    if not isinstance(key, str):
        return None
    request, source = _lookup(exc)
    if request is None:
        return None
    form = _names(request, "form", context)
    files = _names(request, "files", context)
    mimetype = str(getattr(request, "mimetype", "") or "(none)")
    what = SOURCES.get(source or "", "key")
    args = _names(request, "args", context)
    sent = {"form": form, "files": files, "args": args}.get(source or "", form)
    listed = ", ".join(sent) if sent else "none"
    detail = f"request.{source or 'form'}[{key!r}]: the request sent no {what} {key!r}. "
    detail += f"It sent: {listed}"
    if source in ("form", "files", "values"):
        detail += f" (as {mimetype}"
        if files and source != "files":
            detail += f"; files: {', '.join(files)}"
        detail += ")"
    detail += "."
    if source == "files" and mimetype != MULTIPART:
        detail = f"request.files[{key!r}]: the request has no files; it was sent as {mimetype}."
        return _no_multipart(key, mimetype, key in form, detail)
    if source == "form" and key in files:
        return Hint(
            f"{key!r} is a file, not a form field",
            detail,
            f"Read it from request.files[{key!r}].",
        )
    close = difflib.get_close_matches(key, sent, n=1, cutoff=0.6)
    fix = f'Give the form an input named {key!r} (<input name="{key}">)'
    if close:
        fix = f"The form calls it {close[0]!r}: rename one of them. Or read it optionally"
        return Hint(
            f"No {what} {key!r} in the request", detail, fix + f": request.{source}.get({key!r})."
        )
    fix += f", or read it when it may be missing: request.{source}.get({key!r})."
    return Hint(f"No {what} {key!r} in the request", detail, fix)


def missing_file(exc: BaseException, context: HintContext) -> Hint | None:
    """Flask's debug-mode error for ``request.files[x]`` from a form without ``enctype``."""
    key = exc.args[1] if len(exc.args) > 1 else None
    request = exc.args[0] if exc.args else None
    if not isinstance(key, str) or request is None:
        return None
    mimetype = str(getattr(request, "mimetype", "") or "(none)")
    form = _names(request, "form", context)
    detail = f"request.files[{key!r}]: the request has no files; it was sent as {mimetype}."
    return _no_multipart(key, mimetype, key in form, detail)


def csrf_failure(exc: BaseException, context: HintContext) -> Hint | None:
    """Flask-WTF refused the request: which check failed, and what the form or script must send."""
    reason = str(getattr(exc, "description", "") or "")
    config = getattr(context.app, "config", {}) or {}
    field = str(config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
    headers = list(config.get("WTF_CSRF_HEADERS", ["X-CSRFToken", "X-CSRF-Token"]))
    request = context.request
    sent = [v.name for v in request.form] if request is not None else []
    sent_headers = {v.name.lower() for v in request.headers} if request is not None else set()
    script = any(h.lower() in sent_headers for h in ("x-requested-with", "hx-request"))
    lowered = reason.lower()
    if "token is missing" in lowered and "session" not in lowered:
        detail = (
            f"Flask-WTF checks every POST for a {field!r} field or a {' / '.join(headers)} header. "
        )
        detail += f"This request sent the fields: {', '.join(sent) or 'none'}."
        fix = (
            f'In a template: {{{{ form.hidden_tag() }}}} (a FlaskForm) or <input type="hidden" '
            f'name="{field}" value="{{{{ csrf_token() }}}}"> inside the <form>. From a script '
            f"(fetch, htmx): send the token in the {headers[0]} header, e.g. from "
            '<meta name="csrf-token" content="{{ csrf_token() }}">.'
        )
        if script:
            fix = f"This came from a script: send the {headers[0]} header. " + fix
        return Hint("The CSRF token is missing", detail, fix)
    if "session token is missing" in lowered:
        return Hint(
            "The CSRF token's session is missing",
            "The token is checked against one kept in the session cookie, and the request came "
            "without it: the cookie was not sent (another host name or port than the page's, "
            "a blocked or expired cookie), or the SECRET_KEY changed since the page was made.",
            "Open the page and submit from the same address (localhost and 127.0.0.1 have "
            "separate cookies), and keep SECRET_KEY fixed (not os.urandom at start-up, which "
            "changes at every reload).",
        )
    if "expired" in lowered:
        limit = config.get("WTF_CSRF_TIME_LIMIT", 3600)
        return Hint(
            "The CSRF token has expired",
            f"Tokens last WTF_CSRF_TIME_LIMIT = {limit!r} seconds, and this page is older.",
            "Reload the page before submitting, or raise WTF_CSRF_TIME_LIMIT (None: as long "
            "as the session).",
        )
    if "do not match" in lowered or "invalid" in lowered:
        return Hint(
            "The CSRF token does not match the session's",
            "The token sent was made for another session or with another SECRET_KEY: a page "
            "left open across a restart with a SECRET_KEY made at start-up, or two tabs with "
            "different sessions.",
            "Reload the page and submit again; keep SECRET_KEY fixed (read it from .env).",
        )
    if "referrer" in lowered:
        return Hint(
            "The CSRF referrer check failed",
            f"Over HTTPS Flask-WTF also checks the Referer header: {reason}",
            "Submit from a page of the same host, or set WTF_CSRF_SSL_STRICT = False behind "
            "a proxy that rewrites the host.",
        )
    return None


def _no_multipart(key: str, mimetype: str, sent_as_field: bool, detail: str) -> Hint:
    why = (
        f" The browser sent only the file's name, as the form field {key!r}."
        if sent_as_field
        else ""
    )
    return Hint(
        f"The form was not sent as {MULTIPART}, so no file arrived",
        detail + why,
        f'Add enctype="{MULTIPART}" to the <form> (with method="post"); '
        "from a script, send a FormData body.",
    )


def _lookup(exc: BaseException) -> tuple[Any, str | None]:
    """The request the key was looked up in, and which of its dictionaries it was."""
    from werkzeug.sansio.request import Request

    looked_in = None
    for entry, f_locals in frame_locals(exc):
        if "self" in f_locals and entry.tb_frame.f_code.co_name == "__getitem__":
            looked_in = f_locals["self"]
            break
    request = local_of_type(exc, Request)
    if request is None:  # only Flask's RequestContext holds it
        from flask.ctx import RequestContext

        held = local_of_type(exc, RequestContext)
        request = vars(held).get("request") if held is not None else None
    if request is None:
        return None, None
    for attribute in SOURCES:
        if looked_in is not None and request.__dict__.get(attribute) is looked_in:
            return request, attribute
    return request, None


def _names(request: Any, attribute: str, context: HintContext | None = None) -> list[str]:
    """The keys of ``request.<attribute>`` as the app parsed them; else as the report recorded
    them (the body is never read again here)."""
    parsed = request.__dict__.get(attribute)
    if parsed is not None:
        try:
            return list(dict.fromkeys(parsed.keys()))[:60]
        except Exception:
            return []
    shown = context.request if context is not None else None
    if shown is None:
        return []
    if attribute == "files":
        return list(dict.fromkeys(f.field for f in shown.files))
    items = {"form": shown.form, "args": shown.args}.get(attribute, ())
    return list(dict.fromkeys(v.name for v in items))
