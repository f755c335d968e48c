"""Routes of Pyramid apps: URL dispatch routes with the views attached to them.

Read from the registry's introspector, as ``pyramid proutes`` does. A route
with several views (one per request method, say) gives one row per view; a
route without any view gives one row without a view (Pyramid answers 404).
Methods combine the route's and the view's ``request_method`` predicates;
Pyramid lets HEAD through wherever GET is allowed. Other predicates (``xhr``,
``accept``, ``header`` ...) are not evaluated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flaskit.errors import FlaskitError
from flaskit.routes.adapters.base import type_modules
from flaskit.routes.model import Match, MatchRequest, Miss, Route
from flaskit.routes.samples import CANDIDATES, Piece, build_samples, values_matching
from flaskit.routes.views import ViewDescriber, ViewInfo


class NoIntrospection(FlaskitError):
    """The Pyramid app was configured with introspection turned off."""


class PyramidAdapter:
    """Pyramid's ``Router`` (``config.make_wsgi_app()``)."""

    name = "pyramid"

    def __init__(self) -> None:
        self._cached: tuple[object, _Table] | None = None

    def accepts(self, app: object) -> bool:
        """True for Pyramid routers."""
        if "pyramid" not in type_modules(app):
            return False
        from pyramid.router import Router  # type: ignore[import-untyped]

        return isinstance(app, Router)

    def routes(self, app: object) -> list[Route]:
        """Routes in the order Pyramid's routes mapper tries them."""
        return list(self._table(app).routes)

    def match(self, app: object, request: MatchRequest) -> Match | Miss:
        """Resolve the request with the app's own routes mapper (route predicates
        included), then pick the view whose ``request_method`` accepts it."""
        from pyramid.interfaces import IRoutesMapper  # type: ignore[import-untyped]
        from pyramid.request import Request  # type: ignore[import-untyped]

        table = self._table(app)
        registry = app.registry  # type: ignore[attr-defined]
        mapper = registry.queryUtility(IRoutesMapper)
        if mapper is None:
            return Miss("not-found")
        host = request.host or "localhost"
        pyramid_request = Request.blank("/", base_url=f"{request.scheme}://{host}")
        pyramid_request.method = request.method
        pyramid_request.environ["PATH_INFO"] = request.path.encode("utf-8").decode("latin-1")
        pyramid_request.registry = registry
        info = mapper(pyramid_request)
        pyramid_route = info["route"]
        if pyramid_route is None:
            return self._near_miss(mapper, table, request)
        rows = [table.routes[i] for i in table.by_name[pyramid_route.name]]
        if all(row.unbound for row in rows):
            return Miss("no-view", routes=tuple(rows))
        for row in rows:
            if row.accepts(request.method):
                return Match(row, _arguments(info["match"]))
        return Miss("method-not-allowed", allowed=_union(rows), routes=tuple(rows))

    def example_paths(self, app: object, route: Route) -> list[str]:
        """Paths filled in from the route pattern, confirmed by the route's own matcher."""
        from pyramid.urldispatch import (  # type: ignore[import-untyped]
            old_route_re,
            route_re,
            star_at_end,
        )

        table = self._table(app)
        pyramid_route = table.objects[route.order]
        pattern = str(pyramid_route.pattern)
        if old_route_re.search(pattern) and not route_re.search(pattern):
            pattern = old_route_re.sub(lambda m: "{" + m.group(0)[1:] + "}", pattern)
        if not pattern.startswith("/"):
            pattern = "/" + pattern
        star = star_at_end.search(pattern)
        if star:
            pattern = pattern[: star.start()]
        pieces: list[Piece] = []
        for index, part in enumerate(route_re.split(pattern)):
            if index % 2 == 0:
                pieces.append(part)
                continue
            _, _, regex = part[1:-1].partition(":")
            pieces.append(values_matching(regex.strip() or "[^/]+"))
        if star:
            pieces.append(CANDIDATES)

        def accepts(path: str) -> bool:
            return pyramid_route.match(path) is not None

        return build_samples(pieces, accepts)

    def _near_miss(self, mapper: Any, table: _Table, request: MatchRequest) -> Miss:
        """No route took the request: say so, or that a route's pattern matched
        but its ``request_method`` predicate turned the method away."""
        rows = [
            table.routes[i]
            for pyramid_route in mapper.get_routes()
            if pyramid_route.match(request.path) is not None
            for i in table.by_name.get(pyramid_route.name, [])
        ]
        if rows and not any(row.accepts(request.method) for row in rows):
            return Miss("method-not-allowed", allowed=_union(rows), routes=tuple(rows))
        return Miss("not-found")

    def _table(self, app: object) -> _Table:
        if self._cached is None or self._cached[0] is not app:
            self._cached = (app, _build_table(app))
        return self._cached[1]


