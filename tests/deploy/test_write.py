"""Writing the files: a plan first, no clobbering, whole files only."""

from __future__ import annotations

import stat
from pathlib import Path, PurePosixPath

import pytest

from flaskit.deploy.render import RenderedFile
from flaskit.deploy.write import OutputExists, plan_files, refuse_overwrites, write_files


def _file(path: str, content: str) -> RenderedFile:
    return RenderedFile(PurePosixPath(path), content, "stays here")


def test_plan_tells_create_overwrite_and_unchanged(tmp_path: Path) -> None:
    (tmp_path / "same.conf").write_text("same\n")
    (tmp_path / "changed.conf").write_text("old\n")
    files = [
        _file("new/a.conf", "a\n"),
        _file("same.conf", "same\n"),
        _file("changed.conf", "new\n"),
    ]
    plan = plan_files(tmp_path, files)
    assert [p.action for p in plan] == ["create", "unchanged", "overwrite"]
    with pytest.raises(OutputExists) as caught:
        refuse_overwrites(plan)
    assert str(tmp_path / "changed.conf") in caught.value.format_message()
    assert caught.value.exit_code == 2


def test_write_creates_folders_and_world_readable_files_without_leftovers(tmp_path: Path) -> None:
    plan = plan_files(tmp_path, [_file("systemd/x.service", "[Unit]\n"), _file("README.md", "r\n")])
    write_files(plan)
    service = tmp_path / "systemd" / "x.service"
    assert service.read_text() == "[Unit]\n"
    assert stat.S_IMODE(service.stat().st_mode) == 0o644
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["README.md", "systemd", "x.service"]


def test_a_directory_where_a_file_goes_is_refused(tmp_path: Path) -> None:
    (tmp_path / "wsgi.py").mkdir()
    with pytest.raises(OutputExists, match="is a directory"):
        plan_files(tmp_path, [_file("wsgi.py", "x\n")])
