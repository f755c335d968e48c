"""The states of a worker generation, and the supervisor's decisions about them.

Pure functions of what the supervisor saw: no processes, no clock, no I/O, so every
transition has a unit test (tests/serve/test_lifecycle.py). The supervisor is the I/O
shell that feeds them and carries out what they decide.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from flaskit.serve.classify import Kind
from flaskit.serve.folders import FolderState


class State(enum.Enum):
    """Where a generation is in its life.

    STARTING: asked for (forked or spawned), importing the app. READY: serving the
    app. FAILED: serving the app's import error. STOPPING: told to stop; finishing
    its requests in flight. GONE: its process has exited (or was killed).
    """

    STARTING = "starting"
    READY = "ready"
    FAILED = "failed"
    STOPPING = "stopping"
    GONE = "gone"

    @property
    def serving(self) -> bool:
        """Accepting requests (the app, or its import error)."""
        return self in (State.READY, State.FAILED)


class Arrival(enum.Enum):
    """What a generation's ``ready`` (or ``failed``) report leads to."""

    IGNORE = "ignore"  # it was told to stop already
    OVERTAKEN = "overtaken"  # a newer generation serves: stop this one
    TAKE_OVER = "take over"  # it serves now: every older generation stops


def on_ready(state: State, number: int, current: int | None) -> Arrival:
    """The decision when generation ``number`` reports ready; ``current``: the number
    of the generation serving now, if any."""
    if state is State.STOPPING:
        return Arrival.IGNORE
    if current is not None and number < current:
        return Arrival.OVERTAKEN
    return Arrival.TAKE_OVER


class Remedy(enum.Enum):
    """What the supervisor does when a generation's process has gone."""

    NOTHING = "nothing"  # it was stopping, or it was an old generation
    RETRY_SPAWNED = "retry spawned"  # a forked worker died importing: try a spawned one
    SERVE_CRASH = "serve crash"  # it died importing: a worker serves how (the error page)
    REPORT = "report"  # it died importing and there is nothing more to try
    REPLACE = "replace"  # the serving worker died: start another


@dataclass(frozen=True)
class Death:
    """A generation whose process is gone, as the supervisor saw it."""

    state: State  # when it went
    spawned: bool
    current: bool  # it was the one serving
    crash_page: bool  # it was already serving how the previous one died
    fallback: bool  # it was the spawned re-run of a forked worker that died


@dataclass(frozen=True)
class Session:
    """What the decisions depend on beyond the generation."""

    reload: bool
    forking: bool  # workers come from the fork server
    fallback_pending: bool  # a spawned re-run of a dead forked worker is under way
    shutting_down: bool = False
    others_left: bool = True  # generations besides the dead one


@dataclass(frozen=True)
class Outcome:
    """The decision on a death: the remedy, whether the pending fork fallback is over
    (its spawned worker died too), and whether the session ends (no reload, nothing
    left to serve)."""

    remedy: Remedy
    fallback_over: bool = False
    exit: bool = False


def on_gone(death: Death, session: Session) -> Outcome:
    """The decision when a generation's process has exited (or its channel closed)."""
    if session.shutting_down or death.state is State.STOPPING:
        return Outcome(Remedy.NOTHING)
    ends = not session.reload and not session.others_left
    if death.state is State.STARTING:
        if not death.spawned and not session.fallback_pending and session.forking:
            return Outcome(Remedy.RETRY_SPAWNED)
        if session.reload and not death.crash_page:
            return Outcome(Remedy.SERVE_CRASH, fallback_over=death.fallback)
        return Outcome(Remedy.REPORT, fallback_over=death.fallback, exit=ends)
    if death.current:
        return Outcome(Remedy.REPLACE if session.reload else Remedy.REPORT, exit=ends)
    return Outcome(Remedy.NOTHING, exit=ends)


# ---------------------------------------------------------------------- stopping


def stop_grace(state: State, drain: float) -> float:
    """How long a generation told to stop may take: one still importing has no
    request in flight, so it gets none; one serving gets ``drain``."""
    return 0.0 if state is State.STARTING else drain


# ---------------------------------------------------------------------- batches


