"""Prompts on a real pseudo-terminal: defaults, choices, bad answers asked again."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import time
from pathlib import Path

import pytest

from tests.helpers import clean_env, flaskit_command, stop_process

pytestmark = pytest.mark.slow
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class Terminal:
    """flaskit running on the slave side of a pty; we read and type on the master side."""

    def __init__(self, args: list[str]) -> None:
        master, slave = pty.openpty()
        env = {**clean_env(), "TERM": "xterm", "COLUMNS": "200", "LINES": "50"}
        self.proc = subprocess.Popen(
            flaskit_command(*args), stdin=slave, stdout=slave, stderr=slave, env=env
        )
        os.close(slave)
        self.master = master
        self.screen = ""

    def expect(self, text: str, timeout: float = 20) -> None:
        """Read until ``text`` appears on the screen (bounded by ``timeout``)."""
        deadline = time.monotonic() + timeout
        while text not in self.screen and time.monotonic() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(self.master, 4096)
                except OSError:  # the child closed the terminal
                    break
                self.screen += ANSI.sub("", chunk.decode("utf-8", "replace"))
        assert text in self.screen, f"{text!r} not shown; screen:\n{self.screen}"

    def type(self, line: str) -> None:
        os.write(self.master, line.encode() + b"\r")

    def close(self) -> int:
        try:
            return self.proc.wait(timeout=20)
        finally:
            stop_process(self.proc)
            os.close(self.master)


def test_prompts_with_defaults_choices_and_retries(tmp_path: Path) -> None:
    terminal = Terminal(["new", "shop", "-o", str(tmp_path), "--var", "author=Ada"])
    try:
        terminal.expect("import name        shop")
        terminal.expect("description (one line for README.md and pyproject.toml) (shop: a Flask")
        terminal.type('Say "hi"')
        terminal.expect("is not a valid description")
        terminal.type("Shop for things")
        terminal.expect("license (the LICENSE file to include) [none/MIT/BSD-3-Clause] (none)")
        terminal.type("GPL")
        terminal.expect("Please select one of the available options")
        terminal.type("MIT")
        terminal.expect("github_actions")
        terminal.type("y")
        terminal.expect("Done: wrote")
    finally:
        code = terminal.close()
    assert code == 0, terminal.screen
    assert "author" not in terminal.screen.split("folder")[1]  # given with --var: not asked
    project = tmp_path / "shop"
    assert 'description = "Shop for things"' in (project / "pyproject.toml").read_text()
    assert (project / "LICENSE").read_text().startswith("MIT License")
    assert (project / ".github" / "workflows" / "tests.yml").is_file()


def test_no_input_never_asks_even_on_a_terminal(tmp_path: Path) -> None:
    terminal = Terminal(["new", "shop", "-o", str(tmp_path), "--no-input"])
    try:
        terminal.expect("Done: wrote")
    finally:
        code = terminal.close()
    assert code == 0
    assert "description (" not in terminal.screen
    assert not (tmp_path / "shop" / "LICENSE").exists()
