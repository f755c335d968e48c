"""What the error page shows for a failing request."""

from __future__ import annotations

import sys

import pytest

from flaskit import __version__
from flaskit.debugpage import DebugPageConfig, check_config
from flaskit.errors import UsageProblem
from tests.debugpage.support import (
    Tags,
    assert_no_injection,
    client,
    current_line,
    current_row,
    get,
    local_value,
    styled,
    user_frames,
)


@pytest.fixture(scope="module")
def page() -> str:
    response = get(client(editor="vscode"), "/fail?q=1", headers={"X-Trace": "trace-42"})
    assert response.status_code == 500
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def test_headline_names_the_exception_and_where(page: str) -> None:
    assert "<h1>ZeroDivisionError</h1>" in page
    assert '<p class="message">division by zero</p>' in page
    assert "in <code>helper</code> at <code>sample_app.py:" in page


def test_failing_line_is_marked_and_highlighted(page: str) -> None:
    helper = user_frames(page)[-1]
    assert 'in <code class="fn">helper</code>' in helper
    assert current_line(helper).strip() == "return str(total / (number - 42))"
    marked = styled(current_row(helper), page)
    # rich's gutter: the red marker, then the code in the terminal theme's colours
    assert marked[0] == ("❱ ", "color: var(--rich-1); text-decoration-color: var(--rich-1)")
    assert ("return", "color: var(--rich-12); text-decoration-color: var(--rich-12)") in marked
    assert ("str", "color: var(--rich-14); text-decoration-color: var(--rich-14)") in marked
    if sys.version_info >= (3, 11):  # column positions: the failing expression is underlined
        failing = "".join(text for text, rule in marked if "underline" in rule)
        assert failing == "total / (number - 42)"


def test_user_frames_open_with_locals_library_frames_collapsed(page: str) -> None:
    tags = Tags(page)
    frames = [attrs for attrs in tags.named("details") if "frame" in (attrs.get("class") or "")]
    user = [f for f in frames if "user" in (f.get("class") or "")]
    library = [f for f in frames if "library" in (f.get("class") or "")]
    assert len(user) == 2  # fail() and helper()
    assert all("open" in f for f in user)
    assert library
    assert not any("open" in f for f in library)
    assert '<span class="tag">flask</span>' in page
    assert local_value(page, "visible_number") == "42"
    assert local_value(page, "marker") == "'visible-local-value'"
    assert local_value(page, "total") == "84"


def test_request_panel(page: str) -> None:
    request = page.split('<section id="request">')[1].split("</section>", maxsplit=1)[0]
    for expected in (
        "<td><code>GET</code></td>",
        "http://localhost/fail?q=1",
        "<td><code>127.0.0.1</code></td>",
        "<th>X-Trace</th><td><code>trace-42</code></td>",
        "<h3>Query arguments</h3>",
        "<th>q</th><td><code>1</code></td>",
    ):
        assert expected in request


def test_copy_as_text_is_a_python_style_traceback(page: str) -> None:
    text = Tags(page).textarea
    assert text.startswith("Traceback (most recent call last):\n")
    assert 'sample_app.py", line ' in text
    assert "    return str(total / (number - 42))" in text
    assert "ZeroDivisionError: division by zero" in text
    assert "      visible_number = 42" in text
    assert "Request: GET http://localhost/fail?q=1" in text
    assert f"flaskit {__version__}" in text


def test_versions_app_spec_and_config(page: str) -> None:
    footer = page.split('<footer id="versions">')[1]
    assert "App <code>tests.debugpage.sample_app:create_app()</code>" in footer
    for name in ("Python", "flaskit", "Werkzeug", "Flask"):
        assert f"<span>{name} " in footer
    assert "<th>GREETING</th><td><code>&#x27;hello from config&#x27;</code></td>" in page


def test_editor_links_per_frame(page: str) -> None:
    links = [a["href"] for a in Tags(page).named("a") if a.get("class") == "editor"]
    assert links
    assert all(str(href).startswith("vscode://file/") for href in links)
    assert any("/tests/debugpage/sample_app.py:" in str(href) for href in links)


