"""Watching the project: file-system events (watchdog), or polling.

Both back-ends call ``sink(RawEvent)`` from their own thread; the supervisor
coalesces. Only the project's roots are watched, never ``sys.path``,
site-packages or the standard library: each root itself (not recursively), each
sub-tree that holds no excluded folder with one recursive watch, and the folders
above an excluded one each on their own, so a virtualenv, ``node_modules`` or
``.git`` anywhere in the project costs no inotify watch.
"""

from __future__ import annotations

import errno
import os
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Protocol

from flaskit.serve.classify import Rules, is_excluded, is_excluded_dir
from flaskit.serve.coalesce import RawEvent

Sink = Callable[[RawEvent], None]
POLL_INTERVAL = 0.5
_POLL_FILE_LIMIT = 20_000


class WatchLimitReached(Exception):
    """The system ran out of file watches (inotify limits)."""

    def __init__(self, message: str, code: int = errno.ENOSPC) -> None:
        super().__init__(message)
        self.code = code

    @property
    def hint(self) -> str:
        """The sysctl that raises the limit that was reached."""
        # ENOSPC: too many watches; EMFILE: too many inotify instances (one per observer).
        if self.code == errno.EMFILE:
            setting, value = "fs.inotify.max_user_instances", 1024
        else:
            setting, value = "fs.inotify.max_user_watches", 524288
        return (
            f"Raise the limit with: sudo sysctl {setting}={value} (add it to "
            "/etc/sysctl.conf to keep it), or exclude big folders with --exclude."
        )


class Watcher(Protocol):
    """What the supervisor needs from a back-end."""

    name: str

    def start(self) -> None:
        """Start watching in a background thread."""

    def stop(self) -> None:
        """Stop watching."""

    def add_files(
        self,
        files: Iterable[Path],
        folders: Iterable[Path],
        seen: Mapping[Path, tuple[int, int]] | None = None,
    ) -> None:
        """Files and folders the app turned out to use (the poller needs them);
        ``seen``: the files' (mtime_ns, size) when the worker imported them."""


def _has_venv(folder: Path) -> bool:
    return (folder / "pyvenv.cfg").is_file()


def _skipped(path: Path, rules: Rules) -> bool:
    """Whether a folder and everything below it stays unwatched."""
    return (
        is_excluded_dir(path.name, rules.exclude)
        or _has_venv(path)
        or is_excluded(path / "_", rules)
    )


def _cover(root: Path, rules: Rules) -> list[tuple[Path, bool]]:
    """(folder, recursive) pairs for everything below ``root`` that is not skipped.

    One walk finds the folders that have a skipped folder somewhere below them
    ("split"); those are watched on their own and their sub-folders covered in
    turn, while every other sub-tree gets a single recursive watch.
    """
    kept: list[Path] = []  # top-down: a folder always comes after its parent
    split: set[Path] = set()
    for dirpath, dirnames, _files in os.walk(root, onerror=lambda _error: None):
        here = Path(dirpath)
        keep: list[str] = []
        for name in sorted(dirnames):
            path = here / name
            if path.is_symlink():
                continue
            if _skipped(path, rules):
                split.add(here)
            else:
                keep.append(name)
                kept.append(path)
        dirnames[:] = keep
    for start in list(split):
        folder = start
        while folder != root and folder.parent not in split:
            folder = folder.parent
            split.add(folder)
    return [
        (path, path not in split) for path in kept if path.parent == root or path.parent in split
    ]


def watched_folders(rules: Rules) -> list[tuple[Path, bool]]:
    """(folder, recursive) pairs covering the roots minus the excluded folders."""
    pairs: list[tuple[Path, bool]] = []
    for root in rules.roots:
        pairs.append((root, False))
        pairs.extend(_cover(root, rules))
    roots = rules.roots
    for extra in sorted(rules.config_files | rules.watch_files):
        folder = extra.parent
        inside = any(folder == r or folder.is_relative_to(r) for r in roots)
        if not inside and folder.is_dir() and (folder, False) not in pairs:
            pairs.append((folder, False))
    return pairs


