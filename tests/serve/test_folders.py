"""The folder guard: deleted, missing, replaced."""

from __future__ import annotations

import shutil
from pathlib import Path

from flaskit.serve.folders import FolderGuard, FolderState


def test_a_folder_replaced_at_the_same_path_is_told_apart(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    guard = FolderGuard.of([project, project])
    assert guard.folders == (project,)
    assert guard.check() is FolderState.SAME
    shutil.rmtree(project)
    assert guard.check() is FolderState.MISSING
    assert guard.missing
    assert guard.gone() == [project]
    project.mkdir()  # perhaps with the old inode number: it was seen missing
    assert guard.check() is FolderState.REPLACED
    assert not guard.missing
    assert guard.check() is FolderState.SAME  # remembered from now on


def test_a_file_in_place_of_the_folder_counts_as_missing(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    guard = FolderGuard.of([project])
    project.rmdir()
    project.write_text("not a folder")
    assert guard.check() is FolderState.MISSING
