"""Pages of the live-reload sample site in Debian's chromium, for the browser tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.serve.server import Served, serve

APP = "livereload_site"
# Every message the page's client handles, kept on window for the test to read.
RECORD = "window.__lr = []; addEventListener('flaskit:live-reload', e => __lr.push(e.detail));"
# Predicates are functions, not expressions: a page's CSP forbids the eval of a string.
SAID_HELLO = "() => window.__lr.some(m => m.type === 'hello')"


def text_is(element: str, value: str) -> str:
    """A predicate: the element with id ``element`` shows ``value``."""
    return f"() => document.getElementById({element!r})?.textContent === {value!r}"


@contextmanager
def site(
    tmp_path: Path, browser: Any, artifacts: Path, name: str, init: str = "", *args: str
) -> Iterator[tuple[Served, Any]]:
    """A served copy of the sample site and a fresh browser context; on failure the
    screenshots of every open page and the server's output go to test-artifacts/."""
    with serve(tmp_path, "--debug", *args, app=APP, expect="template-1") as server:
        context = browser.new_context()
        context.add_init_script(RECORD + init)
        try:
            yield server, context
        except BaseException:
            for n, page in enumerate(context.pages):
                try:
                    page.screenshot(path=str(artifacts / f"livereload-{name}-{n}.png"))
                except Exception:  # best effort while reporting a failure
                    continue
            (artifacts / f"livereload-{name}.log").write_text(server.output)
            raise
        finally:
            context.close()


def open_page(context: Any, server: Served, path: str = "/") -> Any:
    """A page at ``path`` whose live-reload stream said hello."""
    page = context.new_page()
    page.goto(f"http://127.0.0.1:{server.port}{path}")
    page.wait_for_function(SAID_HELLO, timeout=10_000)
    return page
