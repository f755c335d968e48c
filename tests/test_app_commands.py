"""The app's own commands and plugin commands, run through the real ``flaskit`` as
``flask`` runs them: Flask-Migrate, an ``app.cli`` group with options, a
``flask.commands`` plugin from a test package, a broken app, and ``--help``."""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

import pytest

from tests.helpers import APPS, IN_CI, clean_env, run_flaskit

BLOG = APPS / "cli_blog"
FLASK = str(Path(sys.executable).with_name("flask"))
PLUGIN = "flaskit-test-plugin"


def require_plugin() -> None:
    """The test package tests/apps/cli_plugin must be installed (.ci/run installs it)."""
    try:
        distribution(PLUGIN)
    except PackageNotFoundError:
        message = f"{PLUGIN} is not installed: pip install -e tests/apps/cli_plugin"
        if IN_CI:
            pytest.fail(f"{message} (CI must install it, see .ci/run)")
        pytest.skip(message)


@pytest.fixture
def blog(tmp_path: Path) -> Path:
    """A fresh copy of the microblog-shaped sample app."""
    folder = tmp_path / "blog"
    shutil.copytree(BLOG, folder, ignore=shutil.ignore_patterns("__pycache__", "*.db"))
    return folder


def create_tables(folder: Path) -> None:
    """The models' tables, made from flaskit shell (Flask-SQLAlchemy puts db in it)."""
    result = run_flaskit(["shell"], folder, input="db.create_all()\n")
    assert result.returncode == 0, result.stderr


