"""Helpers for the route adapter tests: load a sample app once per module, undo the
imports afterwards, and compare flaskit's answer for a URL with the framework's."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flaskit.discovery import load, parse_spec
from flaskit.routes.adapters import MatchingAdapter, find_adapter
from flaskit.routes.model import Match, MatchRequest, Miss


@contextmanager
def imports_undone() -> Iterator[None]:
    """What the ``isolated_imports`` fixture does, usable from a module-scoped fixture."""
    saved_path = list(sys.path)
    saved_modules = set(sys.modules)
    try:
        yield
    finally:
        sys.path[:] = saved_path
        for name in set(sys.modules) - saved_modules:
            del sys.modules[name]


@dataclass
class Loaded:
    """A sample app, the adapter flaskit picked for it and the object it reads."""

    app: Any
    adapter: MatchingAdapter
    table_app: Any
    base: Path

    def match(self, method: str, path: str) -> Match | Miss:
        return self.adapter.match(self.table_app, MatchRequest(path, method))


def load_sample(spec: str, base: Path) -> Loaded:
    app = load(parse_spec(spec, base)).app
    found = find_adapter(app)
    assert found is not None, f"no adapter for {spec}"
    adapter, table_app = found
    return Loaded(app, adapter, table_app, base)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Outcome:
    """What a request came to, in terms both sides can state: the rule and view that
    handle it with their arguments, or the status of a miss (404 or 405)."""

    rule: str | None
    view: str | None
    args: dict[str, Any] | None
    status: int

    @classmethod
    def from_flaskit(cls, outcome: Match | Miss) -> Outcome:
        if isinstance(outcome, Match):
            route = outcome.route
            return cls(route.rule, route.view, outcome.args, 200)
        status = {"not-found": 404, "method-not-allowed": 405, "no-view": 404}.get(
            outcome.reason, 400
        )
        return cls(None, None, None, status)


def status_of(app: Any, method: str, path: str) -> int:
    """The status code the app itself answers with, through a plain WSGI call."""
    environ = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "localhost",
        "wsgi.url_scheme": "http",
        "wsgi.input": __import__("io").BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    statuses: list[str] = []

    def start_response(status: str, headers: list[Any], exc_info: Any = None) -> Any:
        statuses.append(status)
        return lambda data: None

    body = app(environ, start_response)
    try:
        for _ in body:
            pass
    finally:
        close = getattr(body, "close", None)
        if close is not None:
            close()
    return int(statuses[-1].split()[0])
