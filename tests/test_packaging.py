"""The wheel: metadata, the console script, py.typed and the project templates inside."""

from __future__ import annotations

import json
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from tests.helpers import APPS, build_wheel, clean_env

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_wheel(tmp_path_factory.mktemp("dist"))


def test_wheel_contents(wheel: Path):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
        meta = archive.read(metadata).decode()
        entry_points = archive.read(metadata.replace("METADATA", "entry_points.txt")).decode()
    assert "flaskit/py.typed" in names
    assert "flaskit/cli/__init__.py" in names
    templates = {n for n in names if n.startswith("flaskit/project_templates/")}
    manifests = {n for n in templates if n.endswith("/template.toml")}
    assert manifests, "the built-in project templates are missing from the wheel"
    assert not any("__pycache__" in n for n in names)
    assert "flaskit = flaskit.cli:main" in entry_points
    for requirement in ("click", "watchdog", "werkzeug", "jinja2", "rich"):
        assert f"Requires-Dist: {requirement}>=" in meta
    assert "Provides-Extra: dotenv" in meta


def test_templates_are_readable_through_importlib_resources(wheel: Path, tmp_path: Path):
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--quiet",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        timeout=300,
    )
    probe = (
        "import importlib.resources as r\n"
        "root = r.files('flaskit') / 'project_templates'\n"
        "names = sorted(p.name for p in root.iterdir() if (p / 'template.toml').is_file())\n"
        "print(' '.join(names))\n"
        "print(len((root / names[0] / 'template.toml').read_text()))\n"
        "import flaskit; print(flaskit.__file__)\n"
    )
    env = clean_env()
    env.pop("PYTHONPATH")
    result = subprocess.run(
        [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(target)!r})\n" + probe],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    names, size, location = result.stdout.split("\n")[:3]
    assert {"module", "package"} <= set(names.split())
    assert int(size) > 0
    assert location.startswith(str(target))


def outside_the_repository(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``args`` in ``cwd`` without the repository on ``sys.path``; fail with its output."""
    env = clean_env()
    env.pop("PYTHONPATH")
    result = subprocess.run(
        args, capture_output=True, text=True, env=env, cwd=cwd, timeout=120, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_pip_install_into_a_fresh_venv_gives_a_working_command(wheel: Path, tmp_path: Path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", str(wheel), "flask"],
        check=True,
        timeout=600,
    )
    script = str(env_dir / "bin" / "flaskit")
    version = outside_the_repository([script, "--version"], tmp_path)
    assert version.stdout.startswith("flaskit, version ")
    probe = (
        "import flaskit, importlib.resources as r; print(flaskit.__file__); "
        "print(sorted(p.name for p in (r.files('flaskit') / 'project_templates').iterdir()))"
    )
    where = outside_the_repository([str(python), "-c", probe], tmp_path)
    location, templates = where.stdout.splitlines()
    assert location.startswith(str(env_dir))
    assert "'package'" in templates
    # The installed command creates every built-in template from the wheel's own copy
    # (the working directory is not the repository), and lists the new project's routes.
    for template, name in (("module", "hello"), ("package", "shop"), ("tutorial", "learn")):
        outside_the_repository(
            [script, "new", name, "--template", template, "--no-input"], tmp_path
        )
        assert (tmp_path / name / "pyproject.toml").is_file()
        routes = outside_the_repository([script, "routes", "--json"], tmp_path / name)
        assert "/" in {route["rule"] for route in json.loads(routes.stdout)}, template


PINNED = APPS / "pinned_flask22" / "requirements.txt"


def test_the_wheel_resolves_next_to_a_flask_2_2_projects_pins(wheel: Path, tmp_path: Path):
    # `pip install -r requirements.txt flaskit` in a project pinning Werkzeug 2.2 and
    # click 8.0 ended in ResolutionImpossible while flaskit asked for werkzeug>=3.0.
    report = tmp_path / "report.json"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--dry-run",
            "--ignore-installed",
            "--quiet",
            "--report",
            str(report),
            "-r",
            str(PINNED),
            str(wheel),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    chosen = {
        item["metadata"]["name"].lower(): item["metadata"]["version"]
        for item in json.loads(report.read_text())["install"]
    }
    assert chosen["flaskit"]
    pins = dict(line.split("==") for line in PINNED.read_text().splitlines() if "==" in line)
    for name, pinned in pins.items():
        assert chosen[name.lower()] == pinned, name
