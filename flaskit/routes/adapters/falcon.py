"""Routes of Falcon apps: URI templates of the compiled router, then sinks and
static routes, which Falcon tries when no template matches.

The methods are the responders the resource defines (``on_get``,
``on_post_{suffix}`` ...). Falcon also answers OPTIONS for every route with a
default responder; that one is listed as an implicit method, hidden unless
``--all-methods``. Falcon has no route names: the endpoint is the resource's
class name, with the responder suffix when the route has one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from flaskit.errors import FlaskitError
from flaskit.routes.adapters.base import type_modules
from flaskit.routes.model import Match, MatchRequest, Miss, Route
from flaskit.routes.samples import CANDIDATES, Piece, build_samples
from flaskit.routes.views import ViewDescriber

_FIELD = re.compile(r"\{[^}]*\}")
_NOT_FOR_WSGI = frozenset({"WEBSOCKET"})


class CustomRouterError(FlaskitError):
    """The Falcon app uses a router whose route table flaskit cannot read."""


class FalconAdapter:
    """``falcon.App`` apps with Falcon's default ``CompiledRouter``."""

    name = "falcon"

    def __init__(self) -> None:
        self._cached: tuple[object, _Table] | None = None

    def accepts(self, app: object) -> bool:
        """True for ``falcon.App`` instances."""
        if "falcon" not in type_modules(app):
            return False
        import falcon

        return isinstance(app, falcon.App)

    def routes(self, app: object) -> list[Route]:
        """URI templates in the order the compiled router tries them (static
        segments, then complex fields, then simple fields), then sinks and
        static routes in the order Falcon checks them."""
        return list(self._table(app).routes)

    def match(self, app: object, request: MatchRequest) -> Match | Miss:
        """Resolve the request with the app's own responder lookup."""
        from falcon import testing

        table = self._table(app)
        environ = testing.create_environ(
            path=request.path or "/",
            method=request.method,
            host=(request.host or "localhost").partition(":")[0],
            scheme=request.scheme,
        )
        falcon_app: Any = app
        req = falcon_app._request_type(environ, options=falcon_app.req_options)
        responder, params, resource, uri_template = falcon_app._get_responder(req)
        if resource is not None:
            route = table.routes[table.by_template[uri_template]]
            if not route.accepts(request.method):
                return Miss("method-not-allowed", allowed=route.methods or (), routes=(route,))
            return Match(route, dict(params))
        index = table.by_object.get(id(responder))
        if index is None:
            return Miss("not-found")
        route = table.routes[index]
        if not route.accepts(request.method):
            return Miss("method-not-allowed", allowed=route.methods or (), routes=(route,))
        return Match(route, dict(params))

    def example_paths(self, app: object, route: Route) -> list[str]:
        """Paths for URI templates, confirmed by a router holding only that template."""
        from falcon.routing import CompiledRouter

        table = self._table(app)
        if route.rule not in table.by_template:
            return []  # sinks and static routes
        pieces: list[Piece] = []
        position = 0
        for found in _FIELD.finditer(route.rule):
            pieces.append(route.rule[position : found.start()])
            pieces.append(CANDIDATES)
            position = found.end()
        pieces.append(route.rule[position:])
        router: Any = getattr(app, "_router")  # noqa: B009 - private, checked by _table
        alone = CompiledRouter()
        alone.options.converters.update(router.options.converters)
        alone.add_route(route.rule, _Probe())

        def accepts(path: str) -> bool:
            return alone.find(path) is not None

        return build_samples(pieces, accepts)

    def _table(self, app: object) -> _Table:
        if self._cached is None or self._cached[0] is not app:
            self._cached = (app, _build_table(app))
        return self._cached[1]


class _Probe:
    """A resource with one responder, to load a template into a spare router."""

    def on_get(self, req: object, resp: object) -> None:
        """Never called: the spare router is only asked to find paths."""


@dataclass(frozen=True)
class _Table:
    routes: list[Route]
    by_template: dict[str, int]
    by_object: dict[int, int]  # id(sink or static route) -> index


def _build_table(app: Any) -> _Table:
    router = getattr(app, "_router", None)
    roots = getattr(router, "_roots", None)
    if roots is None:
        raise CustomRouterError(
            f"This Falcon app routes with a {type(router).__name__}, whose route table flaskit "
            "cannot read; flaskit reads Falcon's default CompiledRouter."
        )
    describer = ViewDescriber()
    routes: list[Route] = []
    by_template: dict[str, int] = {}
    by_object: dict[int, int] = {}
    for node in _dispatch_order(roots):
        info = describer.describe(node.resource)
        defined = {
            method: responder
            for method, responder in node.method_map.items()
            if method not in _NOT_FOR_WSGI and not _is_falcon_default(responder)
        }
        methods = set(defined)
        if "OPTIONS" in node.method_map:
            methods.add("OPTIONS")  # Falcon's default OPTIONS responder answers it
        class_name = info.name.rpartition(".")[2]
        suffix = _suffix(defined)
        by_template.setdefault(node.uri_template, len(routes))
        routes.append(
            Route(
                rule=node.uri_template,
                methods=tuple(sorted(methods)),
                endpoint=f"{class_name} ({suffix})" if suffix else class_name,
                view=info.name,
                file=info.file,
                line=info.line,
                order=len(routes),
                unbound=not defined,
            )
        )
    for matcher, obj, is_sink in getattr(app, "_sink_and_static_routes", ()):
        by_object[id(obj)] = len(routes)
        if is_sink:
            info = describer.describe(obj)
            routes.append(
                Route(
                    rule=matcher.pattern,
                    methods=None,
                    endpoint=info.name.rpartition(".")[2],
                    view=info.name,
                    file=info.file,
                    line=info.line,
                    order=len(routes),
                )
            )
        else:
            routes.append(
                Route(
                    rule=str(getattr(obj, "_prefix", "")),
                    methods=None,  # StaticRoute serves the file whatever the method
                    endpoint="static",
                    view="falcon static files",
                    file=str(getattr(obj, "_directory", "")) or None,
                    line=None,
                    order=len(routes),
                )
            )
    return _Table(routes, by_template, by_object)


def _dispatch_order(nodes: list[Any]) -> Iterator[Any]:
    """Depth first, each level sorted as ``CompiledRouter`` sorts it when it compiles:
    static segments, then complex fields, then simple fields."""
    ordered = sorted(nodes, key=lambda node: node.is_var + (node.is_var and not node.is_complex))
    for node in ordered:
        if node.resource is not None:
            yield node
        if node.children:
            yield from _dispatch_order(node.children)


def _is_falcon_default(responder: Any) -> bool:
    """Falcon's own 405 and OPTIONS responders (what ``falcon.inspect`` calls internal)."""
    func = getattr(responder, "func", responder)  # functools.partial
    return str(getattr(func, "__module__", "") or "").startswith("falcon.")


def _suffix(defined: dict[str, Any]) -> str | None:
    """The ``suffix=`` of ``add_route``, read back from a responder's name."""
    for method, responder in defined.items():
        name = str(getattr(responder, "__name__", ""))
        prefix = f"on_{method.lower()}_"
        if name.startswith(prefix):
            return name[len(prefix) :]
    return None
