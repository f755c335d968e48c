"""Which interpreter runs the app, and the errors for one that cannot.

The interpreters here are stand-ins: scripts that answer flaskit's probe as a
project's Python would, so every mismatch is shown without installing old Pythons.
The real interpreters are driven in tests/serve/test_isolated.py.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from flaskit import __version__, interpreter
from flaskit.config import DELEGATED_FROM, Sources
from flaskit.interpreter import InterpreterProblem, ProjectPython, check, find


def fake_python(
    folder: Path,
    version: tuple[int, int, int] = (3, 10, 13),
    packages: dict[str, str | None] | None = None,
    venv: bool = True,
) -> Path:
    """A virtualenv (or a bare interpreter) whose python answers the probe."""
    found = {"werkzeug": "2.3.8", "click": "8.1.7", "flask": "2.3.3", "flaskit": None}
    found.update(packages or {})
    answer = {
        "prefix": str(folder),
        "executable": str(folder / "bin" / "python"),
        "version": list(version),
        "packages": found,
    }
    (folder / "bin").mkdir(parents=True)
    if venv:
        (folder / "pyvenv.cfg").write_text("home = /usr/bin\n")
    python = folder / "bin" / "python"
    python.write_text(f"#!/bin/sh\necho '{json.dumps(answer)}'\n")
    python.chmod(0o755)
    return python


def sources(cwd: Path, **environ: str) -> Sources:
    (cwd / "pyproject.toml").write_text("[project]\nname = 'shop'\n")
    return Sources.load(cwd, {"FLASKIT_SKIP_DOTENV": "1", **environ})


def test_without_a_project_environment_the_app_runs_in_flaskits_own(tmp_path: Path) -> None:
    chosen = find(sources(tmp_path))
    assert not chosen.isolated
    assert chosen.module_command("flaskit.serve.worker", "3") == [
        sys.executable,
        "-m",
        "flaskit.serve.worker",
        "3",
    ]


def test_a_dot_venv_in_the_project_is_found_from_a_subfolder(tmp_path: Path) -> None:
    python = fake_python(tmp_path / ".venv")
    (tmp_path / "src").mkdir()
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'shop'\n")
    chosen = find(Sources.load(tmp_path / "src", {"FLASKIT_SKIP_DOTENV": "1"}))
    assert chosen.isolated
    assert chosen.executable == str(python)
    assert chosen.source == f".venv/ in {tmp_path}"
    assert chosen.version == "3.10.13"
    assert chosen.venv == tmp_path / ".venv"


def test_virtual_env_wins_over_dot_venv_and_the_option_over_both(tmp_path: Path) -> None:
    fake_python(tmp_path / "venv")
    active = fake_python(tmp_path / "active")
    named = fake_python(tmp_path / "named")
    project = sources(tmp_path, VIRTUAL_ENV=str(tmp_path / "active"))
    assert find(project).executable == str(active)
    assert find(project).source == "from VIRTUAL_ENV"
    assert find(project, "named").executable == str(named)
    assert find(project, "named").source == "from option --python"
    via_env = sources(tmp_path, VIRTUAL_ENV=str(tmp_path / "active"), FLASKIT_PYTHON="named")
    assert find(via_env).source == "from environment variable FLASKIT_PYTHON"


def test_a_venv_outside_the_project_root_is_not_taken(tmp_path: Path) -> None:
    fake_python(tmp_path / ".venv")  # beside the project, not in it
    project = tmp_path / "shop"
    project.mkdir()
    assert not find(sources(project)).isolated


def test_flaskits_own_environment_is_not_isolated(tmp_path: Path) -> None:
    assert not find(sources(tmp_path, VIRTUAL_ENV=sys.prefix)).isolated


def test_a_handed_over_command_never_hands_over_again(tmp_path: Path) -> None:
    fake_python(tmp_path / ".venv")
    assert not find(sources(tmp_path, **{DELEGATED_FROM: sys.executable})).isolated


def test_an_isolated_command_runs_flaskit_after_the_projects_paths(tmp_path: Path) -> None:
    chosen = find(sources(tmp_path), str(fake_python(tmp_path / "env")))
    argv = chosen.module_command("flaskit.serve.zygote", "5", "6")
    assert argv[:2] == [chosen.executable, "-c"]
    assert argv[4:] == ["flaskit.serve.zygote", "5", "6"]
    paths = argv[3].split(":")
    import flaskit

    assert str(Path(flaskit.__file__).resolve().parent.parent) in paths
    # Appended, not prepended: the project's werkzeug and Flask come first.
    assert "sys.path.extend(" in argv[2]
    assert "insert(0" not in argv[2]


def test_the_apps_environment_activates_the_projects_venv(tmp_path: Path) -> None:
    project = find(sources(tmp_path), str(fake_python(tmp_path / "env")))
    environ = project.app_environ({"PATH": "/usr/bin", "PYTHONHOME": "/x"})
    assert environ["VIRTUAL_ENV"] == str(tmp_path / "env")
    assert environ["PATH"] == f"{tmp_path / 'env' / 'bin'}:/usr/bin"
    assert "PYTHONHOME" not in environ


def test_a_python_older_than_flaskit_supports_is_refused_naming_both(tmp_path: Path) -> None:
    python = fake_python(tmp_path / ".venv", version=(3, 8, 18))
    with pytest.raises(InterpreterProblem) as caught:
        find(sources(tmp_path))
    message = caught.value.format_message()
    assert f"{python} (.venv/ in {tmp_path}) is Python 3.8.18" in message
    assert "needs Python 3.10 or newer" in message
    assert "flaskit itself runs on " + ".".join(map(str, sys.version_info[:3])) in message
    assert "python3.12 -m venv .venv" in message
    assert caught.value.exit_code == 2


def test_a_werkzeug_older_than_the_floor_is_refused(tmp_path: Path) -> None:
    fake_python(tmp_path / ".venv", packages={"werkzeug": "2.1.2"})
    with pytest.raises(
        InterpreterProblem, match=r"has werkzeug 2\.1\.2; flaskit needs werkzeug 2\.2"
    ):
        find(sources(tmp_path))


def test_a_different_flaskit_in_the_project_is_refused(tmp_path: Path) -> None:
    fake_python(tmp_path / ".venv", packages={"flaskit": "0.0.1"})
    with pytest.raises(InterpreterProblem) as caught:
        find(sources(tmp_path))
    message = caught.value.format_message()
    assert f"has flaskit 0.0.1, and this flaskit is {__version__}" in message
    assert str(tmp_path / ".venv" / "bin" / "flaskit") in message


def test_run_needs_werkzeug_in_the_project(tmp_path: Path) -> None:
    fake_python(tmp_path / ".venv", packages={"werkzeug": None, "flask": None})
    project = find(sources(tmp_path))  # routes of a Django project need no werkzeug
    with pytest.raises(InterpreterProblem) as caught:
        check(project, needs_server=True)
    message = caught.value.format_message()
    assert "has no werkzeug, which serves the app" in message
    assert f"{tmp_path / '.venv' / 'bin' / 'pip'} install 'werkzeug>=2.2'" in message


def test_a_python_option_that_names_nothing_says_what_it_takes(tmp_path: Path) -> None:
    with pytest.raises(InterpreterProblem, match="not an interpreter, a virtualenv folder"):
        find(sources(tmp_path), "no-such-python-here")


def test_something_that_is_not_python_is_reported(tmp_path: Path) -> None:
    script = tmp_path / "notpython"
    script.write_text("#!/bin/sh\necho hello\n")
    script.chmod(0o755)
    with pytest.raises(InterpreterProblem, match="did not answer as a Python interpreter"):
        find(sources(tmp_path), str(script))


def test_the_real_probe_reads_this_interpreter(tmp_path: Path) -> None:
    facts = interpreter._probe(Path(sys.executable), "test")
    assert facts["version"] == list(sys.version_info[:3])
    assert facts["packages"]["werkzeug"]
    assert isinstance(ProjectPython(sys.executable, "x").describe(), str)


def test_a_virtual_env_without_an_interpreter_is_passed_over(tmp_path: Path) -> None:
    # deploy-config's tests and users set VIRTUAL_ENV to the server's path.
    python = fake_python(tmp_path / ".venv")
    chosen = find(sources(tmp_path, VIRTUAL_ENV="/opt/venvs/site"))
    assert chosen.executable == str(python)


def test_flaskit_in_another_environment_of_the_project_stays_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # tox runs .tox/py310/bin/flaskit in a project that also has a .venv: tox's wins.
    fake_python(tmp_path / ".venv")
    project = sources(tmp_path)
    assert find(project).isolated
    monkeypatch.setattr(sys, "prefix", str(tmp_path / ".tox" / "py310"))
    assert not find(project).isolated
