"""The page for an app that fails to import, and the terminal traceback for it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from werkzeug.test import Client

from flaskit.config import Setting
from flaskit.debugpage import DebugPageConfig, import_error_app, print_traceback
from flaskit.debugpage.masking import MASK
from flaskit.discovery import load, locate
from flaskit.errors import AppDiscoveryError
from tests.debugpage.support import LOCAL, REMOTE, Tags, assert_no_injection, current_line


def import_failure(folder: Path, source: str) -> BaseException:
    """The exception ``flaskit run`` gets when importing ``source`` as app.py (its cause)."""
    (folder / "app.py").write_text(source)
    target = locate(Setting(None, "default", folder), folder)
    with pytest.raises(AppDiscoveryError) as caught:
        load(target)
    error = caught.value
    return error.__cause__ if error.__cause__ is not None else error


def serve(
    error: BaseException, folder: Path, remote: dict[str, str] = LOCAL
) -> tuple[int, str, str]:
    app = import_error_app(error, DebugPageConfig(app_spec="app.py", root=folder))
    response = Client(app).get("/anything?x=1", environ_base=remote)
    return response.status_code, response.mimetype, response.get_data(as_text=True)


def test_syntax_error_page(tmp_path: Path, isolated_imports: None) -> None:
    error = import_failure(
        tmp_path, "from flask import Flask\n\napp = Flask(__name__)\nvalue = (1, 2\nother = 3\n"
    )
    status, mimetype, page = serve(error, tmp_path)
    assert (status, mimetype) == (500, "text/html")
    assert_no_injection(page)
    assert "The app failed to load · app.py" in page
    assert "<h1>SyntaxError</h1>" in page
    syntax = page.split('<span class="tag">syntax error</span>')[0].rsplit("<details", 1)[1]
    assert 'title="' + str(tmp_path / "app.py") + '"' in syntax
    lines = page.split('<span class="tag">syntax error</span>')[1].split("</details>")[0]
    assert "value = (1, 2" in current_line(lines) or "other = 3" in current_line(lines)
    assert f'File "{tmp_path / "app.py"}", line ' in Tags(page).textarea


def test_exception_in_the_app_module(tmp_path: Path, isolated_imports: None) -> None:
    error = import_failure(
        tmp_path,
        "import os\n"
        "def settings():\n"
        "    db_password = 'pw-' + 'x' * 8\n"
        "    return {'password': db_password}['pasword']\n"
        "CONFIG = settings()\n",
    )
    status, _, page = serve(error, tmp_path)
    assert status == 500
    assert "<h1>KeyError</h1>" in page
    frame = page.split('<details class="frame user"')[-1]
    assert current_line(frame).strip() == "return {'password': db_password}['pasword']"
    assert (
        f'<th>db_password</th><td class="masked" title="masked: the name looks secret">{MASK}'
        in frame
    )
    assert "pw-xxxxxxxx" not in page
    assert '<span class="tag">importlib</span>' in page  # the import machinery, collapsed


def test_import_error_page_is_for_loopback_only(tmp_path: Path, isolated_imports: None) -> None:
    error = import_failure(tmp_path, "raise RuntimeError('private detail')\n")
    status, mimetype, page = serve(error, tmp_path, REMOTE)
    assert (status, mimetype, page) == (500, "text/plain", "Internal Server Error\n")


def test_print_traceback_is_masked_and_collapsed(tmp_path: Path, isolated_imports: None) -> None:
    error = import_failure(
        tmp_path, "def make():\n    api_secret = 'sk-' + 'y' * 10\n    return 1 / 0\napp = make()\n"
    )
    out = io.StringIO()
    print_traceback(error, DebugPageConfig(root=tmp_path), out)
    text = out.getvalue()
    assert "ZeroDivisionError: division by zero" in text
    assert "app.py:3 in make" in text
    assert f"api_secret = {MASK}" in text
    assert "sk-yyyyyyyyyy" not in text
    importlib_lines = [line for line in text.splitlines() if "importlib" in line]
    assert importlib_lines
    assert all("in " in line for line in importlib_lines)  # one line each, no code


def test_print_traceback_to_stderr_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    try:
        raise LookupError("printed")
    except LookupError as exc:
        print_traceback(exc, DebugPageConfig())
    assert "LookupError: printed" in capsys.readouterr().err
