"""Routes of Django projects: the URLconf the project's settings select.

The WSGI module (``mysite/wsgi.py``) sets ``DJANGO_SETTINGS_MODULE`` and
calls ``get_wsgi_application()``, which sets Django up; so by the time the
app is loaded, ``settings.ROOT_URLCONF`` names the URLconf. Patterns are
joined through ``include()`` the way Django joins them
(``ResolverMatch.route``), with a leading ``/``; names carry their
namespaces (``blog:detail``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from flaskit.errors import FlaskitError
from flaskit.routes.adapters.base import type_modules
from flaskit.routes.model import Match, MatchRequest, Miss, Route
from flaskit.routes.samples import Piece, build_samples, values_matching
from flaskit.routes.views import ViewDescriber

_ROUTE_PLACEHOLDER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>\w+)>")
_REGEX_SPECIALS = re.compile(r"[\\.^$*+?{}\[\]|()]")


class DjangoConfigError(FlaskitError):
    """Django could not be set up or its URLconf could not be imported."""


class DjangoAdapter:
    """Django's ``WSGIHandler`` (``get_wsgi_application()``)."""

    name = "django"

    def __init__(self) -> None:
        self._cached: tuple[object, _Table] | None = None

    def accepts(self, app: object) -> bool:
        """True for Django's request handlers."""
        if "django" not in type_modules(app):
            return False
        from django.core.handlers.base import BaseHandler  # type: ignore[import-untyped]

        return isinstance(app, BaseHandler)

    def routes(self, app: object) -> list[Route]:
        """Every URL pattern, in the order Django's resolver tries them."""
        return list(self._table(app).routes)

    def match(self, app: object, request: MatchRequest) -> Match | Miss:
        """Resolve the path with ``django.urls.resolve``; the method is checked
        against what the view accepts (class-based views, ``require_http_methods``)."""
        from django.urls import Resolver404, resolve  # type: ignore[import-untyped]

        table = self._table(app)
        try:
            found = resolve(request.path, table.urlconf)
        except Resolver404:
            return Miss("not-found", detail=_append_slash_note(request.path, table.urlconf))
        route = table.routes[table.position[(found.route, id(found.func))]]
        if not route.accepts(request.method):
            return Miss("method-not-allowed", allowed=route.methods or (), routes=(route,))
        args: dict[str, Any] = {str(i): value for i, value in enumerate(found.args)}
        args.update(found.kwargs)
        return Match(route, args)

    def example_paths(self, app: object, route: Route) -> list[str]:
        """Paths built from ``path()`` converters and literal ``re_path()`` parts,
        confirmed by each pattern on the way down."""
        chain = self._table(app).chains[route.order]
        pieces: list[Piece] = ["/"]
        for pattern in chain:
            piece = _pattern_pieces(pattern)
            if piece is None:
                return []
            pieces.extend(piece)

        def accepts(path: str) -> bool:
            remaining = path[1:]
            for pattern in chain:
                found = pattern.match(remaining)
                if found is None:
                    return False
                remaining = found[0]
            return True

        return build_samples(pieces, accepts)

    def _table(self, app: object) -> _Table:
        if self._cached is None or self._cached[0] is not app:
            self._cached = (app, _build_table())
        return self._cached[1]


@dataclass(frozen=True)
class _Table:
    urlconf: str
    routes: list[Route]
    chains: list[list[Any]]  # the pattern objects from the root to each route
    position: dict[tuple[str, int], int]  # (Django's route text, id(view)) -> first index


@dataclass(frozen=True)
class _Entry:
    route_text: str
    pattern: Any
    namespaces: tuple[str, ...]
    chain: list[Any]


def _build_table() -> _Table:
    urlconf, resolver = _root_resolver()
    describer = ViewDescriber()
    routes: list[Route] = []
    chains: list[list[Any]] = []
    position: dict[tuple[str, int], int] = {}
    try:
        entries = list(_walk(resolver.url_patterns, "", (), []))
    except Exception as exc:
        raise DjangoConfigError(
            f"Django could not load the URLconf '{urlconf}': {type(exc).__name__}: {exc}. "
            "Fix the error in your urls.py and try again (--verbose shows the traceback)."
        ) from exc
    for order, entry in enumerate(entries):
        pattern = entry.pattern
        callback = pattern.callback
        info = describer.describe(callback)
        name = pattern.name
        endpoint = ":".join([*entry.namespaces, name]) if name else info.name.rpartition(".")[2]
        routes.append(
            Route(
                rule="/" + entry.route_text.removeprefix("^"),
                methods=_methods(callback),
                endpoint=endpoint,
                view=info.name,
                file=info.file,
                line=info.line,
                order=order,
                view_id=id(callback) if name else None,
            )
        )
        chains.append(entry.chain)
        position.setdefault((entry.route_text, id(callback)), order)
    return _Table(urlconf, routes, chains, position)


