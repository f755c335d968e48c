"""Live reload in Debian's chromium (Playwright) against a real ``flaskit run --debug``."""

from __future__ import annotations

import socket
import subprocess
import time
from typing import Any

import pytest

from tests.helpers import clean_env, flaskit_command, stop_process
from tests.livereload.pages import SAID_HELLO, open_page, site, text_is
from tests.serve.server import get, rewrite

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]
NO_SHARED_WORKER = "delete window.SharedWorker;"
NO_LEADER = "delete window.SharedWorker; delete window.BroadcastChannel; delete navigator.locks;"


def test_an_edited_template_shows_in_the_open_page_within_a_second(tmp_path, browser, artifacts):
    with site(tmp_path, browser, artifacts, "template") as (server, context):
        page = open_page(context, server)
        loads: list[str] = []
        page.on("load", lambda p: loads.append(p.url))
        template = server.folder / "templates/index.html"
        for n in range(2, 5):
            started = time.monotonic()
            rewrite(template, f"template-{n - 1}", f"template-{n}")
            page.wait_for_function(text_is("message", f"template-{n}"), timeout=5_000)
            elapsed = time.monotonic() - started
            assert elapsed < 1.0, f"edit {n} took {elapsed:.3f} s"
        assert loads == []  # morphed in place (tests/livereload/test_morph.py)
        assert "Reloaded" not in server.output  # templates never restart the worker


def test_an_edited_stylesheet_applies_without_a_reload_or_a_flash(tmp_path, browser, artifacts):
    with site(tmp_path, browser, artifacts, "css") as (server, context):
        page = open_page(context, server)
        loads: list[str] = []
        page.on("load", lambda p: loads.append(p.url))
        color = "getComputedStyle(document.getElementById('message')).color"
        assert page.evaluate(color) == "rgb(10, 20, 30)"
        # A variable the page set, and the colour of the heading at every frame.
        page.evaluate(
            f"window.marker = 42; window.__colors = [];"
            f"(function sample() {{ __colors.push({color}); requestAnimationFrame(sample); }})();"
        )
        for n, rgb in enumerate(["rgb(40, 50, 60)", "rgb(70, 80, 90)"]):
            (server.folder / "static/site.css").write_text(f"h1 {{ color: {rgb}; }}\n")
            page.wait_for_function(f"() => {color} === {rgb!r}", timeout=5_000)
            assert page.evaluate("window.marker") == 42
            assert page.evaluate("document.querySelectorAll('link[rel=stylesheet]').length") == 1
            assert "flaskit-reload=" in page.evaluate("document.querySelector('link').href")
            assert n == 0 or loads == []
        colors = set(page.evaluate("window.__colors"))
        assert colors <= {"rgb(10, 20, 30)", "rgb(40, 50, 60)", "rgb(70, 80, 90)"}, colors
        assert loads == []


def test_an_edited_view_reloads_the_page_once_with_the_new_output(tmp_path, browser, artifacts):
    with site(tmp_path, browser, artifacts, "view") as (server, context):
        page = open_page(context, server)
        first_pid = page.text_content("#pid")
        loads: list[str] = []
        page.on("load", lambda p: loads.append(p.url))
        rewrite(server.folder / "app.py", '"view-1"', '"view-2"')
        page.wait_for_function(text_is("view", "view-2"), timeout=10_000)
        page.wait_for_function(SAID_HELLO, timeout=5_000)
        time.sleep(1.0)  # time for a second reload, if there were one
        assert len(loads) == 1, loads
        assert page.text_content("#pid") != first_pid


def via(page: Any) -> str:
    """How the page's client listens: worker, leader or tab."""
    return str(page.get_attribute("script[data-generation]", "data-via"))


@pytest.mark.parametrize(
    ("path", "init", "how"),
    [
        ("/tab/{n}", "", "worker"),
        ("/strict/{n}", "", "leader"),
        ("/tab/{n}", NO_SHARED_WORKER, "leader"),
        ("/tab/{n}", NO_LEADER, "tab"),
    ],
    ids=["shared-worker", "csp-blocks-workers", "no-shared-worker", "per-tab"],
)
def test_ten_tabs_follow_every_edit_and_the_server_still_answers(
    tmp_path, browser, artifacts, path, init, how
):
    name = f"tabs-{how}-{'strict' if 'strict' in path else 'open'}"
    with site(tmp_path, browser, artifacts, name, init) as (server, context):
        pages = [open_page(context, server, path.format(n=n)) for n in range(10)]
        assert [via(page) for page in pages] == [how] * 10
        # Ten tabs open: requests from elsewhere and a new page of the same browser are served.
        for _ in range(5):
            started = time.monotonic()
            assert get(server.port, "/data.json")[0] == 200
            assert time.monotonic() - started < 1.0
        extra = context.new_page()
        extra.goto(f"http://127.0.0.1:{server.port}/data.json", timeout=5_000)
        assert "view-1" in extra.content()
        extra.close()
        rewrite(server.folder / "templates/index.html", "template-1", "template-2")
        for page in pages:
            page.wait_for_function(text_is("message", "template-2"), timeout=5_000)
        rewrite(server.folder / "app.py", '"view-1"', '"view-2"')
        for n, page in enumerate(pages):
            page.wait_for_function(text_is("view", "view-2"), timeout=10_000)
            assert page.text_content("#number") == str(n)


