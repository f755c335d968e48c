"""What deploy-config learns from the app (issue 12.7), run as a user would run it.

Each case is a sample app in tests/apps/ reproducing a real project's idiom; the
command runs in a subprocess, so Django's once-per-process settings and the
interpreter's own venv are those of a real run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from flaskit.deploy import generate
from tests.helpers import APPS, clean_env, flaskit_command

FLASKENV_APP = APPS / "deploy_flaskenv"
DJANGO_APP = APPS / "deploy_django"


def _deploy(
    project: Path, out: Path, *args: str, env: dict[str, str] | None = None
) -> tuple[int, str]:
    full_env = clean_env()
    full_env.pop("VIRTUAL_ENV", None)
    full_env.update(env or {})
    done = subprocess.run(
        flaskit_command("deploy-config", "-o", str(out), "--domain", "example.test", *args),
        cwd=project,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return done.returncode, done.stdout + done.stderr


@pytest.mark.slow
def test_the_projects_wsgi_py_wins_over_flask_app_from_flaskenv(tmp_path: Path) -> None:
    code, output = _deploy(
        FLASKENV_APP, tmp_path / "d", "nginx", "gunicorn", "--tls", "off", "--name", "shop"
    )
    assert code == 0, output
    assert "note: app: the project's wsgi.py, its production entry point, rather than " in output
    assert "devapp:create_app from FLASK_APP in" in output
    assert "Pass --app devapp:create_app to deploy that instead" in output
    # wsgi.py's production set-up is what was read and what gunicorn runs.
    site = (tmp_path / "d/nginx/shop.conf").read_text()
    assert "client_max_body_size 1048576;" in site
    entry = (tmp_path / "d/gunicorn_entry.py").read_text()
    assert "from wsgi import application" in entry
    assert "SECRET_KEY" not in output  # the production key is not a development value
    # .flaskenv's FLASK_DEBUG=1 is for `flask run`: gunicorn never reads it.
    assert "debug mode" not in output


@pytest.mark.slow
def test_the_app_named_on_the_command_line_is_used_and_its_dev_key_warned_about(
    tmp_path: Path,
) -> None:
    code, output = _deploy(
        FLASKENV_APP, tmp_path / "d", "nginx", "--tls", "off", "--app", "devapp:create_app"
    )
    assert code == 0, output
    assert "note: app: devapp:create_app (from option --app)." in output
    assert (
        "WARNING: The app's app.config['SECRET_KEY'] is 'dev', a well-known development value"
        in (output)
    )
    assert "client_max_body_size 10485760;" in (tmp_path / "d/nginx/devapp.conf").read_text()


@pytest.mark.slow
def test_debug_mode_is_warned_about_only_when_the_app_turns_it_on(tmp_path: Path) -> None:
    """A developer's FLASK_DEBUG (the shell's, .flaskenv's, as microblog ships it) is not
    the server's; an app that sets debug itself runs with it in production too."""
    project = tmp_path / "blog"
    project.mkdir()
    (project / ".flaskenv").write_text("FLASK_DEBUG=1\n")
    (project / "app.py").write_text(
        "import os\nfrom flask import Flask\n\napp = Flask(__name__)\n"
        "app.config['SECRET_KEY'] = os.environ.get('BLOG_KEY', 'k' * 40)\n"
        "if os.environ.get('BLOG_DEBUG') == 'yes':\n    app.debug = True\n"
    )
    code, output = _deploy(
        project, tmp_path / "d", "gunicorn", "--tls", "off", env={"FLASK_DEBUG": "1"}
    )
    assert code == 0, output
    assert "debug mode" not in output
    code, output = _deploy(
        project, tmp_path / "e", "gunicorn", "--tls", "off", env={"BLOG_DEBUG": "yes"}
    )
    assert code == 0, output
    assert "WARNING: The app runs with debug mode as imported here" in output


@pytest.mark.slow
def test_without_virtual_env_the_venv_is_the_one_flaskit_runs_in(tmp_path: Path) -> None:
    code, output = _deploy(
        FLASKENV_APP, tmp_path / "d", "systemd", "--tls", "off", "--name", "shop"
    )
    assert code == 0, output
    service = (tmp_path / "d/systemd/shop.service").read_text()
    if sys.prefix == sys.base_prefix:  # the tests themselves run outside a venv
        assert f"ExecStart={FLASKENV_APP}/.venv/bin/gunicorn" in service
        return
    assert f"ExecStart={sys.prefix}/bin/gunicorn --config" in service
    assert "the environment flaskit runs in" in output
    # VIRTUAL_ENV still wins when it is set.
    code, output = _deploy(
        FLASKENV_APP,
        tmp_path / "e",
        "systemd",
        "--tls",
        "off",
        "--name",
        "shop",
        env={"VIRTUAL_ENV": "/opt/v"},
    )
    assert code == 0, output
    assert "ExecStart=/opt/v/bin/gunicorn" in (tmp_path / "e/systemd/shop.service").read_text()


def test_tool_environments_are_not_taken_for_the_projects(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "prefix", "/home/me/.local/share/pipx/venvs/flaskit")
    monkeypatch.setattr(sys, "base_prefix", "/usr")
    assert generate.interpreter_venv() is None
    monkeypatch.setattr(sys, "prefix", "/home/me/shop/.venv")
    assert generate.interpreter_venv() == Path("/home/me/shop/.venv")
    monkeypatch.setattr(sys, "base_prefix", "/home/me/shop/.venv")
    assert generate.interpreter_venv() is None


@pytest.mark.slow
def test_django_allowed_hosts_that_refuse_the_domain_fail_the_check(tmp_path: Path) -> None:
    code, output = _deploy(
        DJANGO_APP,
        tmp_path / "d",
        "nginx",
        "gunicorn",
        "--app",
        "djsite.wsgi:application",
        "--tls",
        "off",
        "--domain",
        "shop.example.org",
        "--check",
        env={"DJSITE_ALLOWED_HOSTS": "localhost"},
    )
    assert code == 1, output
    assert "WARNING: Django's ALLOWED_HOSTS is ['localhost'], which does not accept" in output
    assert "example.test, shop.example.org: the site would answer 400" in output
    assert "FAILED   Django ALLOWED_HOSTS" in output
    assert "ok       nginx -t" in output  # the other checks still ran


@pytest.mark.slow
def test_django_static_root_and_collectstatic(tmp_path: Path) -> None:
    code, output = _deploy(
        DJANGO_APP,
        tmp_path / "d",
        "nginx",
        "gunicorn",
        "--app",
        "djsite.wsgi:application",
        "--tls",
        "off",
    )
    assert code == 0, output
    assert "WARNING" not in output
    site = (tmp_path / "d/nginx/djsite.conf").read_text()
    assert f"alias {DJANGO_APP}/staticfiles/;" in site
    assert "location /static/ {" in site
    readme = (tmp_path / "d/README.md").read_text()
    assert "manage.py collectstatic --noinput" in readme
    assert "manage.py migrate --noinput" in readme
    assert "werkzeug" in readme  # ProxyFix's package, which a Django project may lack


def test_known_development_secret_keys() -> None:
    from flaskit.deploy.appinfo import _secret_key_problem

    for value in ("dev", "Dev ", "changeme", "secret", b'_5#y2L"F4Q8z\n\xec]/'):
        assert _secret_key_problem(value, "flask") is not None, value
    assert _secret_key_problem("django-insecure-abc", "django") is not None
    assert _secret_key_problem(os.urandom(16).hex(), "flask") is None
    assert _secret_key_problem(None, "flask") is None
