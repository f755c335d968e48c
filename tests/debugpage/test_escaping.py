"""Everything user-controlled is escaped: in the page, the copy-as-text view and the terminal."""

from __future__ import annotations

import io
import re
from urllib.parse import quote

import pytest

from flaskit.debugpage.report import build_report
from flaskit.debugpage.terminal import render_terminal
from tests.debugpage.support import (
    Tags,
    assert_no_injection,
    client,
    get,
    strip_ansi,
    text_of,
)

HTML_PAYLOAD = "<script>alert('x')</script><img src=x onerror=alert(1)>"
RICH_PAYLOAD = "[link=javascript:alert(1)]click me[/link] [bold red]loud[/]"
TEXTAREA_BREAKOUT = "</textarea><script>alert(2)</script>"


@pytest.mark.parametrize("payload", [HTML_PAYLOAD, RICH_PAYLOAD, TEXTAREA_BREAKOUT])
def test_markup_in_an_exception_message(payload: str) -> None:
    page = get(client(), f"/message?text={quote(payload)}").get_data(as_text=True)
    tags = assert_no_injection(page)
    assert payload in text_of(page.split('<p class="message">')[1].split("</p>")[0])
    assert f"ValueError: {payload}" in tags.textarea  # copy-as-text keeps it as text
    assert 'href="javascript' not in page


@pytest.mark.parametrize("payload", [HTML_PAYLOAD, RICH_PAYLOAD, TEXTAREA_BREAKOUT])
def test_markup_in_a_local(payload: str) -> None:
    page = get(client(), f"/markup?text={quote(payload)}").get_data(as_text=True)
    tags = assert_no_injection(page)
    cell = page.split("<th>note</th>")[1].split("</td>")[0]
    assert text_of(cell) == repr(payload)
    assert repr(payload) in tags.textarea


def test_markup_in_request_headers_arguments_cookies_and_path() -> None:
    page = get(
        client(),
        f"/markup?{quote(HTML_PAYLOAD)}={quote(HTML_PAYLOAD)}",
        headers={"X-Evil": HTML_PAYLOAD, "Cookie": f"{quote('<b>')}=1"},
    ).get_data(as_text=True)
    assert_no_injection(page)
    request = text_of(page.split('<section id="request">')[1].split("</section>")[0])
    assert f"X-Evil{HTML_PAYLOAD}" in request
    assert f"{HTML_PAYLOAD}{HTML_PAYLOAD}" in request  # the query argument's name and value


def test_markup_in_an_unmatched_path_on_the_404_page() -> None:
    response = get(client(), f"/{quote(HTML_PAYLOAD)}")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert_no_injection(page)
    assert HTML_PAYLOAD in text_of(page.split("<h1>")[1].split("</h1>")[0])


@pytest.mark.parametrize("payload", [RICH_PAYLOAD, HTML_PAYLOAD])
def test_terminal_prints_markup_literally(payload: str) -> None:
    from rich.console import Console

    note = payload

    try:
        raise ValueError(payload)
    except ValueError as exc:
        report = build_report(exc, phase="request")
    assert note  # a local holding the payload
    out = io.StringIO()
    render_terminal(
        report, Console(file=out, force_terminal=True, color_system="truecolor", width=200)
    )
    text = out.getvalue()
    assert "\x1b]8;" not in text  # no terminal hyperlink was created
    assert f"ValueError: {payload}" in strip_ansi(text)
    assert re.search(rf"note = +{re.escape(repr(payload))}", strip_ansi(text))


def test_textarea_cannot_be_closed_from_inside() -> None:
    page = get(client(), f"/message?text={quote(TEXTAREA_BREAKOUT)}").get_data(as_text=True)
    tags = Tags(page)
    assert len(tags.named("textarea")) == 1
    assert TEXTAREA_BREAKOUT in tags.textarea
