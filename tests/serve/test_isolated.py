"""flaskit from an isolated install (a pipx-style tool venv without Flask) serves,
reloads, shows the debug page and lists the routes of a project whose own ``.venv``
has Flask and no flaskit, running the app in that ``.venv``'s interpreter, on the
tool's Python (3.11) and on an older one (3.10)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.helpers import (
    APPS,
    build_wheel,
    free_port,
    port_is_listening,
    require_python,
    wait_until,
)
from tests.serve.server import Served, rewrite, try_get

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

PROJECT_FLASK = "flask==2.3.*"
TOOL_PYTHON = f"{sys.version_info[0]}.{sys.version_info[1]}"


def isolated_env(**extra: str) -> dict[str, str]:
    """No checkout on the path, no activated venv, no FLASK* settings."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("FLASK_", "FLASKIT_"))
        and k not in ("PYTHONPATH", "VIRTUAL_ENV", "NO_COLOR")
    }
    env.update(extra)
    return env


def make_venv(folder: Path, python: str, *packages: str) -> Path:
    subprocess.run([python, "-m", "venv", str(folder)], check=True, timeout=120)
    bin_python = folder / "bin" / "python"
    if packages:
        subprocess.run(
            [str(bin_python), "-m", "pip", "install", "-q", *packages],
            check=True,
            timeout=600,
            env=isolated_env(PIP_DISABLE_PIP_VERSION_CHECK="1"),
        )
    return bin_python


@pytest.fixture(scope="module")
def tool(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``flaskit`` script of a tool venv holding flaskit (from its wheel) alone."""
    base = tmp_path_factory.mktemp("tool")
    wheel = build_wheel(base / "dist")
    python = make_venv(base / "venv", sys.executable, str(wheel))
    no_flask = subprocess.run(
        [str(python), "-c", "import flask"],
        capture_output=True,
        env=isolated_env(),
        cwd=base,
        check=False,
    )
    assert no_flask.returncode != 0, "the tool venv must not have Flask"
    return base / "venv" / "bin" / "flaskit"


@pytest.fixture(scope="module", params=[TOOL_PYTHON, "3.10"])
def project(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project folder whose ``.venv`` (Python 3.11 or 3.10) has Flask 2.3, no flaskit."""
    version = request.param
    python = sys.executable if version == TOOL_PYTHON else require_python(version)
    folder = tmp_path_factory.mktemp(f"project{version}")
    shutil.copy(APPS / "pinned_flask22" / "app.py", folder / "app.py")
    # Read by the project's interpreter too (on 3.10, with the tomli flaskit brings).
    (folder / "pyproject.toml").write_text(
        '[project]\nname = "shop"\nversion = "1"\n\n[tool.flaskit]\napp = "app:app"\n'
    )
    project_python = make_venv(folder / ".venv", python, PROJECT_FLASK)
    missing = subprocess.run(
        [str(project_python), "-c", "import flaskit"],
        capture_output=True,
        env=isolated_env(),
        cwd=folder,
        check=False,
    )
    assert missing.returncode != 0, "the project venv must not have flaskit"
    return folder


def python_version(project: Path) -> str:
    out = subprocess.run(
        [
            str(project / ".venv" / "bin" / "python"),
            "-c",
            "import sys; print(sys.version_info[:2])",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    major, minor = out.strip("()\n").split(", ")
    return f"{major}.{minor}"


@contextmanager
def serve_isolated(tool: Path, folder: Path, *args: str, log: Path) -> Iterator[Served]:
    port = free_port()
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            [str(tool), "run", "--port", str(port), *args],
            cwd=folder,
            env=isolated_env(),
            stdout=sink,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    served = Served(proc, port, folder, log)
    try:
        ok = wait_until(lambda: (r := try_get(port)) is not None and r[0] == 200, timeout=40)
        assert ok, f"flaskit did not serve; output:\n{served.output}"
        yield served
    finally:
        served.stop()
        served.assert_all_gone()


def test_run_serves_reloads_and_shows_the_debug_page_in_the_projects_python(
    tool: Path, project: Path, tmp_path: Path
) -> None:
    version = python_version(project)
    project_python = project / ".venv" / "bin" / "python"
    app = project / "app.py"
    with serve_isolated(tool, project, "--debug", log=tmp_path / "run.log") as server:
        status, body = server.get()
        assert status == 200
        # The app reports the project's versions, not the tool's (which has no Flask).
        assert "v1 flask=2.3." in body
        assert f"python={version} " in body
        assert f"executable={project_python}" in body
        assert "app:app (from [tool.flaskit] app" in server.output
        server.wait_output("Python  ")
        assert f"{version}." in server.output.split("Python  ", 1)[1].split("\n", 1)[0]
        assert str(project_python) in server.output
        # Reload on an edit: forked from the zygote, which runs in the project's Python.
        rewrite(app, 'VERSION = "v1"', 'VERSION = "v2"')
        try:
            body = server.wait_for("v2 flask=2.3.", timeout=20)
            assert f"executable={project_python}" in body
            status, page = server.get("/boom")
            assert status == 500
            assert "pinned project failure" in page
            assert "RuntimeError" in page
            assert "<html" in page.lower()
        finally:
            rewrite(app, 'VERSION = "v2"', 'VERSION = "v1"')


def run_tool(tool: Path, project: Path, *args: str, input: str | None = None) -> str:
    result = subprocess.run(
        [str(tool), *args],
        cwd=project,
        env=isolated_env(),
        capture_output=True,
        text=True,
        timeout=120,
        input=input,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_routes_shell_and_app_commands_run_in_the_projects_python(
    tool: Path, project: Path, tmp_path: Path
) -> None:
    project_python = project / ".venv" / "bin" / "python"
    routes = json.loads(run_tool(tool, project, "routes", "--json"))
    assert {"/", "/boom"} <= {route["rule"] for route in routes}
    shell = run_tool(
        tool,
        project,
        "shell",
        "--interface",
        "python",
        input="import sys, flask; print('in', sys.executable, app.name)\n",
    )
    assert f"in {project_python} app" in shell
    # --help does not import the app here; `flaskit app --help` lists its commands there.
    help_text = "".join(run_tool(tool, project, "--help").split())  # wrapped anywhere
    assert f"interpreter,{project_python}:flaskitapp--helpliststhem" in help_text
    assert "versions" in run_tool(tool, project, "app", "--help")
    command = run_tool(tool, project, "versions")
    assert "command flask=2.3." in command
    assert f"executable={project_python}" in command
    out = tmp_path / "deploy"
    run_tool(tool, project, "deploy-config", "nginx", "--domain", "example.com", "-o", str(out))
    assert any(out.rglob("*.conf")), sorted(p.name for p in out.rglob("*"))


def test_a_project_without_werkzeug_is_told_how_to_fix_it(tool: Path, tmp_path: Path) -> None:
    folder = tmp_path / "bare"
    folder.mkdir()
    (folder / "app.py").write_text("def app(environ, start_response):\n    return [b'']\n")
    venv.create(folder / ".venv", with_pip=False)
    port = free_port()
    result = subprocess.run(
        [str(tool), "run", "--port", str(port)],
        cwd=folder,
        env=isolated_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "has no werkzeug, which serves the app" in result.stderr
    assert f"{folder / '.venv' / 'bin' / 'pip'} install 'werkzeug>=2.2'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not port_is_listening(port)
