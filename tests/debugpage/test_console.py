"""``--console``: werkzeug's interactive debugger next to the page, behind its PIN."""

from __future__ import annotations

import re

import pytest
from werkzeug.test import Client

from flaskit.debugpage import DebugPageConfig, wrap
from tests.debugpage import sample_app
from tests.debugpage.support import LOCAL, REMOTE, Tags

PIN = "123-456-789"


@pytest.fixture
def debugger(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Client:
    monkeypatch.setenv("WERKZEUG_DEBUG_PIN", PIN)
    app = wrap(sample_app.create_app(), DebugPageConfig(console=True))
    assert f"PIN {PIN}" in capsys.readouterr().err
    return Client(app)  # with cookies: the PIN cookie must come back


def open_debugger(test_client: Client) -> tuple[str, str, dict[str, str]]:
    """Fail a request, follow the page's link: (the link, werkzeug's page, frame ids by name)."""
    page = test_client.get("/fail", environ_base=LOCAL).get_data(as_text=True)
    links = [str(a["href"]) for a in Tags(page).named("a") if "__debugger__" in str(a.get("href"))]
    assert len(links) == 1
    assert links[0].startswith("/fail?__debugger__=yes&cmd=flaskit-traceback&tb=")
    response = test_client.get(links[0], environ_base=LOCAL)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    pattern = r'<div class="frame" id="frame-(\d+)">.*?<code class="function">([^<]+)</code>'
    frames = {name: ident for ident, name in re.findall(pattern, html, re.S)}
    return links[0], html, frames


def secret_of(html: str) -> str:
    match = re.search(r'SECRET = "([^"]+)"', html)
    assert match
    return match.group(1)


def test_page_links_to_werkzeugs_debugger(debugger: Client) -> None:
    _, html, frames = open_debugger(debugger)
    assert "Werkzeug Debugger" in html
    assert "EVALEX = true" in html
    assert "helper" in frames
    style = debugger.get("/fail?__debugger__=yes&cmd=resource&f=style.css", environ_base=LOCAL)
    assert style.status_code == 200
    assert style.mimetype == "text/css"


def test_console_needs_the_pin(debugger: Client) -> None:
    _, html, frames = open_debugger(debugger)
    secret = secret_of(html)
    command = f"/fail?__debugger__=yes&cmd=total&frm={frames['helper']}&s={secret}"
    locked = debugger.get(command, environ_base=LOCAL)
    assert locked.status_code == 403
    assert "needs the PIN" in locked.get_data(as_text=True)
    pinauth = f"/fail?__debugger__=yes&cmd=pinauth&s={secret}&pin="
    wrong = debugger.get(pinauth + "000-000-000", environ_base=LOCAL)
    assert wrong.json == {"auth": False, "exhausted": False}
    right = debugger.get(pinauth + PIN, environ_base=LOCAL)
    assert right.json == {"auth": True, "exhausted": False}
    evaluated = debugger.get(command, environ_base=LOCAL)
    assert evaluated.status_code == 200
    assert "84" in evaluated.get_data(as_text=True)


def test_werkzeugs_view_is_masked_too(debugger: Client) -> None:
    page = debugger.get("/leaky", environ_base=LOCAL).get_data(as_text=True)
    link = next(
        str(a["href"]) for a in Tags(page).named("a") if "__debugger__" in str(a.get("href"))
    )
    view = debugger.get(link, environ_base=LOCAL).get_data(as_text=True)
    assert "PermissionError" in view
    assert sample_app.LOCAL_SECRET not in view
    assert "token ******** was refused" in view


def test_a_secret_with_a_quote_is_masked_in_werkzeugs_view(debugger: Client) -> None:
    from html import unescape

    page = debugger.get("/quoted", environ_base=LOCAL).get_data(as_text=True)
    link = next(
        str(a["href"]) for a in Tags(page).named("a") if "__debugger__" in str(a.get("href"))
    )
    view = debugger.get(link, environ_base=LOCAL).get_data(as_text=True)
    assert "PermissionError" in view
    assert "token ******** was refused" in unescape(view)
    secret = sample_app.QUOTED_SECRET
    assert secret not in unescape(view)  # in no escaping: &#34; &quot; &#x22;
    assert secret.split('"')[1] not in view


def test_commands_never_run_the_app(debugger: Client) -> None:
    for query in ("cmd=nonsense", "cmd=pinauth&s=wrong&pin=1", "cmd=1&frm=1&s=wrong"):
        response = debugger.get(f"/fail?__debugger__=yes&{query}", environ_base=LOCAL)
        assert response.status_code == 403
    gone = debugger.get("/fail?__debugger__=yes&cmd=flaskit-traceback&tb=12", environ_base=LOCAL)
    assert gone.status_code == 404


def test_a_foreign_host_never_reaches_the_debugger(debugger: Client) -> None:
    link, html, _ = open_debugger(debugger)
    secret = secret_of(html)
    for path in (link, f"/fail?__debugger__=yes&cmd=pinauth&pin={PIN}&s={secret}"):
        response = debugger.get(path, environ_base=LOCAL, headers={"Host": "attacker.example"})
        # Not werkzeug's view: the request goes to the app, whose /fail fails.
        assert response.status_code == 500
        assert response.get_data() == b"Internal Server Error\n"
    resource = debugger.get(
        "/?__debugger__=yes&cmd=resource&f=debugger.js",
        environ_base=LOCAL,
        headers={"Host": "attacker.example"},
    )
    assert resource.get_data() == b"home"


def test_the_debugger_trusts_the_names_flaskit_allows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WERKZEUG_DEBUG_PIN", PIN)
    app = wrap(sample_app.create_app(), DebugPageConfig(console=True, trusted_hosts=("box.test",)))
    test_client = Client(app)
    for host in ("[::1]:5000", "box.test", "localhost"):
        page = test_client.get("/fail", environ_base=LOCAL, headers={"Host": host})
        links = [
            str(a["href"])
            for a in Tags(page.get_data(as_text=True)).named("a")
            if "__debugger__" in str(a.get("href"))
        ]
        view = test_client.get(links[0], environ_base=LOCAL, headers={"Host": host})
        assert "EVALEX = true" in view.get_data(as_text=True), host


def test_remote_clients_never_reach_the_debugger(debugger: Client) -> None:
    link, html, _ = open_debugger(debugger)
    secret = secret_of(html)
    for path in (link, f"/fail?__debugger__=yes&cmd=pinauth&pin={PIN}&s={secret}"):
        response = debugger.get(path, environ_base=REMOTE)
        # The request goes to the app, whose /fail fails: the plain 500 of other clients.
        assert response.status_code == 500
        assert response.get_data() == b"Internal Server Error\n"
    resource = debugger.get("/?__debugger__=yes&cmd=resource&f=style.css", environ_base=REMOTE)
    assert resource.get_data() == b"home"


def test_without_console_there_is_no_debugger() -> None:
    test_client = Client(wrap(sample_app.create_app(), DebugPageConfig()))
    page = test_client.get("/fail", environ_base=LOCAL).get_data()
    assert b"__debugger__" not in page
    resource = test_client.get("/?__debugger__=yes&cmd=resource&f=style.css", environ_base=LOCAL)
    assert resource.get_data() == b"home"