def test_page_has_no_external_resources_and_works_without_javascript(page: str) -> None:
    tags = assert_no_injection(page)
    assert not [attrs for _, attrs in tags.tags if attrs.get("src")]
    assert "@import" not in page
    assert "url(" not in page
    # The copy button needs JavaScript, so it starts hidden; the text itself is in the page.
    assert tags.named("button") == [{"type": "button", "id": "copy-text", "hidden": None}]
    assert "prefers-color-scheme: dark" in page


def test_security_headers() -> None:
    response = get(client(), "/fail")
    policy = response.headers["Content-Security-Policy"]
    nonce = Tags(response.get_data(as_text=True)).named("script")[0]["nonce"]
    assert f"'nonce-{nonce}'" in policy
    assert "default-src 'self'" in policy
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_exception_chain_cause() -> None:
    page = get(client(), "/chained").get_data(as_text=True)
    assert page.index("KeyError") < page.index("The above exception was the direct cause")
    assert page.index("The above exception was the direct cause") < page.index(
        "<b>RuntimeError</b>: lookup failed"
    )


def test_exception_chain_context() -> None:
    page = get(client(), "/context").get_data(as_text=True)
    assert "ValueError</b>: invalid literal for int()" in page
    assert "During handling of the above exception, another exception occurred:" in page
    assert page.rindex("ZeroDivisionError") > page.index("During handling")


def test_template_error_shows_template_file_and_line() -> None:
    page = get(client(), "/template").get_data(as_text=True)
    assert "UndefinedError" in page
    template_frame = page.split('<details class="frame template"')[1].split("</details>")[0]
    assert ">page.html</span>" in template_frame or "templates/page.html</span>" in template_frame
    assert '<span class="lineno">5</span>' in template_frame
    assert current_line(template_frame).strip() == "<li>{{ item.name.upper() }}</li>"
    assert '<span class="tag template">template</span>' in template_frame
    assert local_value(template_frame, "items") == "[1, 2]"


def test_template_syntax_error_shows_the_template_line() -> None:
    page = get(client(), "/template-syntax").get_data(as_text=True)
    assert "<h1>jinja2.exceptions.TemplateSyntaxError</h1>" in page
    template_frame = page.split('<details class="frame template"')[1].split("</details>")[0]
    assert "broken.html</span>" in template_frame
    assert '<span class="lineno">3</span>' in template_frame
    assert current_line(template_frame).strip() == "{% for x in %}"


@pytest.mark.parametrize(
    ("editor", "start"),
    [
        ("pycharm", "pycharm://open?file=/"),
        ("sublime", "subl://open?url=file:///"),
        ("myed://open?f={path}&l={line}&c={column}", "myed://open?f=/"),
    ],
)
def test_editor_choices(editor: str, start: str) -> None:
    page = get(client(editor=editor), "/fail").get_data(as_text=True)
    links = [str(a["href"]) for a in Tags(page).named("a") if a.get("class") == "editor"]
    assert links
    assert all(link.startswith(start) for link in links)


@pytest.mark.parametrize(
    ("editor", "fix"),
    [
        ("notepad", "Use one of vscode"),
        ("javascript:alert(1)//{path}", "script URL"),
        ("ed://{path}/{nope}", "can only use the placeholders"),
    ],
)
def test_unusable_editor_is_a_usage_error(editor: str, fix: str) -> None:
    with pytest.raises(UsageProblem, match=fix):
        check_config(DebugPageConfig(editor=editor))


def test_server_keeps_serving_with_an_unusable_editor(capsys: pytest.CaptureFixture[str]) -> None:
    page = get(client(editor="notepad"), "/fail").get_data(as_text=True)
    assert "ZeroDivisionError" in page
    assert "open in editor" not in page
    assert "Debug page: no editor links: Unknown editor 'notepad'" in capsys.readouterr().err
