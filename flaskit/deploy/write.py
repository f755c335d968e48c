"""Putting rendered files on disk: plan first, refuse before writing, all or nothing.

The plan checks every path before anything is written: a folder that is a
file, a file that is a folder or not a regular file, a folder that cannot be
written, a changed file without ``--force``. Writing then happens in two
phases. First every new text goes into a temporary file beside its
destination (so a full disk or a permission problem shows up while nothing is
changed yet); then each temporary file is renamed over its destination, the
old file kept under a hard link until every rename succeeded. On any failure,
Ctrl+C or SIGTERM included, the old files are put back and everything new is
removed: the output folder is as it was.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import stat
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from flaskit.deploy.render import RenderedFile
from flaskit.errors import UsageProblem

Action = Literal["create", "overwrite", "unchanged"]
TEMP_PREFIX = ".flaskit-"


class OutputExists(UsageProblem):
    """A file deploy-config would write is already there, with other content."""


class OutputBlocked(UsageProblem):
    """Something on disk stands where deploy-config needs a folder or a file."""


@dataclass(frozen=True)
class PlannedFile:
    """One file and what writing it would do."""

    file: RenderedFile
    path: Path  # absolute, on this machine
    action: Action


def plan_files(output_dir: Path, files: list[RenderedFile]) -> list[PlannedFile]:
    """What writing ``files`` into ``output_dir`` would do to each path.

    Raises :class:`OutputBlocked` when a path cannot be written at all, so the
    caller stops before anything changes.
    """
    planned = []
    for file in files:
        path = output_dir / file.path
        _check_folders(path.parent)
        if path.is_dir():
            raise OutputBlocked(
                f"{path} is a directory, but deploy-config writes a file there. "
                "Nothing was written. Move it away or choose another --output-dir."
            )
        if path.exists() and not stat.S_ISREG(path.stat().st_mode):
            raise OutputBlocked(
                f"{path} is not a regular file (a device, FIFO or socket), but deploy-config "
                "writes a file there. Nothing was written. Move it away or choose another "
                "--output-dir."
            )
        if not path.exists():
            action: Action = "create"
        elif _same_text(path, file.content):
            action = "unchanged"
        else:
            action = "overwrite"
        planned.append(PlannedFile(file, path, action))
    return planned


def _check_folders(folder: Path) -> None:
    """Every folder on the way to ``folder`` is one (or can be made), and is writable."""
    for candidate in (folder, *folder.parents):
        if not candidate.exists() and not candidate.is_symlink():
            continue
        if not candidate.is_dir():
            what = "a broken link" if not candidate.exists() else "a file"
            raise OutputBlocked(
                f"{candidate} is {what}, but deploy-config needs a folder there for "
                f"{folder}. Nothing was written. Move it away or choose another --output-dir."
            )
        if not os.access(candidate, os.W_OK | os.X_OK):
            raise OutputBlocked(
                f"{candidate} cannot be written by this user, so the files cannot go in "
                f"{folder}. Nothing was written. Run as a user who may write there, or choose "
                "another --output-dir."
            )
        return


def refuse_overwrites(plan: list[PlannedFile]) -> None:
    """Stop before writing anything if a changed file would replace an existing one."""
    clobbered = [p.path for p in plan if p.action == "overwrite"]
    if clobbered:
        listing = "\n".join(f"  {path}" for path in clobbered)
        raise OutputExists(
            f"These files already exist and would change:\n{listing}\n"
            "Nothing was written. Pass --force to replace them, --dry-run to see the new "
            "content, or choose another --output-dir."
        )


def write_files(plan: Sequence[PlannedFile]) -> None:
    """Write every new or changed file of ``plan``: all of them, or none.

    Raises the ``OSError`` (or ``KeyboardInterrupt``) that stopped it, after the
    undo; the caller turns it into a message.
    """
    todo = [item for item in plan if item.action != "unchanged"]
    created: list[Path] = []
    temps: dict[Path, Path] = {}
    kept: list[tuple[Path, Path]] = []  # (destination, hard link to its old file)
    placed: list[Path] = []
    with _signals_as_interrupts():
        try:
            for item in todo:
                created.extend(_make_folders(item.path.parent))
            for item in todo:  # phase 1: nothing visible changes yet
                temps[item.path] = _write_temp(item.path, item.file.content.encode("utf-8"))
            for item in todo:  # phase 2: renames, each one atomic
                if item.path.exists():
                    kept.append((item.path, _keep_old(item.path)))
                temps[item.path].replace(item.path)
                del temps[item.path]
                placed.append(item.path)
        except BaseException:
            with _signals_ignored():
                _undo(placed, kept, list(temps.values()), created)
            raise
    for _destination, old in kept:
        with contextlib.suppress(OSError):
            old.unlink()


def _write_temp(destination: Path, data: bytes) -> Path:
    """``data`` in a new file beside ``destination``, flushed to disk, mode 0644."""
    folder = destination.parent
    for attempt in range(100):
        temp = folder / f"{TEMP_PREFIX}{destination.name}.{os.getpid()}.{attempt}.tmp"
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            continue
        break
    else:
        raise FileExistsError(errno.EEXIST, "no free temporary name", str(folder))
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fchmod(fd, 0o644)  # whatever the umask: the web server must read these
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        temp.unlink(missing_ok=True)
        raise
    os.close(fd)
    return temp


def _keep_old(path: Path) -> Path:
    """A second name for the file at ``path``, so it can be put back."""
    for attempt in range(100):
        old = path.parent / f"{TEMP_PREFIX}{path.name}.{os.getpid()}.{attempt}.old"
        try:
            os.link(path, old)
        except FileExistsError:
            continue
        except OSError:  # no hard links here: move it aside instead
            path.replace(old)
        return old
    raise FileExistsError(errno.EEXIST, "no free backup name", str(path.parent))


def _undo(
    placed: Sequence[Path],
    kept: Sequence[tuple[Path, Path]],
    temps: Sequence[Path],
    created: Sequence[Path],
) -> None:
    restored = {destination for destination, _old in kept}
    for destination, old in reversed(kept):
        with contextlib.suppress(OSError):
            old.replace(destination)
            # rename() does nothing when both names are links to one file (the
            # new file was never put in place): the second name then goes.
            old.unlink(missing_ok=True)
    for path in placed:
        if path not in restored:
            with contextlib.suppress(OSError):
                path.unlink()
    for temp in temps:
        with contextlib.suppress(OSError):
            temp.unlink()
    for folder in reversed(created):
        with contextlib.suppress(OSError):
            folder.rmdir()


def _make_folders(folder: Path) -> list[Path]:
    """Create ``folder`` and missing parents; return those created, outermost first."""
    missing = []
    for candidate in (folder, *folder.parents):
        if candidate.is_dir():
            break
        missing.append(candidate)
    created = []
    try:
        for candidate in reversed(missing):
            candidate.mkdir()
            candidate.chmod(0o755)  # the web server's user reads the files below
            created.append(candidate)
    except BaseException:
        for done in reversed(created):
            with contextlib.suppress(OSError):
                done.rmdir()
        raise
    return created


def _same_text(path: Path, text: str) -> bool:
    try:
        return path.read_text(encoding="utf-8") == text
    except (OSError, UnicodeDecodeError):
        return False


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
