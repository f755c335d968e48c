"""A stand-in for the worker's context, and small WSGI apps, for in-process tests."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from flaskit.livereload import wrap


class FakeWorker:
    """What :class:`flaskit.serve.worker.WorkerContext` offers live reload."""

    def __init__(self, generation: int = 1) -> None:
        self.generation = generation
        self.listeners: list[Callable[[dict[str, Any]], None]] = []
        self.drains: list[Callable[[], None]] = []

    def on_message(self, listener: Callable[[dict[str, Any]], None]) -> None:
        self.listeners.append(listener)

    def on_drain(self, callback: Callable[[], None]) -> None:
        self.drains.append(callback)

    def send(self, kind: str, *paths: str) -> None:
        """What the supervisor sends for a change that needs no restart."""
        for listener in self.listeners:
            listener({"op": "change", "kind": kind, "paths": list(paths)})

    def drain(self) -> None:
        for callback in self.drains:
            callback()


def static_app(
    body: bytes | Iterable[bytes],
    headers: list[tuple[str, str]],
    status: str = "200 OK",
) -> Callable[..., Iterable[bytes]]:
    """A WSGI app answering every request with this response."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        start_response(status, list(headers))
        if isinstance(body, bytes):
            return [body]
        return body

    return app


def html(body: bytes, *extra: tuple[str, str]) -> Callable[..., Iterable[bytes]]:
    """A complete HTML response with Content-Length."""
    return static_app(
        body,
        [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body))), *extra],
    )


def wrapped(app: Callable[..., Any], worker: FakeWorker | None = None) -> Any:
    """``app`` with live reload (this machine's own requests only, as in the worker)."""
    return wrap(app, worker or FakeWorker())


def call(
    app: Callable[..., Any], path: str = "/", method: str = "GET", **environ: Any
) -> tuple[str, list[tuple[str, str]], list[bytes]]:
    """Call a WSGI app like a server: (status, headers, the chunks as iterated).

    The request comes from 127.0.0.1 as ``localhost`` unless ``environ`` says otherwise.
    """
    from werkzeug.test import EnvironBuilder

    env = EnvironBuilder(path=path, method=method).get_environ()
    env["REMOTE_ADDR"] = "127.0.0.1"
    env.update(environ)
    started: list[tuple[str, list[tuple[str, str]]]] = []

    def start_response(
        status: str, headers: list[tuple[str, str]], exc_info: Any = None
    ) -> Callable[[bytes], None]:
        started.append((status, headers))
        return lambda data: None

    body = app(env, start_response)
    try:
        chunks = list(body)
    finally:
        close = getattr(body, "close", None)
        if close is not None:
            close()
    status, headers = started[-1]
    return status, headers, chunks


def header(headers: list[tuple[str, str]], name: str) -> str | None:
    for key, value in headers:
        if key.lower() == name.lower():
            return value
    return None


def generator(*chunks: bytes) -> Iterator[bytes]:
    yield from chunks
