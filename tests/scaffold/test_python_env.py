"""The next steps ``flaskit new`` prints fit the Python environment flaskit runs in.

Golden files per situation; after checking a change, regenerate with:
FLASKIT_UPDATE_GOLDEN=1 python -m pytest tests/scaffold/test_python_env.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from flaskit.scaffold.python_env import Install, PythonEnvironment, detect, tool_of
from tests.helpers import REPO, clean_env
from tests.scaffold.conftest import Create, MakeTemplate

GOLDEN = Path(__file__).parent / "golden" / "next_steps"
HOME = Path("/home/ada")
SITUATIONS = {
    # flaskit installed in the venv the shell has active: the project goes there too.
    "active": PythonEnvironment(Install.ACTIVE, HOME / "work/.venv", HOME / "work/.venv"),
    # flaskit from pipx while some venv is active: install there, with flaskit.
    "active-flaskit-elsewhere": PythonEnvironment(
        Install.ACTIVE, HOME / ".local/share/pipx/venvs/flaskit", HOME / "work/.venv"
    ),
    # /home/ada/work/.venv/bin/flaskit new ..., without activating.
    "inactive": PythonEnvironment(Install.INACTIVE, HOME / "work/.venv"),
    "pipx": PythonEnvironment(Install.TOOL, HOME / ".local/share/pipx/venvs/flaskit", tool="pipx"),
    "uv-tool": PythonEnvironment(
        Install.TOOL, HOME / ".local/share/uv/tools/flaskit", tool="uv tool"
    ),
    "none": PythonEnvironment(Install.NONE, Path("/usr")),
    "windows-none": PythonEnvironment(Install.NONE, Path("C:/Python312"), windows=True),
    "windows-inactive": PythonEnvironment(
        Install.INACTIVE, Path("C:/Users/Ada Lovelace/work/.venv"), windows=True
    ),
}


def closing(printed: str) -> str:
    """The part after the list of files: the summary, why, and the steps."""
    return printed[printed.index("Done:") :]


@pytest.mark.parametrize("template", ["package", "module", "tutorial"])
@pytest.mark.parametrize("situation", SITUATIONS)
def test_next_steps_match_golden(
    create: Create, output: Path, monkeypatch: pytest.MonkeyPatch, situation: str, template: str
) -> None:
    monkeypatch.chdir(output)  # "cd demo-site", not a temporary path
    create("demo-site", template=template, environment=SITUATIONS[situation])
    text = closing(create.printed)  # type: ignore[attr-defined]
    golden = GOLDEN / f"{template}-{situation}.txt"
    if os.environ.get("FLASKIT_UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text)
    assert text == golden.read_text()


@pytest.mark.parametrize("situation", ["active", "inactive"])
def test_in_a_virtualenv_no_second_one_is_made(
    create: Create, output: Path, situation: str
) -> None:
    create("demo", environment=SITUATIONS[situation])
    printed = create.printed  # type: ignore[attr-defined]
    assert "-m venv" not in printed
    assert 'pip install -e ".[dev]"\n' in printed  # flaskit is there already


@pytest.mark.parametrize("situation", ["pipx", "uv-tool", "none", "active-flaskit-elsewhere"])
def test_flaskit_running_elsewhere_is_not_installed_again(
    create: Create, output: Path, situation: str
) -> None:
    # flaskit runs the app in the project's environment (VIRTUAL_ENV or .venv), so a
    # flaskit of its own (pipx, uv tool, another venv) is not installed a second time.
    create("demo", environment=SITUATIONS[situation])
    printed = create.printed  # type: ignore[attr-defined]
    assert 'pip install -e ".[dev]"\n' in printed
    assert "flaskit finds it" in printed or "installed elsewhere" in printed


def test_a_template_can_leave_the_environment_out(
    create: Create, output: Path, make_template: MakeTemplate
) -> None:
    manifest = (
        'description = "x"\n'
        'next_steps = ["{{ setup_step }}", "make {{ virtualenv }}", "{% if virtualenv == '
        "'tool' %}pip install flaskit{% endif %}\"]\n"
    )
    root = make_template({"a.txt": "ok"}, manifest=manifest)
    create("demo", template=str(root), environment=SITUATIONS["active"])
    steps = create.printed.split("Next steps:\n")[1]  # type: ignore[attr-defined]
    assert steps.splitlines()[1:] == ["  make active"]  # empty steps are left out


def test_detect(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    venv.mkdir()
    assert detect(None, str(venv), str(venv)).install is Install.NONE
    assert detect(None, str(venv), "/usr").install is Install.INACTIVE
    active = detect(venv, str(venv), "/usr")
    assert (active.install, active.flaskit_elsewhere) == (Install.ACTIVE, False)
    assert detect(tmp_path / "other", str(venv), "/usr").flaskit_elsewhere
    (venv / "pipx_metadata.json").write_text("{}")
    assert (detect(None, str(venv), "/usr").install, tool_of(venv)) == (Install.TOOL, "pipx")
    uv = tmp_path / "tools" / "x"
    uv.mkdir(parents=True)
    (uv / "uv-receipt.toml").write_text("")
    assert tool_of(uv) == "uv tool"
    assert tool_of(Path("/home/a/.local/pipx/venvs/flaskit")) == "pipx"  # marker missing
    assert tool_of(Path("/home/a/.local/share/uv/tools/flaskit")) == "uv tool"
    assert tool_of(Path("/home/a/.cache/uv/archive-v0/x2ZZ")) == "uvx"
    assert tool_of(Path("/home/a/.local/share/pipx/.cache/5e1f")) == "pipx run"
    assert tool_of(tmp_path) is None


def _venv_seeing_our_packages(where: Path) -> Path:
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


@pytest.mark.slow
@pytest.mark.parametrize("situation", ["active", "inactive", "pipx", "none"])
def test_the_real_command_tells_each_situation_apart(tmp_path: Path, situation: str) -> None:
    """flaskit new, run by the interpreter of each situation, as a user would run it."""
    venv = tmp_path / "venv"
    python = _venv_seeing_our_packages(venv)
    env = {k: v for k, v in clean_env().items() if k != "VIRTUAL_ENV"}
    if situation == "active":
        env["VIRTUAL_ENV"] = str(venv)
    if situation == "pipx":
        (venv / "pipx_metadata.json").write_text("{}")
    if situation == "none":  # the base interpreter: no virtualenv at all
        python = Path(getattr(sys, "_base_executable", sys.executable))
        env["PYTHONPATH"] = os.pathsep.join([str(REPO), sysconfig.get_paths()["purelib"]])
    result = subprocess.run(
        [str(python), "-m", "flaskit", "new", "demo", "--no-input"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    steps = result.stdout.split("Next steps:\n")[1].splitlines()
    expected = {
        "active": ["  cd demo", '  python -m pip install -e ".[dev]"'],
        "inactive": [
            "  cd demo",
            f"  . {venv}/bin/activate",
            '  python -m pip install -e ".[dev]"',
        ],
        "pipx": [
            "  cd demo",
            "  python3 -m venv .venv && . .venv/bin/activate",
            '  python -m pip install -e ".[dev]"',
        ],
        "none": [
            "  cd demo",
            "  python3 -m venv .venv && . .venv/bin/activate",
            '  python -m pip install -e ".[dev]"',
        ],
    }[situation]
    assert steps[: len(expected)] == expected, result.stdout
