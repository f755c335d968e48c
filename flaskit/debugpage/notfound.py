"""The 404 page in debug mode: the path matched no route, so list the routes, nearest first."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flaskit.debugpage.page import esc, html_document
from flaskit.routes.model import Route

NEAREST_MARKED = 3
_CONVERTER = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


@dataclass(frozen=True)
class UnmatchedPath:
    """A request path and the app's routes, nearest first."""

    method: str
    path: str
    routes: tuple[Route, ...]


def unmatched_path(app: object, environ: dict[str, Any]) -> UnmatchedPath | None:
    """The routes of ``app`` (a Flask or werkzeug-``Map`` app) when no rule matches the path.

    ``None`` when a rule matches: the view itself answered 404, for example
    with ``abort(404)``.
    """
    from werkzeug.exceptions import NotFound

    from flaskit.routes.adapters.werkzeug import WerkzeugMapAdapter

    url_map = getattr(app, "url_map", None)
    if url_map is None:
        return None
    try:
        url_map.bind_to_environ(environ).match()
    except NotFound:
        pass
    except Exception:
        return None
    else:
        return None
    path = str(environ.get("PATH_INFO", "")) or "/"
    routes = sorted(
        WerkzeugMapAdapter().routes(app), key=lambda r: (-_nearness(path, r.rule), r.order)
    )
    return UnmatchedPath(str(environ.get("REQUEST_METHOD", "GET")), path, tuple(routes))


def is_stock_not_found(body: bytes) -> bool:
    """Whether ``body`` is werkzeug's default 404 page, which Flask sends when the app
    has no 404 handler of its own (and which werkzeug's ``NotFound`` renders)."""
    from werkzeug.exceptions import NotFound

    return body.strip() == NotFound().get_body().encode("utf-8").strip()


def _nearness(path: str, rule: str) -> float:
    """How close ``path`` is to ``rule``, segment by segment, the first segments weighing most.

    A converter (``<int:id>``) matches any segment fairly well; a missing or
    extra segment counts as no match.
    """
    wanted = path.lower().strip("/").split("/")
    offered = rule.lower().strip("/").split("/")
    score = total = 0.0
    for index in range(max(len(wanted), len(offered))):
        weight = 0.5**index
        total += weight
        if index >= len(wanted) or index >= len(offered):
            continue
        part, pattern = wanted[index], offered[index]
        if _CONVERTER.fullmatch(pattern):
            score += weight * (0.75 if part else 0.0)
        else:
            skeleton = _CONVERTER.sub(lambda m: m.group(1), pattern)
            score += weight * difflib.SequenceMatcher(None, part, skeleton).ratio()
    return score / total


def render_not_found(unmatched: UnmatchedPath, root: Path | None, nonce: str) -> str:
    """The page listing the routes."""
    cwd = root or Path.cwd()
    rows = []
    for index, route in enumerate(unmatched.routes):
        methods = ", ".join(route.shown_methods(False) or ("any",))
        where = route.location(cwd) or ""
        css = ' class="near"' if index < NEAREST_MARKED else ""
        rows.append(
            f"<tr{css}><th>{esc(route.rule)}</th><td>{esc(methods)}</td>"
            f"<td><code>{esc(route.endpoint)}</code></td><td><code>{esc(route.view or '')}"
            f"</code></td><td><code>{esc(where)}</code></td></tr>"
        )
    count = len(unmatched.routes)
    table = (
        '<table class="vars routes"><tr><th>Rule</th><th>Methods</th><th>Endpoint</th>'
        f"<th>View</th><th>Defined at</th></tr>{''.join(rows)}</table>"
        if rows
        else "<p>The app has no routes yet.</p>"
    )
    body = (
        f'<header><p class="eyebrow">404 Not Found · {esc(unmatched.method)} '
        f"{esc(unmatched.path)}</p><h1>No route matches {esc(unmatched.path)}</h1>"
        f'<p class="message">The app has {count} route{"s" if count != 1 else ""}; '
        "the nearest to this path come first.</p></header>"
        f"<section><h2>Routes</h2>{table}</section>"
        "<footer><p>This page replaces the framework's default 404 because the server runs "
        "with <code>--debug</code>; without it, or for other clients, that 404 is sent. A "
        "404 page of the app's own is never replaced.</p></footer>"
    )
    return html_document(f"404 {unmatched.path} · flaskit debug", body, nonce)
