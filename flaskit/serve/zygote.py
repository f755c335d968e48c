"""The zygote: a single-threaded interpreter that forks workers.

It starts as ``python -m flaskit.serve.zygote CONTROL_FD LISTEN_FD``, receives
the session's :class:`~flaskit.serve.worker.WorkerConfig`, and then serves the
supervisor's requests in order: ``preload`` imports modules from outside the
project that the last worker imported (flask, jinja2, the app's libraries), so
a new generation costs a fork plus the import of the user's own modules;
``fork`` forks a worker with the channel it was handed. Between reloads it
keeps one spare forked ahead of time (re-forked after a preload, which it would
lack): a ``fork`` hands the generation and its channel to the spare, so a save
costs the app's import, not a fork.

Before each fork, and every few seconds while idle, it checks that no
preloaded module's file changed since it was imported (a ``pip install``): if
one did it answers ``stale`` and the supervisor builds a new zygote (and, when
idle, a new generation). It never imports the project's own modules, and it
exits when the supervisor's end of the control channel closes.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import os
import signal
import socket
import sys
import threading
import time
from dataclasses import dataclass
from select import select
from typing import NoReturn

from flaskit.serve import worker
from flaskit.serve.modules import split_modules, stamp_libraries
from flaskit.serve.protocol import (
    Channel,
    Exited,
    Fork,
    Forked,
    Message,
    Preload,
    Setup,
    Stale,
    Started,
    Unsafe,
    unpack,
)
from flaskit.serve.reaper import Reaper
from flaskit.serve.settings import WorkerConfig

IDLE_CHECK = 2.0  # seconds between checks for changed libraries while no fork is asked for
SPARE_DELAY = 0.05  # seconds after a fork before the next spare (the worker imports first)
INSTALL_QUIET = 1.0  # seconds a changed library must have been left alone (pip done writing)


class Zygote:
    """The state of the zygote process: its channel and what it has imported."""

    def __init__(self, channel: Channel, listen_fd: int) -> None:
        self.channel = channel
        self.listen_fd = listen_fd
        self.config: WorkerConfig | None = None
        self.stamps: dict[str, int] = {}
        self.failed: set[str] = set()
        self.reaper = Reaper()
        self.spare: Spare | None = None
        self.spare_at: float | None = None  # when to fork the next spare
        self.discarded: set[int] = set()  # spares that were never used: no exit report

    def record_stamps(self, seen: dict[str, int] | None = None) -> None:
        """Remember the modification time of every imported module's file.

        ``seen`` holds the times a worker saw when it imported them: a file an
        install rewrote between that import and this one keeps the worker's
        time, so the change is still found (and the running worker replaced).
        """
        for filename, stamp in (seen or {}).items():
            self.stamps.setdefault(filename, stamp)
        stamp_libraries(list(sys.modules.values()), self.stamps)

    def stale(self, quiet: float = 0.0) -> str | None:
        """A preloaded file that changed on disk since it was imported, if any.

        With ``quiet``, only once every changed file has been left alone that
        long and none is missing: an install still writing is not reported yet.
        """
        changed = None
        for filename, stamp in self.stamps.items():
            try:
                mtime = os.stat(filename).st_mtime_ns  # noqa: PTH116 - hot path
            except OSError:
                if quiet:
                    return None  # removed, maybe about to be written again
                return filename
            if mtime == stamp:
                continue
            if not quiet:
                return filename
            if time.time() - mtime / 1e9 < quiet:
                return None
            changed = changed or filename
        return changed

    def preload(self, names: list[str], seen: dict[str, int] | None = None) -> None:
        """Import modules the app uses; failures are skipped (the worker imports them).

        ``seen``: the modification times of their files when the worker imported them.
        """
        imported = False
        for name in names:
            if name in sys.modules or name in self.failed:
                continue
            try:
                importlib.import_module(name)
                imported = True
            except BaseException:  # anything a third-party import raises; never fatal here
                self.failed.add(name)
        if imported:
            self.discard_spare()  # it lacks these
        self.record_stamps(seen)
        if self.config is not None:  # every worker classifies these folders again
            split_modules(self.config.roots)
        _freeze_heap()
        if threading.active_count() > 1:
            self.channel.send(Unsafe(threading.active_count()))

    def fork(self, message: Fork) -> None:
        """Fork a worker for the generation in ``message``, handing it its channel."""
        fds = message.fds
        generation = message.generation
        if not fds:
            self.channel.send(Stale(generation, None))
            return
        pid = self.hand_to_spare(generation, fds[0])
        if pid is None:
            gc.freeze()  # what the worker inherits is never traversed (see _freeze_heap)
            pid = os.fork()
            if pid == 0:  # the worker
                self.channel.close()
                self.reaper.in_child()
                assert self.config is not None
                worker.serve_generation(
                    self.config,
                    generation,
                    Channel.from_fd(fds[0]),
                    worker.prepare(self.config, self.listen_fd),
                    frozenset(sys.modules),
                )
            self.reaper.children.add(pid)
        os.close(fds[0])
        self.channel.send(Forked(generation, pid))
        self.spare_at = time.monotonic() + SPARE_DELAY
        # Checked after the fork, while the worker imports on the other core: a
        # stale generation is replaced by a spawned one and a new zygote is built.
        changed = self.stale()
        if changed is not None:
            self.channel.send(Stale(generation, changed))

    def hand_to_spare(self, generation: int, channel_fd: int) -> int | None:
        """Give the generation to the waiting spare; its pid, or None without one."""
        spare, self.spare = self.spare, None
        if spare is None:
            return None
        try:
            socket.send_fds(spare.sock, [str(generation).encode()], [channel_fd])
        except OSError:  # it died (killed from outside): fork as usual
            return None
        finally:
            spare.sock.close()
        return spare.pid

    def discard_spare(self) -> None:
        """Let the spare go (it exits at end of file on its socket)."""
        spare, self.spare = self.spare, None
        if spare is not None:
            self.discarded.add(spare.pid)
            spare.sock.close()

    def make_spare(self) -> None:
        """Fork the process the next generation will be: forked now, while nothing
        waits for it, it only has to import the app when a save comes."""
        self.spare_at = None
        if self.spare is not None or self.config is None:
            return
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        gc.freeze()
        pid = os.fork()
        if pid == 0:
            ours.close()
            self._wait_as_spare(theirs)
        theirs.close()
        self.reaper.children.add(pid)
        self.spare = Spare(pid, ours)

    def _wait_as_spare(self, sock: socket.socket) -> NoReturn:
        """In the spare: wait for a generation and its channel, then become its worker;
        exit when the zygote lets go of us (or is gone)."""
        self.channel.close()
        self.reaper.in_child()
        preloaded = frozenset(sys.modules)
        assert self.config is not None
        server = worker.prepare(self.config, self.listen_fd)
        try:
            data, fds, _flags, _addr = socket.recv_fds(sock, 64, 1)
        except OSError:
            data, fds = b"", []
        sock.close()
        if not data or not fds:
            os._exit(0)
        worker.serve_generation(self.config, int(data), Channel.from_fd(fds[0]), server, preloaded)

    def run(self) -> NoReturn:
        """Serve the supervisor until it closes the channel."""
        reported = False
        self.reaper.install()
        control = self.channel.fileno()
        while True:
            timeout = IDLE_CHECK
            if self.spare_at is not None:
                timeout = max(0.0, min(timeout, self.spare_at - time.monotonic()))
            ready = select([control, self.reaper.wake_fd], [], [], timeout)[0]
            if self.spare_at is not None and time.monotonic() >= self.spare_at:
                self.make_spare()
            if self.reaper.wake_fd in ready:
                self.report_exits()
            if control in ready:
                messages = self.channel.receive()
                if messages is None:
                    os._exit(0)
                for message in messages:
                    self.handle(message)
            elif not ready and self.config is not None and not reported:
                changed = self.stale(quiet=INSTALL_QUIET)
                if changed is not None:
                    reported = True  # the supervisor replaces this zygote
                    self.channel.send(Stale(0, changed))

    def report_exits(self) -> None:
        """Tell the supervisor how each worker that exited ended (not unused spares)."""
        for pid, code in self.reaper.reap():
            if pid in self.discarded:
                self.discarded.discard(pid)
            else:
                self.channel.send(Exited(pid, code))

    def handle(self, message: Message) -> None:
        """One message from the supervisor."""
        if isinstance(message, Setup):
            self.config = unpack(message.config)
            sys.path.insert(0, str(self.config.target.search_path))
            _warm_caches()
            self.record_stamps()
            self.channel.send(Started(os.getpid()))
        elif isinstance(message, Preload):
            self.preload(list(message.modules), dict(message.stamps))
            if self.spare is None:
                self.spare_at = time.monotonic() + SPARE_DELAY
        elif isinstance(message, Fork):
            self.fork(message)


@dataclass
class Spare:
    """A worker forked ahead of time, waiting on ``sock`` for its generation."""

    pid: int
    sock: socket.socket


def _freeze_heap() -> None:
    """Collect, then move every object to the permanent generation: a worker's
    garbage collections then never walk the preloaded libraries' objects, which
    would copy their memory pages (copy-on-write) on every fork."""
    gc.collect()
    gc.freeze()


def _warm_caches() -> None:
    """Work every worker would repeat: werkzeug's server looks up its own version
    in the installed distributions' metadata (tens of ms when cold); the first
    static file a worker sends reads the system's MIME types (a few ms, on the way
    of the stylesheet a page reloaded after a Python edit waits for); the modules a
    worker imports to report what it imported (a few ms each time otherwise: the
    preloads learned from workers leave out flaskit.serve's own)."""
    import importlib.metadata
    import mimetypes

    import flaskit.serve.coalesce
    import flaskit.serve.templates  # noqa: F401

    with contextlib.suppress(importlib.metadata.PackageNotFoundError):
        importlib.metadata.version("werkzeug")
    mimetypes.init()


def main(argv: list[str] | None = None) -> NoReturn:
    """Entry point: ``python -m flaskit.serve.zygote CONTROL_FD LISTEN_FD``."""
    args = sys.argv[1:] if argv is None else argv
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the supervisor handles Ctrl+C
    Zygote(Channel.from_fd(int(args[0])), int(args[1])).run()


if __name__ == "__main__":
    main()
