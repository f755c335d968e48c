"""The states of a worker generation, and the supervisor's decisions about them.

Pure functions of what the supervisor saw: no processes, no clock, no I/O, so every
transition has a unit test (tests/serve/test_lifecycle.py). The supervisor is the I/O
shell that feeds them and carries out what they decide.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


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
