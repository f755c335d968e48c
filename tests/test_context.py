"""The CLI context: the sources and the app target are read once, lazily, and every
command takes them from it (like Flask's ``ScriptInfo``)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from flaskit.context import CliContext
from flaskit.errors import AppDiscoveryError
from tests.helpers import run_flaskit

APP = """\
from pathlib import Path

with Path(__file__).with_name("imports.log").open("a") as log:
    log.write("imported\\n")


def {name}(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"hello"]
"""


@pytest.fixture
def isolated(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """In-process loads change sys.path, sys.modules and os.environ: put them back."""
    monkeypatch.setattr(sys, "path", list(sys.path))
    modules = set(sys.modules)
    environ = dict(os.environ)
    yield
    for name in set(sys.modules) - modules:
        del sys.modules[name]
    os.environ.clear()
    os.environ.update(environ)


def project(tmp_path: Path, module: str, env: str = "") -> Path:
    (tmp_path / f"{module}.py").write_text(APP.format(name="app"))
    if env:
        (tmp_path / ".flaskenv").write_text(env)
    return tmp_path


def imports(folder: Path) -> int:
    log = folder / "imports.log"
    return len(log.read_text().splitlines()) if log.exists() else 0


def test_nothing_is_read_until_a_command_asks(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text("[tool.flaskit\n")  # broken: reading it fails
    info = CliContext(cwd=tmp_path, environ={})
    assert info._sources is None  # building the context read nothing
    with pytest.raises(click.ClickException, match=r"pyproject\.toml"):
        _ = info.sources


def test_sources_and_target_are_loaded_once(tmp_path: Path):
    project(tmp_path, "ctx_once_app", env="FLASK_APP=ctx_once_app\n")
    info = CliContext(cwd=tmp_path, environ={})
    assert info.sources is info.sources
    target = info.target()
    assert info.target() is target
    assert target.describe() == "ctx_once_app"
    assert "FLASK_APP in" in target.origin
    assert imports(tmp_path) == 0  # locating imports nothing


def test_the_app_is_imported_once_and_a_failure_is_not_retried(tmp_path: Path, isolated):
    project(tmp_path, "ctx_load_app")
    info = CliContext(cwd=tmp_path, environ={"FLASKIT_SKIP_DOTENV": "1"}, app="ctx_load_app")
    loaded = info.load_app()
    assert info.load_app() is loaded
    assert imports(tmp_path) == 1

    (tmp_path / "ctx_broken_app.py").write_text("raise RuntimeError('no database')\n")
    broken = CliContext(cwd=tmp_path, environ={}, app="ctx_broken_app")
    with pytest.raises(AppDiscoveryError, match="no database") as first:
        broken.load_app()
    with pytest.raises(AppDiscoveryError) as second:
        broken.load_app()
    assert second.value is first.value is broken.load_failure


def test_a_command_spec_wins_over_nothing_and_must_agree_with_the_groups(tmp_path: Path):
    project(tmp_path, "ctx_spec_app")
    info = CliContext(cwd=tmp_path, environ={}, app="ctx_spec_app")
    assert info.use_app(None, None) == "ctx_spec_app"
    assert info.use_app("ctx_spec_app", None) == "ctx_spec_app"  # the same app twice is fine
    with pytest.raises(click.UsageError, match="Two different apps were given"):
        info.use_app("other", None)


def test_target_for_import_exports_the_apps_environment(tmp_path: Path, isolated):
    project(tmp_path, "ctx_env_app", env="FLASK_APP=ctx_env_app\nCTX_GREETING=hi\n")
    os.environ.pop("CTX_GREETING", None)
    info = CliContext(cwd=tmp_path, debug=True)
    target = info.target_for_import()
    assert target.describe() == "ctx_env_app"
    assert os.environ["CTX_GREETING"] == "hi"
    assert os.environ["FLASK_RUN_FROM_CLI"] == "true"
    assert os.environ["FLASK_DEBUG"] == "1"


def test_an_app_command_imports_the_app_once(tmp_path: Path):
    """Listing, finding and running an app command share one import of the app."""
    (tmp_path / "ctx_cmd_app.py").write_text(
        "from pathlib import Path\n"
        "import click\n"
        "from flask import Flask\n"
        "with Path(__file__).with_name('imports.log').open('a') as log:\n"
        "    log.write('imported\\n')\n"
        "app = Flask(__name__)\n"
        "@app.cli.command('hello')\n"
        "def hello():\n"
        "    click.echo('hello from ' + app.name)\n"
    )
    result = run_flaskit(["-A", "ctx_cmd_app", "hello"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "hello from ctx_cmd_app\n"
    assert imports(tmp_path) == 1
    result = run_flaskit(["-A", "ctx_cmd_app", "--help"], tmp_path)
    assert "hello" in result.stdout
    assert imports(tmp_path) == 2
