"""Writing the files: a plan first, refusals before writing, all or nothing."""

from __future__ import annotations

import errno
import json
import os
import stat
import subprocess
import sys
from pathlib import Path, PurePosixPath

import pytest
from click.testing import CliRunner

from flaskit.cli import cli
from flaskit.deploy import write
from flaskit.deploy.render import RenderedFile
from flaskit.deploy.write import (
    OutputBlocked,
    OutputExists,
    plan_files,
    refuse_overwrites,
    write_files,
)
from tests.deploy.conftest import SITE_APP, SITE_SPEC
from tests.helpers import IN_CI, REPO, clean_env, require_tool


def _file(path: str, content: str) -> RenderedFile:
    return RenderedFile(PurePosixPath(path), content, "stays here")


def _tree(folder: Path) -> dict[str, bytes | None]:
    """Every path below ``folder``: file bytes, or None for a folder."""
    return {
        str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None)
        for p in sorted(folder.rglob("*"))
    }


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
    old_umask = os.umask(0o077)
    try:
        plan = plan_files(
            tmp_path, [_file("systemd/x.service", "[Unit]\n"), _file("README.md", "r\n")]
        )
        write_files(plan)
    finally:
        os.umask(old_umask)
    service = tmp_path / "systemd" / "x.service"
    assert service.read_text() == "[Unit]\n"
    assert stat.S_IMODE(service.stat().st_mode) == 0o644
    assert stat.S_IMODE(service.parent.stat().st_mode) == 0o755
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["README.md", "systemd", "x.service"]


def test_a_directory_where_a_file_goes_is_refused(tmp_path: Path) -> None:
    (tmp_path / "wsgi.py").mkdir()
    with pytest.raises(OutputBlocked, match="is a directory"):
        plan_files(tmp_path, [_file("wsgi.py", "x\n")])


@pytest.mark.parametrize("blocker", ["deploy", "deploy/nginx", "deploy/systemd"])
def test_a_file_where_a_folder_goes_is_refused_before_anything_is_written(
    tmp_path: Path, blocker: str, monkeypatch: pytest.MonkeyPatch, isolated_imports: None
) -> None:
    # Issue 13.8: this was a FileExistsError traceback after the nginx and gunicorn files.
    (tmp_path / blocker).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / blocker).write_text("in the way\n")
    before = _tree(tmp_path)
    monkeypatch.chdir(SITE_APP)
    result = CliRunner().invoke(
        cli,
        [
            *("deploy-config", "--app", SITE_SPEC, "--domain", "example.com"),
            *("--venv", "/srv/v", "-o", str(tmp_path / "deploy"), "--tls", "off"),
        ],
    )
    assert result.exit_code == 2, result.output
    if blocker == "deploy":  # the option's own check says so
        assert f"Directory '{tmp_path / blocker}' is a file" in result.output
    else:
        assert f"{tmp_path / blocker} is a file, but deploy-config needs a folder there" in (
            result.output
        )
        assert "Nothing was written" in result.output
    assert "Traceback" not in result.output
    assert _tree(tmp_path) == before


def test_a_fifo_where_a_file_goes_is_refused_without_reading_it(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "README.md")  # reading it would block for ever
    with pytest.raises(OutputBlocked, match="not a regular file"):
        plan_files(tmp_path, [_file("README.md", "r\n")])


def _failing_write(monkeypatch: pytest.MonkeyPatch, after: int) -> None:
    """os.write fails with ENOSPC from its ``after``-th call on, as on a full disk."""
    real = os.write
    calls = {"n": 0}

    def full_disk(fd: int, data: bytes | memoryview) -> int:
        calls["n"] += 1
        if calls["n"] > after:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(fd, data)

    monkeypatch.setattr(write.os, "write", full_disk)


@pytest.mark.parametrize("after", [0, 1, 3])
def test_a_full_disk_mid_write_leaves_old_files_and_no_new_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, after: int
) -> None:
    (tmp_path / "nginx").mkdir()
    (tmp_path / "nginx" / "a.conf").write_text("old a\n")
    (tmp_path / "README.md").write_text("old readme\n")
    before = _tree(tmp_path)
    plan = plan_files(
        tmp_path,
        [
            _file("nginx/a.conf", "new a\n"),
            _file("gunicorn.conf.py", "new g\n"),
            _file("systemd/x.service", "new s\n"),
            _file("README.md", "new readme\n"),
        ],
    )
    _failing_write(monkeypatch, after)
    with pytest.raises(OSError, match="No space left"):
        write_files(plan)
    assert _tree(tmp_path) == before


def test_a_failed_rename_puts_the_old_files_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("a.conf", "b.conf", "c.conf"):
        (tmp_path / name).write_text(f"old {name}\n")
    before = _tree(tmp_path)
    plan = plan_files(tmp_path, [_file(n, f"new {n}\n") for n in ("a.conf", "b.conf", "c.conf")])
    real = Path.replace
    calls = {"n": 0}

    def flaky(self: Path, target: str | Path) -> Path:
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt  # Ctrl+C after two files were replaced
        return real(self, target)

    # Path.replace itself: before 3.11 it does not look up os.replace when called.
    monkeypatch.setattr(write.Path, "replace", flaky)
    with pytest.raises(KeyboardInterrupt):
        write_files(plan)
    assert _tree(tmp_path) == before


# -- a real full disk: a tiny tmpfs in a private mount namespace -------------------

PROBE = Path(__file__).with_name("enospc_probe.py")


def _in_private_tmpfs(tmp_path: Path, size: str, prefill: bool) -> dict[str, object]:
    unshare = require_tool("unshare")
    if os.geteuid() != 0:
        message = "mounting a tmpfs needs root"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    args = ["deploy-config", "--app", SITE_SPEC, "--venv", "/srv/v", "--tls", "off"]
    args += ["--domain", "example.com"]
    done = subprocess.run(
        [
            *(unshare, "--mount", "--propagation", "private", sys.executable, str(PROBE)),
            *(str(mount_point), size, json.dumps(args), "yes" if prefill else "no"),
        ],
        cwd=SITE_APP,
        env={**clean_env(), "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    # The mount lived in the namespace only: nothing is left mounted here.
    assert not os.path.ismount(mount_point)
    result: dict[str, object] = json.loads(done.stdout)
    return result


@pytest.mark.slow
def test_a_really_full_disk_leaves_nothing_half_written(tmp_path: Path) -> None:
    # Issue 13.8: OSError [Errno 28] after 4 of 9 files. 16k holds four pages.
    result = _in_private_tmpfs(tmp_path, "16k", prefill=False)
    output = str(result["output"])
    assert result["code"] == 1, output
    assert "No space left on device" in output
    assert "Nothing was written" in output
    assert "Traceback" not in output
    assert result["after"] == result["before"] == {}


@pytest.mark.slow
def test_a_really_full_disk_changes_no_old_file(tmp_path: Path) -> None:
    result = _in_private_tmpfs(tmp_path, "96k", prefill=True)
    first = result["first"]
    assert isinstance(first, list)
    assert first[0] == 0, first[1]
    output = str(result["output"])
    assert result["code"] == 1, output
    assert "No space left on device" in output
    assert "was changed: every file is as it was" in output
    assert result["after"] == result["before"]
