"""Routes of Bottle apps: one row per rule and callback, its methods merged.

Bottle keeps one ``Route`` object per rule and method (``@route('/x',
method=['GET', 'POST'])`` makes two); they are listed as one row. Bottle
answers HEAD with the GET route, so HEAD is added (hidden unless
``--all-methods``). Routes of a Bottle app mounted with ``mount()`` are
already the parent's routes, under the mount prefix.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flaskit.routes.adapters.base import type_modules
from flaskit.routes.model import Match, MatchRequest, Miss, Route
from flaskit.routes.samples import Piece, build_samples, values_matching
from flaskit.routes.views import ViewDescriber

# Bottle's pseudo-methods: ANY accepts every method, PROXY is a mounted WSGI app.
_ANY_METHOD = frozenset({"ANY", "PROXY"})

_Key = tuple[str, int, str | None]  # rule, id(callback), name


class BottleAdapter:
    """``bottle.Bottle`` apps."""

    name = "bottle"

    def __init__(self) -> None:
        self._cached: tuple[object, _Table] | None = None

    def accepts(self, app: object) -> bool:
        """True for ``bottle.Bottle`` instances."""
        if "bottle" not in type_modules(app):
            return False
        import bottle  # type: ignore[import-untyped]

        return isinstance(app, bottle.Bottle)

    def routes(self, app: object) -> list[Route]:
        """Static rules first, then dynamic ones in the order they were added:
        the order Bottle's router tries them for each method."""
        return list(self._table(app).routes)

    def match(self, app: object, request: MatchRequest) -> Match | Miss:
        """Resolve the request with Bottle's own ``router.match``."""
        import bottle

        table = self._table(app)
        environ = {"REQUEST_METHOD": request.method, "PATH_INFO": request.path}
        try:
            target, args = app.router.match(environ)  # type: ignore[attr-defined]
        except bottle.HTTPError as exc:
            if exc.status_code == 405:
                allowed = str(exc.get_header("Allow") or "")
                methods = tuple(sorted(m for m in allowed.split(",") if m))
                return Miss("method-not-allowed", allowed=methods)
            if exc.status_code == 400:
                return Miss("bad-argument", detail=str(exc.body))
            return Miss("not-found")
        return Match(table.routes[table.position[_key(target)]], dict(args))

    def example_paths(self, app: object, route: Route) -> list[str]:
        """Paths the rule matches, confirmed by a router holding only that rule."""
        import bottle

        router = app.router  # type: ignore[attr-defined]
        pieces: list[Piece] = []
        for text, mode, conf in router._itertokens(route.rule):
            if not mode:
                pieces.append(text)
                continue
            make = router.filters.get(router.default_filter if mode == "default" else mode)
            pieces.append(values_matching(make(conf)[0]) if make else [])
        alone = bottle.Router()
        alone.filters = dict(router.filters)
        alone.add(route.rule, "GET", route.rule)

        def accepts(path: str) -> bool:
            try:
                alone.match({"REQUEST_METHOD": "GET", "PATH_INFO": path})
            except bottle.HTTPError:
                return False
            return True

        return build_samples(pieces, accepts)

    def _table(self, app: object) -> _Table:
        if self._cached is None or self._cached[0] is not app:
            self._cached = (app, _build_table(app))
        return self._cached[1]


@dataclass(frozen=True)
class _Table:
    routes: list[Route]
    position: dict[_Key, int]


def _key(route: Any) -> _Key:
    return (route.rule, id(route.callback), route.name)


def _build_table(app: Any) -> _Table:
    groups: dict[_Key, list[Any]] = {}
    for route in app.routes:
        groups.setdefault(_key(route), []).append(route)
    router = app.router
    keys = list(groups)
    if not router.strict_order:
        keys.sort(key=lambda key: not _is_static(router, key[0]))  # stable: keeps added order
    describer = ViewDescriber()
    routes: list[Route] = []
    for order, key in enumerate(keys):
        group = groups[key]
        first = group[0]
        view = _mounted_app(first) or first.callback
        info = describer.describe(view)
        routes.append(
            Route(
                rule=first.rule,
                methods=_methods(route.method for route in group),
                endpoint=first.name or info.name.rpartition(".")[2],
                view=info.name,
                file=info.file,
                line=info.line,
                order=order,
                view_id=id(first.callback) if first.name else None,
            )
        )
    return _Table(routes, {key: i for i, key in enumerate(keys)})


def _methods(methods: Any) -> tuple[str, ...] | None:
    merged = {str(method).upper() for method in methods}
    if merged & _ANY_METHOD:
        return None
    if "GET" in merged:
        merged.add("HEAD")  # Router.match answers HEAD with the GET route
    return tuple(sorted(merged))


def _is_static(router: Any, rule: str) -> bool:
    tokens: Sequence[tuple[str, str | None, str | None]] = list(router._itertokens(rule))
    return not any(mode for _, mode, _ in tokens)


def _mounted_app(route: Any) -> object | None:
    """The WSGI app ``mount()`` put behind this route (Bottle's ConfigDict flattens
    the ``mountpoint`` option into ``mountpoint.target``)."""
    target = route.config.get("mountpoint.target")
    if target is None:
        mount = route.config.get("mountpoint")
        target = mount.get("target") if isinstance(mount, dict) else None
    return target  # type: ignore[no-any-return]
