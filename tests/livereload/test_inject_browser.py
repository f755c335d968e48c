"""Live reload on pages without ``</body>``, in Debian's chromium against ``flaskit run``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.debugpage.live import ask
from tests.serve.server import rewrite, serve

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]
RECORD = "window.__lr = []; addEventListener('flaskit:live-reload', e => __lr.push(e.detail));"
SAID_HELLO = "() => window.__lr.some(m => m.type === 'hello')"


def text_is(element: str, value: str) -> str:
    return f"() => document.getElementById({element!r})?.textContent === {value!r}"


def test_pages_without_end_tags_reload_on_save(
    tmp_path: Path, browser: Any, artifacts: Path
) -> None:
    with serve(tmp_path, "--debug", app="tutorial_templates", expect="posts-1") as server:
        context = browser.new_context()
        context.add_init_script(RECORD)
        try:
            for path, element, template, old in [
                ("/", "heading", "index.html", "posts-1"),
                ("/bare", "bare", "bare.html", "bare-1"),
            ]:
                page = context.new_page()
                page.goto(f"http://127.0.0.1:{server.port}{path}")
                page.wait_for_function(SAID_HELLO, timeout=10_000)
                new = old.replace("-1", "-2")
                rewrite(server.folder / "templates" / template, old, new)
                page.wait_for_function(text_is(element, new), timeout=5_000)
        except BaseException:
            for n, page in enumerate(context.pages):
                page.screenshot(path=str(artifacts / f"livereload-no-body-{n}.png"))
            raise
        finally:
            context.close()
        # No hint for those pages, and plain text is not a page.
        plain = ask(server.port, "/plain")
        assert plain.body == "just words </body>"
        assert "</body>" not in server.output
        assert "live reload:" not in server.output
