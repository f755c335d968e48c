"""What a route adapter is: the protocols, the optional capabilities, and the
helper that recognises a framework's objects without importing it.

Adapter modules import this one, never the registry in ``__init__``, so the
family has no import cycle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, TypeGuard

if TYPE_CHECKING:
    from flaskit.routes.model import Match, MatchRequest, Miss, Route


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


def can_match(adapter: RouteAdapter) -> TypeGuard[MatchingAdapter]:
    """Whether ``adapter`` implements the optional ``match`` capability."""
    return callable(getattr(adapter, "match", None))


def can_sample(adapter: RouteAdapter) -> TypeGuard[SamplingAdapter]:
    """Whether ``adapter`` can both match requests and make up example paths."""
    return can_match(adapter) and callable(getattr(adapter, "example_paths", None))


def type_modules(obj: object) -> set[str]:
    """The top-level package of every class in ``obj``'s type hierarchy.

    Lets an adapter recognise its framework's objects without importing the
    framework (``{"django", "builtins"}`` for a Django ``WSGIHandler``).
    """
    return {(getattr(cls, "__module__", "") or "").split(".")[0] for cls in type(obj).__mro__}
