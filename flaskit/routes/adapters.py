"""Route adapters: one per framework, picked by what the app object is.

An adapter answers two questions: does it understand this app object, and
what are the app's routes. Two optional capabilities serve ``--match`` and
``--check``: ``match(app, request)`` resolves one request with the
framework's own dispatch, and ``example_paths(app, route)`` gives URL paths
the route's rule matches. Middleware that wraps an app (``ProxyFix(app)``,
``app.wsgi_app = ...``) is looked through to find an object an adapter knows.

Third-party adapters are found through the entry-point group
``flaskit.route_adapters``; each entry point names an adapter class (built
without arguments) or an adapter object. They are asked only about apps no
built-in adapter accepts, so the common case never pays for scanning the
installed packages' metadata.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Protocol, TypeGuard

from flaskit.errors import FlaskitError

if TYPE_CHECKING:
    from flaskit.routes.model import Match, MatchRequest, Miss, Route

ENTRY_POINT_GROUP = "flaskit.route_adapters"

# Attributes WSGI middleware commonly keeps the wrapped app in.
_WRAPPED_ATTRIBUTES = ("app", "application", "wsgi_app", "_app", "wrapped")
_MAX_UNWRAP_DEPTH = 8


class RouteAdapter(Protocol):
    """Reads the route table of one kind of app."""

    name: str

    def accepts(self, app: object) -> bool:
        """Whether this adapter can read ``app``'s routes."""

    def routes(self, app: object) -> list[Route]:
        """Every route of ``app``, in the order the framework dispatches them."""


class MatchingAdapter(RouteAdapter, Protocol):
    """An adapter that can also say which route handles a request."""

    def match(self, app: object, request: MatchRequest) -> Match | Miss:
        """Resolve ``request`` as the framework would; the route is one of :meth:`routes`."""


class SamplingAdapter(MatchingAdapter, Protocol):
    """A matching adapter that can also make up URLs a route's rule matches."""

    def example_paths(self, app: object, route: Route) -> list[str]:
        """Paths ``route``'s rule matches, or ``[]`` when its parts cannot be filled in."""


class AdapterLoadError(FlaskitError):
    """A third-party route adapter could not be loaded."""


def can_match(adapter: RouteAdapter) -> TypeGuard[MatchingAdapter]:
    """Whether ``adapter`` implements the optional ``match`` capability."""
    return callable(getattr(adapter, "match", None))


def can_sample(adapter: RouteAdapter) -> TypeGuard[SamplingAdapter]:
    """Whether ``adapter`` can both match requests and make up example paths."""
    return can_match(adapter) and callable(getattr(adapter, "example_paths", None))


def builtin_adapters() -> list[RouteAdapter]:
    """The adapters shipped with flaskit, most specific first.

    Each one checks the app's type by module name before importing its
    framework, so listing a Flask app never imports Django.
    """
    from flaskit.routes.bottle_routes import BottleAdapter
    from flaskit.routes.django_routes import DjangoAdapter
    from flaskit.routes.falcon_routes import FalconAdapter
    from flaskit.routes.pyramid_routes import PyramidAdapter
    from flaskit.routes.werkzeug_map import WerkzeugMapAdapter

    return [
        WerkzeugMapAdapter(),
        DjangoAdapter(),
        BottleAdapter(),
        FalconAdapter(),
        PyramidAdapter(),
    ]


def installed_adapters() -> list[RouteAdapter]:
    """Adapters registered by installed packages under ``flaskit.route_adapters``."""
    from importlib.metadata import entry_points

    adapters = []
    for entry_point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        where = f"'{entry_point.name} = {entry_point.value}'"
        dist = getattr(entry_point, "dist", None)
        package = f" of the package {dist.name}" if dist is not None else ""
        try:
            loaded = entry_point.load()
            adapter = loaded() if isinstance(loaded, type) else loaded
        except Exception as exc:
            raise AdapterLoadError(
                f"The route adapter {where}{package} (entry point group {ENTRY_POINT_GROUP}) "
                f"failed to load: {type(exc).__name__}: {exc}. Upgrade or uninstall that "
                "package."
            ) from exc
        missing = [name for name in ("name", "accepts", "routes") if not hasattr(adapter, name)]
        if missing:
            raise AdapterLoadError(
                f"The route adapter {where}{package} is not a route adapter: it has no "
                f"{', '.join(missing)}. An adapter needs a name, accepts(app) and routes(app); "
                "upgrade or uninstall that package."
            )
        adapters.append(adapter)
    return adapters


def find_adapter(
    app: object, adapters: Sequence[RouteAdapter] | None = None
) -> tuple[RouteAdapter, object] | None:
    """The first adapter that accepts ``app`` or an app it wraps, with that object.

    Without ``adapters``: the built-in adapters, then installed third-party ones.
    """
    if adapters is not None:
        return _first_accepting(app, adapters)
    return _first_accepting(app, builtin_adapters()) or _first_accepting(app, installed_adapters())


def _first_accepting(
    app: object, adapters: Sequence[RouteAdapter]
) -> tuple[RouteAdapter, object] | None:
    for candidate in _unwrap(app):
        for adapter in adapters:
            if adapter.accepts(candidate):
                return adapter, candidate
    return None


def type_modules(obj: object) -> set[str]:
    """The top-level package of every class in ``obj``'s type hierarchy.

    Lets an adapter recognise its framework's objects without importing the
    framework (``{"django", "builtins"}`` for a Django ``WSGIHandler``).
    """
    return {(getattr(cls, "__module__", "") or "").split(".")[0] for cls in type(obj).__mro__}


def _unwrap(app: object) -> Iterator[object]:
    seen: set[int] = set()
    queue = [(app, 0)]
    while queue:
        obj, depth = queue.pop(0)
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        yield obj
        if depth >= _MAX_UNWRAP_DEPTH:
            continue
        for name in _WRAPPED_ATTRIBUTES:
            inner = getattr(type(obj), name, None)
            # Only instance data, never properties or methods of the class.
            if inner is not None:
                continue
            value = getattr(obj, "__dict__", {}).get(name)
            if value is not None and callable(value):
                queue.append((value, depth + 1))
