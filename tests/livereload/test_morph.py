"""A template edit morphs the open page in place (client.js), in Debian's chromium.

Every test edits ``templates/form.html`` of the sample site under a real
``flaskit run --debug``: the page keeps what a reload loses (typed text, focus,
scroll, JavaScript state), and reloads instead when it cannot follow in place.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.livereload.pages import open_page, site, text_is
from tests.serve.server import rewrite

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]
# The client says on the console why it reloads instead of morphing.
WHY = "window.__why = []; const info = console.info;"
WHY += " console.info = (...a) => { __why.push(a.join(' ')); info(...a); };"
MORPHED = "window.__morphed = 0; addEventListener('flaskit:morphed', () => __morphed++);"


def watch(page: Any) -> list[str]:
    """Every navigation of the page's main frame from now on (a morph has none)."""
    navigations: list[str] = []
    page.on(
        "framenavigated",
        lambda frame: navigations.append(frame.url) if frame == page.main_frame else None,
    )
    return navigations


def test_a_template_edit_keeps_typed_text_focus_scroll_and_javascript_state(
    tmp_path, browser, artifacts
):
    with site(tmp_path, browser, artifacts, "morph", MORPHED) as (server, context):
        page = open_page(context, server, "/form")
        navigations = watch(page)
        page.click("#counter")  # the page's own listener: window.clicks = 1
        page.fill("#notes", "my notes")
        page.fill("#name", "typed by hand")
        page.evaluate("""() => {
            const name = document.getElementById('name');
            name.setSelectionRange(2, 5);
            window.marker = {answer: 42};
            scrollTo(0, 700);
        }""")
        pid = page.text_content("#pid")
        rewrite(server.folder / "templates/form.html", "template-1", "template-2")
        page.wait_for_function(text_is("message", "template-2"), timeout=5_000)
        state = page.evaluate("""() => {
            const name = document.getElementById('name');
            return {
                value: name.value, focused: document.activeElement.id,
                selection: [name.selectionStart, name.selectionEnd],
                notes: document.getElementById('notes').value,
                scroll: scrollY, marker: window.marker, clicks: window.clicks,
                headRuns: window.headRuns, morphed: window.__morphed,
                seq: document.querySelector('script[data-generation]').dataset.seq,
            };
        }""")
        assert state == {
            "value": "typed by hand",
            "focused": "name",
            "selection": [2, 5],
            "notes": "my notes",
            "scroll": 700,
            "marker": {"answer": 42},
            "clicks": 1,
            "headRuns": 1,  # the <head> script did not run again
            "morphed": 1,
            "seq": "1",
        }
        assert navigations == []
        # The same elements, with their listeners: the counter still counts.
        page.evaluate("() => document.getElementById('counter').click()")
        assert page.evaluate("window.clicks") == 2
        assert page.text_content("#pid") == pid


def test_a_template_edit_updates_head_and_body_and_leaves_what_scripts_added(
    tmp_path, browser, artifacts
):
    with site(tmp_path, browser, artifacts, "morph-structure", MORPHED) as (server, context):
        page = open_page(context, server, "/form")
        navigations = watch(page)
        # What the page's JavaScript adds is not the server's to remove.
        page.evaluate("""() => {
            const toast = document.createElement('div');
            toast.id = 'toast';
            toast.textContent = 'added by a script';
            document.body.appendChild(toast);
            const style = document.createElement('style');
            style.id = 'injected';
            document.head.appendChild(style);
            window.firstItem = document.querySelector('#items li');
            document.documentElement.classList.add('dark');  // a theme switch
        }""")
        template = server.folder / "templates/form.html"
        text = template.read_text()
        text = text.replace("<title>form-1</title>", "<title>form-2</title>")
        text = text.replace('<html lang="en">', '<html lang="fr">').replace(
            "<body>", '<body class="wide">'
        )
        text = text.replace("<li>item-1</li>", '<li class="new">item-0</li>\n    <li>item-1</li>')
        text = text.replace("<li>item-2</li>", "<li>item-2</li>\n    <li>item-3</li>")
        text = text.replace('<p id="bottom">bottom-1</p>', '<p id="bottom" lang="en">bottom-2</p>')
        text = text.replace('{"n": 1}', '{"n": 2}')  # a data block: it does not run
        template.write_text(text)
        page.wait_for_function(text_is("bottom", "bottom-2"), timeout=5_000)
        assert page.evaluate("JSON.parse(document.getElementById('config').textContent)") == {
            "n": 2
        }
        assert page.title() == "form-2"
        items = page.evaluate("[...document.querySelectorAll('#items li')].map(li => li.outerHTML)")
        assert items == [
            '<li class="new">item-0</li>',
            "<li>item-1</li>",
            "<li>item-2</li>",
            "<li>item-3</li>",
        ]
        # item-1 was kept, not rebuilt: a new item was inserted before it.
        assert page.evaluate("() => document.querySelectorAll('#items li')[1] === window.firstItem")
        assert page.get_attribute("#bottom", "lang") == "en"
        # <html> and <body> follow the template, and keep what the page's script set.
        assert page.get_attribute("html", "lang") == "fr"
        assert page.get_attribute("html", "class") == "dark"
        assert page.get_attribute("body", "class") == "wide"
        assert page.text_content("#toast") == "added by a script"
        assert page.evaluate("() => !!document.getElementById('injected')")
        assert page.evaluate("document.querySelectorAll('head title').length") == 1
        assert navigations == []
        assert page.evaluate("window.__morphed") == 1


