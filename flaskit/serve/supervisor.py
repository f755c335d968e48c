"""The supervisor: owns the socket, the watcher and the worker generations.

It binds the listening socket once and never imports the app. Each reload
starts generation N+1 (forked by the zygote, or spawned); when N+1 reports
``ready`` (or ``failed``: it then serves the import error), every older
generation is told to ``stop``: it stops accepting at once, finishes its
requests in flight and exits. The socket stays open throughout, so a request
that arrives mid-reload waits in the backlog and is never refused.

One thread runs everything here, around a selector: the channels of the zygote
and of the workers, a wake-up pipe for signals and for the watcher thread, and
timers (the quiet window, the deadlines of stopping workers).
"""

from __future__ import annotations

import contextlib
import os
import queue
import selectors
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import FrameType

from flaskit import __version__
from flaskit.context import CliContext
from flaskit.errors import FlaskitError
from flaskit.serve import listener
from flaskit.serve.classify import Kind, Rules
from flaskit.serve.coalesce import Batch, Coalescer, RawEvent
from flaskit.serve.deaths import crash_message, describe_exit, is_stopped
from flaskit.serve.folders import CHECK_INTERVAL, SETTLE, FolderGuard, FolderState
from flaskit.serve.lifecycle import (
    Arrival,
    Deadlines,
    Death,
    Forking,
    ForkRemedy,
    Remedy,
    Session,
    State,
    Timer,
    after_fallback,
    on_batch,
    on_fork_timeout,
    on_gone,
    on_ready,
    on_timers,
    should_replace_dead,
    stop_grace,
)
from flaskit.serve.protocol import (
    Change,
    Channel,
    Closed,
    Exited,
    Fork,
    Forked,
    Preload,
    Ready,
    Served,
    Setup,
    Stale,
    Stop,
    Unsafe,
    pack,
)
from flaskit.serve.reaper import killed_from_outside
from flaskit.serve.reloaders import POLL
from flaskit.serve.restarts import RestartPolicy
from flaskit.serve.settings import (
    RunConfig,
    RunOptions,
    WorkerConfig,
    fresh_app_environ,
    resolve,
)
from flaskit.serve.terminal import Banner, Terminal, describe_paths
from flaskit.serve.timeline import Timeline, append_record
from flaskit.serve.watcher import EventWatcher, PollWatcher, Watcher, WatchLimitReached

DRAIN_GRACE = 3.0  # seconds an old generation's requests in flight may take
SHUTDOWN_GRACE = 1.0  # the same on Ctrl+C / SIGTERM: everything stops within 2 s
KILL_MARGIN = 1.0  # after the grace, a worker that has not exited is killed
IMPORT_NOTICE = 5.0  # seconds of importing after which the terminal says the app is slow
FORK_TIMEOUT = 3.0  # seconds the fork server may take to answer a fork (it may be preloading)


@dataclass
class Generation:
    """One worker: the app as it was at one moment."""

    number: int
    channel: Channel
    started: float
    trigger: tuple[Path, ...] = ()
    event_at: float | None = None
    pid: int | None = None
    proc: subprocess.Popen[bytes] | None = None
    state: State = State.STARTING
    ready_at: float | None = None
    # When to kill it (stopping), to give up on the fork server (asked, not forked
    # yet), to say it is still importing.
    deadlines: Deadlines = field(default_factory=Deadlines)
    crash_page: bool = False  # serves how the previous worker died, imports nothing
    crash_code: int | None = None  # that worker's exit status
    timeline: Timeline | None = None  # the phases of the reload that started it
    stopped_for: int | None = None  # the generation that replaced this serving one

    @property
    def spawned(self) -> bool:
        """Started as a fresh interpreter rather than forked."""
        return self.proc is not None


@dataclass
class ZygoteProcess:
    """The fork server and its channel."""

    proc: subprocess.Popen[bytes]
    channel: Channel


