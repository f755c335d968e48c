"""The error overlay in Debian's chromium: a real ``flaskit run --debug`` serves a page whose
fetch() and htmx requests fail; the overlay shows over it, under the page's strict CSP and
hostile CSS, and the page keeps working once it is dismissed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.serve.server import Served, serve

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]

# Every CSP violation the page reports, kept for the test to read.
RECORD_VIOLATIONS = (
    "window.__violations = [];"
    "document.addEventListener('securitypolicyviolation', e =>"
    " __violations.push(e.violatedDirective + ' ' + e.blockedURI));"
)
OVERLAY = "#flaskit-error-overlay"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with serve(
        tmp_path_factory.mktemp("overlay"), "--debug", app="debug_overlay", expect="shop"
    ) as served:
        yield served


@pytest.fixture
def page(browser: Any, server: Served) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    context.add_init_script(RECORD_VIOLATIONS)
    opened = context.new_page()
    opened.goto(f"http://127.0.0.1:{server.port}/")
    # The live-reload script (and with it the overlay) runs once the page has loaded.
    opened.wait_for_function("() => window.__flaskitErrorOverlay === true", timeout=10_000)
    try:
        yield opened
    finally:
        context.close()


def overlay_text(page: Any) -> str:
    return str(page.locator(f"{OVERLAY} .panel").inner_text())


def assert_page_still_works(page: Any) -> None:
    counter = page.locator("#counter")
    before = int(counter.inner_text())
    counter.click()
    counter.click()
    assert int(counter.inner_text()) == before + 2


def test_a_failed_fetch_shows_the_error_over_the_page(
    page: Any, server: Served, artifacts: Path
) -> None:
    page.locator("#fetch-fail").click()
    panel = page.locator(f"{OVERLAY} .panel")
    panel.wait_for(state="visible", timeout=10_000)
    # The page's own code got its response as usual.
    page.wait_for_function("() => document.getElementById('result').textContent === 'status 500'")
    text = overlay_text(page)
    assert "A background request failed · GET /api/orders → 500" in text
    assert "ZeroDivisionError" in text
    assert "integer division or modulo by zero" in text
    assert "app.py:" in text
    assert 'return {"orders": list(range(page // per_page))}' in text
    # Isolated: the page's stylesheet hides every div with an id and paints text green.
    assert page.locator(OVERLAY).is_visible()
    title_colour = page.locator(f"{OVERLAY} h2").evaluate("e => getComputedStyle(e).color")
    assert title_colour != "rgb(0, 255, 0)"
    background = panel.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background == "rgb(255, 255, 255)"  # the overlay's own stylesheet applied
    assert page.evaluate("window.__violations") == []
    page.screenshot(path=str(artifacts / "overlay-fetch.png"))

    # The link opens the full page of that error.
    link = page.locator(f"{OVERLAY} a")
    href = link.get_attribute("href")
    assert href is not None
    assert href.startswith(f"http://127.0.0.1:{server.port}/__flaskit/errors/")
    full = page.context.new_page()
    response = full.goto(href)
    assert response is not None
    assert response.status == 200
    assert full.locator("h1").inner_text() == "ZeroDivisionError"
    assert full.locator("details.frame.user .line.current").last.is_visible()
    full.close()

    page.locator(f"{OVERLAY} button.dismiss").click()
    assert page.locator(OVERLAY).count() == 0
    assert_page_still_works(page)


def test_a_failed_htmx_request_shows_the_overlay_and_escape_dismisses_it(
    page: Any, artifacts: Path
) -> None:
    page.locator("#htmx-fail").click()
    page.locator(f"{OVERLAY} .panel").wait_for(state="visible", timeout=10_000)
    text = overlay_text(page)
    assert "A background request failed · POST /api/cart → 500" in text
    assert "ValueError" in text
    assert "cannot add to cart (htmx request: true)" in text
    assert "in cart" in text  # the failing frame: the view
    page.screenshot(path=str(artifacts / "overlay-htmx.png"))
    page.keyboard.press("Escape")
    assert page.locator(OVERLAY).count() == 0
    assert_page_still_works(page)
    # htmx itself carries on: another request, another overlay.
    page.locator("#htmx-fail").click()
    page.locator(f"{OVERLAY} .panel").wait_for(state="visible", timeout=10_000)
    page.locator(f"{OVERLAY} .backdrop").click(position={"x": 5, "y": 5})
    assert page.locator(OVERLAY).count() == 0
    assert page.evaluate("window.__violations") == []


def test_a_second_error_replaces_the_first_and_says_so(page: Any) -> None:
    page.locator("#fetch-fail").click()
    page.locator(f"{OVERLAY} .panel").wait_for(state="visible", timeout=10_000)
    first = page.locator(OVERLAY).get_attribute("data-error")
    page.evaluate("document.getElementById('htmx-fail').click()")  # under the overlay
    page.wait_for_function(
        f"() => document.querySelector({OVERLAY!r})?.dataset.error !== {first!r}"
    )
    assert page.locator(OVERLAY).count() == 1
    assert "1 earlier error replaced by this one." in overlay_text(page)


def test_dark_overlay_follows_the_colour_scheme(
    browser: Any, server: Served, artifacts: Path
) -> None:
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    try:
        page.goto(f"http://127.0.0.1:{server.port}/")
        page.wait_for_function("() => window.__flaskitErrorOverlay === true")
        page.locator("#fetch-fail").click()
        panel = page.locator(f"{OVERLAY} .panel")
        panel.wait_for(state="visible", timeout=10_000)
        assert panel.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(13, 17, 23)"
        page.screenshot(path=str(artifacts / "overlay-dark.png"))
    finally:
        context.close()
