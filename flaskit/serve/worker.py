"""A worker: one generation of the app, served on the supervisor's socket.

A worker imports the app exactly once, tells the supervisor it is ready, and
serves with werkzeug's server on the inherited listening socket until the
supervisor says ``stop``: then it stops accepting at once (the next
generation is already accepting on the same socket), lets the requests in
flight finish (capped), runs the drain callbacks (long-lived streams close
there) and exits. If the supervisor disappears, the worker exits within a
second.

Inside a worker, ``FLASKIT_WORKER`` holds the generation number (1, 2, ...);
``WERKZEUG_RUN_MAIN`` is ``true`` and ``FLASK_RUN_FROM_CLI`` is ``true``, as
in the child process of ``flask run``'s reloader, so code guarded by
``werkzeug.serving.is_running_from_reloader()`` runs and a stray ``app.run()``
does not start a second server.

A worker runs either forked from the zygote or spawned as
``python -m flaskit.serve.worker CHANNEL_FD LISTEN_FD GENERATION``; in both
cases it enters :func:`serve_generation`.
"""

from __future__ import annotations

import _thread
import contextlib
import os
import selectors
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any, NoReturn

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler

from flaskit.discovery import load
from flaskit.serve.body import DrainedInput, Framing, Refusal, body_stream, framing
from flaskit.serve.connections import FRESH, Connections, wait_for_bytes
from flaskit.serve.modules import split_modules, stamp_libraries
from flaskit.serve.protocol import Change, Channel, Closed, Ready, Served, Setup, Stop, unpack
from flaskit.serve.requestlog import RequestLog, RequestRecord, render_plain
from flaskit.serve.settings import WorkerConfig
from flaskit.wsgi import WSGIApp

WORKER_ENV = "FLASKIT_WORKER"
ORPHAN_GRACE = 0.5  # seconds for requests in flight when the supervisor is gone
TERM_GRACE = 1.0  # the same on SIGTERM/SIGHUP (the supervisor's shutdown grace)
_DISCARD_READS = 100  # of a refused request's body, at most 64 KiB each


