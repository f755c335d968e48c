"""Routes of Flask apps and of any app exposing a werkzeug ``Map`` as ``url_map``."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from flaskit.routes.model import Route
from flaskit.routes.views import ViewDescriber, ViewInfo

if TYPE_CHECKING:
    from werkzeug.routing import Map, Rule


class WerkzeugMapAdapter:
    """Flask (``view_functions``) and plain werkzeug apps (``url_map``)."""

    name = "werkzeug"

    def accepts(self, app: object) -> bool:
        """True for objects whose ``url_map`` is a werkzeug ``Map``."""
        from werkzeug.routing import Map

        return isinstance(getattr(app, "url_map", None), Map)

    def routes(self, app: object) -> list[Route]:
        """Every rule of the map in dispatch order."""
        url_map: Map = app.url_map  # type: ignore[attr-defined]
        view_for = _view_lookup(app)
        blueprints = getattr(app, "blueprints", None)
        blueprint_names = set(blueprints) if isinstance(blueprints, Mapping) else set()
        describer = ViewDescriber()
        routes = []
        for order, rule in enumerate(dispatch_order(url_map)):
            view = view_for(rule.endpoint)
            info = _static_view(app, rule.endpoint, view) or (
                describer.describe(view) if view is not None else None
            )
            endpoint = rule.endpoint if isinstance(rule.endpoint, str) else _name_of(rule.endpoint)
            routes.append(
                Route(
                    rule=rule.rule,
                    methods=tuple(sorted(rule.methods)) if rule.methods is not None else None,
                    endpoint=endpoint,
                    view=info.name if info else None,
                    file=info.file if info else None,
                    line=info.line if info else None,
                    host=(rule.host or None) if url_map.host_matching else None,
                    subdomain=(rule.subdomain or None) if not url_map.host_matching else None,
                    blueprint=_blueprint_of(endpoint, blueprint_names),
                    order=order,
                )
            )
        return routes


def dispatch_order(url_map: Map) -> list[Rule]:
    """The rules in the order werkzeug's matcher tries them.

    werkzeug (2.2+) matches with a tree of rule parts: at each level static
    parts are tried before converters, converters by weight. Walking that tree
    depth first lists the rules in the order they win. Older or unusual maps
    fall back to the order rules were added.
    """
    url_map.update()
    root = getattr(getattr(url_map, "_matcher", None), "_root", None)
    if root is None or not hasattr(root, "rules"):
        return list(url_map.iter_rules())
    ordered: list[Rule] = []
    stack = [root]
    while stack:
        state = stack.pop()
        ordered.extend(state.rules)
        children = [*state.static.values(), *(child for _, child in state.dynamic)]
        stack.extend(reversed(children))
    if len(ordered) != len(list(url_map.iter_rules())):
        return list(url_map.iter_rules())
    return ordered


def _static_view(app: object, endpoint: object, view: object) -> ViewInfo | None:
    """Flask's own static-file routes: point at the folder they serve, not at Flask."""
    if not isinstance(endpoint, str) or endpoint.rpartition(".")[2] != "static":
        return None
    if not getattr(view, "__module__", "").startswith("flask."):
        return None
    owner: object = app
    blueprint_name = endpoint.rpartition(".")[0]
    if blueprint_name:
        owner = getattr(app, "blueprints", {}).get(blueprint_name)
    folder = getattr(owner, "static_folder", None)
    return ViewInfo("flask static files", str(folder) if folder else None, None)


def _view_lookup(app: object) -> Callable[[Any], object | None]:
    view_functions = getattr(app, "view_functions", None)
    if isinstance(view_functions, Mapping):
        return view_functions.get

    def lookup(endpoint: Any) -> object | None:
        if callable(endpoint):
            view: object = endpoint
            return view  # werkzeug apps often use the view itself as the endpoint
        if isinstance(endpoint, str):
            # The werkzeug tutorial's convention: endpoint "x" is served by app.on_x.
            handler: object | None = getattr(app, f"on_{endpoint}", None)
            return handler
        return None

    return lookup


def _name_of(endpoint: object) -> str:
    module = getattr(endpoint, "__module__", None)
    name = getattr(endpoint, "__qualname__", None) or repr(endpoint)
    return f"{module}.{name}" if module else name


def _blueprint_of(endpoint: str, blueprints: Iterable[str]) -> str | None:
    names = set(blueprints)
    parts = endpoint.split(".")[:-1]
    while parts:
        candidate = ".".join(parts)
        if candidate in names:
            return candidate
        parts.pop()
    return None