def run_flask(args: list[str], cwd: Path, env: dict[str, str] | None = None):
    return subprocess.run(
        [FLASK, *args],
        cwd=cwd,
        env={**clean_env(), **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def schema(database: Path) -> list[tuple[str, str, str, str]]:
    with sqlite3.connect(database) as connection:
        return connection.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
        ).fetchall()


@pytest.mark.slow
def test_flask_migrate_through_flaskit_builds_the_schema_flask_builds(blog: Path, tmp_path):
    twin = tmp_path / "twin"
    shutil.copytree(blog, twin)
    for step in (["db", "init"], ["db", "migrate", "-m", "first"], ["db", "upgrade"]):
        ours = run_flaskit(step, cwd=blog, timeout=120)
        assert ours.returncode == 0, ours.stderr
        theirs = run_flask(step, cwd=twin)
        assert theirs.returncode == 0, theirs.stderr
    assert (blog / "migrations" / "env.py").is_file()
    assert len(list((blog / "migrations" / "versions").glob("*_first.py"))) == 1
    ours, theirs = schema(blog / "blog.db"), schema(twin / "blog.db")
    assert {row[1] for row in ours} >= {"user", "post", "alembic_version", "ix_user_username"}
    assert ours == theirs
    # and the migration reports itself applied, through flaskit as through flask
    current = run_flaskit(["db", "current"], cwd=blog, timeout=120)
    assert "(head)" in current.stdout


def test_an_app_cli_group_with_options_runs_in_the_app_context(blog: Path):
    create_tables(blog)
    result = run_flaskit(["report", "--lang", "fr", "count", "--table", "user", "--shout"], blog)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[FR] BLOG: 0 USER"  # current_app and the db worked
    bad = run_flaskit(["report", "count", "--table", "comment"], blog)
    assert bad.returncode == 2
    assert "Invalid value for '--table'" in bad.stderr


def test_blueprint_commands_run_as_under_flask(blog: Path):
    """microblog's ``translate`` (a blueprint with cli_group=None) and a blueprint's
    own group, named after it as Flask names it."""
    for args, expected in (
        (["translate", "compile"], "compiled all for blog\n"),
        (["translate", "compile", "fr"], "compiled fr for blog\n"),
        (["admin", "promote", "ada"], "ada promoted in blog\n"),
    ):
        ours, theirs = run_flaskit(args, blog), run_flask(args, blog)
        assert ours.returncode == theirs.returncode == 0, ours.stderr + theirs.stderr
        assert ours.stdout == theirs.stdout == expected


def test_app_command_options_read_flask_variables_as_under_flask(blog: Path):
    create_tables(blog)
    env = {"FLASK_REPORT_LANG": "de"}
    ours = run_flaskit(["report", "count", "--table", "post"], blog, env=env)
    theirs = run_flask(["report", "count", "--table", "post"], blog, env=env)
    assert ours.stdout == theirs.stdout == "[de] blog: 0 post\n"


def test_flaskit_commands_win_and_flaskit_app_reaches_the_apps(blog: Path):
    ours = run_flaskit(["routes"], blog)
    assert "Endpoint" in ours.stdout  # flaskit's own table
    theirs = run_flaskit(["app", "routes"], blog)
    assert theirs.returncode == 0, theirs.stderr
    assert theirs.stdout == "the app's own routes command\n"


def test_group_options_before_the_command(blog: Path):
    create_tables(blog)
    (blog / ".flaskenv").unlink()
    for args in (["-A", "microblog"], ["--app", "blog:create_app()"]):
        result = run_flaskit([*args, "report", "count", "--table", "user"], blog)
        assert result.returncode == 0, result.stderr
        assert result.stdout == "[en] blog: 0 user\n"
    clash = run_flaskit(["-A", "microblog", "routes", "--app", "blog"], blog)
    assert clash.returncode == 2
    assert "Two different apps were given" in clash.stderr


def test_help_inside_a_project_lists_app_and_plugin_commands_under_headings(blog: Path):
    require_plugin()
    result = run_flaskit(["--help"], blog)
    assert result.returncode == 0, result.stderr
    own, rest = result.stdout.split("Plugin commands (flask.commands entry points):")
    plugins, app = rest.split("App commands (microblog, from FLASK_APP in")
    assert "report" not in own
    assert "db " not in own
    assert "plugin-hello" in plugins
    assert "Say hello without loading the app." in plugins
    assert "db         Perform database migrations." in app
    assert "report     Reports about the blog." in app
    assert "translate  Translation and localization commands." in app
    assert "\n  admin\n" in app  # a blueprint's group has no help text of its own
    assert "routes     [shadowed by flaskit's own: run 'flaskit app routes']" in app


def test_a_broken_app_never_breaks_help_and_its_error_is_shown_once(blog: Path):
    require_plugin()
    with (blog / "microblog.py").open("a") as stream:
        stream.write('raise RuntimeError("no database configured")\n')
    result = run_flaskit(["--help"], blog)
    assert result.returncode == 0
    assert result.stderr.count("RuntimeError: no database configured") == 1
    assert "microblog.py:4" in result.stderr
    assert "plugin-hello" in result.stdout
    assert "the app could not be loaded" in result.stdout
    assert "Traceback" not in result.stderr


def test_an_app_command_of_a_broken_app_gives_the_import_error_once(blog: Path):
    with (blog / "microblog.py").open("a") as stream:
        stream.write('raise RuntimeError("no database configured")\n')
    result = run_flaskit(["db", "upgrade"], blog)
    assert result.returncode == 2
    assert result.stderr.count("RuntimeError: no database configured") == 1
    assert "'db' is not a flaskit or plugin command" in result.stderr
    assert "microblog.py:4" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_plugin_command_runs_when_the_app_raises_at_import(blog: Path):
    require_plugin()
    with (blog / "microblog.py").open("a") as stream:
        stream.write('raise RuntimeError("no database configured")\n')
    result = run_flaskit(["plugin-hello", "--name", "tests"], blog)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "plugin says hello to tests\n"
    assert result.stderr == ""


def test_a_plugin_asking_flask_for_the_app_gets_the_one_flaskit_found(blog: Path):
    """Flask's own ScriptInfo would only look for wsgi.py and app.py here."""
    require_plugin()
    (blog / ".flaskenv").unlink()
    result = run_flaskit(["-A", "microblog.py", "plugin-app-name"], blog)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "plugin sees app blog\n"


def test_plugins_are_listed_outside_a_project_without_being_imported(tmp_path: Path):
    require_plugin()
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "flaskit", "--help"],
        cwd=tmp_path,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "plugin-hello     from flaskit_test_plugin" in result.stdout
    lines = result.stderr.splitlines()
    imported = {line.rsplit("|", 1)[1].strip() for line in lines if "|" in line}
    assert "flaskit_test_plugin" not in imported
    assert "importlib.metadata" not in imported


