"""Route adapters: one per framework, picked by what the app object is.

An adapter answers two questions: does it understand this app object, and
what are the app's routes. Middleware that wraps an app (``ProxyFix(app)``,
``app.wsgi_app = ...``) is looked through to find an object an adapter knows.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol

from flaskit.routes.model import Route

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


def builtin_adapters() -> list[RouteAdapter]:
    """The adapters shipped with flaskit, most specific first."""
    from flaskit.routes.werkzeug_map import WerkzeugMapAdapter

    return [WerkzeugMapAdapter()]


def find_adapter(
    app: object, adapters: Sequence[RouteAdapter] | None = None
) -> tuple[RouteAdapter, object] | None:
    """The first adapter that accepts ``app`` or an app it wraps, with that object."""
    adapters = builtin_adapters() if adapters is None else adapters
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
