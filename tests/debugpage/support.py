"""Helpers for the debug page tests: clients, HTML checks."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from werkzeug.test import Client, TestResponse

from flaskit.debugpage import DebugPageConfig, wrap
from tests.debugpage import sample_app

HERE = Path(__file__).resolve().parent
LOCAL = {"REMOTE_ADDR": "127.0.0.1"}
REMOTE = {"REMOTE_ADDR": "203.0.113.9"}


def client(app: Any = None, **config: Any) -> Client:
    """A test client for ``app`` (the sample app by default) wrapped by the debug page."""
    if app is None:
        app = sample_app.create_app(template_folder=str(HERE / "templates"))
    config.setdefault("app_spec", "tests.debugpage.sample_app:create_app()")
    config.setdefault("root", HERE)
    # Without the cookie jar, a Cookie header given to a request reaches the app as is.
    return Client(wrap(app, DebugPageConfig(**config)), use_cookies=False)


def get(
    test_client: Client, path: str, remote: dict[str, str] = LOCAL, **kwargs: Any
) -> TestResponse:
    """A GET from ``remote`` (loopback by default), body read."""
    response = test_client.get(path, environ_base=remote, **kwargs)
    response.get_data()
    return response


def deferred_sources(page: str) -> dict[str, str]:
    """Where the page fetches each frame it left out (``data-src``), by frame id."""
    return {
        str(attrs["id"]): str(attrs["data-src"])
        for attrs in Tags(page).named("details")
        if attrs.get("data-src")
    }


def deferred_frames(test_client: Client, page: str) -> dict[str, str]:
    """The HTML of each frame the page left out, by frame id, fetched as the page's
    script fetches it when the frame is opened."""
    frames = {}
    for ident, source in deferred_sources(page).items():
        response = get(test_client, source, headers={"Accept": "text/html"})
        assert response.status_code == 200, (source, response.get_data(as_text=True))
        frames[ident] = response.get_data(as_text=True)
    return frames


def strip_ansi(text: str) -> str:
    """Terminal output without its colour codes."""
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def text_of(html: str) -> str:
    """The text of an HTML fragment: tags dropped, entities decoded."""
    return unescape(re.sub(r"<[^>]*>", "", html))


def user_frames(page: str) -> list[str]:
    """The HTML of each user frame, outermost first."""
    return [part.split("</details>")[0] for part in page.split('<details class="frame user"')[1:]]


def current_line(frame_html: str) -> str:
    """The text of the frame's failing line, without rich's gutter (marker and number)."""
    return _without_gutter(text_of(current_row(frame_html)), marked=True)


def current_row(frame_html: str) -> str:
    """The HTML of the frame's failing line (rich's rendering)."""
    line = frame_html.split('<span class="line current">')[1]
    return re.split(r'<span class="line">|</pre>', line)[0].removesuffix("</span>")


def _without_gutter(row: str, marked: bool) -> str:
    gutter = re.match(r"(❱ |  ) *\d+ ", row)
    assert gutter is not None, row
    assert gutter.group(1) == ("❱ " if marked else "  "), row
    return row[gutter.end() :]


def local_value(html: str, name: str) -> str | None:
    """The text shown for the first local called ``name`` in ``html``, if any."""
    found = re.search(rf"<th>{re.escape(name)}</th><td[^>]*>(.*?)</td>", html, re.S)
    return text_of(found.group(1)) if found else None


def rich_rules(page: str) -> dict[str, str]:
    """The classes rich's export defined in the page's stylesheet: ``{"r3": "color: ..."}``."""
    return dict(re.findall(r"\.(r\d+) \{([^}]*)\}", page))


def styled(html: str, page: str) -> list[tuple[str, str]]:
    """``(text, css rule)`` of each span rich exported in ``html``."""
    rules = rich_rules(page)
    return [
        (text_of(text), rules.get(cls, ""))
        for cls, text in re.findall(r'<span class="(r\d+)">([^<]*)</span>', html)
    ]


class Tags(HTMLParser):
    """Every start tag of a page with its attributes, and the text of ``<textarea>``."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.textarea = ""
        self._in_textarea = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_textarea = tag == "textarea"

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._in_textarea = False

    def handle_data(self, data: str) -> None:
        if self._in_textarea:
            self.textarea += data

    def named(self, name: str) -> list[dict[str, str | None]]:
        """The attributes of every ``name`` tag."""
        return [attrs for tag, attrs in self.tags if tag == name]


def assert_no_injection(html: str) -> Tags:
    """The page has only its own script, no event handlers and no script URLs."""
    tags = Tags(html)
    scripts = tags.named("script")
    assert len(scripts) == 1, scripts
    assert scripts[0].get("nonce")
    for tag, attrs in tags.tags:
        assert tag not in {"img", "iframe", "object", "embed", "svg", "link", "base", "form"}, tag
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            if name in {"href", "src", "action"} and value:
                assert not value.strip().lower().startswith(("javascript:", "data:")), value
    return tags
