"""One hub per worker: the changes it was told about and the streams that wait for them.

The supervisor's watcher sends the worker a ``change`` message for every
save that needs no restart; :meth:`Hub.on_message` numbers it (``seq``) and
hands it to every open stream. A page is rendered with the hub's generation
id and ``seq``, so the browser can tell what it missed: a stream from another
generation, or a ``seq`` newer than the page's, means the page is stale.
"""

from __future__ import annotations

import secrets
import threading
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

KINDS = frozenset({"template", "css", "static"})
MAX_STREAMS = 32  # per worker; the SharedWorker client needs one per browser
MAX_QUEUED = 64  # changes a stream may fall behind before it is dropped


@dataclass(frozen=True)
class Change:
    """One change the browser should follow."""

    seq: int
    kind: str  # "template" | "css" | "static"
    paths: tuple[str, ...]  # relative to the project root, "/"-separated


class Closed:
    """Returned by :meth:`Stream.get` once the stream is over."""


CLOSED = Closed()


class Stream:
    """The changes waiting for one connected browser."""

    def __init__(self) -> None:
        self._items: deque[Change] = deque()
        self._ready = threading.Condition()
        self._closed = False

    def put(self, change: Change) -> None:
        """Queue a change; a stream that stopped reading is closed instead of growing."""
        with self._ready:
            if len(self._items) >= MAX_QUEUED:
                self._closed = True
            else:
                self._items.append(change)
            self._ready.notify_all()

    def close(self) -> None:
        """End the stream: :meth:`get` returns :data:`CLOSED` once the queue is empty."""
        with self._ready:
            self._closed = True
            self._ready.notify_all()

    def get(self, timeout: float) -> Change | Closed | None:
        """The next change, :data:`CLOSED`, or None when ``timeout`` passed first."""
        with self._ready:
            self._ready.wait_for(lambda: self._items or self._closed, timeout)
            if self._items:
                return self._items.popleft()
            return CLOSED if self._closed else None


class Hub:
    """The live-reload state of one worker generation."""

    def __init__(self, generation: int, roots: Iterable[Path] = (), max_streams: int = MAX_STREAMS):
        # The random part tells a restarted flaskit's generation 1 from the old one's.
        self.generation_id = f"{generation}-{secrets.token_hex(4)}"
        self.roots = tuple(roots)
        self.max_streams = max_streams
        self._lock = threading.Lock()
        self._seq = 0
        self._streams: set[Stream] = set()
        self._closed = False

    @property
    def seq(self) -> int:
        """The number of the latest change (0 before the first)."""
        return self._seq

    @property
    def streams(self) -> int:
        """How many streams are open."""
        with self._lock:
            return len(self._streams)

    def on_message(self, message: Mapping[str, Any]) -> None:
        """Take a message from the supervisor (called in the worker's channel thread)."""
        kind = message.get("kind")
        if message.get("op") != "change" or kind not in KINDS:
            return
        paths = tuple(self.relative(str(p)) for p in message.get("paths", ()))
        with self._lock:
            self._seq += 1
            change = Change(self._seq, str(kind), paths)
            streams = list(self._streams)
        for stream in streams:
            stream.put(change)

    def open(self) -> tuple[Stream, int] | None:
        """A new stream and the ``seq`` it starts after; None when closed or full."""
        with self._lock:
            if self._closed or len(self._streams) >= self.max_streams:
                return None
            stream = Stream()
            self._streams.add(stream)
            return stream, self._seq

    def release(self, stream: Stream) -> None:
        """Forget a stream whose response has ended."""
        with self._lock:
            self._streams.discard(stream)

    def close(self) -> None:
        """End every stream and refuse new ones: the worker is draining."""
        with self._lock:
            self._closed = True
            streams = list(self._streams)
        for stream in streams:
            stream.close()

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._closed

    def relative(self, path: str) -> str:
        """``path`` relative to the root it is in (the browser never sees absolute paths)."""
        pure = PurePath(path)
        for root in self.roots:
            if pure.is_relative_to(root):
                return pure.relative_to(root).as_posix()
        return pure.name
