"""The page in a real browser: Debian's chromium, headless, driven by Playwright."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.debugpage import sample_app
from tests.helpers import REPO, clean_env, free_port, port_is_listening, stop_process, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.timeout(90)]
# helper()'s failing line: the last of the sample app.
FAILING_LINE = Path(sample_app.__file__).read_text().count("\n")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample app behind the debug page, served by werkzeug in a process of its own."""
    port = free_port()
    log = tmp_path_factory.mktemp("server") / "stderr.txt"
    with log.open("w") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.debugpage.serve_sample", str(port)],
            cwd=REPO,
            env=clean_env(),
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    try:
        assert wait_until(lambda: port_is_listening(port), timeout=20), log.read_text()
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_process(proc)
        assert not port_is_listening(port)


def keyword_colour(line: Any) -> str:
    """The colour of the ``return`` keyword on a rendered line."""
    keyword = line.locator("span", has_text=re.compile(r"^return$")).first
    return str(keyword.evaluate("e => getComputedStyle(e).color"))


def test_error_page_in_chromium(browser: Any, server: str, artifacts: Path) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
    origin = server
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
    page = context.new_page()
    try:
        response = page.goto(f"{server}/fail?q=browser")
        assert response is not None
        assert response.status == 500
        assert page.title().startswith("ZeroDivisionError: division by zero")

        helper = page.locator("details.frame.user").last
        failing = helper.locator(".line.current")
        assert failing.is_visible()
        assert "return str(total / (number - 42))" in failing.inner_text()
        # rich's rendering: its gutter, and the keyword in the terminal theme's bright blue.
        assert failing.inner_text().startswith(f"❱ {FAILING_LINE} ")
        assert keyword_colour(failing) == "rgb(9, 105, 218)"
        # The window's lines only: three above the failing one, which ends the file.
        first = helper.locator("pre.code .line").all_inner_texts()[0]
        assert first.startswith(f"  {FAILING_LINE - 3} ")
        assert helper.locator("pre.code .line").count() == 4
        total = helper.locator("tr", has=page.locator("th", has_text=re.compile(r"^total$")))
        assert total.locator("td").inner_text() == "84"
        outer = page.locator("details.frame.user").first
        assert "'visible-local-value'" in outer.inner_text()

        request = page.locator("#request").inner_text()
        assert "GET" in request
        assert f"{server}/fail?q=browser" in request
        assert "127.0.0.1" in request

        library = page.locator("details.frame.library").first
        assert not library.locator("pre.code").is_visible()
        library.locator("summary").click()  # fetched when opened
        library.locator("pre.code").wait_for(state="visible", timeout=10_000)

        text = page.locator("#plain-text").input_value()
        assert text.startswith("Traceback (most recent call last):")
        assert "    return str(total / (number - 42))" in text
        assert "ZeroDivisionError: division by zero" in text
        button = page.locator("#copy-text")
        assert button.is_visible()
        button.click()
        page.wait_for_function(
            "() => document.getElementById('copy-text').textContent === 'Copied'"
        )
        assert page.evaluate("navigator.clipboard.readText()") == text

        assert sample_app.LOCAL_SECRET not in page.content()
    finally:
        # Taken whether or not the checks passed: a failing run leaves the page to look at.
        page.screenshot(path=str(artifacts / "debugpage-error.png"), full_page=True)
        context.close()


def test_page_without_javascript_and_in_dark_mode(
    browser: Any, server: str, artifacts: Path
) -> None:
    context = browser.new_context(java_script_enabled=False, color_scheme="dark")
    page = context.new_page()
    try:
        page.goto(f"{server}/fail")
        assert page.locator("details.frame.user .line.current").last.is_visible()
        assert "ZeroDivisionError" in page.locator("#plain-text").input_value()
        assert not page.locator("#copy-text").is_visible()  # it needs JavaScript
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == "rgb(13, 17, 23)"
        failing = page.locator("details.frame.user .line.current").last
        assert keyword_colour(failing) == "rgb(121, 192, 255)"  # the dark palette's blue
        code = page.locator("details.frame.user pre.code").last
        assert code.evaluate("e => getComputedStyle(e).color") == "rgb(230, 237, 243)"
        page.screenshot(path=str(artifacts / "debugpage-error-dark-nojs.png"), full_page=False)
    finally:
        context.close()


def test_a_closed_frame_is_rendered_when_opened(browser: Any, server: str, artifacts: Path) -> None:
    """A frame of the app further from the error is one line; opened, it shows its code in
    rich's colours, and the frames already shown keep theirs."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
    page = context.new_page()
    try:
        page.goto(f"{server}/deep/8")
        frames = page.locator("details.frame.user")
        assert frames.count() == 10
        closed = frames.nth(4)  # the sixth from the error: the first closed one
        assert closed.get_attribute("open") is None
        assert frames.nth(5).get_attribute("open") is not None
        closed.locator("summary").click()
        current = closed.locator("pre.code .line.current")
        current.wait_for(state="visible", timeout=10_000)
        assert "return descend(depth - 1, path)" in current.inner_text()
        assert keyword_colour(current) == "rgb(9, 105, 218)"
        assert keyword_colour(frames.nth(5).locator(".line.current")) == "rgb(9, 105, 218)"
        depth = closed.locator("tr", has=page.locator("th", has_text=re.compile(r"^depth$")))
        assert depth.locator("td").inner_text() == "5"
        page.screenshot(path=str(artifacts / "debugpage-frame-opened.png"), full_page=False)
    finally:
        context.close()


def test_without_javascript_a_closed_frame_links_to_the_page_with_it(
    browser: Any, server: str
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{server}/deep/8")
        closed = page.locator("details.frame.user").nth(4)
        closed.locator("summary").click()
        link = closed.get_by_role("link", name="Show this frame's code and locals")
        link.click()
        page.wait_for_url(re.compile(r"/__flaskit/errors/.+\?open=e\d+f\d+#e\d+f\d+$"))
        opened = page.locator("details.frame.user").nth(4)
        assert opened.get_attribute("open") is not None
        assert "return descend(depth - 1, path)" in opened.locator(".line.current").inner_text()
        assert page.locator("details[data-src]").count() == 0  # every frame is in this page
    finally:
        context.close()


def test_route_list_for_an_unmatched_path(browser: Any, server: str, artifacts: Path) -> None:
    context = browser.new_context()
    page = context.new_page()
    try:
        response = page.goto(f"{server}/itmes")
        assert response is not None
        assert response.status == 404
        assert page.locator("h1").inner_text() == "No route matches /itmes"
        assert page.locator("table.routes tr.near th").first.inner_text() == "/items/"
        page.screenshot(path=str(artifacts / "debugpage-404.png"), full_page=True)
    finally:
        context.close()