def test_a_stylesheet_swap_survives_a_later_template_edit(tmp_path, browser, artifacts):
    with site(tmp_path, browser, artifacts, "morph-css") as (server, context):
        page = open_page(context, server, "/form")
        navigations = watch(page)
        color = "() => getComputedStyle(document.getElementById('message')).color"
        (server.folder / "static/site.css").write_text("h1 { color: rgb(40, 50, 60); }\n")
        page.wait_for_function(f"() => ({color})() === 'rgb(40, 50, 60)'", timeout=5_000)
        page.wait_for_function("() => document.querySelectorAll('link').length === 1")
        swapped = page.get_attribute("link", "href")
        assert "flaskit-reload=" in swapped
        rewrite(server.folder / "templates/form.html", "template-1", "template-2")
        page.wait_for_function(text_is("message", "template-2"), timeout=5_000)
        # The swapped sheet stays: the template's own href would be the stale cached one.
        assert page.get_attribute("link", "href") == swapped
        assert page.evaluate(color) == "rgb(40, 50, 60)"
        assert navigations == []


def test_a_changed_head_script_reloads_the_whole_page(tmp_path, browser, artifacts):
    with site(tmp_path, browser, artifacts, "morph-head-script", WHY) as (server, context):
        page = open_page(context, server, "/form")
        page.evaluate("window.marker = 42")
        with page.expect_event("load", timeout=5_000):
            rewrite(
                server.folder / "templates/form.html",
                "window.headRuns = (window.headRuns || 0) + 1;",
                "window.headRuns = (window.headRuns || 0) + 5;",
            )
        page.wait_for_function("() => window.headRuns === 5", timeout=5_000)
        assert page.evaluate("window.marker") is None  # a new page: the variable is gone


def test_a_morph_that_fails_falls_back_to_a_reload(tmp_path, browser, artifacts):
    # Trusted Types forbid a script to parse HTML from a string: the morph throws.
    with site(tmp_path, browser, artifacts, "morph-trusted-types", WHY) as (server, context):
        page = open_page(context, server, "/trusted")
        page.evaluate("window.marker = 42")
        with page.expect_event("load", timeout=5_000):
            rewrite(server.folder / "templates/form.html", "template-1", "template-2")
        page.wait_for_function(text_is("message", "template-2"), timeout=5_000)
        assert page.evaluate("window.marker") is None


def test_a_morph_that_does_not_produce_the_new_page_falls_back_to_a_reload(
    tmp_path, browser, artifacts
):
    # A browser where setting a text node's value does nothing: the morph runs without
    # an error but the page is not the new one; the check after the morph sees it.
    broken = (
        "const d = Object.getOwnPropertyDescriptor(Node.prototype, 'nodeValue');"
        "Object.defineProperty(Node.prototype, 'nodeValue', {get: d.get, set() {}});"
    )
    with site(tmp_path, browser, artifacts, "morph-mismatch", WHY + broken) as (server, context):
        page = open_page(context, server, "/form")
        page.evaluate("window.marker = 42")
        with page.expect_event("load", timeout=5_000):
            rewrite(server.folder / "templates/form.html", "template-1", "template-2")
        page.wait_for_function(text_is("message", "template-2"), timeout=5_000)
        assert page.evaluate("window.marker") is None


def test_a_template_error_shows_the_error_page_and_the_fix_brings_the_page_back(
    tmp_path, browser, artifacts
):
    with site(tmp_path, browser, artifacts, "morph-error") as (server, context):
        page = open_page(context, server, "/form")
        template = server.folder / "templates/form.html"
        original = template.read_text()
        template.write_text(original.replace("template-1", "{{ broken("))
        page.wait_for_function(
            "() => document.body.textContent.includes('TemplateSyntaxError')", timeout=10_000
        )
        assert not page.evaluate("() => !!document.getElementById('flaskit-error-overlay')")
        template.write_text(original.replace("template-1", "template-2"))
        page.wait_for_function(text_is("message", "template-2"), timeout=10_000)


def test_a_refetched_page_that_carries_the_script_again_still_morphs(tmp_path, browser, artifacts):
    # Over plain http to another host a browser sends no Sec-Fetch-Dest, so the page it
    # fetches gets the live-reload script again: that is the one already running.
    with site(tmp_path, browser, artifacts, "morph-own-script", MORPHED) as (server, context):
        page = open_page(context, server, "/form")
        tag = page.evaluate("document.querySelector('script[data-generation]').outerHTML")

        def with_tag(route: Any) -> None:
            if route.request.resource_type != "fetch":
                route.continue_()
                return
            response = route.fetch()
            body = response.text().replace(
                "</body>", tag.replace('data-seq="0"', 'data-seq="1"') + "</body>"
            )
            route.fulfill(response=response, body=body)

        page.route("**/form", with_tag)
        navigations = watch(page)
        rewrite(server.folder / "templates/form.html", "template-1", "template-2")
        page.wait_for_function(text_is("message", "template-2"), timeout=5_000)
        page.wait_for_function("() => window.__morphed === 1", timeout=5_000)
        assert navigations == []
        assert page.evaluate("document.querySelectorAll('script[data-generation]').length") == 1
