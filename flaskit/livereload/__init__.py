"""Live reload: the browser follows every save (``flaskit run --debug``).

The worker wraps its app with :func:`wrap`. The middleware adds one
``<script>`` to every complete HTML page and serves, under ``/__flaskit/``,
the browser client (``livereload.js``, shipped as package data) and a
server-sent-events stream (``events``). The supervisor's watcher tells the
worker about template and static changes (no second watcher here); the
worker's :class:`~flaskit.livereload.hub.Hub` passes them to the streams.
A Python change starts a new worker generation instead: its streams close
when it drains, the browser reconnects, meets a new generation id and reloads.

Only the standard library is imported here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Protocol

from flaskit.wsgi import WSGIApp as WSGIApp  # re-exported: the submodules import it here


class WorkerHooks(Protocol):
    """What live reload needs from the worker (:class:`flaskit.serve.worker.WorkerContext`)."""

    @property
    def generation(self) -> int:
        """This worker's generation number."""

    def on_message(self, listener: Callable[[dict[str, Any]], None]) -> None:
        """Call ``listener`` with each ``change`` message from the supervisor."""

    def on_drain(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` once when the worker stops accepting requests."""


def wrap(
    app: WSGIApp,
    worker: WorkerHooks,
    roots: Iterable[Path] = (),
    access: Callable[[dict[str, Any]], bool] | None = None,
) -> WSGIApp:
    """Return ``app`` with live reload, fed by ``worker``'s messages.

    ``roots`` are the project's folders: the browser is told changed paths
    relative to them. ``access`` says which requests live reload answers: the
    debug page's check (:func:`flaskit.debugpage.access_check`), the worker
    passes the one its debug page uses; by default, this machine's own clients
    and names only.
    """
    from flaskit.livereload.hub import Hub
    from flaskit.livereload.middleware import LiveReloadMiddleware

    if access is None:
        from flaskit.debugpage import DebugPageConfig, access_check

        access = access_check(DebugPageConfig())
    hub = Hub(worker.generation, roots)
    worker.on_message(hub.on_message)
    worker.on_drain(hub.close)
    return LiveReloadMiddleware(app, hub, access)


def active(debug: bool, live_reload: bool) -> bool:
    """Whether live reload runs: asked for (the default with ``--debug``), in debug mode only."""
    return debug and live_reload


__all__ = ["WorkerHooks", "active", "wrap"]