class EventWatcher:
    """watchdog's native observer (inotify on Linux), limited to the events that matter."""

    def __init__(self, rules: Rules, sink: Sink) -> None:
        from watchdog.observers import Observer

        self.rules = rules
        self.sink = sink
        self.observer = Observer()
        backend = type(self.observer).__name__.removesuffix("Observer").lower()
        self.name = f"events ({backend or 'native'})"
        self._handler = self._make_handler()
        self._scheduled: set[Path] = set()
        self._flat: set[Path] = set()  # watched on their own: new sub-folders need a watch

    def _make_handler(self) -> Any:
        from watchdog.events import FileSystemEventHandler

        watcher = self

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event: Any) -> None:
                watcher._on_event(event)

        return Handler()

    def _event_filter(self) -> list[Any]:
        # Never opened/closed-without-writing: reading a file (our own content check,
        # the worker's import) must not look like a change.
        from watchdog import events as ev

        return [
            ev.FileCreatedEvent,
            ev.FileModifiedEvent,
            ev.FileClosedEvent,
            ev.FileMovedEvent,
            ev.FileDeletedEvent,
            ev.DirCreatedEvent,
            ev.DirMovedEvent,
            ev.DirDeletedEvent,
        ]

    def _schedule(self, folder: Path, recursive: bool) -> None:
        if folder in self._scheduled:
            return
        self._scheduled.add(folder)
        if not recursive:
            self._flat.add(folder)
        self.observer.schedule(
            self._handler, str(folder), recursive=recursive, event_filter=self._event_filter()
        )

    def start(self) -> None:
        """Watch; raises :class:`WatchLimitReached` when inotify runs out of watches."""
        try:
            for folder, recursive in watched_folders(self.rules):
                self._schedule(folder, recursive)
            self.observer.start()
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EMFILE):
                self.stop()
                raise WatchLimitReached(str(exc), exc.errno) from exc
            raise

    def stop(self) -> None:
        """Stop the observer threads."""
        try:
            self.observer.stop()
            if self.observer.is_alive():
                self.observer.join(2)
        except RuntimeError:
            pass

    def add_files(
        self,
        files: Iterable[Path],
        folders: Iterable[Path],
        seen: Mapping[Path, tuple[int, int]] | None = None,
    ) -> None:
        """Nothing to do: every folder is watched already."""

    def _on_event(self, event: Any) -> None:
        now = time.monotonic()
        src = Path(os.fsdecode(event.src_path))
        kind = event.event_type
        if event.is_directory:
            self._on_directory(event, src)
            return
        if kind == "moved":
            self.sink(RawEvent(src, "deleted", now))
            self.sink(RawEvent(Path(os.fsdecode(event.dest_path)), "moved", now))
        elif kind in ("created", "modified", "closed", "deleted"):
            self.sink(RawEvent(src, kind, now))

    def _on_directory(self, event: Any, src: Path) -> None:
        # A new folder in a folder watched on its own is not covered by any recursive watch.
        target = Path(os.fsdecode(event.dest_path)) if event.event_type == "moved" else src
        if event.event_type not in ("created", "moved") or target.parent not in self._flat:
            return
        if _skipped(target, self.rules):
            return
        try:
            self._schedule(target, True)
        except OSError:
            return
        # Files written before the watch existed.
        now = time.monotonic()
        for dirpath, dirnames, filenames in os.walk(target):
            dirnames[:] = [d for d in dirnames if not is_excluded_dir(d, self.rules.exclude)]
            for name in filenames:
                self.sink(RawEvent(Path(dirpath) / name, "closed", now))


class PollWatcher:
    """Polls the files that matter: the app's own modules, config files, ``--watch``
    paths and the app's template and static folders. For file systems without
    change events (Docker bind mounts, WSL, NFS, SSHFS)."""

    def __init__(self, rules: Rules, sink: Sink, interval: float = POLL_INTERVAL) -> None:
        self.rules = rules
        self.sink = sink
        self.interval = interval
        self.name = f"polling every {interval:g} s"
        self._files: frozenset[Path] = rules.config_files | rules.watch_files
        self._folders: frozenset[Path] = frozenset()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="flaskit-poll", daemon=True)
        self._seen: dict[Path, tuple[int, int]] = {}
        self._lock = threading.Lock()
        self._added: dict[Path, tuple[int, int]] = {}

    def add_files(
        self,
        files: Iterable[Path],
        folders: Iterable[Path],
        seen: Mapping[Path, tuple[int, int]] | None = None,
    ) -> None:
        """Poll these too (called with what each worker imported).

        The baseline of a file is its state in ``seen`` (when the worker imported
        it: an edit made since, while this report was on its way, is a change),
        else its state now; taking a file on is not a change in itself.
        """
        seen = seen or {}
        new_files = frozenset(files) - self._files
        new_folders = frozenset(folders) - self._folders
        stats: dict[Path, tuple[int, int]] = {}
        for path in new_files:
            if path in seen:
                stats[path] = seen[path]
            else:
                _stat_into(path, stats)
        for folder in new_folders:
            self._walk(folder, stats)
        with self._lock:
            self._added.update(stats)
            self._files = self._files | new_files
            self._folders = self._folders | new_folders

    def start(self) -> None:
        """Take the first snapshot, then poll in a thread."""
        self._seen = self._snapshot()
        self._thread.start()

    def stop(self) -> None:
        """Stop polling."""
        self._stopped.set()
        if self._thread.is_alive():
            self._thread.join(2)

    def _snapshot(self) -> dict[Path, tuple[int, int]]:
        stats: dict[Path, tuple[int, int]] = {}
        for path in self._files:
            _stat_into(path, stats)
        for folder in self._folders:
            self._walk(folder, stats)
        return stats

    def _walk(self, folder: Path, stats: dict[Path, tuple[int, int]]) -> None:
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = [d for d in dirnames if not is_excluded_dir(d, self.rules.exclude)]
            for name in filenames:
                if len(stats) >= _POLL_FILE_LIMIT:
                    return
                _stat_into(Path(dirpath) / name, stats)

    def _run(self) -> None:
        while not self._stopped.wait(self.interval):
            with self._lock:
                self._seen.update(self._added)
                self._added = {}
            current = self._snapshot()
            now = time.monotonic()
            for path, stamp in current.items():
                before = self._seen.get(path)
                if before != stamp:
                    self.sink(RawEvent(path, "closed", now))
            for path in self._seen.keys() - current.keys():
                self.sink(RawEvent(path, "deleted", now))
            self._seen = current


def _stat_into(path: Path, stats: dict[Path, tuple[int, int]]) -> None:
    try:
        st = path.stat()
    except OSError:
        return
    stats[path] = (st.st_mtime_ns, st.st_size)
