"""From a burst of file events to one decision.

Editors write a file in several steps (truncate, write, close; or write a
temporary file and rename it), often several files at once. The
:class:`Coalescer` collects events, waits for a short quiet window, then
compares each file's content with what it was: a touch that changes nothing
does nothing. A modify event can arrive at truncation, before the new content
is written, so the window after an event that leaves the file complete
(closed after writing, moved into place) is short, and after one that may not
(created, modified) it is long enough for the write to finish. A deletion
waits the long window too: a safe write (JetBrains, vim) renames the file away
and moves the new one into place just after, and a file that is back by then
is one change, not a missing module and then a second restart.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from flaskit.serve.classify import Kind, Rules, classify

COMPLETE = frozenset({"closed", "moved"})
SETTLE_COMPLETE = 0.001  # seconds of quiet after a complete write (a burst's next file)
SETTLE_PARTIAL = 0.1  # seconds of quiet after a write that may not be finished
_HASH_LIMIT = 4 * 1024 * 1024
_UNKNOWN = "?"


@dataclass(frozen=True)
class RawEvent:
    """One file event: ``kind`` is created, modified, closed, moved (the
    destination) or deleted; ``at`` is ``time.monotonic()`` when it was seen."""

    path: Path
    kind: str
    at: float


@dataclass
class Batch:
    """The changes of one quiet window, by what they call for."""

    first_event: float
    changes: dict[Kind, list[Path]] = field(default_factory=dict)

    def paths(self, *kinds: Kind) -> list[Path]:
        """The changed files of these kinds."""
        return [p for kind in kinds for p in self.changes.get(kind, [])]

    def __bool__(self) -> bool:
        return any(self.changes.values())


def fingerprint(path: Path) -> str | None:
    """The content of a file as a digest (size and time for big files); None if missing."""
    try:
        stat = path.stat()
        if stat.st_size > _HASH_LIMIT:
            return f"{stat.st_size}:{stat.st_mtime_ns}"
        return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError:
        return _UNKNOWN


class Coalescer:
    """Collects :class:`RawEvent` s and hands out a :class:`Batch` once they settle."""

    def __init__(
        self,
        rules: Rules,
        settle_complete: float = SETTLE_COMPLETE,
        settle_partial: float = SETTLE_PARTIAL,
        fingerprint: Callable[[Path], str | None] = fingerprint,
    ) -> None:
        self.rules = rules
        self.settle_complete = settle_complete
        self.settle_partial = settle_partial
        self.fingerprint = fingerprint
        self.known: dict[Path, str | None] = {}
        self._pending: dict[Path, RawEvent] = {}
        self._first: float | None = None

    def add(self, event: RawEvent) -> None:
        """Take an event into the current window (ignored files are dropped here)."""
        if classify(event.path, self.rules) is Kind.IGNORE:
            return
        self._pending[event.path] = event
        if self._first is None:
            self._first = event.at

    def deadline(self) -> float | None:
        """When the window closes (``time.monotonic()``), or None when nothing waits."""
        if not self._pending:
            return None
        return max(
            e.at + (self.settle_complete if e.kind in COMPLETE else self.settle_partial)
            for e in self._pending.values()
        )

    def flush(self, now: float) -> Batch | None:
        """The settled changes once the window has closed, else None."""
        deadline = self.deadline()
        if deadline is None or now < deadline:
            return None
        assert self._first is not None
        batch = Batch(self._first)
        events, self._pending, self._first = self._pending, {}, None
        for path in sorted(events):
            current = self.fingerprint(path)
            before = self.known.get(path, _UNKNOWN)
            self.known[path] = current
            if current == before and current != _UNKNOWN:
                continue  # touched or rewritten with the same bytes
            kind = classify(path, self.rules)
            if current is None and before == _UNKNOWN and kind is not Kind.CONFIG:
                continue  # a file we never saw came and went (an editor's temporary)
            batch.changes.setdefault(kind, []).append(path)
        return batch
