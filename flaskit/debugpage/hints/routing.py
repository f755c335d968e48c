"""Routing hints: ``url_for()`` that builds nothing, a method the route does not accept."""

from __future__ import annotations

import difflib
from typing import Any

from flaskit.debugpage.hints.context import HintContext, user_frame, where
from flaskit.debugpage.model import Hint

MAX_SUGGESTIONS = 3


def build_error(exc: BaseException, context: HintContext) -> Hint | None:
    """``BuildError``: the closest endpoints and the arguments each needs."""
    endpoint = str(getattr(exc, "endpoint", "") or "")
    values = dict(getattr(exc, "values", None) or {})
    url_map = _url_map(exc, context)
    if not endpoint or url_map is None:
        return None
    rules = list(url_map.iter_rules())
    by_endpoint: dict[str, list[Any]] = {}
    for rule in rules:
        by_endpoint.setdefault(str(rule.endpoint), []).append(rule)
    call_site = user_frame(exc, context)
    at = f" (at {where(call_site, context)})" if call_site is not None else ""
    given = ", ".join(sorted(values)) or "no arguments"
    if endpoint in by_endpoint:
        # The endpoint exists: the arguments (or the method) do not fit any of its rules.
        needs = [_call(rule) for rule in by_endpoint[endpoint]]
        missing = sorted(
            {arg for rule in by_endpoint[endpoint] for arg in _required(rule)} - set(values)
        )
        detail = (
            f"The endpoint {endpoint!r} exists, but none of its rules can be built from "
            f"{given}. Its rules: "
            + "; ".join(f"{rule.rule} needs {_needs(rule)}" for rule in by_endpoint[endpoint])
            + "."
        )
        method = getattr(exc, "method", None)
        if method and not any(method in (rule.methods or ()) for rule in by_endpoint[endpoint]):
            detail += f" None of them accepts {method}."
        title = (
            f"url_for({endpoint!r}) is missing {', '.join(missing)}"
            if missing
            else f"url_for({endpoint!r}) cannot be built from {given}"
        )
        return Hint(title, detail, f"Call {needs[0]}{at}.")
    names = list(by_endpoint)
    close = [
        name for name in names if name.endswith("." + endpoint)
    ]  # a blueprint's prefix left out
    close += [
        name
        for name in difflib.get_close_matches(endpoint, names, n=MAX_SUGGESTIONS, cutoff=0.5)
        if name not in close
    ]
    close = close[:MAX_SUGGESTIONS]
    if not close:
        detail = f"The app has no endpoint {endpoint!r}, nor one with a close name. "
        detail += "Its endpoints: " + ", ".join(sorted(names)[:30]) + "."
        return Hint(f"No endpoint named {endpoint!r}", detail, "Use one of the endpoints above.")
    detail = f"The app has no endpoint {endpoint!r}. The closest: " + "; ".join(
        f"{name} ({by_endpoint[name][0].rule}, needs {_needs(by_endpoint[name][0])})"
        for name in close
    )
    detail += "."
    if "." in close[0] and not endpoint.count("."):
        detail += " Endpoints of a blueprint are named after it: blueprint.view."
    return Hint(
        f"No endpoint named {endpoint!r}",
        detail,
        f"Call {_call(by_endpoint[close[0]][0], values)}{at}.",
    )


def method_not_allowed(exc: BaseException, context: HintContext) -> Hint | None:
    """A 405: the methods the route accepts and where to add the one that was used."""
    allowed = [m for m in getattr(exc, "valid_methods", None) or () if m not in ("HEAD", "OPTIONS")]
    environ = context.environ or {}
    method = str(environ.get("REQUEST_METHOD", ""))
    path = str(environ.get("PATH_INFO", "")) or "/"
    if not allowed or not method:
        return None
    rule = _matching_rule(context, environ, allowed[0])
    methods = [*allowed, method]
    if rule is None:
        detail = f"{method} {path} matches a route that accepts {', '.join(allowed)}."
        fix = f"Add {method} to the route's methods (methods={methods!r}), or send {allowed[0]}."
        return Hint(f"{path} does not accept {method}", detail, fix)
    view = _view_location(context, rule.endpoint)
    defined = f"the view {rule.endpoint}" + (f" ({view})" if view else "")
    detail = (
        f"{method} {path} matches the route {rule.rule} of {defined}, "
        f"which accepts {', '.join(allowed)}."
    )
    if method == "POST" and "GET" in allowed:
        detail += " A form posts to its page's own address unless its action says otherwise."
    fix = (
        f"To accept {method} there, add it to the route's decorator: methods={methods!r} "
        f"(for {defined}); or send {allowed[0]}."
    )
    return Hint(f"{path} does not accept {method}", detail, fix)


def _url_map(exc: BaseException, context: HintContext) -> Any:
    adapter = getattr(exc, "adapter", None)
    url_map = getattr(adapter, "map", None)
    return url_map if url_map is not None else getattr(context.app, "url_map", None)


def _required(rule: Any) -> list[str]:
    """The arguments ``url_for`` must be given for ``rule`` (those without a default)."""
    defaults = rule.defaults or {}
    return sorted(arg for arg in rule.arguments if arg not in defaults)


def _needs(rule: Any) -> str:
    required = _required(rule)
    return ", ".join(required) if required else "no arguments"


def _call(rule: Any, values: dict[str, Any] | None = None) -> str:
    """``url_for('blog.show', slug=...)``, with the values that were given where they fit."""
    values = values or {}
    args = [f"{arg}={values[arg]!r}" if arg in values else f"{arg}=..." for arg in _required(rule)]
    return f"url_for({', '.join([repr(str(rule.endpoint)), *args])})"


def _matching_rule(context: HintContext, environ: dict[str, Any], method: str) -> Any:
    url_map = getattr(context.app, "url_map", None)
    if url_map is None:
        return None
    try:
        adapter = url_map.bind_to_environ(environ)
        rule, _ = adapter.match(method=method, return_rule=True)
    except Exception:
        return None
    return rule


def _view_location(context: HintContext, endpoint: str) -> str:
    view = getattr(context.app, "view_functions", {}).get(endpoint)
    code = getattr(getattr(view, "__wrapped__", view), "__code__", None)
    if code is None:
        return ""
    return f"{context.shown(code.co_filename)}:{code.co_firstlineno}"
