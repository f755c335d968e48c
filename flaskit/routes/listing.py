"""``flaskit routes``: load the app, read its routes, filter, sort and render them."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal

from flaskit.discovery import AppTarget, load
from flaskit.errors import FlaskitError
from flaskit.routes.adapters import find_adapter
from flaskit.routes.adapters.base import RouteAdapter
from flaskit.routes.model import Route

SortKey = Literal["match", "rule", "endpoint", "methods"]
SORT_KEYS: tuple[SortKey, ...] = ("match", "rule", "endpoint", "methods")


@dataclass(frozen=True)
class RoutesConfig:
    """What ``flaskit routes`` was asked to show."""

    target: AppTarget
    cwd: Path
    sort: SortKey = "match"
    method: str | None = None
    grep: str | None = None
    all_methods: bool = False
    as_json: bool = False


class NoRouteTable(FlaskitError):
    """The app is not of a kind whose routes flaskit can read."""


def collect_routes(target: AppTarget) -> list[Route]:
    """Import the app and return its routes in dispatch order."""
    adapter, app = load_route_table(target)
    return adapter.routes(app)


def load_route_table(target: AppTarget) -> tuple[RouteAdapter, object]:
    """Import the app and find the adapter that reads its routes (and the object it reads:
    the app itself or the app inside a middleware)."""
    loaded = load(target)
    found = find_adapter(loaded.app)
    if found is None:
        kind = type(loaded.app).__name__
        raise NoRouteTable(
            f"The app '{loaded.spec}' (a {kind}) has no route table flaskit can read. "
            "flaskit routes lists the routes of Flask, Django, Bottle, Falcon and Pyramid apps "
            "and of apps that expose a werkzeug Map as url_map; other WSGI callables dispatch "
            "requests in their own code. A package can add an adapter for another framework "
            "through the entry-point group flaskit.route_adapters."
        )
    return found


def select_routes(routes: Sequence[Route], config: RoutesConfig) -> list[Route]:
    """Apply ``--method``, ``--grep`` and ``--sort``."""
    selected = list(routes)
    if config.method:
        selected = [r for r in selected if r.accepts(config.method)]
    if config.grep:
        needle = config.grep.lower()
        selected = [
            r
            for r in selected
            if needle in r.rule.lower()
            or needle in r.endpoint.lower()
            or needle in (r.view or "").lower()
        ]
    return sorted(selected, key=lambda r: _sort_key(r, config))


def _sort_key(route: Route, config: RoutesConfig) -> tuple[str | int, ...]:
    if config.sort == "rule":
        return (route.rule, route.order)
    if config.sort == "endpoint":
        return (route.endpoint, route.order)
    if config.sort == "methods":
        methods = route.shown_methods(config.all_methods) or ("*",)
        return (", ".join(methods), route.order)
    return (route.order,)


def show_routes(config: RoutesConfig, out: IO[str] | None = None) -> list[Route]:
    """Print the app's routes as ``config`` asks and return the routes shown."""
    from flaskit.console import is_terminal, make_console
    from flaskit.routes import render

    out = sys.stdout if out is None else out
    routes = select_routes(collect_routes(config.target), config)
    if config.as_json:
        render.render_json(routes, config.cwd, config.all_methods, out)
        return routes
    if not routes:
        filtered = config.method or config.grep
        sys.stderr.write("No routes match.\n" if filtered else "The app has no routes.\n")
        return routes
    table = render.build_table(routes, config.cwd, config.all_methods)
    if is_terminal(out):
        render.render_rich(table, make_console(out))
    else:
        render.render_plain(table, out)
    return routes
