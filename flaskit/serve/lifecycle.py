"""The states of a worker generation."""

from __future__ import annotations

import enum


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
