"""Settings precedence: option > FLASKIT_* env > .env/.flaskenv > [tool.flaskit] > default."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from flaskit.config import Sources, find_upward
from flaskit.errors import ConfigError


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with every kind of source setting ``port`` and ``app``."""
    write(tmp_path / "pyproject.toml", '[tool.flaskit]\nport = 5001\napp = "from_pyproject:app"\n')
    write(tmp_path / ".flaskenv", "FLASKIT_PORT=5002\nFLASK_APP=from_flaskenv\n")
    write(tmp_path / ".env", "FLASKIT_PORT=5003\nSECRET_KEY=from-dotenv\n")
    return tmp_path


def test_each_layer_wins_over_the_ones_below(project: Path):
    env = {"FLASKIT_PORT": "5004"}
    sources = Sources.load(project, env)
    assert sources.get_int("port", cli=5005, default=5000).value == 5005
    assert sources.get_int("port", default=5000).value == 5004

    sources = Sources.load(project, {})
    setting = sources.get_int("port", default=5000)
    assert setting.value == 5003  # .env wins over .flaskenv
    assert setting.source == f"FLASKIT_PORT in {project / '.env'}"

    (project / ".env").unlink()
    assert Sources.load(project, {}).get_int("port", default=5000).value == 5002

    (project / ".flaskenv").unlink()
    setting = Sources.load(project, {}).get_int("port", default=5000)
    assert setting.value == 5001
    assert "[tool.flaskit] port" in setting.source

    (project / "pyproject.toml").unlink()
    setting = Sources.load(project, {}).get_int("port", default=5000)
    assert (setting.value, setting.source, setting.is_default) == (5000, "default", True)


def test_app_aliases_follow_the_documented_order(project: Path):
    both = {"FLASKIT_APP": "a", "FLASK_APP": "b"}
    assert Sources.load(project, both).app().value == "a"
    assert Sources.load(project, {"FLASK_APP": "b"}).app().value == "b"
    assert Sources.load(project, {}).app().value == "from_flaskenv"
    (project / ".flaskenv").unlink()
    assert Sources.load(project, {}).app().value == "from_pyproject:app"
    assert Sources.load(project, {}).app("cli:app").value == "cli:app"


def test_relative_values_resolve_against_the_file_that_set_them(project: Path):
    sub = project / "src" / "deep"
    sub.mkdir(parents=True)
    (project / ".flaskenv").unlink()
    setting = Sources.load(sub, {}).app()
    assert setting.base_dir == project
    assert Sources.load(sub, {"FLASKIT_APP": "x"}).app().base_dir == sub


def test_dotenv_files_are_found_upward(project: Path):
    sub = project / "a" / "b"
    sub.mkdir(parents=True)
    assert Sources.load(sub, {}).get_int("port").value == 5003


def test_skip_dotenv(project: Path):
    for name in ("FLASKIT_SKIP_DOTENV", "FLASK_SKIP_DOTENV"):
        sources = Sources.load(project, {name: "1"})
        assert sources.dotenv == {}
        assert sources.get_int("port").value == 5001


def test_missing_python_dotenv_gives_a_tip_not_silence(project: Path, monkeypatch):
    monkeypatch.setitem(sys.modules, "dotenv", None)  # makes "import dotenv" fail
    sources = Sources.load(project, {})
    assert sources.dotenv == {}
    assert len(sources.notes) == 1
    assert "python-dotenv is not installed" in sources.notes[0]
    assert "pip install 'flaskit[dotenv]'" in sources.notes[0]


def test_export_dotenv_never_overrides_the_environment(project: Path):
    sources = Sources.load(project, {})
    target = {"SECRET_KEY": "from-shell"}
    sources.export_dotenv(target)
    assert target["SECRET_KEY"] == "from-shell"
    assert target["FLASKIT_PORT"] == "5003"
    assert target["FLASK_APP"] == "from_flaskenv"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", True),
        ("true", True),
        ("Yes", True),
        ("on", True),
        ("0", False),
        ("off", False),
        ("", False),
    ],
)
def test_booleans_from_variables(tmp_path: Path, text: str, expected: bool):
    assert Sources.load(tmp_path, {"FLASKIT_DEBUG": text}).get_bool("debug").value is expected


def test_aliases_for_booleans(tmp_path: Path):
    assert (
        Sources.load(tmp_path, {"FLASK_DEBUG": "1"})
        .get_bool("debug", aliases=["FLASK_DEBUG"])
        .value
    )


def test_bad_values_name_their_source(tmp_path: Path):
    with pytest.raises(ConfigError, match="environment variable FLASKIT_DEBUG is 'maybe'"):
        Sources.load(tmp_path, {"FLASKIT_DEBUG": "maybe"}).get_bool("debug")
    with pytest.raises(ConfigError, match="not a whole number"):
        Sources.load(tmp_path, {"FLASKIT_PORT": "eighty"}).get_int("port")
    write(tmp_path / "pyproject.toml", "[tool.flaskit]\napp = 3\nwatch = [1]\n")
    sources = Sources.load(tmp_path, {})
    with pytest.raises(ConfigError, match=r"\[tool.flaskit\] app in .*pyproject.toml must be text"):
        sources.app()
    with pytest.raises(ConfigError, match="must be a list of text values"):
        sources.get_list("watch")


def test_lists_from_toml_and_variables(tmp_path: Path):
    write(tmp_path / "pyproject.toml", '[tool.flaskit]\nwatch-paths = ["src", "templates"]\n')
    assert Sources.load(tmp_path, {}).get_list("watch_paths").value == ("src", "templates")
    env = {"FLASKIT_WATCH_PATHS": "a:b"}
    assert Sources.load(tmp_path, env).get_list("watch_paths").value == ("a", "b")
    assert Sources.load(tmp_path, env).get_list("watch_paths", cli=("c",)).value == ("c",)
    # An empty tuple from click means the option was not given.
    assert Sources.load(tmp_path, env).get_list("watch_paths", cli=()).value == ("a", "b")


def test_invalid_pyproject_is_a_clear_error(tmp_path: Path):
    write(tmp_path / "pyproject.toml", "[tool.flaskit\napp = 1\n")
    with pytest.raises(ConfigError, match="is not valid TOML") as info:
        Sources.load(tmp_path, {})
    assert info.value.exit_code == 2


def test_tool_flaskit_must_be_a_table(tmp_path: Path):
    write(tmp_path / "pyproject.toml", '[tool]\nflaskit = "x"\n')
    with pytest.raises(ConfigError, match="must be a table"):
        Sources.load(tmp_path, {})


def test_nearest_pyproject_wins(tmp_path: Path):
    write(tmp_path / "pyproject.toml", '[tool.flaskit]\napp = "outer"\n')
    write(tmp_path / "inner" / "pyproject.toml", "[project]\nname = 'inner'\n")
    sources = Sources.load(tmp_path / "inner", {})
    assert sources.pyproject_path == tmp_path / "inner" / "pyproject.toml"
    assert sources.app().value is None
    assert sources.project_root == tmp_path / "inner"


def test_find_upward(tmp_path: Path):
    write(tmp_path / "marker.txt", "")
    deep = tmp_path / "x" / "y"
    deep.mkdir(parents=True)
    assert find_upward(deep, ["marker.txt"]) == tmp_path / "marker.txt"
    assert find_upward(deep, ["no-such-file-anywhere.xyz"]) is None
