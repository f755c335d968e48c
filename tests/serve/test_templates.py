"""A template edit reaches the next response, in every framework, with no restart.

Each test edits a template of a real Django, Bottle or Flask app under
``flaskit run --debug`` and waits for the live-reload stream to announce the
change (what the browser waits for before it reloads); the very next request
must then show the new text, from the same worker (no new generation), and the
terminal must have called the change a template.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import require_module
from tests.livereload.sse import EventStream
from tests.serve.server import Served, pid_of, rewrite, serve

pytestmark = [pytest.mark.slow, pytest.mark.timeout(90)]
APP = "serve_templates"


def edit_and_fetch(server: Served, template: str, old: str, new: str, path: str) -> None:
    """Edit ``template`` while a page is open; the next response has the edit, no restart."""
    status, before = server.get(path)
    assert status == 200, before
    assert old in before
    stream = EventStream(server.port)
    try:
        hello = stream.next()
        assert hello is not None
        assert hello["type"] == "hello"
        rewrite(server.folder / template, old, new)
        change = stream.next()
        assert change is not None, server.output
        assert change["kind"] == "template", change
        assert change["paths"] == [template]
    finally:
        stream.close()
    status, after = server.get(path)
    assert status == 200, after
    assert new in after, f"the edit did not reach the next response:\n{after}\n{server.output}"
    assert pid_of(after) == pid_of(before)  # the same worker: no restart
    assert f"{Path(template).name} changed (template: no restart)" in server.output


def test_django_templates_from_dirs_and_from_an_app_are_fresh(tmp_path):
    require_module("django")
    with serve(tmp_path, "--debug", "--app", "djsite", app=APP, expect="home v1") as server:
        edit_and_fetch(server, "pages/home.html", "home v1", "home v2", "/")
        edit_and_fetch(server, "blog/templates/blog/post.html", "post v1", "post v2", "/post")
        # A second edit of a template Django has cached again.
        edit_and_fetch(server, "pages/home.html", "home v2", "home v3", "/")


@pytest.mark.parametrize("reloader", ["events", "poll"])
def test_bottle_views_are_noticed_and_fresh(tmp_path, reloader):
    require_module("bottle")
    args = ("--debug", "--reloader", reloader, "--app", "bottle_app:app")
    with serve(tmp_path, *args, app=APP, expect="v1") as server:
        edit_and_fetch(server, "views/hello.tpl", "hello v1", "hello v2", "/")
        edit_and_fetch(server, "views/hello.tpl", "hello v2", "hello v3", "/")
        # Bottle also looks in ./ itself: a template there counts, a README does not.
        (server.folder / "README.md").write_text("not a template\n")
        edit_and_fetch(server, "page.tpl", "page v1", "page v2", "/page")
        assert "README.md changed" not in server.output


def test_flask_blueprint_templates_behind_middleware_are_fresh(tmp_path):
    with serve(
        tmp_path, "--debug", "--app", "flask_app:application", app=APP, expect="flask home"
    ) as server:
        edit_and_fetch(server, "shop/screens/shop_index.html", "shop v1", "shop v2", "/shop/")