def test_unknown_command_outside_a_project_says_no_app_was_found(tmp_path: Path):
    result = run_flaskit(["db", "upgrade"], tmp_path)
    assert result.returncode == 2
    assert "No such command 'db'" in result.stderr
    assert "no app was found to look in: there is no wsgi.py, app.py, manage.py" in (result.stderr)
    assert "flaskit -A SPEC db" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_command_inside_a_project_is_a_plain_usage_error(blog: Path):
    result = run_flaskit(["frobnicate"], blog)
    assert result.returncode == 2
    assert "No such command 'frobnicate'" in result.stderr
    assert "no app was found" not in result.stderr


def test_env_file_precedence_reaches_the_app(blog: Path):
    """-e beats .env beats .flaskenv; the environment beats all three."""

    def greeting(*args: str, env: dict[str, str] | None = None) -> str:
        result = run_flaskit([*args, "shell"], blog, env=env, input="print(greeting)\n")
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    assert greeting() == "from-flaskenv"
    (blog / ".env").write_text("BLOG_GREETING=from-dotenv\n")
    assert greeting() == "from-dotenv"
    (blog / "staging.env").write_text("BLOG_GREETING=from-e\n")
    assert greeting("-e", "staging.env") == "from-e"
    assert greeting("--env-file", "staging.env", env={"BLOG_GREETING": "from-shell"}) == (
        "from-shell"
    )
    missing = run_flaskit(["-e", "nope.env", "shell"], blog, input="")
    assert missing.returncode == 2
    assert "'nope.env' does not exist" in missing.stderr


# --- a Django project: its manage.py commands ----------------------------------


@pytest.fixture
def django_site(tmp_path: Path) -> Path:
    """A copy of the Django sample project (manage.py with split settings)."""
    folder = tmp_path / "site"
    shutil.copytree(APPS / "cli_django", folder, ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def test_django_commands_run_as_manage_py_runs_them(django_site: Path):
    result = run_flaskit(["check"], django_site)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    # Arguments and options go to Django untouched, with manage.py's settings.
    result = run_flaskit(["diffsettings", "--output", "unified"], django_site)
    assert result.returncode == 0, result.stderr
    assert "+ SETTINGS_NAME = 'dev'" in result.stdout
    result = run_flaskit(["migrate", "--help"], django_site)
    assert result.returncode == 0, result.stderr
    assert "usage: manage.py migrate" in result.stdout


def test_a_failing_django_command_exits_as_under_manage_py(django_site: Path):
    result = run_flaskit(["migrate", "nosuchapp"], django_site)
    assert result.returncode == 1
    assert "CommandError: No installed app with label 'nosuchapp'." in result.stderr


def test_help_in_a_django_project_lists_its_commands(django_site: Path):
    result = run_flaskit(["--help"], django_site)
    assert result.returncode == 0, result.stderr
    assert "App commands (mysite.wsgi:application" in result.stdout
    assert re.search(r"^  migrate +from django\.core$", result.stdout, re.MULTILINE)
    # Django's shell is not listed twice: flaskit shell is manage.py shell here.
    django_section = result.stdout.split("App commands (", 1)[1]
    assert not re.search(r"^  shell +", django_section, re.MULTILINE)
