"""The route record every adapter produces and every renderer consumes."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

# Methods every werkzeug-based framework adds on its own; hidden unless asked for.
IMPLICIT_METHODS = frozenset({"HEAD", "OPTIONS"})
# Fields for dispatch order and --check only, not part of the JSON output.
_NOT_IN_JSON = ("order", "unbound", "view_id")


@dataclass(frozen=True)
class Route:
    """One URL rule of an app.

    ``methods`` is ``None`` when the rule accepts any method. ``file`` is an
    absolute path; renderers shorten it. ``order`` is the position in which
    the framework tries the rule when it dispatches a request.

    Two fields feed ``flaskit routes --check`` and stay out of the JSON:
    ``unbound`` is true when the framework has no view for the endpoint, so
    every request the rule matches fails; ``view_id`` is the identity
    (``id()``) of the view object while the app is loaded, set only where a
    developer names endpoints (Flask endpoints, Django URL names, Bottle route
    names, Pyramid route names), so the same view under two names can be found.
    """

    rule: str
    methods: tuple[str, ...] | None
    endpoint: str
    view: str | None
    file: str | None
    line: int | None
    host: str | None = None
    subdomain: str | None = None
    blueprint: str | None = None
    order: int = 0
    unbound: bool = False
    view_id: int | None = None

    def shown_methods(self, all_methods: bool) -> tuple[str, ...] | None:
        """The methods to display: without HEAD and OPTIONS unless ``all_methods``."""
        if self.methods is None or all_methods:
            return self.methods
        kept = tuple(m for m in self.methods if m not in IMPLICIT_METHODS)
        return kept or self.methods

    def accepts(self, method: str) -> bool:
        """Whether a request with ``method`` can reach this rule."""
        return self.methods is None or method.upper() in self.methods

    def location(self, cwd: Path) -> str | None:
        """``file:line``, with the file relative to ``cwd`` when it is inside it."""
        if self.file is None:
            return None
        text = display_path(self.file, cwd)
        return f"{text}:{self.line}" if self.line else text

    def to_json(self, cwd: Path, all_methods: bool) -> dict[str, Any]:
        """The JSON object for ``--json``."""
        data = asdict(self)
        for internal in _NOT_IN_JSON:
            del data[internal]
        methods = self.shown_methods(all_methods)
        data["methods"] = list(methods) if methods is not None else None
        data["file"] = display_path(self.file, cwd) if self.file else None
        return data


def display_path(file: str, cwd: Path) -> str:
    """``file`` relative to ``cwd`` when it is inside it, else unchanged."""
    prefix = str(cwd).rstrip(os.sep) + os.sep
    return file[len(prefix) :] if file.startswith(prefix) else file


@dataclass(frozen=True)
class MatchRequest:
    """A request to resolve: the path (as a server decodes it), method and host.

    ``host`` is ``None`` when only a path was given; adapters then use the
    app's configured server name or ``localhost``.
    """

    path: str
    method: str = "GET"
    host: str | None = None
    scheme: str = "http"


@dataclass(frozen=True)
class Match:
    """The route that handles a request, and the arguments it is called with.

    ``args`` are the converted values (``{"item_id": 5}``). ``redirect`` is the
    URL the framework first redirects to (werkzeug's trailing-slash and
    ``defaults=`` redirects); ``route`` then is the route at that URL.
    """

    route: Route
    args: dict[str, Any]
    redirect: str | None = None


MissReason = Literal["not-found", "method-not-allowed", "no-view", "bad-argument"]


@dataclass(frozen=True)
class Miss:
    """Why no route handles a request.

    ``allowed`` are the methods the path does accept (``method-not-allowed``);
    ``routes`` are the routes whose rule matched the path, when the framework
    says which (``method-not-allowed``, ``no-view``, ``bad-argument``).
    """

    reason: MissReason
    allowed: tuple[str, ...] = ()
    routes: tuple[Route, ...] = ()
    detail: str | None = None