@dataclass
class Supervisor:
    """The state of one ``flaskit run`` session."""

    config: RunConfig
    terminal: Terminal = field(default_factory=Terminal)

    def __post_init__(self) -> None:
        self.started = time.monotonic()
        self.selector = selectors.DefaultSelector()
        self.generations: dict[int, Generation] = {}
        self.current: Generation | None = None
        self.numbers = 0
        self.learned: dict[str, None] = {}
        self.zygote: ZygoteProcess | None = None
        self.use_zygote = self.config.preload and self.config.reload
        self.fork_fallback: int | None = None  # the generation re-run as spawned
        self.fork_fallback_pid: int | None = None  # the forked worker that died for it
        self.exits: dict[int, int] = {}  # pid -> exit code of forked workers (the last few)
        self.environ = dict(self.config.app_environ)
        self.events: queue.SimpleQueue[RawEvent] = queue.SimpleQueue()
        self.watcher: Watcher | None = None
        self.stopping = False
        self.exit_code = 0
        self.sock: socket.socket | None = None
        self.rules = Rules(
            roots=self.config.roots,
            config_files=frozenset(self.config.config_files),
            watch_files=frozenset(self.config.watch_files),
            exclude=self.config.exclude,
        )
        self.coalescer = Coalescer(self.rules)
        self.restarts = RestartPolicy()
        self.restart_at: float | None = None  # a dead worker is replaced then
        # The app's folder and the working directory; a --watch folder that goes away
        # must not hold up reloads of the project.
        self.folders = FolderGuard.of((self.config.target.root.resolve(), self.config.cwd))
        self.folders_check_at = time.monotonic() + CHECK_INTERVAL
        self.settle_at: float | None = None  # a folder came back: serve it then
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_w, False)
        os.set_blocking(self._wake_r, False)

    # ------------------------------------------------------------------ running

    def run(self) -> int:
        """Serve until Ctrl+C, SIGTERM or a fatal error; return the exit code."""
        self.sock = listener.bind(self.config.host, self.config.port)
        previous = self._install_signals()
        try:
            self.selector.register(self._wake_r, selectors.EVENT_READ, "wake")
            if self.use_zygote:
                self._start_zygote()
            self._start_generation((), None)
            if self.config.reload:
                self._start_watcher()
            while not self.stopping:
                self._step()
        finally:
            self._shutdown()
            self._restore_signals(previous)
        return self.exit_code

    def _step(self) -> None:
        now = time.monotonic()
        timers = (
            self.coalescer.deadline(),
            self.restart_at,
            self.settle_at,
            self.folders_check_at if self.config.reload else None,
            *(g.deadlines.earliest() for g in self.generations.values()),
        )
        deadlines = [d for d in timers if d]
        timeout = max(0.0, min(deadlines) - now) if deadlines else None
        for key, _mask in self.selector.select(timeout):
            if key.data == "wake":
                self._drain_wake()
            elif key.data == "zygote":
                self._on_zygote()
            elif isinstance(key.data, Generation):
                self._on_worker(key.data)
        self._take_events()
        now = time.monotonic()
        batch = self.coalescer.flush(now)
        if batch:
            self._on_batch(batch, now)
        for gen in list(self.generations.values()):
            self._on_timers(gen, now)
        if self.restart_at is not None and now >= self.restart_at:
            self.restart_at = None
            self._replace_dead_worker()
        if self.config.reload and now >= self.folders_check_at:
            self.folders_check_at = now + CHECK_INTERVAL
            self._check_folders()
        if self.settle_at is not None and now >= self.settle_at:
            self.settle_at = None
            self._start_generation(self.config.roots, None)

    def _on_timers(self, gen: Generation, now: float) -> None:
        for timer in on_timers(gen.deadlines, gen.state, now, shutting_down=self.stopping):
            if timer is Timer.KILL:
                self._kill(gen)
            elif timer is Timer.FORK_TIMEOUT:
                self._on_fork_timeout(gen)
            else:
                self._on_slow_import(gen, now)
        if gen.deadlines.notice_at is not None and now >= gen.deadlines.notice_at:
            gen.deadlines = replace(gen.deadlines, notice_at=None)  # said once, or moot

    # ------------------------------------------------------------------ signals

    def _install_signals(self) -> dict[int, object]:
        previous: dict[int, object] = {}
        names = ("SIGINT", "SIGTERM", "SIGHUP")
        for sig in (getattr(signal, n) for n in names if hasattr(signal, n)):
            previous[sig] = signal.signal(sig, self._on_signal)
        previous[-1] = signal.set_wakeup_fd(self._wake_w)
        return previous

    def _restore_signals(self, previous: dict[int, object]) -> None:
        for sig, handler in previous.items():
            if sig == -1:
                signal.set_wakeup_fd(int(handler))  # type: ignore[call-overload]
            else:
                signal.signal(sig, handler)  # type: ignore[arg-type]

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True

    def _drain_wake(self) -> None:
        with contextlib.suppress(BlockingIOError):
            while os.read(self._wake_r, 4096):
                pass

    def _wake(self) -> None:
        with contextlib.suppress(BlockingIOError, OSError):
            os.write(self._wake_w, b"e")

    # ------------------------------------------------------------------ zygote

    def _start_zygote(self) -> None:
        assert self.sock is not None
        channel, theirs = Channel.pair()
        proc = subprocess.Popen(
            self.config.python.module_command(
                "flaskit.serve.zygote", str(theirs.fileno()), str(self.sock.fileno())
            ),
            pass_fds=(theirs.fileno(), self.sock.fileno()),
            env=self.environ,
            cwd=self._cwd(),
        )
        theirs.close()
        channel.send(Setup(pack(self._worker_config())))
        if self.learned:
            channel.send(Preload(tuple(self.learned)))
        self.zygote = ZygoteProcess(proc, channel)
        self.selector.register(channel.sock, selectors.EVENT_READ, "zygote")

    def _cwd(self) -> Path | None:
        """The project's folder for a new process; while it is gone, ours (deleted too)."""
        return self.config.cwd if self.config.cwd.is_dir() else None

    def _stop_zygote(self) -> None:
        zygote, self.zygote = self.zygote, None
        if zygote is None:
            return
        with contextlib.suppress(KeyError, ValueError):
            self.selector.unregister(zygote.channel.sock)
        zygote.channel.close()  # it exits on end of file
        try:
            zygote.proc.wait(0.5)
        except subprocess.TimeoutExpired:
            zygote.proc.kill()
            zygote.proc.wait(1)

    def _on_zygote(self) -> None:
        assert self.zygote is not None
        messages = self.zygote.channel.receive()
        if messages is None:
            code = self.zygote.proc.wait(1)
            self._stop_zygote()
            if not self.stopping:
                self.terminal.warn(f"the fork server {describe_exit(code)}; starting a new one.")
                self._spawn_unforked()
                self._start_zygote()
            return
        for message in messages:
            number = getattr(message, "generation", 0)
            gen = self.generations.get(number)
            if isinstance(message, Exited):
                self.exits[message.pid] = message.code
                while len(self.exits) > 64:
                    del self.exits[next(iter(self.exits))]
            elif isinstance(message, Forked) and gen is not None and not gen.spawned:
                gen.pid = message.pid
                gen.deadlines = replace(gen.deadlines, fork_at=None)
            elif isinstance(message, Stale):
                if message.file:
                    # Its .pyc may pass Python's check (same size, same second):
                    # the next import must read the new source.
                    _forget_bytecode([Path(message.file)])
                self.terminal.note(
                    f"{message.file} changed on disk (a package was installed?): "
                    "restarting the fork server."
                )
                if gen is not None and self.fork_fallback == gen.number:
                    self.fork_fallback = None  # its end-of-file came first: already spawned
                elif gen is not None and not gen.spawned:
                    self._respawn(gen)
                self._stop_zygote()
                self._start_zygote()
                if gen is None and not self.stopping:
                    # Found while idle: the running worker has the old library too.
                    self._start_generation((Path(str(message.file)),), None)
            elif isinstance(message, Unsafe):
                self.terminal.warn(
                    "a module the app imports starts a thread at import time, so workers "
                    "cannot be forked safely: spawning them instead (as with --no-preload)."
                )
                self.use_zygote = False
                self._stop_zygote()
                return

    # ------------------------------------------------------------------ generations

    def _worker_config(self) -> WorkerConfig:
        assert self.sock is not None
        address = self.sock.getsockname()
        # The bound address (port 0 picks one) and the roots as they are now.
        return replace(
            self.config.worker,
            host=str(address[0]),
            port=int(address[1]),
            roots=self.config.roots,
        )

    def _start_generation(self, trigger: tuple[Path, ...], timeline: Timeline | None) -> Generation:
        if self.zygote is not None and is_stopped(self.zygote.proc.pid):
            self.terminal.warn("the fork server is stopped (SIGSTOP?): starting a new one.")
            self._replace_zygote()
        self.numbers += 1
        channel, theirs = Channel.pair()
        event_at = timeline.event_at if timeline is not None else None
        gen = Generation(self.numbers, channel, time.monotonic(), trigger, event_at)
        gen.timeline = timeline
        gen.deadlines = Deadlines(notice_at=gen.started + IMPORT_NOTICE)
        self.generations[gen.number] = gen
        self.selector.register(channel.sock, selectors.EVENT_READ, gen)
        if self.use_zygote and self.zygote is None:
            self._start_zygote()
        if timeline is not None:
            timeline.fork_asked_at = time.monotonic()
        if self.use_zygote and self.zygote is not None:
            asked = Fork(gen.number, fds=(theirs.fileno(),))
            if self.zygote.channel.send(asked):
                theirs.close()
                gen.deadlines = replace(gen.deadlines, fork_at=time.monotonic() + FORK_TIMEOUT)
                return gen
        self._spawn(gen, theirs)
        return gen

    def _spawn(self, gen: Generation, theirs: socket.socket) -> None:
        assert self.sock is not None
        gen.deadlines = replace(gen.deadlines, fork_at=None)
        fds = (theirs.fileno(), self.sock.fileno())
        gen.proc = subprocess.Popen(
            self.config.python.module_command(
                "flaskit.serve.worker", *map(str, fds), str(gen.number)
            ),
            pass_fds=fds,
            env=self.environ,
            cwd=self._cwd(),
        )
        gen.pid = gen.proc.pid
        theirs.close()
        config = self._worker_config()
        if gen.crash_page:
            config = replace(config, crashed=crash_message(gen.crash_code))
        gen.channel.send(Setup(pack(config)))

    def _respawn(self, gen: Generation) -> None:
        """Run generation ``gen`` again as a spawned worker (a forked one still running
        is told to stop, and sees end of file: it exits within a second)."""
        gen.channel.send(Stop(SHUTDOWN_GRACE))
        self._forget(gen)
        gen.pid = None
        channel, theirs = Channel.pair()
        gen.channel = channel
        gen.state = State.STARTING
        self.generations[gen.number] = gen
        self.selector.register(channel.sock, selectors.EVENT_READ, gen)
        self._spawn(gen, theirs)

    def _forget(self, gen: Generation) -> None:
        with contextlib.suppress(KeyError, ValueError):
            self.selector.unregister(gen.channel.sock)
        gen.channel.close()
        gen.state = State.GONE
        # A respawned generation keeps its fork and import deadlines.
        gen.deadlines = replace(gen.deadlines, kill_at=None)
        if gen.proc is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                gen.proc.wait(0.05)
        self.generations.pop(gen.number, None)

    def _stop(self, gen: Generation, grace: float, *, again: bool = False) -> None:
        """Tell ``gen`` to stop (``again``: also one stopping already, with a new grace)."""
        if gen.state is State.GONE or (gen.state is State.STOPPING and not again):
            return
        gen.state = State.STOPPING
        gen.deadlines = replace(gen.deadlines, kill_at=time.monotonic() + grace + KILL_MARGIN)
        if not gen.channel.send(Stop(grace)):
            self._kill(gen)

    def _kill(self, gen: Generation) -> None:
        if gen.pid is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(gen.pid, signal.SIGKILL)
        if gen.proc is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                gen.proc.wait(1)
        gen.deadlines = replace(gen.deadlines, kill_at=None)

    def _on_worker(self, gen: Generation) -> None:
        messages = gen.channel.receive()
        if messages is None:
            self._on_worker_gone(gen)
            return
        for message in messages:
            if isinstance(message, Ready):
                self._on_ready(gen, message)
            elif isinstance(message, Closed):
                replacement = self.generations.get(gen.stopped_for or 0)
                timeline = replacement.timeline if replacement is not None else None
                if timeline is not None and timeline.old_closed_at is None:
                    timeline.old_closed_at = message.at
                    self._report_phases(timeline)
            elif isinstance(message, Served):
                self._preload(message.modules, message.stamps)
                if gen.timeline is not None:
                    gen.timeline.first_response_at = message.at
                    self._report_phases(gen.timeline)

    def _report_phases(self, timeline: Timeline) -> None:
        """Once every phase of a reload is known: the breakdown for ``--verbose`` and
        the timings file."""
        if timeline.reported or not timeline.complete:
            return
        timeline.reported = True
        if self.config.verbose:
            self.terminal.phases(timeline.describe())
        if self.config.timings_file is not None:
            with contextlib.suppress(OSError):
                append_record(self.config.timings_file, timeline)

    def _on_ready(self, gen: Generation, message: Ready) -> None:
        now = time.monotonic()
        failed = message.failed
        gen.pid = message.pid or gen.pid
        gen.ready_at = now
        gen.deadlines = replace(gen.deadlines, notice_at=None)
        if gen.timeline is not None:
            gen.timeline.forked_at = message.forked_at
            gen.timeline.imported_at = message.imported_at
            gen.timeline.ready_at = message.sent_at
        current = self.current.number if self.current is not None else None
        arrival = on_ready(gen.state, gen.number, current)
        if arrival is Arrival.IGNORE:
            return
        gen.state = State.FAILED if failed else State.READY
        if arrival is Arrival.OVERTAKEN:
            self._stop(gen, DRAIN_GRACE)
            return
        first = self.current is None
        if self.current is not None and self.current.state.serving:
            self.current.stopped_for = gen.number
            if gen.timeline is not None:
                gen.timeline.replaces = True
        self.current = gen
        for other in list(self.generations.values()):
            if other.number < gen.number:
                self._stop(other, stop_grace(other.state, DRAIN_GRACE))
        self._learn(message)
        if self.fork_fallback == gen.number:
            self.fork_fallback = None
            self._after_fork_fallback()
        if first:
            self._show_banner(now)
        else:
            since = gen.event_at if gen.event_at is not None else gen.started
            what = describe_paths(gen.trigger, self.config.roots)
            what = f"{what} changed" if gen.trigger else "restarted"
            self.terminal.reloaded(what, (now - since) * 1000, failed)
        if failed and not self.config.reload:
            self.terminal.error("The app failed to import. Fix the error and run flaskit again.")
            self.exit_code = 1
            self.stopping = True

    def _learn(self, message: Ready) -> None:
        """Take in what a ready worker imported."""
        self._preload(message.modules, message.stamps)
        # A change is a difference from what the newest worker imported.
        fingerprints = {Path(f): fp for f, fp in message.files.items()}
        self.coalescer.known.update(fingerprints)
        files = list(fingerprints)
        folders = message.folders
        templates = [Path(p) for p in folders.get("templates", [])]
        static = [Path(p) for p in folders.get("static", [])]
        if templates or static:
            self.rules = self.rules.with_folders(templates, static)
            self.coalescer.rules = self.rules
        if self.watcher is not None:
            seen = {Path(f): (int(st[0]), int(st[1])) for f, st in message.stats.items()}
            self.watcher.add_files(files, [*templates, *static], seen)

    def _preload(self, modules: tuple[str, ...], stamps: dict[str, int]) -> None:
        """Have the fork server import the modules from outside the project that a
        worker imported, for the next generation."""
        new = [m for m in modules if m not in self.learned]
        for name in new:
            self.learned[name] = None
        if new and self.zygote is not None:
            self.zygote.channel.send(Preload(tuple(new), stamps))

    def _on_worker_gone(self, gen: Generation) -> None:
        death = Death(
            state=gen.state,
            spawned=gen.spawned,
            current=gen is self.current,
            crash_page=gen.crash_page,
            fallback=self.fork_fallback == gen.number,
        )
        self._forget(gen)
        code = gen.proc.poll() if gen.proc is not None else None
        session = Session(
            reload=self.config.reload,
            forking=self.use_zygote,
            fallback_pending=self.fork_fallback is not None,
            shutting_down=self.stopping,
            others_left=bool(self.generations),
        )
        outcome = on_gone(death, session)
        if outcome.fallback_over:
            self.fork_fallback = None
        if outcome.remedy is Remedy.RETRY_SPAWNED:
            self.fork_fallback, self.fork_fallback_pid = gen.number, gen.pid
            self._respawn(gen)
        elif outcome.remedy is Remedy.NOTHING:
            pass  # it was stopping, or an older generation
        elif death.state is State.STARTING:
            self.terminal.error(
                f"The worker for this version of the app {describe_exit(code)} before serving. "
                + ("Fix the problem and save a file to try again." if self.config.reload else "")
            )
            if outcome.remedy is Remedy.SERVE_CRASH:
                # Requests must not wait for an edit: a worker that imports nothing
                # serves how this one died (the error page, with live reload).
                gen.crash_page, gen.crash_code = True, code
                self._respawn(gen)
        elif death.current:
            self.current = None
            detail = f" with exit code {code}" if code is not None else ""
            self.terminal.error(f"The worker serving the app exited unexpectedly{detail}.")
            if outcome.remedy is Remedy.REPLACE:
                lived = time.monotonic() - gen.ready_at if gen.ready_at is not None else None
                pause = self.restarts.pause(lived)
                if pause:
                    self.terminal.note(f"It keeps dying young: the next one starts in {pause:g} s.")
                    self.restart_at = time.monotonic() + pause
                else:
                    self._replace_dead_worker()
        if outcome.exit:
            self.exit_code = 1
            self.stopping = True

    def _after_fork_fallback(self) -> None:
        """A forked worker died before serving and a spawned one works: forking is to
        blame unless something else killed that worker (kill -9, the OOM killer)."""
        code = self.exits.get(self.fork_fallback_pid or 0)
        if after_fallback(killed_from_outside(code)) is Forking.KEEP:
            self.terminal.note(
                f"a forked worker {describe_exit(code)} before serving; a spawned one took "
                "its place. Workers are still forked."
            )
            return
        self.use_zygote = False
        self._stop_zygote()
        self.terminal.warn(
            "a forked worker died before serving, but a spawned one works: spawning "
            "workers from now on (as with --no-preload)."
        )

    def _spawn_unforked(self) -> None:
        """Spawn the generations the fork server was asked for but did not fork."""
        for gen in list(self.generations.values()):
            if gen.state is State.STARTING and not gen.spawned and gen.pid is None:
                self._respawn(gen)

    def _on_fork_timeout(self, gen: Generation) -> None:
        """The fork server did not answer in time: spawn this generation; a stopped
        fork server (SIGSTOP, a debugger) is replaced, a busy one is left to finish."""
        zygote = self.zygote
        stopped = zygote is not None and is_stopped(zygote.proc.pid)
        remedy = on_fork_timeout(stopped)
        self.terminal.warn(
            f"the fork server did not answer within {FORK_TIMEOUT:g} s"
            + (" (it is stopped)" if stopped else "")
            + ": spawning this version of the app"
            + ("; starting a new fork server." if stopped else ".")
        )
        if remedy is ForkRemedy.REPLACE_SERVER:
            self._replace_zygote()
        else:
            self._respawn(gen)

    def _replace_zygote(self) -> None:
        """Kill the fork server (SIGKILL ends a stopped process too), spawn what it was
        asked to fork, and start a new one."""
        if self.zygote is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                self.zygote.proc.kill()
        self._stop_zygote()
        self._spawn_unforked()
        self._start_zygote()

    def _on_slow_import(self, gen: Generation, now: float) -> None:
        waiting = "Requests wait until it is ready"
        if self.current is not None:
            waiting = "The previous version serves meanwhile"
        self.terminal.warn(
            f"importing the app has taken {now - gen.started:.0f} s so far (an import that "
            f"waits for a database or the network?). {waiting}; saving a file starts a new "
            "attempt."
        )

    def _replace_dead_worker(self) -> None:
        """Start a generation in place of a dead one (requests wait in the backlog),
        unless one is on its way already."""
        starting = any(g.state is State.STARTING for g in self.generations.values())
        if should_replace_dead(
            shutting_down=self.stopping, serving=self.current is not None, starting=starting
        ):
            self._start_generation((), None)

    # ------------------------------------------------------------------ watching

    def _start_watcher(self) -> None:
        def sink(event: RawEvent) -> None:
            self.events.put(event)
            self._wake()

        watcher: Watcher
        if self.config.reloader == POLL:
            watcher = PollWatcher(self.rules, sink)
        else:
            try:
                watcher = EventWatcher(self.rules, sink)
                watcher.start()
                self.watcher = watcher
                return
            except WatchLimitReached as exc:
                self.terminal.warn(
                    f"the system ran out of file watches ({exc}); polling instead. {exc.hint}"
                )
                watcher = PollWatcher(self.rules, sink)
            except OSError as exc:
                self.terminal.warn(
                    f"file-system events are not available ({exc}); polling instead."
                )
                watcher = PollWatcher(self.rules, sink)
        watcher.start()
        self.watcher = watcher

    def _take_events(self) -> None:
        while True:
            try:
                event = self.events.get_nowait()
            except queue.Empty:
                return
            self.coalescer.add(event)

    def _check_folders(self) -> FolderState:
        """Whether the project's folders are still the same; start over in a replaced one."""
        was_missing = self.folders.missing
        state = self.folders.check()
        if state is FolderState.MISSING:
            if not was_missing:
                gone = ", ".join(str(p) for p in self.folders.gone())
                self.terminal.warn(
                    f"{gone} is gone (a branch switch, a fresh clone?): waiting for it to "
                    "come back; the running version serves meanwhile."
                )
        elif state is FolderState.REPLACED:
            self._start_over()
        return state

    def _start_over(self) -> None:
        """The project folder is a new directory: leave the deleted one (our working
        directory, the fork server's, the watches on it) and serve the new one."""
        self.terminal.note("The project folder is back: watching it again and restarting.")
        with contextlib.suppress(OSError):
            os.chdir(self.config.cwd)
        if self.watcher is not None:
            self.watcher.stop()
            self.watcher = None
            self._start_watcher()
        if self.zygote is not None:
            self._stop_zygote()
            self._start_zygote()
        self.restarts.reset()
        # A clone is still writing files: they are watched now, and the generation
        # starts once they have been quiet a moment (or with the reload they cause).
        self.settle_at = time.monotonic() + SETTLE

    def _on_batch(self, batch: Batch, flushed_at: float) -> None:
        # While a folder is gone, its return starts everything over (or just did).
        plan = on_batch(batch.changes, self._check_folders())
        if plan.environment:
            self._reload_environment()
        if plan.restart:
            self.settle_at = None  # this generation serves the folder that came back
            _forget_bytecode(batch.paths(Kind.RESTART))
            self.restarts.reset()
            timeline = Timeline(batch.first_event, flushed_at=flushed_at)
            self._start_generation(plan.restart, timeline)
        for kind, paths in plan.refresh:
            self.terminal.changed(kind.value, describe_paths(paths, self.config.roots))
            if self.current is not None:
                self.current.channel.send(Change(kind.value, tuple(str(p) for p in paths)))

    def _reload_environment(self) -> None:
        """New values from .env/.flaskenv reach the next generation (and a new zygote)."""
        try:
            environ = fresh_app_environ(self.config)
        except FlaskitError as exc:
            self.terminal.error(f"{exc.format_message()} Keeping the previous settings.")
            return
        self.environ = environ
        if self.zygote is not None:
            self._stop_zygote()
            self._start_zygote()
        self.terminal.note(
            "Configuration changed: the app gets the new environment. Restart flaskit for "
            "changes to flaskit's own settings (app, host, port, ...)."
        )

    # ------------------------------------------------------------------ output

    def _show_banner(self, now: float) -> None:
        assert self.sock is not None
        local, network = listener.urls(
            self.sock, self.config.host, self.config.worker.cert is not None
        )
        reloader = "off"
        if self.watcher is not None:
            reloader = self.watcher.name
        workers = "forked from a fork server" if self.use_zygote else "spawned workers"
        target = self.config.target
        self.terminal.banner(
            Banner(
                version=__version__,
                app=target.describe(),
                found=f"from {target.origin}",
                debug=self.config.debug,
                reload=self.config.reload,
                reloader=reloader,
                workers=workers,
                local_url=local,
                network_urls=network,
                ready_ms=(now - self.started) * 1000,
                python=self.config.python.describe(),
            )
        )
        for note in self.config.notes:
            self.terminal.note(note)

    # ------------------------------------------------------------------ stopping

    def _shutdown(self) -> None:
        """Stop the watcher, the workers and the zygote; free the port. Bounded in time."""
        self.stopping = True
        if self.watcher is not None:
            self.watcher.stop()
        for gen in list(self.generations.values()):
            self._stop(gen, SHUTDOWN_GRACE, again=True)
        self._stop_zygote()
        deadline = time.monotonic() + SHUTDOWN_GRACE + 0.3
        while self.generations and time.monotonic() < deadline:
            for key, _mask in self.selector.select(max(0.0, deadline - time.monotonic())):
                if isinstance(key.data, Generation) and key.data.channel.receive() is None:
                    self._forget(key.data)
                elif key.data == "wake":
                    self._drain_wake()
        for gen in list(self.generations.values()):
            self._kill(gen)
            self._forget(gen)
        if self.sock is not None:
            self.sock.close()
        self.selector.close()
        os.close(self._wake_r)
        os.close(self._wake_w)


def _forget_bytecode(paths: list[Path]) -> None:
    """Delete cached bytecode of changed modules.

    A module rewritten at the same size within the same second would otherwise
    be imported from its stale ``.pyc``, whose check is mtime (in seconds) and size.
    Every interpreter's copy goes: the workers may run the project's Python (an
    isolated install), whose cache tag is not this one's.
    """
    import glob

    for path in paths:
        if path.suffix != ".py":
            continue
        for pyc in (path.parent / "__pycache__").glob(f"{glob.escape(path.stem)}.*.pyc"):
            with contextlib.suppress(OSError):
                pyc.unlink()


def run_server(options: RunOptions, info: CliContext | None = None) -> int:
    """``flaskit run``: resolve the options, serve until stopped, return the exit code."""
    if not hasattr(socket, "send_fds"):
        # The listening socket reaches the zygote and workers over a unix socket.
        raise FlaskitError(
            "flaskit run needs a system that can pass sockets between processes "
            "(Linux, macOS, or WSL on Windows); this one cannot. Run it under WSL, "
            "or serve the app with `flask run` here."
        )
    config = resolve(options, info if info is not None else CliContext())
    return Supervisor(config).run()
