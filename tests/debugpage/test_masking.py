"""Secrets never reach the page, the copy-as-text view or the terminal."""

from __future__ import annotations

import io
import re

import pytest

from flaskit.debugpage.masking import MASK, Masker, is_secret_name
from flaskit.debugpage.report import build_report
from flaskit.debugpage.terminal import render_terminal
from flaskit.debugpage.text import render_text
from tests.debugpage import sample_app
from tests.debugpage.support import LOCAL, Tags, client, deferred_frames, get, strip_ansi

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


# Names whose values must be masked: secrets themselves, however they are spelt.
SECRET_NAMES = [
    "password",
    "PASSWD",
    "db_pass",
    "passphrase",
    "SECRET_KEY",
    "SECRET_KEY_FALLBACKS",  # old keys: still keys
    "WTF_CSRF_SECRET_KEY",
    "JWT_SECRET_KEY",
    "client_secret",
    "clientSecret",
    "api_token",
    "auth_token",
    "authToken",
    "accessToken",
    "refresh_token",
    "Token",
    "api_key",
    "apiKey",
    "apikey",
    "X-Api-Key",
    "KEY",
    "private_key",
    "AWS_SECRET_ACCESS_KEY",
    "Authorization",
    "HTTP_AUTHORIZATION",
    "Proxy-Authorization",
    "auth",
    "oauth_state",
    "Cookie",
    "HTTP_COOKIE",
    "Set-Cookie",
    "cookies",
    "session",  # a cookie called session: the signed session itself
    "sessionid",  # Django's session cookie
    "SESSION_ID",
    "remember_token",
    "signature",
    "X-Signature",
    "X-Hub-Signature-256",
    "csrf_token",
    "csrftoken",
    "X-CSRFToken",
    "X-XSRF-TOKEN",
    "credentials",
    "AWS_CREDENTIAL",
    "SENTRY_DSN",
    "WERKZEUG_DEBUG_PIN",
    "bearer",
    "NAME_TOKEN",  # the secret word comes last
    b"password",
]
# Names whose values are settings about secrets, or not about secrets at all.
ORDINARY_NAMES = [
    "user",
    "email",
    "host",
    "debug",
    "count",
    "SESSION_COOKIE_NAME",  # its value "session" would blot out every session[...] shown
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_SAMESITE",
    "SESSION_COOKIE_DOMAIN",
    "SESSION_COOKIE_PATH",
    "SESSION_COOKIE_PARTITIONED",
    "PERMANENT_SESSION_LIFETIME",
    "MAX_COOKIE_SIZE",
    "SESSION_TYPE",
    "SESSION_KEY_PREFIX",
    "SESSION_COOKIE_AGE",
    "SESSION_ENGINE",
    "CSRF_COOKIE_NAME",
    "CSRF_HEADER_NAME",
    "CSRF_TRUSTED_ORIGINS",
    "WTF_CSRF_ENABLED",
    "WTF_CSRF_TIME_LIMIT",
    "WTF_CSRF_METHODS",
    "WTF_CSRF_HEADERS",
    "WTF_CSRF_FIELD_NAME",
    "REMEMBER_COOKIE_DURATION",
    "AUTHENTICATION_BACKENDS",
    "AUTH_USER_MODEL",
    "PASSWORD_RESET_TIMEOUT",
    "AUTH_PASSWORD_VALIDATORS",
    "token_type",
    "author",
    "AUTHOR_NAME",
    "authority",
    "compass",
    "monkey",
    "keyboard",
    "bypass_cache",
    42,
    None,
]


@pytest.mark.parametrize("name", SECRET_NAMES)
def test_secret_names(name: str | bytes) -> None:
    assert is_secret_name(name)


@pytest.mark.parametrize("name", ORDINARY_NAMES)
def test_ordinary_names(name: object) -> None:
    assert not is_secret_name(name)


@pytest.mark.parametrize("value", [True, False, None])
def test_flags_and_none_are_never_secret(value: object) -> None:
    assert not Masker().remember_named("SESSION_REFRESH_EACH_REQUEST", value)
    assert not Masker().remember_named("password", value)


def test_flasks_own_settings_show_and_its_secrets_do_not() -> None:
    from flask import Flask, session

    app = Flask(__name__)
    app.config["SECRET_KEY"] = "flask-" + "s3cr3t-" + "key-value"

    @app.route("/")
    def index() -> str:
        uid = session["uid"]
        return str(uid)

    page = get(client(app), "/").get_data(as_text=True)
    config = page.split('<section id="config">')[1].split("</section>")[0]
    assert "flask-s3cr3t-key-value" not in page
    assert '<th>SECRET_KEY</th><td class="masked"' in config
    for name, shown in [
        ("SESSION_COOKIE_HTTPONLY", "True"),
        ("SESSION_COOKIE_NAME", "&#x27;session&#x27;"),
        ("PERMANENT_SESSION_LIFETIME", "datetime.timedelta(days=31)"),
        ("MAX_COOKIE_SIZE", "4093"),
        ("SESSION_COOKIE_SAMESITE", "None"),
    ]:
        assert f"<th>{name}</th><td><code>{shown}</code></td>" in config, name
    # The value "session" is not a secret, so source lines using it stay readable.
    assert MASK + "[" not in page
    assert "session</span>[" in page or "session[" in page


