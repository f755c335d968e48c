"""Django, Bottle and Falcon under a real ``flaskit run --debug``: their unhandled
exceptions reach flaskit's page (masked, for this machine only), and everything
they answer themselves (HTTP errors, the app's own handlers) stays theirs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.debugpage.live import ask
from tests.serve.server import Served, serve

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]

FRAMEWORKS = {
    "django": ("djsite:application", "django home", "django-boom", "django-s3cr3t-local"),
    "bottle": ("bottle_app:app", "bottle home", "bottle-boom", "bottle-s3cr3t-local"),
    "falcon": ("falcon_app:app", "falcon home", "falcon-boom", "falcon-s3cr3t-local"),
}
REMOTE = {"Forwarded": "for=203.0.113.9"}  # a tunnel forwarding for someone else


@pytest.fixture(scope="module", params=sorted(FRAMEWORKS))
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Served]]:
    spec, home = FRAMEWORKS[request.param][:2]
    folder = tmp_path_factory.mktemp(request.param)
    with serve(folder, spec, "--debug", app="debug_frameworks", expect=home) as running:
        yield request.param, running


def test_an_unhandled_exception_reaches_flaskits_page(served: tuple[str, Served]) -> None:
    name, server = served
    _, _, marker, secret = FRAMEWORKS[name]
    page = ask(server.port, "/boom")
    assert page.status == 500
    assert page.media == "text/html"
    assert "<h1>RuntimeError</h1>" in page.body
    assert marker in page.body
    assert "flaskit debug" in page.body
    assert '<th>api_key</th><td class="masked"' in page.body
    assert secret not in page.body
    server.wait_output(marker)
    assert secret not in server.output
    # The same access rule as for Flask: someone else gets a plain 500.
    remote = ask(server.port, "/boom", headers=REMOTE)
    assert (remote.status, remote.media) == (500, "text/plain")
    assert marker not in remote.body
    assert "Traceback" not in remote.body


def test_what_the_framework_answers_itself_stays(served: tuple[str, Served]) -> None:
    name, server = served
    port = server.port
    if name == "django":
        missing = ask(port, "/missing")
        assert missing.status == 404
        assert "no such thing" in missing.body  # Django's own (DEBUG) 404
        assert ask(port, "/denied").status == 403
    elif name == "bottle":
        missing = ask(port, "/nowhere")
        assert missing.status == 404
        assert "our own bottle 404" in missing.body
        teapot = ask(port, "/teapot")
        assert teapot.status == 418
        assert "short and stout" in teapot.body
        mounted = ask(port, "/shop/boom")
        assert mounted.status == 500
        assert "<h1>LookupError</h1>" in mounted.body  # the mounted app propagates too
    else:
        missing = ask(port, "/missing")
        assert missing.status == 404
        assert json.loads(missing.body)["title"] == "no such thing"
        invalid = ask(port, "/invalid")
        assert invalid.status == 422
        assert json.loads(invalid.body) == {"own": "handler", "error": "handled by the app"}


@pytest.mark.parametrize("name", sorted(FRAMEWORKS))
def test_framework_error_page_keeps_the_frameworks_own(tmp_path: Path, name: str) -> None:
    spec, home, marker, _ = FRAMEWORKS[name]
    with serve(
        tmp_path, spec, "--debug", "--framework-error-page", app="debug_frameworks", expect=home
    ) as server:
        page = ask(server.port, "/boom")
        assert page.status == 500
        assert "flaskit debug" not in page.body
        if name == "django":
            assert "django-boom" in page.body  # Django's technical 500 page
            assert "Request information" in page.body
        elif name == "bottle":
            assert "Internal Server Error" in page.body
            assert marker not in page.body
        else:
            assert json.loads(page.body) == {"title": "500 Internal Server Error"}


def test_djangos_own_404_page_with_debug_off(tmp_path: Path) -> None:
    with serve(
        tmp_path, "djcustom:application", "--debug", app="debug_frameworks", expect="django home"
    ) as server:
        missing = ask(server.port, "/nowhere")
        assert missing.status == 404
        assert "our own django 404" in missing.body
        # As under Flask's debug mode, an unhandled exception goes to the debug page,
        # not to handler500.
        boom = ask(server.port, "/boom")
        assert "custom-django-boom" in boom.body
        assert "flaskit debug" in boom.body
