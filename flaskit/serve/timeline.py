"""Where a reload's time goes: one timestamp per phase, from the save to the new code.

The phases, in order: the first file event of the change is seen (the watcher's
thread), the quiet window closes and the batch is flushed, the fork server is
asked for a worker (or one is spawned), the worker begins its generation (a
spare forked ahead of time is handed it, or a fresh fork starts), the app's
import ends, the worker reports ready, the previous generation stops accepting,
and the new generation sends its first response. The worker's and the old
generation's readings come in their messages (:mod:`flaskit.serve.protocol`);
all of them are ``time.monotonic()``, one clock for every process here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

# (field, label): each phase ends at its field's time and starts at the previous one's.
PHASES: tuple[tuple[str, str], ...] = (
    ("flushed_at", "batch flushed"),
    ("fork_asked_at", "fork asked"),
    ("forked_at", "forked"),
    ("imported_at", "app imported"),
    ("ready_at", "ready"),
    ("old_closed_at", "old stopped accepting"),
    ("first_response_at", "first new response"),
)


@dataclass
class Timeline:
    """One reload's timestamps; ``None``: not reached (yet)."""

    event_at: float
    flushed_at: float | None = None
    fork_asked_at: float | None = None
    forked_at: float | None = None
    imported_at: float | None = None
    ready_at: float | None = None
    old_closed_at: float | None = None
    first_response_at: float | None = None
    replaces: bool = False  # a generation was serving: its stop is a phase too
    reported: bool = False

    @property
    def complete(self) -> bool:
        """Every phase has its time (the old generation's only when there was one)."""
        return all(
            getattr(self, name) is not None
            for name, _label in PHASES
            if self.replaces or name != "old_closed_at"
        )

    def steps(self) -> list[tuple[str, float]]:
        """(label, milliseconds since the previous phase) for the phases reached."""
        steps: list[tuple[str, float]] = []
        previous = self.event_at
        for name, label in PHASES:
            at = getattr(self, name)
            if at is None:
                continue
            steps.append((label, (at - previous) * 1000))
            previous = at
        return steps

    @property
    def total_ms(self) -> float | None:
        """From the first event to the first response with the new code."""
        if self.first_response_at is None:
            return None
        return (self.first_response_at - self.event_at) * 1000

    def describe(self) -> str:
        """One line: each phase's share, then the total."""
        parts = ", ".join(f"{label} +{ms:.1f}" for label, ms in self.steps())
        total = self.total_ms
        return f"event seen, {parts}" + (f" = {total:.1f} ms" if total is not None else "")

    def as_json(self) -> str:
        """One machine-readable line: milliseconds per phase and the total."""
        record = {label: round(ms, 3) for label, ms in self.steps()}
        return json.dumps({"phases_ms": record, "total_ms": self.total_ms})


def append_record(path: Path, timeline: Timeline) -> None:
    """Add ``timeline`` as one line to ``path`` (``FLASKIT_RUN_TIMINGS_FILE``)."""
    with path.open("a", encoding="utf-8") as stream:
        stream.write(timeline.as_json() + "\n")
