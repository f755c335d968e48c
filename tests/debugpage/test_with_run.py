"""The debug page served by the real ``flaskit run``: import errors, recovery, debug off."""

from __future__ import annotations

import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.helpers import (
    clean_env,
    flaskit_command,
    free_port,
    port_is_listening,
    stop_process,
    wait_until,
)

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]

SECRET = "run-" + "s3cr3t-" + "value"

FAILING_VIEW = f'''\
from flask import Flask

app = Flask(__name__)


@app.route("/")
def index():
    api_token = "{SECRET[:8]}" + "{SECRET[8:]}"
    divisor = 0
    return str(1 / divisor)
'''

FIXED_APP = """\
from flask import Flask

app = Flask(__name__)


@app.route("/")
def index():
    return "fixed and serving"
"""


def fetch(url: str) -> tuple[int, str, str]:
    """(status, content type, body) of a GET; error statuses are returned, not raised."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode()


@contextmanager
def flaskit_run(folder: Path, *options: str) -> Iterator[tuple[str, Path]]:
    """``flaskit run`` in ``folder`` on a free port: (base URL, file receiving its stderr)."""
    port = free_port()
    log = folder.parent / f"{folder.name}-stderr.txt"
    with log.open("w") as stderr:
        proc = subprocess.Popen(
            flaskit_command("run", *options, "--host", "127.0.0.1", "--port", str(port)),
            cwd=folder,
            env=clean_env(),
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    try:
        started = wait_until(lambda: port_is_listening(port) or proc.poll() is not None, 30)
        assert started, log.read_text()
        assert proc.poll() is None, log.read_text()
        yield f"http://127.0.0.1:{port}", log
    finally:
        stop_process(proc, timeout=10)
        assert wait_until(lambda: not port_is_listening(port), 10), "the port is still bound"


def test_view_error_page_through_the_server(tmp_path: Path) -> None:
    project = tmp_path / "view"
    project.mkdir()
    (project / "app.py").write_text(FAILING_VIEW)
    with flaskit_run(project, "--debug") as (url, log):
        status, content_type, page = fetch(url + "/")
        assert status == 500
        assert content_type.startswith("text/html")
        assert "<h1>ZeroDivisionError</h1>" in page
        assert "return str(1 / divisor)" in page.replace(
            '<span class="t-kw">return</span>', "return"
        )
        assert SECRET not in page
        assert wait_until(lambda: "ZeroDivisionError" in log.read_text(), 10)
        assert SECRET not in log.read_text()


def test_import_error_page_then_recovery_after_the_fix(tmp_path: Path) -> None:
    project = tmp_path / "broken"
    project.mkdir()
    app_file = project / "app.py"
    app_file.write_text("from flask import Flask\n\napp = Flask(__name__\n")
    with flaskit_run(project, "--debug") as (url, _):
        status, content_type, page = fetch(url + "/")
        assert status == 500
        assert content_type.startswith("text/html")
        assert "<h1>SyntaxError</h1>" in page
        assert "The app failed to load" in page
        assert "app.py" in page

        app_file.write_text(FIXED_APP)
        assert wait_until(lambda: fetch(url + "/")[0] == 200, timeout=30, interval=0.2)
        assert fetch(url + "/")[2] == "fixed and serving"


def test_no_detail_without_debug_for_a_failing_view(tmp_path: Path) -> None:
    project = tmp_path / "nodebug"
    project.mkdir()
    (project / "app.py").write_text(FAILING_VIEW)
    with flaskit_run(project, "--no-debug") as (url, _):
        status, _, body = fetch(url + "/")
        assert status == 500
        for detail in ("ZeroDivisionError", "Traceback", "divisor", SECRET, "flaskit debug"):
            assert detail not in body


def test_no_detail_without_debug_for_an_import_error(tmp_path: Path) -> None:
    project = tmp_path / "nodebug-import"
    project.mkdir()
    (project / "app.py").write_text("raise RuntimeError('private import detail')\n")
    # --reload keeps the server up while the app cannot be imported.
    with flaskit_run(project, "--no-debug", "--reload") as (url, _):
        status, _, body = fetch(url + "/")
        assert status == 500
        for detail in ("private import detail", "RuntimeError", "Traceback", "flaskit debug"):
            assert detail not in body


def test_the_apps_own_error_pages_win(tmp_path: Path) -> None:
    import shutil

    from tests.helpers import APPS

    project = tmp_path / "handlers"
    shutil.copytree(APPS / "debug_handlers", project)
    with flaskit_run(project, "--debug") as (url, _):
        for path, status, text in [
            ("/nowhere", 404, "our own 404"),  # errorhandler(404) for an unmatched path
            ("/gone", 404, "our own 404"),
            ("/shop/item/0", 404, "the shop's own 404"),  # a blueprint's handler
            ("/shop/nowhere", 404, "our own 404"),
            ("/abort500", 500, "our own 500"),  # errorhandler(500) for abort(500)
            ("/returns500", 500, "a failure page the view renders"),
        ]:
            got, content_type, page = fetch(url + path)
            assert (got, content_type.split(";")[0]) == (status, "text/html"), path
            assert text in page, path
            assert "No route matches" not in page, path
            assert "flaskit debug" not in page, path
            assert "/__flaskit/livereload.js" in page, path  # live reload still there
        # An unhandled exception goes to the debug page, as under Flask's own debug mode
        # (which does not call errorhandler(500) for it either).
        status, _, page = fetch(url + "/boom")
        assert status == 500
        assert "handlers-boom" in page
        assert "flaskit debug" in page