@dataclass(frozen=True)
class BatchPlan:
    """What one batch of file changes leads to.

    ``restart``: the files that call for a new generation (empty: none);
    ``environment``: .env/.flaskenv changed, so the new generation (and the fork
    server) get the environment read again; ``refresh``: the template, stylesheet
    and static changes, by kind, that the serving worker's pages take in place.
    """

    restart: tuple[Path, ...] = ()
    environment: bool = False
    refresh: tuple[tuple[Kind, tuple[Path, ...]], ...] = ()


REFRESHED = (Kind.TEMPLATE, Kind.CSS, Kind.STATIC)


def on_batch(changes: Mapping[Kind, Sequence[Path]], folders: FolderState) -> BatchPlan:
    """The decision on the changes of one quiet window, given what became of the
    project's folders: while one is gone (or was just replaced, which starts
    everything over) a batch does nothing. A code or config change starts a new
    generation, which serves every kind of change at once; otherwise the serving
    pages are refreshed."""
    if folders is not FolderState.SAME:
        return BatchPlan()
    config = tuple(changes.get(Kind.CONFIG, ()))
    restart = config + tuple(changes.get(Kind.RESTART, ()))
    if restart:
        return BatchPlan(restart=restart, environment=bool(config))
    refresh = tuple((kind, tuple(changes[kind])) for kind in REFRESHED if changes.get(kind))
    return BatchPlan(refresh=refresh)


# ---------------------------------------------------------------------- timers


class Timer(enum.Enum):
    """A generation's deadline that has passed."""

    KILL = "kill"  # told to stop, it outlived its grace: SIGKILL
    FORK_TIMEOUT = "fork timeout"  # the fork server did not answer the fork in time
    SLOW_IMPORT = "slow import"  # still importing after a while: say so once


@dataclass(frozen=True)
class Deadlines:
    """A generation's pending deadlines (``time.monotonic()`` values, or None)."""

    kill_at: float | None = None
    fork_at: float | None = None
    notice_at: float | None = None

    def earliest(self) -> float | None:
        """The next of them, if any."""
        pending = [t for t in (self.kill_at, self.fork_at, self.notice_at) if t is not None]
        return min(pending) if pending else None


def on_timers(
    deadlines: Deadlines, state: State, now: float, *, shutting_down: bool = False
) -> tuple[Timer, ...]:
    """The deadlines of a generation in ``state`` that have passed by ``now``, in the
    order they are acted on. The slow-import notice only concerns a generation still
    importing, and not during shutdown."""
    due: list[Timer] = []
    if deadlines.kill_at is not None and now >= deadlines.kill_at:
        due.append(Timer.KILL)
    if deadlines.fork_at is not None and now >= deadlines.fork_at:
        due.append(Timer.FORK_TIMEOUT)
    if (
        deadlines.notice_at is not None
        and now >= deadlines.notice_at
        and state is State.STARTING
        and not shutting_down
    ):
        due.append(Timer.SLOW_IMPORT)
    return tuple(due)


class ForkRemedy(enum.Enum):
    """What a fork timeout leads to."""

    RESPAWN = "respawn"  # the fork server is busy (preloading): spawn this one, keep it
    REPLACE_SERVER = "replace server"  # it is stopped: kill it, spawn, start a new one


def on_fork_timeout(server_stopped: bool) -> ForkRemedy:
    """The decision when the fork server has not forked a generation in time."""
    return ForkRemedy.REPLACE_SERVER if server_stopped else ForkRemedy.RESPAWN


def should_replace_dead(*, shutting_down: bool, serving: bool, starting: bool) -> bool:
    """Whether to start a generation in place of a dead serving one now (its restart
    pause is over): not when one serves or is on its way already."""
    return not shutting_down and not serving and not starting


class Forking(enum.Enum):
    """What a fork fallback that worked (the spawned re-run serves) says about forking."""

    KEEP = "keep"  # the forked worker was killed from outside (kill -9, OOM): not forking's fault
    STOP = "stop"  # forking is to blame: spawn from now on


def after_fallback(killed_from_outside: bool) -> Forking:
    """The decision once the spawned re-run of a forked worker that died is ready."""
    return Forking.KEEP if killed_from_outside else Forking.STOP
