"""Routes of Flask apps and of any app exposing a werkzeug ``Map`` as ``url_map``."""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from flaskit.routes.model import Match, MatchRequest, Miss, Route
from flaskit.routes.samples import Piece, build_samples, values_matching
from flaskit.routes.views import ViewDescriber, ViewInfo

if TYPE_CHECKING:
    from werkzeug.exceptions import HTTPException
    from werkzeug.routing import Map, MapAdapter, Rule


class WerkzeugMapAdapter:
    """Flask (``view_functions``) and plain werkzeug apps (``url_map``)."""

    name = "werkzeug"

    def __init__(self) -> None:
        self._cached: tuple[object, _Table] | None = None

    def accepts(self, app: object) -> bool:
        """True for objects whose ``url_map`` is a werkzeug ``Map``."""
        url_map = getattr(app, "url_map", None)
        if url_map is None:
            return False
        from werkzeug.routing import Map

        return isinstance(url_map, Map)

    def routes(self, app: object) -> list[Route]:
        """Every rule of the map in dispatch order."""
        return list(self._table(app).routes)

    def match(self, app: object, request: MatchRequest) -> Match | Miss:
        """Resolve ``request`` with werkzeug's ``MapAdapter.match``, bound the way
        Flask binds it (``create_url_adapter``) when the app is a Flask app."""
        return self._match(app, request, follow_redirect=True)

    def example_paths(self, app: object, route: Route) -> list[str]:
        """Paths the route's rule matches on its own (rules tied to a host or
        subdomain give none)."""
        from werkzeug.routing import Map

        table = self._table(app)
        rule = table.rules[route.order]
        url_map: Map = app.url_map  # type: ignore[attr-defined]
        if rule.host or rule.subdomain or rule.websocket:
            return []
        converters = getattr(rule, "_converters", {})
        pieces: list[Piece] = []
        for text, name in _placeholders(rule.rule):
            if name is None:
                pieces.append(text)
                continue
            converter = converters.get(name)
            items = getattr(converter, "items", None)
            if isinstance(items, set | frozenset):
                pieces.append(sorted(str(item) for item in items))
            else:
                pieces.append(values_matching(getattr(converter, "regex", None)))
        alone = Map(
            [rule.empty()],
            converters=dict(url_map.converters),
            strict_slashes=False,
            merge_slashes=url_map.merge_slashes,
        ).bind("localhost")
        method = sorted(rule.methods or ("GET",))[0]

        def accepts(path: str) -> bool:
            from werkzeug.exceptions import HTTPException
            from werkzeug.routing import RequestRedirect

            try:
                alone.match(path, method)
            except (HTTPException, RequestRedirect):
                return False
            return True

        return build_samples(pieces, accepts)

    def _table(self, app: object) -> _Table:
        if self._cached is None or self._cached[0] is not app:
            self._cached = (app, _build_table(app))
        return self._cached[1]

    def _match(self, app: object, request: MatchRequest, follow_redirect: bool) -> Match | Miss:
        from werkzeug.exceptions import HTTPException
        from werkzeug.routing import RequestRedirect

        table = self._table(app)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                rule, args = _bind(app, request).match(
                    request.path, request.method, return_rule=True
                )
            except RequestRedirect as redirect:
                if not follow_redirect:
                    return Miss("not-found", detail=f"redirects again, to {redirect.new_url}")
                target = urlsplit(redirect.new_url)
                moved = replace(request, path=unquote(target.path), host=target.netloc)
                found = self._match(app, moved, follow_redirect=False)
                if isinstance(found, Match):
                    return Match(found.route, found.args, redirect=redirect.new_url)
                return found
            except HTTPException as exc:
                notes = [str(warning.message) for warning in caught]
                if request.host is None and app.url_map.host_matching:  # type: ignore[attr-defined]
                    notes.append(
                        "this app matches rules by host: pass a full URL, "
                        "e.g. --match http://example.com/path"
                    )
                return _miss(exc, notes)
        return Match(table.routes[table.position[id(rule)]], dict(args))


def _miss(exc: HTTPException, notes: list[str]) -> Miss:
    """werkzeug's 404 / 405 / other error as a :class:`Miss`."""
    from werkzeug.exceptions import MethodNotAllowed, NotFound

    if isinstance(exc, MethodNotAllowed):
        return Miss("method-not-allowed", allowed=tuple(sorted(exc.valid_methods or ())))
    if isinstance(exc, NotFound):
        # e.g. werkzeug's warning that the host does not match SERVER_NAME
        return Miss("not-found", detail="; ".join(notes) or None)
    return Miss("bad-argument", detail=exc.description)


@dataclass(frozen=True)
class _Table:
    routes: list[Route]
    rules: list[Rule]
    position: dict[int, int]  # id(rule) -> index in routes


def _build_table(app: object) -> _Table:
    url_map: Map = app.url_map  # type: ignore[attr-defined]
    view_for = _view_lookup(app)
    knows_views = isinstance(getattr(app, "view_functions", None), Mapping)
    blueprints = getattr(app, "blueprints", None)
    blueprint_names = set(blueprints) if isinstance(blueprints, Mapping) else set()
    describer = ViewDescriber()
    routes = []
    rules = dispatch_order(url_map)
    for order, rule in enumerate(rules):
        view = view_for(rule.endpoint)
        static = _static_view(app, rule.endpoint, view)
        info = static or (describer.describe(view) if view is not None else None)
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
                unbound=knows_views and view is None,
                # Flask names endpoints; werkzeug apps derive them from the view.
                view_id=id(view) if knows_views and view is not None and not static else None,
            )
        )
    return _Table(routes, rules, {id(rule): i for i, rule in enumerate(rules)})


def _bind(app: object, request: MatchRequest) -> MapAdapter:
    """A ``MapAdapter`` for the request's host, as the app itself would create it."""
    url_map: Map = app.url_map  # type: ignore[attr-defined]
    config = getattr(app, "config", None)
    server_name = config.get("SERVER_NAME") if isinstance(config, Mapping) else None
    host = request.host or server_name or "localhost"
    hostname, _, port = host.partition(":")
    environ = {
        "REQUEST_METHOD": request.method,
        "SCRIPT_NAME": "",
        "PATH_INFO": request.path.encode("utf-8").decode("latin-1"),
        "QUERY_STRING": "",
        "SERVER_NAME": hostname,
        "SERVER_PORT": port or ("443" if request.scheme == "https" else "80"),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": host,
        "wsgi.url_scheme": request.scheme,
    }
    create_url_adapter = getattr(app, "create_url_adapter", None)
    request_class = getattr(app, "request_class", None)
    if callable(create_url_adapter) and callable(request_class):
        adapter = create_url_adapter(request_class(environ))
        if adapter is not None:
            return adapter  # type: ignore[no-any-return]
    return url_map.bind_to_environ(environ)


def _placeholders(rule: str) -> list[tuple[str, str | None]]:
    """``rule`` split into literal text and ``<converter(args):name>`` placeholders."""
    parts: list[tuple[str, str | None]] = []
    position = 0
    for found in _PLACEHOLDER.finditer(rule):
        if found.start() > position:
            parts.append((rule[position : found.start()], None))
        parts.append((found.group(0), found.group(1).rpartition(":")[2].strip()))
        position = found.end()
    if position < len(rule):
        parts.append((rule[position:], None))
    return parts


_PLACEHOLDER = re.compile(r"<([^>]+)>")


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
