"""``flaskit routes --match PATH``: which route handles a URL, or why none does.

The adapter resolves the request with the framework's own dispatch
(werkzeug's ``MapAdapter.match``, Django's ``resolve``, Bottle's
``router.match``, Falcon's responder lookup, Pyramid's routes mapper); this
module turns the answer into a report, adding the closest rules when nothing
matched.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import IO
from urllib.parse import unquote, urlsplit

from flaskit.discovery import AppTarget
from flaskit.errors import FlaskitError, UsageProblem
from flaskit.routes.adapters.base import MatchingAdapter, RouteAdapter, can_match
from flaskit.routes.findings import MatchReport
from flaskit.routes.listing import load_route_table
from flaskit.routes.model import Match, MatchRequest, Miss, Route

# A path segment of a rule that stands for a value: <int:id>, {id}, (?P<id>..), *rest, :id.
_PLACEHOLDER = re.compile(r"[<{(*\[\\]|^:")
_CLOSEST = 3
_CLOSE_ENOUGH = 0.6
# A placeholder fits any segment, but a literal that is nearly right says more.
_PLACEHOLDER_FIT = 0.75


@dataclass(frozen=True)
class MatchConfig:
    """What ``flaskit routes --match`` was asked."""

    target: AppTarget
    cwd: Path
    url: str
    method: str | None = None
    all_methods: bool = False
    as_json: bool = False


class CannotMatch(FlaskitError):
    """The app's route adapter cannot resolve URLs."""


def parse_request(url: str, method: str | None) -> MatchRequest:
    """A path (``/items/5``) or full URL (``http://api.example.com/items/5``) and a method.

    The query string is ignored; percent-escapes are decoded as a server does.
    """
    text = url.strip()
    parts = urlsplit(text)
    host = None
    scheme = "http"
    if parts.scheme and parts.netloc:
        if parts.scheme not in {"http", "https"}:
            raise UsageProblem(
                f"--match {url!r}: only http and https URLs can be matched. "
                "Pass a path like /items/5 or a URL like https://example.com/items/5."
            )
        host, scheme = parts.netloc, parts.scheme
    elif not text.startswith("/"):
        raise UsageProblem(
            f"--match {url!r} is not a URL path. Pass a path starting with '/', like "
            f"--match /{text.lstrip('/')}, or a full URL like http://localhost/items/5."
        )
    path = unquote(parts.path) or "/"
    verb = (method or "GET").strip().upper()
    if not verb.isalpha():
        raise UsageProblem(f"--method {method!r} is not an HTTP method. Use GET, POST, PUT ...")
    return MatchRequest(path=path, method=verb, host=host, scheme=scheme)


def match_request(target: AppTarget, request: MatchRequest) -> MatchReport:
    """Import the app and resolve ``request`` against its routes."""
    adapter, app = load_route_table(target)
    return resolve(_matching(adapter), app, request)


def resolve(adapter: MatchingAdapter, app: object, request: MatchRequest) -> MatchReport:
    """Resolve ``request`` with ``adapter`` and explain a miss."""
    outcome = adapter.match(app, request)
    if isinstance(outcome, Match):
        return MatchReport(request, outcome)
    routes = adapter.routes(app)
    if outcome.reason == "method-not-allowed" and not outcome.routes:
        outcome = Miss(
            outcome.reason,
            outcome.allowed,
            _routes_for_methods(adapter, app, request, outcome.allowed),
            outcome.detail,
        )
    closest = outcome.routes or closest_routes(routes, request.path)
    return MatchReport(request, outcome, tuple(closest))


def closest_routes(routes: Sequence[Route], path: str, limit: int = _CLOSEST) -> list[Route]:
    """The rules most like ``path``, segment by segment (a placeholder fits any segment)."""
    scored = [(similarity(path, route.rule), route) for route in routes]
    scored = [(score, route) for score, route in scored if score >= _CLOSE_ENOUGH]
    scored.sort(key=lambda item: (-item[0], item[1].order))
    chosen: list[Route] = []
    for _, route in scored:
        if all(route.rule != seen.rule for seen in chosen):
            chosen.append(route)
        if len(chosen) == limit:
            break
    return chosen


def similarity(path: str, rule: str) -> float:
    """0 to 1: how much ``path`` looks like a URL ``rule`` would match."""
    wanted = _segments(path)
    offered = _segments(rule.removeprefix("^").removesuffix("$"))
    if not wanted and not offered:
        return 1.0
    total = 0.0
    for have, pattern in zip(wanted, offered, strict=False):
        if _PLACEHOLDER.search(pattern):
            total += _PLACEHOLDER_FIT
        else:
            total += SequenceMatcher(None, have, pattern).ratio()
    return total / max(len(wanted), len(offered))


def show_match(config: MatchConfig, out: IO[str] | None = None) -> MatchReport:
    """Print which route handles ``config.url`` and return the report."""
    from flaskit.console import is_terminal, make_console
    from flaskit.routes import report

    out = sys.stdout if out is None else out
    result = match_request(config.target, parse_request(config.url, config.method))
    if config.as_json:
        report.match_json(result, config.cwd, config.all_methods, out)
    elif is_terminal(out):
        report.match_rich(result, config.cwd, config.all_methods, make_console(out))
    else:
        out.write(report.match_text(result, config.cwd, config.all_methods))
    return result


def _matching(adapter: RouteAdapter) -> MatchingAdapter:
    if not can_match(adapter):
        raise CannotMatch(
            f"The '{adapter.name}' route adapter lists routes but cannot resolve a URL, so "
            "--match does not work for this app. Use flaskit routes --grep to find the rule."
        )
    return adapter


def _routes_for_methods(
    adapter: MatchingAdapter, app: object, request: MatchRequest, methods: Sequence[str]
) -> tuple[Route, ...]:
    """The routes that would take the path with each of the methods it does accept."""
    found: list[Route] = []
    for method in methods:
        outcome = adapter.match(
            app, MatchRequest(request.path, method, request.host, request.scheme)
        )
        if isinstance(outcome, Match) and outcome.route not in found:
            found.append(outcome.route)
    return tuple(found)


def _segments(text: str) -> list[str]:
    return [segment for segment in text.split("/") if segment]
