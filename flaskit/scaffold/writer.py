"""Write a plan so that it happens completely or not at all.

Every file is first rendered into a staging folder on the destination's file
system. A new project folder is then moved into place with one rename. Into an
existing folder (empty, or ``--force``), each file is moved in with
``os.replace`` after the file it replaces has been moved aside; if anything
fails or the user interrupts (Ctrl+C, SIGTERM), every step is undone: the
files put aside come back, new files and folders go. The staging folder is
always removed.
"""

from __future__ import annotations

import contextlib
import shutil
import signal
import stat
import tempfile
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

from flaskit.scaffold.plan import Plan, PlannedFile

STAGING_PREFIX = ".flaskit-new-"


def write_plan(plan: Plan) -> list[PlannedFile]:
    """Write the files of ``plan`` that need writing; return them."""
    items = plan.to_write
    with _signals_as_interrupts():
        if plan.target_state == "missing":
            _write_new_folder(plan, items)
        else:
            _write_into_folder(plan, items)
    return items


def _write_new_folder(plan: Plan, items: Sequence[PlannedFile]) -> None:
    created = _make_folders(plan.target.parent)
    staging: Path | None = None
    done = False
    try:
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=plan.target.parent))
        project = staging / plan.target.name
        project.mkdir()  # with the user's umask, unlike mkdtemp's 0700
        _stage(plan, items, project)
        project.rename(plan.target)
        done = True
    finally:
        with _signals_ignored():
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)
            if not done:
                _remove_folders(created)


def _write_into_folder(plan: Plan, items: Sequence[PlannedFile]) -> None:
    target = plan.target
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=target))
    moved: list[tuple[Path, Path | None]] = []  # (destination, where its old file was put)
    created: list[Path] = []
    try:
        _stage(plan, items, staging / "new")
        for item in items:
            destination = target / item.path
            created.extend(_make_folders(destination.parent))
            backup = None
            if destination.exists():
                backup = staging / "old" / item.path
                backup.parent.mkdir(parents=True, exist_ok=True)
            moved.append((destination, backup))  # recorded first, so an undo finds it
            if backup is not None:
                destination.replace(backup)
            (staging / "new" / item.path).replace(destination)
    except BaseException:
        with _signals_ignored():
            _undo(moved, created)
            shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(staging, ignore_errors=True)


def _undo(moved: Sequence[tuple[Path, Path | None]], created: Sequence[Path]) -> None:
    for destination, backup in reversed(moved):
        if backup is not None:
            if backup.exists():
                backup.replace(destination)
        elif destination.exists():
            destination.unlink()
    _remove_folders(created)


def _stage(plan: Plan, items: Sequence[PlannedFile], root: Path) -> None:
    for item in items:
        path = root / item.path
        path.parent.mkdir(parents=True, exist_ok=True)
        if item.rendered:
            path.write_bytes(plan.content(item))
        else:
            shutil.copyfile(item.source, path)
        _copy_executable_bits(item.source, path)


def _copy_executable_bits(source: Path, path: Path) -> None:
    """Scripts stay executable; other modes come from the user's umask, not the template
    (an installed template may be read-only)."""
    executable = source.stat().st_mode & (stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    if executable:
        mode = path.stat().st_mode
        path.chmod(stat.S_IMODE(mode) | ((mode & 0o444) >> 2))


def _make_folders(folder: Path) -> list[Path]:
    """Create ``folder`` and missing parents; return those created, outermost first."""
    missing = []
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            break
        missing.append(candidate)
    created = []
    try:
        for candidate in reversed(missing):
            candidate.mkdir()
            created.append(candidate)
    except BaseException:
        _remove_folders(created)
        raise
    return created


def _remove_folders(created: Sequence[Path]) -> None:
    for folder in reversed(created):
        with contextlib.suppress(OSError):
            folder.rmdir()


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@contextlib.contextmanager
def _signals_as_interrupts() -> Iterator[None]:
    """SIGTERM interrupts like Ctrl+C while writing, so the undo runs for both."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def _signals_ignored() -> Iterator[None]:
    """A second Ctrl+C must not stop the undo half-way."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    names = (signal.SIGINT, signal.SIGTERM)
    previous = {signum: signal.signal(signum, signal.SIG_IGN) for signum in names}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