@dataclass(frozen=True)
class _Table:
    routes: list[Route]
    objects: list[Any]  # the pyramid Route of each row
    by_name: dict[str, list[int]] = field(default_factory=dict)


def _build_table(app: Any) -> _Table:
    from pyramid.interfaces import IRoutesMapper

    registry = app.registry
    introspector = getattr(registry, "introspector", None)
    mapper = registry.queryUtility(IRoutesMapper)
    if mapper is None:
        return _Table([], [])
    if introspector is None or not introspector.get_category("routes"):
        raise NoIntrospection(
            "This Pyramid app was configured with introspection turned off, so flaskit "
            "cannot see which views serve which routes. Leave Configurator(introspection=True) "
            "(the default) on to list its routes."
        )
    describer = ViewDescriber()
    table = _Table([], [])
    for pyramid_route in mapper.get_routes():
        route_intr = introspector.get("routes", pyramid_route.name)
        route_methods = _pyramid_methods(route_intr["request_methods"]) if route_intr else None
        views = [
            view
            for view in (introspector.related(route_intr) if route_intr else [])
            if view.category_name == "views"
        ]
        rule = str(pyramid_route.pattern)
        rule = rule if rule.startswith("/") else "/" + rule
        if not views:
            _add(
                table,
                pyramid_route,
                Route(rule, route_methods, pyramid_route.name, None, None, None, unbound=True),
            )
        for view in views:
            target = _view_target(view)
            info = _static_info(view["callable"]) or describer.describe(target)
            methods = _intersect(route_methods, _pyramid_methods(view["request_methods"]))
            static = info.name == "pyramid static files"
            _add(
                table,
                pyramid_route,
                Route(
                    rule,
                    methods,
                    pyramid_route.name,
                    info.name,
                    info.file,
                    info.line,
                    view_id=None if static else id(target),
                ),
            )
    return table


def _add(table: _Table, pyramid_route: Any, route: Route) -> None:
    from dataclasses import replace

    order = len(table.routes)
    table.routes.append(replace(route, order=order))
    table.objects.append(pyramid_route)
    table.by_name.setdefault(pyramid_route.name, []).append(order)


def _view_target(view: Any) -> Any:
    """The function that runs: ``attr`` names a method of a view class."""
    target = view["callable"]
    attr = view["attr"]
    if attr and isinstance(target, type):
        return getattr(target, attr, target)
    return target


def _static_info(view: Any) -> ViewInfo | None:
    """``add_static_view`` routes: point at the folder they serve."""
    if type(view).__module__ != "pyramid.static":
        return None
    docroot = str(getattr(view, "docroot", ""))
    package = getattr(view, "package_name", None)
    folder: str | None = docroot or None
    if package:
        try:
            from pyramid.path import AssetResolver  # type: ignore[import-untyped]

            folder = str(AssetResolver(package).resolve(f"{package}:{docroot}").abspath())
        except (ImportError, ValueError):
            folder = None
    return ViewInfo("pyramid static files", folder, None)


def _pyramid_methods(value: Any) -> tuple[str, ...] | None:
    """A ``request_method`` predicate value as Pyramid applies it: GET implies HEAD."""
    if value is None:
        return None
    methods = {value} if isinstance(value, str) else set(value)
    if "GET" in methods:
        methods.add("HEAD")
    return tuple(sorted(str(m).upper() for m in methods))


def _intersect(
    first: tuple[str, ...] | None, second: tuple[str, ...] | None
) -> tuple[str, ...] | None:
    if first is None:
        return second
    if second is None:
        return first
    return tuple(sorted(set(first) & set(second)))


def _union(rows: list[Route]) -> tuple[str, ...]:
    return tuple(sorted({m for row in rows if not row.unbound for m in (row.methods or ())}))


def _arguments(matchdict: dict[str, Any]) -> dict[str, Any]:
    """Pyramid's matchdict: text values, and a tuple of segments for ``*rest``."""
    return {
        key: list(value) if isinstance(value, tuple) else value for key, value in matchdict.items()
    }
