"""Secrets never reach the page, the copy-as-text view or the terminal."""

from __future__ import annotations

import io

import pytest

from flaskit.debugpage.masking import MASK, Masker, is_secret_name
from flaskit.debugpage.report import build_report
from flaskit.debugpage.terminal import render_terminal
from tests.debugpage import sample_app
from tests.debugpage.support import Tags, client, get, strip_ansi

HEADER_SECRET = sample_app.secret("header")
APIKEY_SECRET = sample_app.secret("apikey")
COOKIE_SECRET = sample_app.secret("cookie")
PLAIN_COOKIE = sample_app.secret("theme")
QUERY_SECRET = sample_app.secret("query")
ALL_SECRETS = {
    "local": sample_app.LOCAL_SECRET,
    "nested dict key and dataclass field": sample_app.NESTED_SECRET,
    "config SECRET_KEY": sample_app.CONFIG_SECRET,
    "config DATABASE_PASSWORD": sample_app.DB_SECRET,
    "form field": sample_app.FIELD_SECRET,
    "Authorization header": HEADER_SECRET,
    "X-Api-Key header": APIKEY_SECRET,
    "session cookie": COOKIE_SECRET,
    "cookie without a secret name": PLAIN_COOKIE,
    "query argument": QUERY_SECRET,
}


@pytest.mark.parametrize(
    "name",
    [
        "password",
        "PASSWD",
        "db_pass",
        "SECRET_KEY",
        "client_secret",
        "api_token",
        "Token",
        "api_key",
        "KEY",
        "Authorization",
        "auth",
        "Cookie",
        "Set-Cookie",
        "session",
        "SESSION_COOKIE_NAME",
        "signature",
        "X-Signature",
        "csrf_token",
        "X-CSRFToken",
        "credentials",
        "AWS_CREDENTIAL",
        b"password",
    ],
)
def test_secret_names(name: str | bytes) -> None:
    assert is_secret_name(name)


@pytest.mark.parametrize("name", ["user", "email", "host", "debug", "count", 42, None])
def test_ordinary_names(name: object) -> None:
    assert not is_secret_name(name)


def test_masker_scrubs_remembered_values_longest_first() -> None:
    masker = Masker()
    masker.remember("abcd")
    masker.remember("abcdef-long")
    masker.remember("xyz")  # too short to scrub from free text
    assert masker.scrub("use abcdef-long or abcd, not xyz") == f"use {MASK} or {MASK}, not xyz"
    text = "nothing secret here"
    assert masker.scrub(text) is text


@pytest.fixture(scope="module")
def failing_post() -> tuple[str, str]:
    """The page and the terminal output of a POST carrying a secret in every place."""
    from contextlib import redirect_stderr

    terminal = io.StringIO()
    with redirect_stderr(terminal):
        response = client().post(
            f"/form?access_token={QUERY_SECRET}&page=2",
            data={"username": "ada", "password": sample_app.FIELD_SECRET},
            headers={
                "Authorization": f"Bearer {HEADER_SECRET}",
                "X-Api-Key": APIKEY_SECRET,
                "Cookie": f"session={COOKIE_SECRET}; theme={PLAIN_COOKIE}",
            },
            environ_base={"REMOTE_ADDR": "127.0.0.1"},
        )
        page = response.get_data(as_text=True)
    assert response.status_code == 500
    return page, terminal.getvalue()


@pytest.mark.parametrize("where", ALL_SECRETS)
def test_request_secrets_are_masked_in_page_and_terminal(
    failing_post: tuple[str, str], where: str
) -> None:
    page, terminal = failing_post
    value = ALL_SECRETS[where]
    assert value not in page
    assert value not in terminal
    assert "form failed" in terminal  # the terminal did print the traceback


def test_request_panel_shows_masks_and_ordinary_values(failing_post: tuple[str, str]) -> None:
    page, _ = failing_post
    request = page.split('<section id="request">')[1].split("</section>")[0]
    assert (
        f'<th>Authorization</th><td class="masked" title="masked: the name looks secret">{MASK}'
        in request
    )
    assert '<th>password</th><td class="masked"' in request
    assert "<th>username</th><td><code>ada</code></td>" in request
    assert '<th>access_token</th><td class="masked"' in request
    assert "<th>page</th><td><code>2</code></td>" in request
    assert f"http://localhost/form?access_token={MASK}&amp;page=2" in request
    assert "<h3>Cookies</h3>" in request
    assert "<th>session</th>" in request
    assert "<th>theme</th>" in request  # names only: no cookie value is shown at all


def test_locals_nested_values_config_and_messages_are_masked() -> None:
    terminal = io.StringIO()
    page = get(client(), "/fail").get_data(as_text=True)
    from contextlib import redirect_stderr

    with redirect_stderr(terminal):
        leaky = get(client(), "/leaky").get_data(as_text=True)
    for value in (sample_app.LOCAL_SECRET, sample_app.NESTED_SECRET, sample_app.CONFIG_SECRET):
        assert value not in page
        assert value not in Tags(page).textarea
    assert '<th>api_token</th><td class="masked"' in page  # fail()'s local
    assert '<th>token</th><td class="masked"' in page  # helper()'s parameter
    assert f"{{&#x27;debug&#x27;: True, &#x27;password&#x27;: {MASK}" in page
    assert f"Settings(host=&#x27;db.local&#x27;, api_key={MASK})" in page
    assert '<th>SECRET_KEY</th><td class="masked"' in page
    assert '<th>DATABASE_PASSWORD</th><td class="masked"' in page
    # A secret-named local's value is scrubbed from the exception message too.
    assert sample_app.LOCAL_SECRET not in leaky
    assert sample_app.LOCAL_SECRET not in terminal.getvalue()
    assert f"token {MASK} was refused" in leaky
    assert f"token {MASK} was refused" in terminal.getvalue()


def test_terminal_rendering_is_masked_on_a_colour_terminal() -> None:
    from rich.console import Console

    try:
        sample_app.create_app().view_functions["fail"]()
    except ZeroDivisionError as exc:
        report = build_report(exc, phase="request", app=sample_app.create_app())
    out = io.StringIO()
    render_terminal(
        report, Console(file=out, force_terminal=True, color_system="truecolor", width=120)
    )
    text = strip_ansi(out.getvalue())
    assert f"token = {MASK}" in text
    for value in (sample_app.LOCAL_SECRET, sample_app.NESTED_SECRET):
        assert value not in text


def test_the_plain_fallback_of_a_broken_page_is_scrubbed_too(monkeypatch) -> None:
    import flaskit.debugpage.page

    def broken_page(*args: object, **kwargs: object) -> str:
        raise RuntimeError("a bug in the page renderer")

    monkeypatch.setattr(flaskit.debugpage.page, "render_page", broken_page)
    from contextlib import redirect_stderr

    with redirect_stderr(io.StringIO()):
        response = get(client(), "/leaky")
    text = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "The flaskit debug page failed (RuntimeError: a bug in the page renderer)" in text
    assert f"PermissionError: token {MASK} was refused" in text
    assert sample_app.LOCAL_SECRET not in text