def test_masker_scrubs_remembered_values_longest_first() -> None:
    masker = Masker()
    masker.remember("abcd")
    masker.remember("abcdef-long")
    masker.remember("xyz")  # too short to scrub from free text
    assert masker.scrub("use abcdef-long or abcd, not xyz") == f"use {MASK} or {MASK}, not xyz"
    text = "nothing secret here"
    assert masker.scrub(text) is text


def test_masker_finds_a_secret_in_any_of_many_texts_at_once() -> None:
    masker = Masker()
    assert not masker.found_in(["no secrets known yet"])
    masker.remember("hunter2-value")
    assert masker.found_in(["first", "second holds hunter2-value inside", "third"])
    assert not masker.found_in(["hunter2", "-value", "nothing whole"])
    assert not masker.found_in([])


def test_a_secret_across_a_source_lines_tokens_is_scrubbed() -> None:
    """Each token of a line is scrubbed, and so is a secret that spans several of them
    (it is code text here: a keyword, a constant, a keyword)."""
    secret = "if True else"
    source_secret = "if True else"  # noqa: F841 - a local for the page; its own line masks it
    value = 1 if True else 2  # noqa: F841 - the secret's text as code, across tokens
    try:
        raise RuntimeError("look at the window")
    except RuntimeError as exc:
        report = build_report(exc, phase="request")
    frame = report.main.frames[-1]
    assert any("1 if" in line.text or MASK in line.text for line in frame.source)
    assert all(secret not in line.text for line in frame.source)
    assert secret not in render_text(report)


@pytest.fixture(scope="module")
def failing_post() -> tuple[str, str]:
    """The page and the terminal output of a POST carrying a secret in every place."""
    from contextlib import redirect_stderr

    terminal = io.StringIO()
    test_client = client()
    with redirect_stderr(terminal):
        response = test_client.post(
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
        # With the frames it left out, as the browser shows them once opened.
        page += "".join(deferred_frames(test_client, page).values())
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
    assert re.search(rf"token = +{re.escape(MASK)}", text)
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


def test_a_secret_with_an_apostrophe_inside_an_escaped_repr() -> None:
    from contextlib import redirect_stderr
    from html import unescape

    terminal = io.StringIO()
    with redirect_stderr(terminal):
        page = get(client(), "/apostrophe").get_data(as_text=True)
    secret = sample_app.APOSTROPHE_SECRET
    escaped = secret.replace("'", "\\'")  # how it shows in repr('they said "..."')
    assert "they said" in page
    for text in (unescape(page), Tags(page).textarea, strip_ansi(terminal.getvalue())):
        assert secret not in text
        assert escaped not in text
        assert secret.split("'")[1] not in text  # no tail of it either


def test_a_librarys_lookup_key_is_masked_but_not_scrubbed_from_the_page() -> None:
    """werkzeug's ``MultiDict.__getitem__(self, key)`` and Jinja's ``cache_key``: the key of a
    lookup, not a secret. Scrubbing it blotted the field name out of the message."""
    from flask import Flask, render_template, request

    app = Flask(__name__)
    app.debug = True  # as under flaskit run --debug: the KeyError reaches the page

    @app.route("/form", methods=["POST"])
    def form() -> str:
        return request.form["email"]

    @app.route("/template")
    def template() -> str:
        return render_template("nowhere-to-be-found.html")

    test_client = client(app)
    page = test_client.post("/form", data={"name": "x"}, environ_base=LOCAL).get_data(as_text=True)
    assert "KeyError: &#x27;email&#x27;" in page
    library = list(deferred_frames(test_client, page).values())[-1]  # MultiDict.__getitem__
    assert f'<th>key</th><td class="masked" title="masked: the name looks secret">{MASK}' in library
    page = get(test_client, "/template").get_data(as_text=True)
    assert '<p class="message">nowhere-to-be-found.html</p>' in page
    # A user's own local called key is still a secret, and scrubbed everywhere.
    own = Flask(__name__)

    @own.route("/own")
    def own_key() -> str:
        key = "-".join(["own", "s3cr3t", "key"])
        raise ValueError(f"bad {key}")

    page = get(client(own), "/own").get_data(as_text=True)
    assert "own-s3cr3t-key" not in page
    assert f"ValueError</b>: bad {MASK}" in page