def _root_resolver() -> tuple[str, Any]:
    try:
        from django.apps import apps  # type: ignore[import-untyped]
        from django.conf import settings  # type: ignore[import-untyped]

        if not apps.ready:
            import django  # type: ignore[import-untyped]

            django.setup(set_prefix=False)
        urlconf = str(settings.ROOT_URLCONF)
    except Exception as exc:
        raise DjangoConfigError(
            f"Django is not set up ({type(exc).__name__}: {exc}). The WSGI module should "
            "set DJANGO_SETTINGS_MODULE, e.g. os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
            "'mysite.settings'), before calling get_wsgi_application()."
        ) from exc
    from django.urls import get_resolver

    return urlconf, get_resolver(urlconf)


def _walk(
    patterns: Sequence[Any], prefix: str, namespaces: tuple[str, ...], chain: list[Any]
) -> Iterator[_Entry]:
    """Depth first, in order: the order ``URLResolver.resolve`` tries patterns in."""
    from django.urls import URLResolver

    for pattern in patterns:
        text = _join(prefix, str(pattern.pattern))
        if isinstance(pattern, URLResolver):
            inner = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
            yield from _walk(pattern.url_patterns, text, inner, [*chain, pattern.pattern])
        else:
            yield _Entry(text, pattern, namespaces, [*chain, pattern.pattern])


def _join(first: str, second: str) -> str:
    """Django's ``URLResolver._join_route``: drop the ``^`` of the second part."""
    return second if not first else first + second.removeprefix("^")


def _methods(callback: Any) -> tuple[str, ...] | None:
    """The methods the view answers, or ``None`` for a view that takes any."""
    view_class = getattr(callback, "view_class", None)
    if isinstance(view_class, type):
        return _class_view_methods(view_class, getattr(callback, "view_initkwargs", {}) or {})
    allowed: set[str] | None = None
    view = callback
    for _ in range(20):  # bounded: decorators can form cycles
        listed = _required_methods(view)
        if listed is not None:
            allowed = listed if allowed is None else allowed & listed
        inner = getattr(view, "__wrapped__", None)
        if inner is None or inner is view:
            break
        view = inner
    return tuple(sorted(allowed)) if allowed is not None else None


def _class_view_methods(view_class: type, initkwargs: dict[str, Any]) -> tuple[str, ...]:
    """What ``View.dispatch`` serves: handlers in ``http_method_names``, with
    ``head`` falling back to ``get`` (``View.setup``)."""
    given: Any = initkwargs.get("http_method_names")
    names = [str(name) for name in (given or getattr(view_class, "http_method_names", ()))]
    served = {name for name in names if hasattr(view_class, name)}
    if "head" in names and "get" in served:
        served.add("head")
    return tuple(sorted(name.upper() for name in served))


def _required_methods(view: Any) -> set[str] | None:
    """The list given to ``require_http_methods`` (and ``require_GET`` ...), read
    from the closure of the function it returns."""
    code = getattr(view, "__code__", None)
    closure = getattr(view, "__closure__", None)
    if code is None or not closure or "request_method_list" not in code.co_freevars:
        return None
    value = closure[code.co_freevars.index("request_method_list")].cell_contents
    return {str(method).upper() for method in value}


def _pattern_pieces(pattern: Any) -> list[Piece] | None:
    """Literal text and placeholder values for one level of a URL pattern."""
    from django.urls.resolvers import RoutePattern  # type: ignore[import-untyped]

    text = str(pattern)
    if isinstance(pattern, RoutePattern):
        converters = getattr(pattern, "converters", {})
        pieces: list[Piece] = []
        position = 0
        for found in _ROUTE_PLACEHOLDER.finditer(text):
            pieces.append(text[position : found.start()])
            converter = converters.get(found.group("name"))
            pieces.append(values_matching(getattr(converter, "regex", None)))
            position = found.end()
        pieces.append(text[position:])
        return pieces
    literal = text.removeprefix("^").removesuffix("$").removesuffix(r"\Z")
    if _REGEX_SPECIALS.search(literal):
        return None  # a regular expression flaskit does not try to fill in
    return [literal]


def _append_slash_note(path: str, urlconf: str) -> str | None:
    """Django's CommonMiddleware redirects ``/x`` to ``/x/`` when only that resolves."""
    if path.endswith("/"):
        return None
    from django.conf import settings
    from django.urls import Resolver404, resolve

    middleware = getattr(settings, "MIDDLEWARE", None) or ()
    if not settings.APPEND_SLASH or "django.middleware.common.CommonMiddleware" not in middleware:
        return None
    try:
        resolve(path + "/", urlconf)
    except Resolver404:
        return None
    return f"with APPEND_SLASH, Django's CommonMiddleware redirects it to {path}/"
