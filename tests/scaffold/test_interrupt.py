"""Ctrl+C (SIGINT) or SIGTERM sent to a real `flaskit new` half-way leaves nothing behind.

The template's last file renders for ever (10**10 loop steps), so the process is
reliably caught after its first files are in the staging folder.
"""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

import pytest

from tests.helpers import clean_env, flaskit_command, stop_process, wait_until
from tests.scaffold.conftest import MakeTemplate, snapshot, write_tree

ENDLESS = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
pytestmark = pytest.mark.slow


def interrupt_when(
    args: list[str], staged: Path, pattern: str, signum: signal.Signals
) -> subprocess.CompletedProcess[str]:
    """Run flaskit, wait until a file matching ``pattern`` is staged, then send ``signum``."""
    with subprocess.Popen(
        flaskit_command(*args),
        env=clean_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        try:
            assert wait_until(lambda: any(staged.glob(pattern)), timeout=30), "never staged"
            proc.send_signal(signum)
            stdout, stderr = proc.communicate(timeout=30)
        finally:
            stop_process(proc)
    return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_interrupting_a_new_project_leaves_nothing(
    make_template: MakeTemplate, tmp_path: Path, signum: signal.Signals
) -> None:
    root = make_template({"a_first.txt": "first", "sub/b.txt": "b", "z_last.txt.jinja": ENDLESS})
    out = tmp_path / "out"
    out.mkdir()
    args = ["new", "demo", "--template", str(root), "--no-input", "-o", str(out)]
    result = interrupt_when(args, out, ".flaskit-new-*/demo/a_first.txt", signum)
    assert result.returncode == 130, result.stderr
    assert "Interrupted: nothing was written." in result.stderr
    assert "Traceback" not in result.stderr
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_interrupting_force_leaves_the_project_as_it_was(
    make_template: MakeTemplate, tmp_path: Path, signum: signal.Signals
) -> None:
    root = make_template({"a_first.txt": "new", "z_last.txt.jinja": ENDLESS})
    out = tmp_path / "out"
    write_tree(out / "demo", {"a_first.txt": "old", "notes.txt": "mine"})
    before = snapshot(out)
    args = ["new", "demo", "--template", str(root), "--no-input", "--force", "-o", str(out)]
    result = interrupt_when(args, out / "demo", ".flaskit-new-*/new/a_first.txt", signum)
    assert result.returncode == 130, result.stderr
    assert "is as it was" in result.stderr
    assert snapshot(out) == before