class WorkerContext:
    """What a worker knows about itself; live reload hooks in here.

    ``generation`` is this worker's number. :meth:`on_message` registers a
    function called (in the channel thread) with every change the supervisor
    sends, as a plain mapping: ``{"op": "change", "kind": "template"|"css"|"static",
    "paths": [...]}``. :meth:`on_drain` registers a function called when the
    worker stops accepting, to close long-lived responses such as
    server-sent-event streams.
    """

    def __init__(self, generation: int, channel: Channel) -> None:
        self.generation = generation
        self.channel = channel
        self.stopping = threading.Event()
        self.grace = 3.0
        self._listeners: list[Callable[[dict[str, Any]], None]] = []
        self._drain_callbacks: list[Callable[[], None]] = []
        self._wake_r, self._wake_w = os.pipe()

    def on_message(self, listener: Callable[[dict[str, Any]], None]) -> None:
        """Call ``listener`` with each ``change`` message from the supervisor."""
        self._listeners.append(listener)

    def on_drain(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` once when this worker stops accepting requests."""
        self._drain_callbacks.append(callback)

    def stop(self, grace: float) -> None:
        """Stop accepting now; requests in flight get ``grace`` seconds."""
        if self.stopping.is_set():
            self.grace = min(self.grace, grace)
            return
        self.grace = grace
        self.stopping.set()
        os.write(self._wake_w, b"s")

    def drained(self) -> None:
        """Run the drain callbacks (once)."""
        callbacks, self._drain_callbacks = self._drain_callbacks, []
        for callback in callbacks:
            try:
                callback()
            except Exception as exc:  # a broken hook must not keep the worker alive
                sys.stderr.write(f"flaskit: a drain callback failed: {exc!r}\n")

    def dispatch(self, message: Change) -> None:
        """Hand a change to the listeners."""
        plain = {"op": message.op, "kind": message.kind, "paths": list(message.paths)}
        for listener in list(self._listeners):
            try:
                listener(plain)
            except Exception as exc:
                sys.stderr.write(f"flaskit: a message listener failed: {exc!r}\n")

    @property
    def wake_fd(self) -> int:
        """Readable once :meth:`stop` was called."""
        return self._wake_r


class RequestHandler(WSGIRequestHandler):
    """werkzeug's handler; the request log middleware reports instead of it, and the
    app's ``wsgi.input`` ends with the request body (:mod:`flaskit.serve.body`). Between
    requests its connection is idle: a draining worker closes it (see connections)."""

    server: WorkerServer
    framing: Framing = Framing()

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Silenced: :class:`~flaskit.serve.requestlog.RequestLog` writes the line."""

    def run_wsgi(self) -> None:
        """Refuse a request whose body length is unclear; serve the others."""
        how = framing(self.headers)
        if isinstance(how, Refusal):
            self.send_error(how.status, explain=how.reason)
            self._discard_waiting()
            return
        self.framing = how
        super().run_wsgi()

    def make_environ(self) -> dict[str, Any]:
        """werkzeug's environ, with a ``wsgi.input`` that ends with the body."""
        environ = super().make_environ()
        body = body_stream(self.rfile, self.framing)
        environ["wsgi.input"] = body
        environ["wsgi.input_terminated"] = True
        if not self.framing.chunked and "CONTENT_LENGTH" in environ:
            environ["CONTENT_LENGTH"] = str(self.framing.length)  # "5, 5" is 5
        # werkzeug reads the rest of the request after the response from self.rfile.
        self.rfile = DrainedInput(body, self.rfile)  # type: ignore[assignment]
        return environ

    def _discard_waiting(self) -> None:
        """Read what the client already sent of a refused body, without waiting for more,
        so closing the connection does not reset it before the client reads the answer."""
        with selectors.DefaultSelector() as selector:
            selector.register(self.connection, selectors.EVENT_READ)
            for _ in range(_DISCARD_READS):
                if not selector.select(timeout=0.01) or not self.connection.recv(65536):
                    return

    def setup(self) -> None:
        """Note when the connection was accepted: a fresh one may still be sending."""
        self.fresh_until = time.monotonic() + FRESH
        super().setup()

    def handle_one_request(self) -> None:
        """Wait for the next request as an idle connection; once draining, serve only
        a request whose bytes are here already (sent before the drain began), or that
        a connection accepted just now sends within its FRESH window."""
        connections = self.server.connections
        fresh_until, self.fresh_until = self.fresh_until, 0.0  # only before the first one
        if not connections.waiting(id(self), self.connection, fresh_until) and not (
            wait_for_bytes(self.connection, fresh_until)
        ):
            self.close_connection = True
            return
        try:
            super().handle_one_request()
        finally:
            self.server.connections.busy(id(self))
        if self.server.first_response is None and self.raw_requestline:
            self.server.responded()

    def parse_request(self) -> bool:
        """The request line is in: busy until the response is sent."""
        self.server.connections.busy(id(self))
        return bool(super().parse_request())


class WorkerServer(BaseWSGIServer):
    """werkzeug's server on an inherited socket, with an accept loop that stops at once."""

    context: WorkerContext

    def __init__(self, config: WorkerConfig, listen_fd: int) -> None:
        """The server on the inherited socket, before the app is known (see :meth:`attach`)."""
        ssl_context = (str(config.cert), str(config.key)) if config.cert and config.key else None
        self.multithread = config.threads
        handler = type(
            "Handler",
            (RequestHandler,),
            {"protocol_version": "HTTP/1.1" if config.threads else "HTTP/1.0"},
        )
        super().__init__(
            config.host, config.port, _no_app, handler, ssl_context=ssl_context, fd=listen_fd
        )
        # Shared by every worker of every generation: a worker that loses the race
        # for a connection must get EAGAIN, not block in accept() and later serve
        # a request with old code.
        self.socket.setblocking(False)
        self._active = 0
        self._idle = threading.Condition()
        self.connections = Connections()
        self.first_response: float | None = None
        self.on_first_response: Callable[[float], None] | None = None

    def attach(self, app: WSGIApp, context: WorkerContext) -> None:
        """The app to serve and the generation it serves, before :meth:`serve_until_stopped`."""
        self.app = app
        self.context = context

    def responded(self) -> None:
        """The first response went out (the supervisor times reloads with it)."""
        with self._idle:
            if self.first_response is not None:
                return
            self.first_response = time.monotonic()
        if self.on_first_response is not None:
            self.on_first_response(self.first_response)

    def get_request(self) -> tuple[socket.socket, Any]:
        """Accept, and make the connection blocking whatever the listener's flags."""
        conn, address = self.socket.accept()
        conn.setblocking(True)
        return conn, address

    def process_request(self, request: Any, client_address: Any) -> None:
        """Serve the connection in a thread (or inline with ``--no-threads``)."""
        with self._idle:
            self._active += 1
        if not self.multithread:
            self._serve_connection(request, client_address)
            return
        thread = threading.Thread(
            target=self._serve_connection, args=(request, client_address), daemon=True
        )
        thread.start()

    def _serve_connection(self, request: Any, client_address: Any) -> None:
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)
            with self._idle:
                self._active -= 1
                self._idle.notify_all()

    def serve_until_stopped(self) -> None:
        """Accept connections until the context is stopped."""
        with selectors.DefaultSelector() as selector:
            selector.register(self.socket, selectors.EVENT_READ)
            selector.register(self.context.wake_fd, selectors.EVENT_READ)
            while not self.context.stopping.is_set():
                for key, _mask in selector.select():
                    if key.fd == self.context.wake_fd or self.context.stopping.is_set():
                        break
                    self._handle_request_noblock()  # type: ignore[attr-defined]
        self.context.channel.send(Closed(time.monotonic()))
        self.socket.close()  # our copy only: the listening socket stays open elsewhere
        self.connections.close_idle()

    def wait_idle(self, timeout: float) -> bool:
        """Wait until no request is in flight; False if ``timeout`` passed first."""
        with self._idle:
            return self._idle.wait_for(lambda: self._active == 0, timeout)


def prepare(config: WorkerConfig, listen_fd: int) -> WorkerServer:
    """What a worker does before it knows its generation: its server on the listening
    socket (a spare worker does it while it waits, not after the save)."""
    server = WorkerServer(config, listen_fd)
    os.close(listen_fd)  # the server holds its own copy
    return server


def serve_generation(
    config: WorkerConfig,
    generation: int,
    channel: Channel,
    server: WorkerServer,
    preloaded: frozenset[str] = frozenset(),
) -> NoReturn:
    """Import the app, report to the supervisor, serve until told to stop, exit.

    ``server``: from :func:`prepare`. ``preloaded``: the modules the zygote had when
    it forked this worker (the supervisor knows them already, so they are not
    reported again).
    """
    forked_at = time.monotonic()
    _become_worker(generation)
    context = WorkerContext(generation, channel)
    _drain_on_termination(context)
    # Not threading.Thread.start(): it waits for the thread to be scheduled, a
    # millisecond or more on a busy machine, on the way to the first response.
    _thread.start_new_thread(_read_channel, (context,))
    app, loaded, failure = _load_app(config, context)
    imported_at = time.monotonic()
    server.attach(app, context)
    imports = learned(config.roots, loaded, preloaded)
    known = set(sys.modules)

    def first_response(at: float) -> None:
        # What the first request imported (lazily, in the app or its libraries): the
        # zygote preloads it too, so the next generation's first request is quick.
        late = [name for name in split_modules(config.roots)[0] if name not in known]
        late_stamps = stamp_libraries((sys.modules[name] for name in late), {})
        channel.send(Served(at, tuple(late), late_stamps))

    server.on_first_response = first_response
    channel.send(
        Ready(
            pid=os.getpid(),
            error=None if failure is None else f"{type(failure).__name__}: {failure}",
            forked_at=forked_at,
            imported_at=imported_at,
            sent_at=time.monotonic(),
            modules=imports.modules,
            stamps=imports.stamps,
            files=imports.files,
            stats=imports.stats,
            folders=imports.folders,
        )
    )
    server.serve_until_stopped()
    context.drained()
    server.connections.close_fresh()
    server.wait_idle(context.grace)
    _exit(0)


def _become_worker(generation: int) -> None:
    os.environ[WORKER_ENV] = str(generation)
    os.environ["WERKZEUG_RUN_MAIN"] = "true"
    os.environ["FLASK_RUN_FROM_CLI"] = "true"
    # Ctrl+C reaches the whole process group: the supervisor decides when we stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the zygote ignores it; the app may not


def _drain_on_termination(context: WorkerContext) -> None:
    """SIGTERM or SIGHUP (``kill`` of the whole process group, a closed terminal) drains
    like Ctrl+C does: stop accepting, let the requests in flight finish, exit."""

    def drain(_signum: int, _frame: object) -> None:
        context.stop(TERM_GRACE)

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), drain)


def _read_channel(context: WorkerContext) -> None:
    while True:
        messages = context.channel.receive()
        if messages is None:  # the supervisor is gone: leave within a second
            context.stop(ORPHAN_GRACE)
            time.sleep(ORPHAN_GRACE + 0.3)
            _exit(1)
        for message in messages:
            if isinstance(message, Stop):
                context.stop(message.grace)
            elif isinstance(message, Change):
                context.dispatch(message)


def _load_app(
    config: WorkerConfig, context: WorkerContext
) -> tuple[WSGIApp, object, BaseException | None]:
    """(the app to serve, the app as loaded, the import error if there was one).

    When the import fails, the app to serve answers every request with the error.
    """
    from flaskit.debugpage import access_check, import_error_app, print_traceback

    trusted = (*_console_hosts(config.host), *config.page.trusted_hosts)
    page = replace(config.page, trusted_hosts=trusted)
    # One check for every debug-only answer, so each refusal is explained once.
    access = access_check(page) if config.debug else None
    try:
        if config.crashed is not None:
            from flaskit.serve.deaths import WorkerDied

            raise WorkerDied(config.crashed)
        loaded = load(config.target).app
    except BaseException as exc:  # KeyboardInterrupt, SystemExit: the page, not a dead worker
        cause = exc.__cause__ if exc.__cause__ is not None else exc
        print_traceback(cause, page)
        # Without --debug nobody sees the traceback in a browser, only in the terminal.
        error_app = import_error_app(cause, page, access) if config.debug else _plain_500
        failing = wrap_live_reload(error_app, config, context, access)
        return _with_request_log(failing, config), None, exc
    app: WSGIApp = loaded
    # Before live reload's hook: the browser reloads once the templates are fresh.
    _refresh_templates_on_change(loaded, context)
    if config.debug:
        _set_flask_debug(loaded)
        from flaskit.debugpage import wrap

        app = wrap(app, page, access)
    return _with_request_log(wrap_live_reload(app, config, context, access), config), loaded, None


def _refresh_templates_on_change(app: object, context: WorkerContext) -> None:
    """Make the framework read its templates again when the supervisor reports an edit."""
    from flaskit.serve.templates import template_refresher

    refresh = template_refresher(app)
    if refresh is None:
        return

    def on_change(message: dict[str, Any]) -> None:
        if message.get("kind") == "template":
            refresh()

    context.on_message(on_change)


def _no_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    """Never called: a worker accepts only once :meth:`WorkerServer.attach` gave it the app."""
    raise RuntimeError("the worker served before it had an app")


def _plain_500(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    """What clients get while the app cannot be imported and debug mode is off."""
    body = b"Internal Server Error: the app failed to import; see the server's terminal.\n"
    headers = [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))]
    start_response("500 INTERNAL SERVER ERROR", headers)
    return [body]


def _console_hosts(host: str) -> tuple[str, ...]:
    """The bind address, so debug answers go to pages opened through it."""
    if host in {"0.0.0.0", "::", "", "localhost"}:  # noqa: S104 - comparing, not binding
        return ()
    return (host,)


def wrap_live_reload(
    app: WSGIApp,
    config: WorkerConfig,
    context: WorkerContext,
    access: Callable[[dict[str, Any]], bool] | None = None,
) -> WSGIApp:
    """Live reload (flaskit.livereload) around the app, with ``context`` for its hooks and
    the debug page's ``access`` check, when ``config.live_reload`` is on in debug mode.
    Inside the request log, which leaves out the browser's live-reload requests."""
    from flaskit import livereload

    if not livereload.active(config.debug, config.live_reload):
        return app
    return livereload.wrap(app, context, config.roots, access)


def _set_flask_debug(app: Any) -> None:
    """Flask's debug flag: exceptions propagate to the page, templates auto-reload."""
    flask = sys.modules.get("flask")
    if flask is not None and isinstance(app, flask.Flask):
        app.debug = True


def _with_request_log(app: WSGIApp, config: WorkerConfig) -> WSGIApp:
    if not config.request_log:
        return app
    return RequestLog(app, _line_writer(sys.stdout, config.color))


def _line_writer(stream: IO[str], color: bool | None) -> Callable[[RequestRecord], None]:
    from flaskit.console import is_terminal

    if color is False or (color is None and not is_terminal(stream)):

        def write_plain(record: RequestRecord) -> None:
            stream.write(render_plain(record) + "\n")
            stream.flush()

        return write_plain
    from flaskit.console import make_console
    from flaskit.serve.requestlog import render_rich

    console = make_console(stream)

    def write_rich(record: RequestRecord) -> None:
        console.print(render_rich(record), soft_wrap=True)

    return write_rich


@dataclass(frozen=True)
class Imports:
    """What the supervisor learns from a worker's imports (see :func:`learned`)."""

    modules: tuple[str, ...]
    stamps: dict[str, int]
    files: dict[str, str | None]
    stats: dict[str, tuple[int, int]]
    folders: dict[str, list[str]]


def learned(
    roots: tuple[Path, ...], app: object, preloaded: frozenset[str] = frozenset()
) -> Imports:
    """What the supervisor learns from this worker's imports, before it serves.

    ``modules``: modules from outside the project, in import order, that were not
    ``preloaded`` (the zygote preloads them for the next generation);
    ``stamps``: their files' modification times as this worker saw them (the
    zygote may import them later, after an install changed one, and must still
    see that change); ``files``: the project's source files this worker
    imported, each with a fingerprint of its content now, so a later save that
    changes nothing is recognised; ``stats``: their (mtime_ns, size) now, the
    poller's baseline, so an edit made once the worker serves is a change even
    if the supervisor takes this report in later; ``folders``: the app's
    template and static folders.
    """
    from flaskit.serve.coalesce import fingerprint
    from flaskit.serve.templates import app_folders

    templates, static = app_folders(app, roots)  # first: what it imports counts too
    external, files = split_modules(roots, preloaded)
    stats: dict[str, tuple[int, int]] = {}
    for name in files:
        with contextlib.suppress(OSError):
            st = os.stat(name)  # noqa: PTH116 - hot path
            stats[name] = (st.st_mtime_ns, st.st_size)
    return Imports(
        modules=tuple(external),
        stamps=stamp_libraries((sys.modules[name] for name in external), {}),
        files={f: fingerprint(Path(f)) for f in files},
        stats=stats,
        folders={"templates": templates, "static": static},
    )


def _exit(code: int) -> NoReturn:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    # os._exit: a forked worker must not run the zygote's exit handlers.
    os._exit(code)


def main(argv: list[str] | None = None) -> NoReturn:
    """Entry point of a spawned worker: ``CHANNEL_FD LISTEN_FD GENERATION``."""
    args = sys.argv[1:] if argv is None else argv
    channel = Channel.from_fd(int(args[0]))
    hello = channel.receive_one()
    if not isinstance(hello, Setup):
        _exit(1)
    config: WorkerConfig = unpack(hello.config)
    serve_generation(config, int(args[2]), channel, prepare(config, int(args[1])))


if __name__ == "__main__":
    main()