def test_the_error_page_refreshes_when_the_error_is_fixed(tmp_path, browser, artifacts):
    with site(tmp_path, browser, artifacts, "errors") as (server, context):
        page = open_page(context, server)
        app = server.folder / "app.py"
        original = app.read_text()
        # An import error: the new generation serves the error page; the page follows.
        app.write_text(
            original.replace("app = Flask(__name__)", "raise RuntimeError('broken on purpose')")
        )
        page.wait_for_function(
            "() => document.body.textContent.includes('broken on purpose')", timeout=10_000
        )
        page.wait_for_function(SAID_HELLO, timeout=5_000)
        app.write_text(original.replace('"view-1"', '"view-2"'))
        page.wait_for_function(text_is("view", "view-2"), timeout=10_000)
        # An error in a view: the error page, then the fixed view.
        page.wait_for_function(SAID_HELLO, timeout=5_000)
        broken_view = original.replace(
            "def index(number=0):\n", "def index(number=0):\n    1 / 0\n"
        )
        app.write_text(broken_view)
        page.wait_for_function(
            "() => document.body.textContent.includes('ZeroDivisionError')", timeout=10_000
        )
        page.wait_for_function(SAID_HELLO, timeout=5_000)
        app.write_text(original.replace('"view-1"', '"view-3"'))
        page.wait_for_function(text_is("view", "view-3"), timeout=10_000)


def test_a_one_thread_server_still_refreshes_the_page(tmp_path, browser, artifacts):
    with site(tmp_path, browser, artifacts, "no-threads", "", "--no-threads") as (server, context):
        page = open_page(context, server)
        rewrite(server.folder / "templates/index.html", "template-1", "template-2")
        page.wait_for_function(text_is("message", "template-2"), timeout=5_000)
        rewrite(server.folder / "app.py", '"view-1"', '"view-2"')
        page.wait_for_function(text_is("view", "view-2"), timeout=10_000)


def count_connections(port: int, seconds: float) -> int:
    """Listen on ``port`` for ``seconds``, answering every connection with a 503."""
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(16)
    listener.settimeout(0.05)
    count = 0
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            count += 1
            with conn:
                conn.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n")
    finally:
        listener.close()
    return count


def test_a_gone_server_is_not_hammered_and_a_restarted_one_reloads_the_page(
    tmp_path, browser, artifacts
):
    with site(tmp_path, browser, artifacts, "restart") as (server, context):
        page = open_page(context, server)
        first_pid = page.text_content("#pid")
        server.stop()
        # The stream retries with backoff (100 ms, 200 ms, ... 5 s), not in a loop.
        attempts = count_connections(server.port, 3.0)
        assert 2 <= attempts <= 8, attempts
        # A new flaskit on the same port: its generation 1 is not the old one's.
        with (tmp_path / "second.log").open("wb") as sink:
            second = subprocess.Popen(
                flaskit_command("run", "--debug", "--port", str(server.port)),
                cwd=server.folder,
                env=clean_env(),
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            page.wait_for_function(
                f"() => document.getElementById('pid')?.textContent !== {first_pid!r}",
                timeout=15_000,
            )
        finally:
            stop_process(second)


def test_a_conditional_page_reloads_once_not_forever(tmp_path, browser, artifacts):
    with site(tmp_path, browser, artifacts, "etag") as (server, context):
        page = open_page(context, server, "/cached")
        first_pid = page.text_content("#pid")
        loads: list[str] = []
        page.on("load", lambda p: loads.append(p.url))
        rewrite(server.folder / "app.py", '"view-1"', '"view-2"')  # a new generation
        page.wait_for_function(
            f"() => document.getElementById('pid')?.textContent !== {first_pid!r}", timeout=10_000
        )
        time.sleep(1.5)  # a reload loop would show as many loads here
        assert len(loads) == 1, loads
