"""Hints: each error is made for real in tests/apps/debug_hints (a copy of it), the hint is
read, the fix it names is applied, and the error is gone."""

from __future__ import annotations

import importlib.util
import itertools
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.test import Client

from flaskit.debugpage import DebugPageConfig, wrap
from flaskit.debugpage.model import Hint
from tests.debugpage.support import LOCAL, Tags, strip_ansi, text_of
from tests.helpers import APPS, clean_env, run_flaskit

_names = itertools.count()


class Project:
    """A copy of the hints app, loaded under a module name of its own."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.module_name = f"debug_hints_app_{next(_names)}"
        self.spec = "app:create_app()"
        self.apps: list[Flask] = []

    def app(self, **options: Any) -> Flask:
        spec = importlib.util.spec_from_file_location(self.module_name, self.folder / "app.py")
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[self.module_name] = module
        spec.loader.exec_module(module)
        app: Flask = module.create_app(options)
        self.apps.append(app)
        return app

    def client(self, app: Flask, spec: str | None = None) -> Client:
        config = DebugPageConfig(app_spec=spec or self.spec, root=self.folder)
        return Client(wrap(app, config))

    def close(self) -> None:
        """Forget the module and close the apps' database connections (an unclosed
        sqlite3 connection is a ResourceWarning from Python 3.13 on)."""
        sys.modules.pop(self.module_name, None)
        for app in self.apps:
            database = app.extensions.get("sqlalchemy")
            if database is None:
                continue
            with app.app_context():
                database.session.remove()
                for engine in database.engines.values():
                    engine.dispose()


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    folder = tmp_path / "shop"
    shutil.copytree(APPS / "debug_hints", folder)
    made = Project(folder)
    yield made
    made.close()


def problem(test_client: Client, path: str, method: str = "GET", **kwargs: Any) -> dict[str, Any]:
    response = test_client.open(
        path,
        method=method,
        headers={"Accept": "application/json", **kwargs.pop("headers", {})},
        environ_base=LOCAL,
        **kwargs,
    )
    assert response.mimetype == "application/problem+json", response.get_data(as_text=True)
    document: dict[str, Any] = response.get_json(force=True)
    document["_status"] = response.status_code
    document["_headers"] = dict(response.headers)
    return document


def only_hint(document: dict[str, Any]) -> Hint:
    assert len(document["hints"]) == 1, document["hints"]
    return Hint(**document["hints"][0])


def ok(test_client: Client, path: str, method: str = "GET", **kwargs: Any) -> str:
    response = test_client.open(path, method=method, environ_base=LOCAL, **kwargs)
    body = response.get_data(as_text=True)
    assert response.status_code == 200, body[:2000]
    return body


# --- templates ---------------------------------------------------------------------------


def test_template_not_found_names_the_folders_searched_and_the_close_name(
    project: Project,
) -> None:
    app = project.app()
    hint = only_hint(problem(project.client(app), "/profile"))
    assert hint.title == "No template named 'profle.html' in the folders searched"
    assert "templates  (the app)" in hint.detail
    assert "Templates with a close name: profile.html" in hint.detail
    assert hint.fix.startswith("Use 'profile.html' if you meant it")
    # The fix: the name it suggests.
    view = project.folder / "app.py"
    view.write_text(view.read_text().replace('"profle.html"', '"profile.html"'))
    fixed = project.app()
    assert "<h1>Profile</h1>" in ok(project.client(fixed), "/profile")


def test_template_not_found_says_where_to_create_it(project: Project) -> None:
    app = project.app()
    hint = only_hint(problem(project.client(app), "/report"))
    assert hint.fix == "Create templates/reports/monthly.html."
    created = project.folder / "templates" / "reports" / "monthly.html"
    created.parent.mkdir()
    created.write_text("<h1>Monthly</h1>")
    assert "Monthly" in ok(project.client(project.app()), "/report")


def test_template_not_found_lists_blueprint_folders_and_missing_ones(project: Project) -> None:
    app = project.app()
    from flask import Blueprint

    admin = Blueprint("admin", __name__, template_folder=str(project.folder / "admin_templates"))
    app.register_blueprint(admin, url_prefix="/admin")
    hint = only_hint(problem(project.client(app), "/report"))
    lines = hint.detail.splitlines()
    assert lines[1].strip() == "templates  (the app)"
    assert lines[2].strip() == "admin_templates  (blueprint admin)  - this folder does not exist"


def test_undefined_variable_lists_what_the_template_received(project: Project) -> None:
    app = project.app()
    hint = only_hint(problem(project.client(app), "/greeting"))
    assert hint.title == "The template has no variable 'usr'"
    assert "It received: unread, user." in hint.detail
    assert "greeting.html" in hint.detail
    assert hint.fix.startswith("Use {{ user }} if you meant it, or pass 'usr'")
    assert re.search(r"render_template\('greeting.html', usr=\.\.\.\) at app.py:\d+", hint.fix)
    template = project.folder / "templates" / "greeting.html"
    template.write_text(template.read_text().replace("usr.name", "user.name"))
    assert "<h1>Ada</h1>" in ok(project.client(project.app()), "/greeting")


def test_undefined_attribute_names_the_members_it_has(project: Project) -> None:
    app = project.app()
    hint = only_hint(problem(project.client(app), "/card"))
    assert hint.title == "dict object has no 'nme'"
    assert "user has: email, name." in hint.detail
    assert hint.fix == "Use user.name, not user.nme."
    template = project.folder / "templates" / "card.html"
    template.write_text(template.read_text().replace("user.nme", "user.name"))
    assert "ADA" in ok(project.client(project.app()), "/card")


# --- url_for ----------------------------------------------------------------------------


def _apply_url_for(app: Flask, fix: str, **values: Any) -> str:
    """Evaluate the ``url_for(...)`` call a fix names, the ``...`` filled in."""
    from flask import url_for

    call = re.search(r"url_for\([^)]*\)", fix)
    assert call is not None, fix
    code = call.group()
    for name, value in values.items():
        code = code.replace(f"{name}=...", f"{name}={value!r}")
    with app.test_request_context():
        return str(eval(code, {"url_for": url_for}))


def test_build_error_suggests_the_closest_endpoint_and_its_arguments(project: Project) -> None:
    app = project.app()
    hint = only_hint(problem(project.client(app), "/links/typo"))
    assert hint.title == "No endpoint named 'user_profil'"
    assert "user_profile (/user/<int:user_id>, needs user_id)" in hint.detail
    assert re.fullmatch(r"Call url_for\('user_profile', user_id=1\) \(at app.py:\d+\)\.", hint.fix)
    assert _apply_url_for(app, hint.fix) == "/user/1"


def test_build_error_for_missing_arguments(project: Project) -> None:
    app = project.app()
    hint = only_hint(problem(project.client(app), "/links/arguments"))
    assert hint.title == "url_for('user_profile') is missing user_id"
    assert _apply_url_for(app, hint.fix, user_id=7) == "/user/7"


def test_build_error_for_a_blueprint_endpoint(project: Project) -> None:
    app = project.app()
    hint = only_hint(problem(project.client(app), "/links/blueprint"))
    assert "blog.show (/blog/<slug>, needs slug)" in hint.detail
    assert "blueprint.view" in hint.detail
    assert _apply_url_for(app, hint.fix) == "/blog/hello"


# --- forms --------------------------------------------------------------------------------


def test_missing_form_field_lists_the_fields_sent(project: Project) -> None:
    app = project.app()
    test_client = project.client(app)
    hint = only_hint(
        problem(test_client, "/signup", "POST", data={"name": "Ada", "e_mail": "ada@x.org"})
    )
    assert hint.title == "No form field 'email' in the request"
    assert "It sent: name, e_mail (as application/x-www-form-urlencoded)." in hint.detail
    assert hint.fix.startswith("The form calls it 'e_mail': rename one of them.")
    assert "request.form.get('email')" in hint.fix
    assert ok(test_client, "/signup", "POST", data={"name": "Ada", "email": "ada@x.org"}) == (
        "welcome ada@x.org"
    )


def test_a_file_sent_without_multipart_names_the_enctype(project: Project) -> None:
    app = project.app()
    test_client = project.client(app)
    # What a browser sends for <input type=file name=photo> in a form without enctype.
    hint = only_hint(problem(test_client, "/avatar", "POST", data={"photo": "me.png"}))
    assert hint.title == "The form was not sent as multipart/form-data, so no file arrived"
    assert "it was sent as application/x-www-form-urlencoded" in hint.detail
    assert "only the file's name, as the form field 'photo'" in hint.detail
    assert 'enctype="multipart/form-data"' in hint.fix
    import io

    sent = {"photo": (io.BytesIO(b"\x89PNG"), "me.png")}
    assert ok(test_client, "/avatar", "POST", data=sent, content_type="multipart/form-data") == (
        "got me.png"
    )


def test_csrf_failure_says_what_the_form_must_send(project: Project) -> None:
    app = project.app(SECRET_KEY="a-fixed-key-for-the-test", USE_CSRF=True)
    test_client = project.client(app)
    document = problem(test_client, "/comment", "POST", data={"text": "hi"})
    assert document["_status"] == 400
    assert document["title"] == "Bad Request"
    hint = only_hint(document)
    assert hint.title == "The CSRF token is missing"
    assert "a 'csrf_token' field or a X-CSRFToken / X-CSRF-Token header" in hint.detail
    assert "This request sent the fields: text." in hint.detail
    field = re.search(
        r'<input type="hidden" name="csrf_token" value="\{\{ csrf_token\(\) \}\}">', hint.fix
    )
    assert field is not None
    template = project.folder / "templates" / "comment.html"
    template.write_text(template.read_text().replace("<input", field.group() + "<input"))
    fixed = project.app(SECRET_KEY="a-fixed-key-for-the-test", USE_CSRF=True)
    browser = project.client(fixed)
    form = ok(browser, "/comment")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token is not None
    assert (
        ok(browser, "/comment", "POST", data={"csrf_token": token.group(1), "text": "hi"})
        == "thanks"
    )


def test_csrf_hint_in_the_page_keeps_flasks_status(project: Project) -> None:
    app = project.app(SECRET_KEY="a-fixed-key-for-the-test", USE_CSRF=True)
    response = project.client(app).post("/comment", data={"text": "hi"}, environ_base=LOCAL)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "400 Bad Request · POST" in page
    assert "The CSRF token is missing" in text_of(page.split('<section id="hints">')[1])


def test_an_error_handler_of_the_apps_own_wins_over_the_hint(project: Project) -> None:
    app = project.app()
    app.register_error_handler(405, lambda error: ("our own 405 page", 405))
    response = project.client(app).post("/contact", environ_base=LOCAL)
    assert response.status_code == 405
    assert response.get_data(as_text=True) == "our own 405 page"


# --- routing ------------------------------------------------------------------------------


def test_method_not_allowed_names_the_methods_and_the_view(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    app = project.app()
    document = problem(project.client(app), "/contact", "POST", data={"message": "hi"})
    terminal = strip_ansi(capsys.readouterr().err)
    assert "werkzeug.exceptions.MethodNotAllowed: 405 Method Not Allowed" in terminal
    assert "Hint: /contact does not accept POST" in terminal
    assert "Traceback" not in terminal  # an HTTP error Flask answered: no traceback to show
    assert document["_status"] == 405
    allow = {m.strip() for m in document["_headers"]["Allow"].split(",")}
    assert allow == {"GET", "HEAD", "OPTIONS"}  # Flask's header is kept
    hint = only_hint(document)
    assert hint.title == "/contact does not accept POST"
    assert re.search(r"matches the route /contact of the view contact \(app.py:\d+\)", hint.detail)
    assert "which accepts GET." in hint.detail
    methods = re.search(r"methods=(\[[^\]]*\])", hint.fix)
    assert methods is not None
    assert methods.group(1) == "['GET', 'POST']"
    view = project.folder / "app.py"
    view.write_text(
        view.read_text().replace(
            '@app.route("/contact", methods=["GET"])',
            f'@app.route("/contact", methods={methods.group(1)})',
        )
    )
    assert "<form" in ok(project.client(project.app()), "/contact", "POST")


# --- configuration --------------------------------------------------------------------------


def test_missing_secret_key_says_how_to_set_one(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = project.app()
    hint = only_hint(problem(project.client(app), "/visit"))
    assert hint.title == "The app has no SECRET_KEY"
    assert "session[...]" in hint.detail
    assert ".env (flaskit reads it)" in hint.fix
    statement = re.search(r"app\.config\['SECRET_KEY'\] = os\.environ\['SECRET_KEY'\]", hint.fix)
    command = re.search(r"python -c '([^']+)'", hint.fix)
    assert statement is not None
    assert command is not None
    key = subprocess.run(
        [sys.executable, "-c", command.group(1)], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert len(key) == 64
    monkeypatch.setenv("SECRET_KEY", key)
    fixed = project.app()
    import os

    exec(statement.group(), {"app": fixed, "os": os})
    assert ok(project.client(fixed), "/visit") == "visit 1"


# --- database -----------------------------------------------------------------------------


def test_no_such_table_without_migrations_names_create_all(project: Project) -> None:
    app = project.app()
    hint = only_hint(problem(project.client(app), "/users"))
    assert hint.title.startswith("The table 'user' does not exist in sqlite:///")
    assert "without migrations" in hint.detail
    code = re.search(r"then: (from [\w.]+ import db; db\.create_all\(\))", hint.fix)
    assert code is not None, hint.fix
    with app.app_context():
        exec(code.group(1), {})
    assert ok(project.client(app), "/users") == ""


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_no_such_table_with_flask_migrate_runs_the_commands_it_names(project: Project) -> None:
    spec = "app:create_app({'USE_MIGRATE': True})"
    app = project.app(USE_MIGRATE=True)
    hint = only_hint(problem(project.client(app, spec), "/users"))
    assert "there is no migrations folder yet (migrations)" in hint.detail
    commands = [shlex.split(part) for part in hint.fix.split(": ", 1)[1].split("; ")]
    assert [c[3:5] for c in commands] == [["db", "init"], ["db", "migrate"], ["db", "upgrade"]]
    for command in commands:
        assert command[:3] == ["flaskit", "-A", spec]
        done = run_flaskit(command[1:], cwd=project.folder)
        assert done.returncode == 0, done.stderr
    assert ok(project.client(project.app(USE_MIGRATE=True), spec), "/users") == ""

    # A model added after the migrations: the hint asks for a new one.
    (project.folder / "hints.db").unlink()
    upgraded = project.app(USE_MIGRATE=True)
    hint = only_hint(problem(project.client(upgraded, spec), "/users"))
    assert "A migration in migrations/versions creates 'user'" in hint.detail
    assert hint.fix == f"Apply the migrations: flaskit -A {shlex.quote(spec)} db upgrade"


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_no_such_table_of_a_plain_sqlite3_app_runs_its_init_db(project: Project) -> None:
    """The Flask tutorial's way: sqlite3 directly, and an init-db command that creates the
    tables. The hint names the command under flaskit; run as named, it fixes the page."""
    app = project.app()
    hint = only_hint(problem(project.client(app), "/notes"))
    assert hint.title == "The table 'note' does not exist in notes.sqlite"
    assert "'init-db'" in hint.detail
    command = shlex.split(hint.fix.split(": ", 1)[1])
    assert command == ["flaskit", "-A", project.spec, "init-db"]
    done = run_flaskit(command[1:], cwd=project.folder)
    assert done.returncode == 0, done.stderr
    assert "Initialized the database." in done.stdout
    assert ok(project.client(project.app()), "/notes") == ""


def test_no_such_table_with_no_setup_command_says_what_creates_tables(project: Project) -> None:
    app = project.app()
    del app.cli.commands["init-db"]
    hint = only_hint(problem(project.client(app), "/notes"))
    assert hint.title == "The table 'note' does not exist in notes.sqlite"
    assert "create_all" in hint.fix
    assert "flask-sqlalchemy" not in hint.detail.lower()  # the query was not SQLAlchemy's


# --- imports ------------------------------------------------------------------------------


def test_module_not_found_names_the_interpreter_and_the_install(project: Project) -> None:
    app = project.app()
    hint = only_hint(problem(project.client(app), "/plugin"))
    assert hint.title == "The module flaskit_hint_demo is not installed"
    assert f"the interpreter that looked: {sys.executable}" in hint.detail
    assert hint.fix == (
        f"Install it for that interpreter: {shlex.quote(sys.executable)} -m pip install "
        "flaskit-hint-demo"
    )


@pytest.mark.parametrize(
    ("module", "distribution"),
    [("yaml", "PyYAML"), ("PIL.Image", "Pillow"), ("flask_login", "flask-login")],
)
def test_module_not_found_knows_distributions_named_otherwise(
    module: str, distribution: str
) -> None:
    from flaskit.debugpage.hints import HintContext
    from flaskit.debugpage.hints.imports import module_not_found

    error = ModuleNotFoundError(f"No module named '{module}'", name=module)
    hint = module_not_found(error, HintContext())
    if module.startswith("PIL") and importlib.util.find_spec("PIL") is not None:
        pytest.skip("Pillow is installed here: the hint is about PIL's submodule")
    assert hint is not None
    assert hint.fix.endswith(f"-m pip install {distribution}")


# --- every surface ------------------------------------------------------------------------


def test_a_hint_shows_on_the_page_in_the_text_copy_the_terminal_and_the_json(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    app = project.app()
    test_client = project.client(app)
    capsys.readouterr()
    response = test_client.get("/links/typo", environ_base=LOCAL)
    page = response.get_data(as_text=True)
    terminal = strip_ansi(capsys.readouterr().err)
    title = "No endpoint named 'user_profil'"
    hints = page.split('<section id="hints">')[1].split("</section>")[0]
    assert title in text_of(hints)
    assert "Fix: Call url_for('user_profile', user_id=1)" in text_of(hints)
    assert '<a href="#hints">Hint</a>' in page
    copy = Tags(page).textarea
    assert f"Hint: {title}" in copy
    assert "  Fix: Call url_for('user_profile', user_id=1)" in copy
    assert f"Hint: {title}" in terminal
    assert "Fix: Call url_for('user_profile', user_id=1)" in terminal
    assert only_hint(problem(test_client, "/links/typo")).title == title


def test_a_failing_hint_leaves_the_page_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    from flaskit.debugpage import hints

    def broken(exc: BaseException, context: object) -> Hint:
        raise RuntimeError("hint bug")

    monkeypatch.setattr(hints, "REGISTRY", (("builtins.ZeroDivisionError", broken),))
    app = Flask(__name__)

    @app.route("/")
    def index() -> str:
        return str(1 / 0)

    response = Client(wrap(app, DebugPageConfig())).get("/", environ_base=LOCAL)
    assert response.status_code == 500
    assert "<h1>ZeroDivisionError</h1>" in response.get_data(as_text=True)
    assert 'id="hints"' not in response.get_data(as_text=True)


def _demo_wheel(folder: Path) -> Path:
    """A wheel of ``flaskit-hint-demo`` (module ``flaskit_hint_demo``), made by hand."""
    import base64
    import hashlib
    import zipfile

    files = {
        "flaskit_hint_demo/__init__.py": b'NAME = "the demo plugin"\n',
        "flaskit_hint_demo-1.0.dist-info/METADATA": (
            b"Metadata-Version: 2.1\nName: flaskit-hint-demo\nVersion: 1.0\n"
        ),
        "flaskit_hint_demo-1.0.dist-info/WHEEL": (
            b"Wheel-Version: 1.0\nGenerator: flaskit-tests\nRoot-Is-Purelib: true\n"
            b"Tag: py3-none-any\n"
        ),
    }
    record = []
    for name, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{name},sha256={digest},{len(data)}")
    record.append("flaskit_hint_demo-1.0.dist-info/RECORD,,")
    wheel = folder / "flaskit_hint_demo-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
        archive.writestr("flaskit_hint_demo-1.0.dist-info/RECORD", "\n".join(record) + "\n")
    return wheel


@pytest.mark.slow
@pytest.mark.timeout(180)
def test_the_install_command_works_for_the_interpreter_flaskit_runs_in(
    project: Project, tmp_path: Path
) -> None:
    """``flaskit run`` in another virtual environment: the hint names that environment's
    Python, and its command installs the module there."""
    import site
    import sysconfig

    from tests.debugpage.live import ask
    from tests.helpers import (
        REPO,
        flaskit_command,
        free_port,
        port_is_listening,
        stop_process,
        wait_until,
    )

    venv = tmp_path / "other-venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    # flaskit and its dependencies come from the test environment; the module does not.
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    ours = [sysconfig.get_paths()["purelib"], *site.getsitepackages(), str(REPO)]
    (Path(purelib) / "flaskit-tests.pth").write_text("\n".join(dict.fromkeys(ours)) + "\n")

    port = free_port()
    log = tmp_path / "run.log"
    command = [str(python), *flaskit_command("run", "--debug", "--port", str(port))[1:]]
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            [*command, "--app", "app:create_app()", "--no-reload"],
            cwd=project.folder,
            env=clean_env(),
            stdout=sink,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    try:
        assert wait_until(lambda: port_is_listening(port), timeout=30), log.read_text()
        answer = ask(port, "/plugin", headers={"Accept": "application/json"})
        assert answer.media == "application/problem+json", answer.body
        import json

        hint = Hint(**json.loads(answer.body)["hints"][0])
    finally:
        stop_process(proc)
    assert not port_is_listening(port)
    assert f"the interpreter that looked: {python}" in hint.detail
    assert f"(the virtual environment {venv})" in hint.detail
    install = shlex.split(hint.fix.split(": ", 1)[1])
    assert install == [str(python), "-m", "pip", "install", "flaskit-hint-demo"]
    # The demo package is not on PyPI: the same command, pointed at a local wheel.
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    _demo_wheel(wheels)
    subprocess.run(
        [*install, "--no-index", "--find-links", str(wheels), "--quiet"],
        check=True,
        timeout=120,
        env=clean_env(),
    )
    imported = subprocess.run(
        [str(python), "-c", "import flaskit_hint_demo; print(flaskit_hint_demo.NAME)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert imported.stdout.strip() == "the demo plugin"
