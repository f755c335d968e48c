"""Every built-in template generates a project that passes its own tests, ruff, and
`flaskit routes` inside it, each in a subprocess, as a user would run them."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.helpers import clean_env, run_flaskit

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

# (template, flaskit new options, minimum number of the project's own tests)
PROJECTS = {
    "module": (["--layout", "module"], 4),
    "package": ([], 8),
    "package-all-options": (
        [
            "--var",
            "license=MIT",
            "--var",
            "github_actions=yes",
            "--var",
            "author=Ada Lovelace",
            "--var",
            "description=Shop for things",
        ],
        8,
    ),
    "tutorial": (["--template", "tutorial"], 40),
}
pytestmark = pytest.mark.slow


def project_env() -> dict[str, str]:
    """The environment of a user's shell: no PYTHONPATH pointing into flaskit's checkout."""
    env = clean_env()
    env.pop("PYTHONPATH", None)
    return env


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("generated")
    made = {}
    for key, (options, _count) in PROJECTS.items():
        folder = root / key
        folder.mkdir()
        result = run_flaskit(["new", "demo-site", "--no-input", *options], cwd=folder)
        assert result.returncode == 0, result.stderr
        made[key] = folder / "demo-site"
    return made


@pytest.mark.parametrize("key", PROJECTS)
def test_the_projects_own_tests_pass(projects: dict[str, Path], key: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=projects[key],
        env=project_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    passed = int(result.stdout.strip().splitlines()[-1].split()[0])
    assert passed >= PROJECTS[key][1], result.stdout


@pytest.mark.parametrize("key", PROJECTS)
def test_ruff_passes(projects: dict[str, Path], key: str) -> None:
    for args in (["check", "--no-cache", "."], ["format", "--no-cache", "--check", "."]):
        result = subprocess.run(
            [sys.executable, "-m", "ruff", *args],
            cwd=projects[key],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr


def routes(project: Path, env: dict[str, str] | None = None) -> list[str]:
    result = run_flaskit(["routes", "--json"], cwd=project, env=env)
    assert result.returncode == 0, result.stderr
    return [route["rule"] for route in json.loads(result.stdout)]


@pytest.mark.parametrize("key", PROJECTS)
def test_flaskit_routes_inside_needs_no_flag(projects: dict[str, Path], key: str) -> None:
    project = projects[key]
    table = tomllib.loads((project / "pyproject.toml").read_text())
    assert table["tool"]["flaskit"]["app"]
    assert "/" in routes(project)


@pytest.mark.parametrize("key", PROJECTS)
def test_auto_discovery_finds_the_app(projects: dict[str, Path], key: str) -> None:
    # An empty FLASKIT_APP beats [tool.flaskit], so flaskit discovers the app by itself:
    # app.py for the module layout, wsgi.py (which wants a real secret key) for packages.
    env = {"FLASKIT_APP": "", "FLASK_SECRET_KEY": "discovery-test"}
    assert "/" in routes(projects[key], env)


def test_tutorial_lists_every_converter(projects: dict[str, Path]) -> None:
    rules = routes(projects["tutorial"])
    for rule in (
        "/user/<username>",
        "/post/<int:post_id>",
        "/price/<float:amount>",
        "/path/<path:subpath>",
        "/item/<uuid:item_id>",
    ):
        assert rule in rules


def test_conditional_files(projects: dict[str, Path]) -> None:
    plain, full = projects["package"], projects["package-all-options"]
    assert not (plain / "LICENSE").exists()
    assert not (plain / ".github").exists()
    assert (full / "LICENSE").read_text().startswith("MIT License\n\nCopyright (c) Ada Lovelace")
    assert "${{ matrix.python-version }}" in (full / ".github/workflows/tests.yml").read_text()
    project = tomllib.loads((full / "pyproject.toml").read_text())["project"]
    assert project["license"] == "MIT"
    assert project["authors"] == [{"name": "Ada Lovelace"}]
    assert project["description"] == "Shop for things"


def venv_with_our_packages(where: Path) -> Path:
    """A new virtual environment that sees this one's packages (Flask, hatchling, pip)
    through a .pth file, so nothing is downloaded."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where)], check=True)
    python = where / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(site, "parent-env.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python


@pytest.mark.parametrize(
    ("key", "module"), [("module", "app"), ("package", "demo_site"), ("tutorial", "demo_site")]
)
def test_pip_install_editable_works(
    projects: dict[str, Path], tmp_path: Path, key: str, module: str
) -> None:
    python = venv_with_our_packages(tmp_path / "venv")
    install = subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "-q",
            "--no-build-isolation",
            "--no-deps",
            "-e",
            str(projects[key]),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=project_env(),
    )
    assert install.returncode == 0, install.stdout + install.stderr
    imported = subprocess.run(
        [str(python), "-c", f"import {module}; print({module}.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=project_env(),
    )
    assert imported.returncode == 0, imported.stderr
    assert Path(imported.stdout.strip()).is_relative_to(projects[key])


@pytest.mark.parametrize("key", ["package-all-options", "tutorial"])
def test_the_wheel_ships_templates_and_static_files(
    projects: dict[str, Path], tmp_path: Path, key: str
) -> None:
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-build-isolation",
            "--no-deps",
            "-w",
            str(tmp_path),
            str(projects[key]),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**project_env(), "PIP_NO_INDEX": "1"},
    )
    assert build.returncode == 0, build.stdout + build.stderr
    (wheel,) = tmp_path.glob("demo_site-0.1.0-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "demo_site/__init__.py" in names
    assert "demo_site/templates/base.html" in names
    assert "demo_site/static/style.css" in names
    assert not any(name.startswith("tests/") for name in names)
