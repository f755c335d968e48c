"""``flaskit routes --check``: route table mistakes a test suite rarely catches.

* an endpoint without a view: every request its rule matches fails;
* a rule that can never match: every URL it matches is taken by another
  rule the framework tries first (or, in Bottle, by a later rule that
  replaced it). Found by asking the framework's own dispatch about URLs made
  up from the rule, so converters, weights and order are the framework's;
* one view registered under several endpoints (names), so ``url_for`` and
  ``reverse`` reach it under names that were probably meant to be one.

Legitimate patterns are left alone: a view under one endpoint with several
rules (Flask's MethodView, ``defaults=``), one view under names whose rules
take different arguments (Django's optional-argument idiom), a blueprint
registered twice under two names, and static-file routes.

An endpoint without a view whose every request another rule takes first is
not a mistake either: it only names a URL for ``url_for`` (the Flask
tutorial's ``app.add_url_rule("/", endpoint="index")``). It is reported as a
note, which does not change the exit code.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from flaskit.discovery import AppTarget
from flaskit.routes.adapters.base import RouteAdapter, SamplingAdapter, can_sample
from flaskit.routes.findings import CheckReport, Note, Problem
from flaskit.routes.listing import load_route_table
from flaskit.routes.model import IMPLICIT_METHODS, Match, MatchRequest, Route

# Methods tried for a rule that accepts any method.
_ANY_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
_ARGUMENT = re.compile(r"<[^>]*>|\{[^}]*\}|\(\?P<\w+>|\*\w*$|(?<=/):\w+")


@dataclass(frozen=True)
class CheckConfig:
    """What ``flaskit routes --check`` was asked."""

    target: AppTarget
    cwd: Path
    as_json: bool = False


def check_app(target: AppTarget) -> CheckReport:
    """Import the app and check its route table."""
    adapter, app = load_route_table(target)
    return check_routes(adapter, app)


def check_routes(adapter: RouteAdapter, app: object) -> CheckReport:
    """Every check the adapter supports, on ``app``'s routes."""
    routes = adapter.routes(app)
    skipped: tuple[str, ...] = ()
    notes: list[Note] = []
    if can_sample(adapter):
        problems, notes = find_unbound_reached(adapter, app, routes)
        problems += find_shadowed(adapter, app, routes)
    else:
        problems = find_unbound(routes)
        skipped = (f"shadowed rules (the '{adapter.name}' route adapter cannot resolve URLs)",)
    problems += find_views_under_several_endpoints(routes)
    return CheckReport(problems, len(routes), skipped, tuple(notes))


def find_unbound(routes: Sequence[Route]) -> list[Problem]:
    """Rules whose endpoint has no view."""
    return [Problem("no-view", (route,)) for route in routes if route.unbound]


def find_unbound_reached(
    adapter: SamplingAdapter, app: object, routes: Sequence[Route]
) -> tuple[list[Problem], list[Note]]:
    """Rules without a view, split by what dispatch does with them: a problem when
    some request reaches one (it fails), a note when every request goes to a rule
    tried first, so the rule only builds URLs (``url_for``)."""
    problems: list[Problem] = []
    notes: list[Note] = []
    for route in routes:
        if not route.unbound:
            continue
        takers = _takers(adapter, app, route)
        if takers:
            notes.append(Note("url-for-alias", (route, *takers)))
        else:
            problems.append(Problem("no-view", (route,)))
    return problems, notes


def find_shadowed(adapter: SamplingAdapter, app: object, routes: Sequence[Route]) -> list[Problem]:
    """Rules whose every example URL, with every method they accept, goes elsewhere."""
    problems = []
    for route in routes:
        if route.unbound:
            continue
        takers = _takers(adapter, app, route)
        if takers:
            problems.append(Problem("shadowed", (route, *takers)))
    return problems


def find_views_under_several_endpoints(routes: Sequence[Route]) -> list[Problem]:
    """One view object registered under endpoints whose rules take the same arguments."""
    by_view: dict[int, list[Route]] = {}
    for route in routes:
        if route.view_id is not None:
            by_view.setdefault(route.view_id, []).append(route)
    problems = []
    for group in by_view.values():
        by_arguments: dict[frozenset[str], dict[str, Route]] = {}
        for route in group:
            endpoints = by_arguments.setdefault(_arguments(route.rule), {})
            endpoints.setdefault(route.endpoint, route)
        for endpoints in by_arguments.values():
            if len(endpoints) > 1 and not _same_blueprint_view(list(endpoints.values())):
                problems.append(Problem("view-under-several-endpoints", tuple(endpoints.values())))
    return problems


def show_check(config: CheckConfig, out: IO[str] | None = None) -> CheckReport:
    """Print the problems (or a short all-clear) and return the report."""
    from flaskit.console import is_terminal, make_console
    from flaskit.routes import report

    out = sys.stdout if out is None else out
    result = check_app(config.target)
    if config.as_json:
        report.check_json(result, config.cwd, out)
    elif is_terminal(out):
        report.check_rich(result, config.cwd, make_console(out))
    else:
        out.write(report.check_text(result, config.cwd))
    return result


def _takers(adapter: SamplingAdapter, app: object, route: Route) -> tuple[Route, ...]:
    """The routes that take all of ``route``'s example requests, or ``()`` when
    ``route`` gets at least one (or the answer is unclear)."""
    paths = adapter.example_paths(app, route)
    if not paths:
        return ()
    takers: dict[int, Route] = {}
    for path in paths:
        for method in _probe_methods(route):
            outcome = adapter.match(app, MatchRequest(path, method))
            if isinstance(outcome, Match):
                if outcome.redirect or outcome.route.order == route.order:
                    return ()
                takers.setdefault(outcome.route.order, outcome.route)
            elif outcome.routes and all(r.order != route.order for r in outcome.routes):
                for other in outcome.routes:  # e.g. Django: an earlier view refuses the method
                    takers.setdefault(other.order, other)
            else:
                return ()
    return tuple(takers[order] for order in sorted(takers))


def _probe_methods(route: Route) -> tuple[str, ...]:
    if route.methods is None:
        return _ANY_METHODS
    explicit = tuple(m for m in route.methods if m not in IMPLICIT_METHODS)
    return explicit or route.methods


def _arguments(rule: str) -> frozenset[str]:
    """The placeholders of a rule, as written: rules with the same ones take the same
    arguments."""
    return frozenset(_ARGUMENT.findall(rule))


def _same_blueprint_view(routes: list[Route]) -> bool:
    """A blueprint registered twice (``name=`` differs): one view, one local endpoint
    name, under different blueprints."""
    local_names = {route.endpoint.rpartition(".")[2] for route in routes}
    blueprints = [route.blueprint for route in routes]
    return (
        len(local_names) == 1
        and all(blueprint is not None for blueprint in blueprints)
        and len(set(blueprints)) == len(blueprints)
    )
