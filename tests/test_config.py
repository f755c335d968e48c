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


# --- -e/--env-file and Flask's variable names ---------------------------------


def test_env_file_beats_dotenv_which_beats_flaskenv_and_the_environment_beats_all(
    project: Path,
):
    explicit = write(project / "conf" / "staging.env", "FLASKIT_PORT=5009\nONLY_HERE=1\n")
    sources = Sources.load(project, {}, env_file="conf/staging.env")
    setting = sources.get_int("port", default=5000)
    assert setting.value == 5009
    assert setting.source == f"FLASKIT_PORT in {explicit}"
    assert setting.base_dir == explicit.parent
    # .env still wins over .flaskenv for what the explicit file does not set.
    assert sources.dotenv["SECRET_KEY"] == ("from-dotenv", project / ".env")
    assert sources.app().value == "from_flaskenv"
    # The environment wins over all three.
    shell = Sources.load(project, {"FLASKIT_PORT": "5010"}, env_file=explicit)
    assert shell.get_int("port").value == 5010
    target = {"ONLY_HERE": "from-shell"}
    shell.export_dotenv(target)
    assert target["ONLY_HERE"] == "from-shell"


def test_env_file_from_flask_env_file_and_skip_dotenv_keeps_it(project: Path):
    write(project / "x.env", "FLASKIT_PORT=5011\n")
    for name in ("FLASK_ENV_FILE", "FLASKIT_ENV_FILE"):
        sources = Sources.load(project, {name: "x.env", "FLASK_SKIP_DOTENV": "1"})
        assert sources.get_int("port").value == 5011  # .env and .flaskenv skipped, not -e
        assert "SECRET_KEY" not in sources.dotenv
        assert sources.env_file == project / "x.env"


def test_a_missing_env_file_is_a_usage_error(project: Path):
    with pytest.raises(ConfigError, match=r"-e/--env-file names .*nope.env, which is not a file"):
        Sources.load(project, {}, env_file="nope.env")
    with pytest.raises(ConfigError, match="environment variable FLASK_ENV_FILE"):
        Sources.load(project, {"FLASK_ENV_FILE": "nope.env"})


def test_an_env_file_without_python_dotenv_is_an_error_not_a_tip(project: Path, monkeypatch):
    write(project / "x.env", "A=1\n")
    monkeypatch.setitem(sys.modules, "dotenv", None)
    with pytest.raises(ConfigError, match=r"needs python-dotenv.*pip install 'flaskit\[dotenv\]'"):
        Sources.load(project, {}, env_file="x.env")


def test_reload_reads_the_same_files_again(project: Path):
    write(project / "x.env", "FLASKIT_PORT=5012\n")
    sources = Sources.load(project, {}, env_file="x.env")
    write(project / "x.env", "FLASKIT_PORT=5013\n")
    assert sources.reload().get_int("port").value == 5013


@pytest.mark.parametrize(
    ("name", "variable", "value", "expected"),
    [
        ("host", "FLASK_RUN_HOST", "::1", "::1"),
        ("port", "FLASK_RUN_PORT", "8001", 8001),
        ("cert", "FLASK_RUN_CERT", "adhoc", "adhoc"),
        ("key", "FLASK_RUN_KEY", "k.pem", "k.pem"),
        ("reload", "FLASK_RUN_RELOAD", "n", False),
        ("debugger", "FLASK_RUN_DEBUGGER", "y", True),
        ("threads", "FLASK_RUN_WITH_THREADS", "false", False),
        ("watch", "FLASK_RUN_EXTRA_FILES", "a.cfg:b.cfg", ("a.cfg", "b.cfg")),
        ("exclude", "FLASK_RUN_EXCLUDE_PATTERNS", "*.log:tmp/*", ("*.log", "tmp/*")),
        ("debug", "FLASK_RUN_DEBUG", "1", True),
        ("debug", "FLASK_DEBUG", "1", True),
        ("port", "FLASKIT_RUN_PORT", "8002", 8002),
        ("port", "FLASKIT_PORT", "8003", 8003),
    ],
)
def test_run_settings_read_flask_and_flaskit_run_variables(
    tmp_path: Path, name, variable, value, expected
):
    sources = Sources.load(tmp_path, {variable: value}).for_command("run")
    getter = {bool: sources.get_bool, int: sources.get_int, tuple: sources.get_list}
    setting = getter.get(type(expected), sources.get_str)(name)
    assert setting.value == expected
    assert setting.source == f"environment variable {variable}"


def test_the_more_specific_variable_wins(tmp_path: Path):
    env = {"FLASKIT_RUN_PORT": "1", "FLASKIT_PORT": "2", "FLASK_RUN_PORT": "3"}
    assert Sources.load(tmp_path, env).for_command("run").get_int("port").value == 1
    del env["FLASKIT_RUN_PORT"]
    assert Sources.load(tmp_path, env).for_command("run").get_int("port").value == 2
    # FLASK_RUN_PORT is run's: other commands do not read it.
    assert Sources.load(tmp_path, {"FLASK_RUN_PORT": "3"}).get_int("port", default=9).value == 9


def test_app_environ_adds_dotenv_and_defaults_under_the_environment(project: Path):
    sources = Sources.load(project, {"SECRET_KEY": "shell", "FLASK_DEBUG": "0"})
    environ = sources.app_environ({"DJANGO_SETTINGS_MODULE": "x.settings"}, {"FLASK_DEBUG": "1"})
    assert environ["SECRET_KEY"] == "shell"
    assert environ["FLASK_APP"] == "from_flaskenv"
    assert environ["DJANGO_SETTINGS_MODULE"] == "x.settings"
    assert environ["FLASK_DEBUG"] == "1"  # an override: the --debug flag
