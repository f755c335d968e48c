"""`flaskit --help` must import click and the standard library only (house rule 2)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.helpers import clean_env

HEAVY = ("rich", "werkzeug", "jinja2", "watchdog", "flask", "markupsafe", "pygments", "dotenv")


def imported_modules(*args: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "flaskit", *args],
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    modules = set()
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            if name != "imported package":
                modules.add(name)
    assert "click" in modules  # the measurement itself works
    return modules


def heavy_imports(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in HEAVY)


def test_root_help_imports_no_heavy_dependency():
    assert heavy_imports(imported_modules("--help")) == []


@pytest.mark.parametrize("command", ["new", "run", "routes", "deploy-config", "shell", "app"])
def test_command_help_imports_no_heavy_dependency(command):
    assert heavy_imports(imported_modules(command, "--help")) == []


def test_the_check_catches_a_heavy_import():
    """The same measurement sees rich when something imports it."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import rich.console"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    names = {line.rsplit("|", 1)[1].strip() for line in result.stderr.splitlines() if "|" in line}
    assert heavy_imports(names)
