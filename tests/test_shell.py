"""``flaskit shell``: piped scripts, a real pseudo-terminal with IPython and with
Python's own interpreter, Flask-SQLAlchemy's models, Django, other WSGI apps."""

from __future__ import annotations

import importlib.util
import os
import platform
import pty
import re
import select
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

import pytest

from flaskit import shell
from flaskit.errors import UsageProblem
from tests.helpers import APPS, clean_env, flaskit_command, require_module, run_flaskit

BLOG = APPS / "cli_blog"


@pytest.fixture
def blog(tmp_path: Path) -> Path:
    folder = tmp_path / "blog"
    shutil.copytree(BLOG, folder, ignore=shutil.ignore_patterns("__pycache__", "*.db"))
    return folder


# --- stdin piped: the shell runs it as a script ---------------------------------


def test_piped_script_runs_in_the_app_context_with_the_shell_context(blog: Path):
    script = (
        "names = sorted(k for k in dir() if not k.startswith('_'))\n"
        "from flask import current_app\n"
        "print(current_app.name, app is current_app._get_current_object())\n"
        "print(names)\n"
        "db.create_all()\n"
        "db.session.add(User(username='ada'))\n"
        "db.session.commit()\n"
        "print(User.query.count(), g)\n"
    )
    result = run_flaskit(["shell"], blog, input=script)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "blog True"
    # app and g from Flask, db and the models from Flask-SQLAlchemy, greeting from the
    # app's own shell context processor
    assert lines[1] == "['Post', 'User', 'app', 'db', 'g', 'greeting']"
    assert lines[2] == "1 <flask.g of 'blog'>"
    assert "Python " not in result.stdout  # no banner for a script


def test_a_failing_script_shows_its_traceback_and_exits_1(blog: Path):
    result = run_flaskit(["shell"], blog, input="x = 1\nraise ValueError('bad input')\n")
    assert result.returncode == 1
    assert 'File "<stdin>", line 2, in <module>' in result.stderr
    assert result.stderr.endswith("ValueError: bad input\n")
    assert "flaskit" not in result.stderr  # only the user's frames


def test_sys_exit_in_a_script_sets_the_exit_code(blog: Path):
    assert run_flaskit(["shell"], blog, input="import sys\nsys.exit(3)\n").returncode == 3


def test_the_debug_flag_follows_flaskit_debug(blog: Path):
    script = "print(app.debug)\n"
    assert run_flaskit(["shell"], blog, input=script).stdout == "False\n"
    assert run_flaskit(["--debug", "shell"], blog, input=script).stdout == "True\n"


def test_any_other_wsgi_app_is_in_the_namespace_as_app():
    script = "print(app.__module__, app.__name__)\n"
    result = run_flaskit(["shell", "plain_wsgi"], APPS / "disc_forms", input=script)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "plain_wsgi app\n"


def test_a_django_project_gets_manage_py_shell(tmp_path: Path):
    """Found through manage.py with no flag; the settings manage.py names; the models."""
    folder = tmp_path / "site"
    shutil.copytree(APPS / "cli_django", folder, ignore=shutil.ignore_patterns("__pycache__"))
    script = (
        "from django.conf import settings\n"
        "from django.apps import apps\n"
        "print(settings.SETTINGS_NAME, [m.__name__ for m in apps.get_models()])\n"
    )
    result = run_flaskit(["shell"], folder, input=script)
    assert result.returncode == 0, result.stderr
    assert "dev ['Note']" in result.stdout


# --- choosing the interpreter ------------------------------------------------


def test_auto_picks_the_best_installed(monkeypatch):
    installed: set[str] = set()
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name: object() if name in installed else None
    )
    assert shell._choose("auto") == "python"
    installed.add("bpython")
    assert shell._choose("auto") == "bpython"
    installed.add("ptpython")
    assert shell._choose("auto") == "ptpython"
    installed.add("IPython")
    assert shell._choose("auto") == "ipython"


def test_a_named_interpreter_that_is_missing_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(UsageProblem, match=r"ptpython is not installed.*pip install ptpython"):
        shell._choose("ptpython")
    assert shell._choose("python") == "python"


# --- a real pseudo-terminal --------------------------------------------------


ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07]*\x07|[@-Z\\-_])")


class Terminal:
    """``flaskit shell`` on a pseudo-terminal: what a person at a terminal sees."""

    def __init__(self, args: list[str], cwd: Path, env: dict[str, str]) -> None:
        self.master, slave = pty.openpty()
        self.proc = subprocess.Popen(
            flaskit_command("shell", *args),
            cwd=cwd,
            env={**clean_env(), "TERM": "xterm", **env},
            stdin=slave,
            stdout=slave,
            stderr=slave,
            start_new_session=True,
        )
        os.close(slave)
        self.seen = b""

    def _read(self, until: Callable[[], bool], timeout: float) -> None:
        """Read the screen until ``until()`` (bounded); answer cursor-position queries."""
        deadline = time.monotonic() + timeout
        while not until() and time.monotonic() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if not ready:
                continue
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # the other side closed
                return
            self.seen += chunk
            if b"\x1b[6n" in chunk:  # prompt_toolkit asks where the cursor is
                os.write(self.master, b"\x1b[1;1R")

    @property
    def screen(self) -> str:
        """What was printed, without the terminal's control sequences (colours, moves)."""
        return ANSI.sub("", self.seen.decode(errors="replace"))

    def read_until(self, text: str, timeout: float = 30.0) -> str:
        """Read until ``text`` shows on the screen; the screen so far."""
        self._read(lambda: text in self.screen, timeout)
        screen = self.screen
        assert text in screen, f"{text!r} never appeared; the screen:\n{screen[-3000:]}"
        return screen

    def type(self, line: str) -> None:
        os.write(self.master, line.encode() + b"\r")

    def close(self) -> int:
        """Wait for the shell to exit (reading what it still prints), else kill it."""
        try:
            self._read(lambda: self.proc.poll() is not None, 15)
            return self.proc.wait(1)
        finally:
            if self.proc.poll() is None:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
            os.close(self.master)


@pytest.mark.slow
def test_ipython_on_a_real_terminal(blog: Path):
    require_module("IPython")
    terminal = Terminal([], blog, {})  # auto: IPython is installed
    try:
        banner = terminal.read_until("In [1]:")
        assert f"Python {platform.python_version()}" in banner
        assert f"Flask {version('flask')}" in banner
        assert "App: microblog:app" in banner
        assert "In the namespace: Post, User, app, db, g, greeting" in banner
        terminal.type("print(app.name * 2, User.__tablename__)")
        terminal.read_until("blogblog user")
        terminal.type("exit()")
    finally:
        code = terminal.close()
    assert code == 0


@pytest.mark.slow
def test_python_on_a_real_terminal_runs_pythonstartup(blog: Path, tmp_path: Path):
    startup = tmp_path / "startup.py"
    startup.write_text("STARTUP_MARK = 'started' * 2\n")
    terminal = Terminal(["--interface", "python"], blog, {"PYTHONSTARTUP": str(startup)})
    try:
        terminal.read_until(">>> ")
        terminal.type("print(STARTUP_MARK, greeting)")
        terminal.read_until("startedstarted from-flaskenv")
        terminal.type("exit()")
    finally:
        code = terminal.close()
    assert code == 0
