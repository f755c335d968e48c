"""Noticing that the project folder was deleted, or replaced by a new one.

A branch switch that removes the folder, a re-clone, a ``rm -rf`` and a fresh
checkout at the same path: the watches on the old folder die with it, the
supervisor's working directory is left pointing at a deleted directory, and the
fork server's too. The supervisor checks the identity (device and inode) of
the app's folder and the working directory now and then, waits while one is
missing, and starts over (new watches, a new fork server, a new generation)
once the folder is back.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

CHECK_INTERVAL = 0.5  # seconds between checks: one stat per folder
SETTLE = 0.3  # seconds of quiet in a folder that came back before it is served

Identity = tuple[int, int]


class FolderState(enum.Enum):
    """What became of the folders since the last check."""

    SAME = "same"
    MISSING = "missing"  # one is gone: wait for it
    REPLACED = "replaced"  # all there again, but one is a new directory


def _identity(path: Path) -> Identity | None:
    try:
        st = os.stat(path)  # noqa: PTH116 - st_dev and st_ino
    except OSError:
        return None
    if not os.path.isdir(path):  # noqa: PTH112
        return None
    return (st.st_dev, st.st_ino)


@dataclass
class FolderGuard:
    """The folders a session depends on, as they were when it started (or last
    started over)."""

    folders: tuple[Path, ...]
    known: dict[Path, Identity | None] = field(default_factory=dict)
    missing: bool = False

    @classmethod
    def of(cls, folders: Iterable[Path]) -> FolderGuard:
        """Remember the folders as they are now."""
        unique = tuple(dict.fromkeys(folders))
        return cls(unique, {path: _identity(path) for path in unique})

    def check(self) -> FolderState:
        """Compare with what was remembered; a replacement is remembered from now on."""
        now = {path: _identity(path) for path in self.folders}
        if any(now[path] is None for path in self.folders if self.known[path] is not None):
            self.missing = True
            return FolderState.MISSING
        was_missing, self.missing = self.missing, False
        if now == self.known and not was_missing:  # back after missing: a new folder,
            return FolderState.SAME  # even when it got the old inode number again
        self.known = now
        return FolderState.REPLACED

    def gone(self) -> list[Path]:
        """The folders missing at the last check."""
        return [path for path in self.folders if _identity(path) is None]
