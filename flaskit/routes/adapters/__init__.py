"""Route adapters: one module per framework, picked by what the app object is.

The family: ``werkzeug`` (Flask and any werkzeug ``Map``), ``django``,
``bottle``, ``falcon`` and ``pyramid``; ``base`` says what an adapter is. This
module is the registry that finds the adapter for an app.

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

from flaskit.errors import FlaskitError
from flaskit.routes.adapters.base import (
    MatchingAdapter,
    RouteAdapter,
    SamplingAdapter,
    can_match,
    can_sample,
    type_modules,
)
from flaskit.routes.adapters.bottle import BottleAdapter
from flaskit.routes.adapters.django import DjangoAdapter
from flaskit.routes.adapters.falcon import FalconAdapter
from flaskit.routes.adapters.pyramid import PyramidAdapter
from flaskit.routes.adapters.werkzeug import WerkzeugMapAdapter

__all__ = [
    "ENTRY_POINT_GROUP",
    "AdapterLoadError",
    "MatchingAdapter",
    "RouteAdapter",
    "SamplingAdapter",
    "builtin_adapters",
    "can_match",
    "can_sample",
    "find_adapter",
    "installed_adapters",
    "type_modules",
]

ENTRY_POINT_GROUP = "flaskit.route_adapters"

# Attributes WSGI middleware commonly keeps the wrapped app in.
_WRAPPED_ATTRIBUTES = ("app", "application", "wsgi_app", "_app", "wrapped")
_MAX_UNWRAP_DEPTH = 8


class AdapterLoadError(FlaskitError):
    """A third-party route adapter could not be loaded."""


def builtin_adapters() -> list[RouteAdapter]:
    """The adapters shipped with flaskit, most specific first.

    Each one checks the app's type by module name before importing its
    framework, so listing a Flask app never imports Django.
    """
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
