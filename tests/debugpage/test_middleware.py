"""The middleware as a WSGI citizen: streaming, close(), write(), Flask's HTTP errors."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from werkzeug.test import Client, EnvironBuilder

from flaskit.debugpage import DebugPageConfig, wrap
from tests.debugpage.support import LOCAL, client, get, local_value

StartResponse = Callable[..., Any]


def run(app: Any, path: str = "/") -> tuple[list[str], Iterator[bytes]]:
    """Call the wrapped app directly: (statuses passed to start_response, body iterator)."""
    statuses: list[str] = []
    environ = EnvironBuilder(path, environ_base=LOCAL).get_environ()
    body = wrap(app, DebugPageConfig())(
        environ, lambda status, headers, exc_info=None: statuses.append(status)
    )
    return statuses, iter(body)


def test_streamed_chunks_pass_one_by_one() -> None:
    produced: list[str] = []

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterator[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain")])
        for part in ("a", "b", "c"):
            produced.append(part)
            yield part.encode()

    statuses, body = run(app)
    assert next(body) == b"a"
    assert produced == ["a"]  # nothing was read ahead
    assert statuses == ["200 OK"]
    assert list(body) == [b"b", b"c"]


def test_app_iterable_is_closed_on_success_and_on_error() -> None:
    closed: list[str] = []

    class Body:
        def __init__(self, fail: bool) -> None:
            self.fail = fail

        def __iter__(self) -> Iterator[bytes]:
            if self.fail:
                raise ValueError("boom")
            yield b"ok"

        def close(self) -> None:
            closed.append("failing" if self.fail else "fine")

    def app(environ: dict[str, Any], start_response: StartResponse) -> Body:
        start_response("200 OK", [("Content-Type", "text/plain")])
        return Body(environ["PATH_INFO"] == "/fail")

    assert list(run(app, "/")[1]) == [b"ok"]
    statuses, body = run(app, "/fail")
    assert b"ValueError" in b"".join(body)
    assert statuses == ["500 INTERNAL SERVER ERROR"]
    assert closed == ["fine", "failing"]


def test_error_before_the_first_chunk_becomes_the_page() -> None:
    response = get(client(), "/stream-early")
    assert response.status_code == 500
    assert "failed before the first chunk" in response.get_data(as_text=True)


def test_error_after_the_first_chunk_is_printed_and_aborts_the_response(
    capsys: pytest.CaptureFixture[str],
) -> None:
    test_client = client()
    with pytest.raises(ValueError, match="failed after the first chunk"):
        get(test_client, "/stream-late")
    assert "failed after the first chunk" in capsys.readouterr().err


def test_legacy_write_callable() -> None:
    def app(environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        write = start_response("200 OK", [("Content-Type", "text/plain")])
        write(b"written ")
        return [b"returned"]

    response = Client(wrap(app, DebugPageConfig())).get("/", environ_base=LOCAL)
    assert response.status_code == 200
    assert response.get_data() == b"written returned"


def test_empty_body_and_headers_pass_through() -> None:
    def app(environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        start_response("204 NO CONTENT", [("X-Kept", "yes")])
        return []

    response = Client(wrap(app, DebugPageConfig())).get("/", environ_base=LOCAL)
    assert response.status_code == 204
    assert response.headers["X-Kept"] == "yes"


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("GET", "/forbidden", 403), ("GET", "/items/0", 404)],
)
def test_flask_http_errors_keep_working(method: str, path: str, status: int) -> None:
    from tests.debugpage import sample_app

    app = sample_app.create_app()
    expected = app.test_client().open(path, method=method)
    response = client(app).open(path, method=method, environ_base=LOCAL)
    assert response.status_code == status
    assert response.get_data() == expected.get_data()  # Flask's own page, not ours


def test_a_405_keeps_its_status_and_allow_header_and_gets_the_hint() -> None:
    from tests.debugpage import sample_app

    app = sample_app.create_app()
    expected = app.test_client().delete("/users/ada")
    response = client(app).delete("/users/ada", environ_base=LOCAL)
    assert response.status_code == 405
    assert response.headers["Allow"] == expected.headers["Allow"]
    page = response.get_data(as_text=True)
    assert "405 Method Not Allowed · DELETE" in page
    assert "/users/ada does not accept DELETE" in page
    # Others get Flask's own page.
    remote = client(app).delete("/users/ada", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert remote.get_data() == expected.get_data()


def test_flask_app_propagates_so_the_page_sees_the_real_exception() -> None:
    app = Flask("not_in_debug")

    @app.route("/")
    def index() -> str:
        raise KeyError("the real error")

    assert app.config["PROPAGATE_EXCEPTIONS"] is None
    response = get(client(app), "/")
    assert app.config["PROPAGATE_EXCEPTIONS"] is True
    assert "the real error" in response.get_data(as_text=True)


def test_explicit_propagate_false_is_respected() -> None:
    app = Flask("handles_its_errors")
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.route("/")
    def index() -> str:
        raise KeyError("handled by flask")

    response = get(client(app), "/")
    assert response.status_code == 500
    assert "handled by flask" not in response.get_data(as_text=True)


def test_form_fields_read_by_the_app_are_shown() -> None:
    response = client().post(
        "/form", data={"username": "ada", "comment": "hello <b>"}, environ_base=LOCAL
    )
    page = response.get_data(as_text=True)
    assert "<th>username</th><td><code>ada</code></td>" in page
    assert "<th>comment</th><td><code>hello &lt;b&gt;</code></td>" in page


def test_form_fields_the_app_did_not_read_are_shown() -> None:
    response = client().post("/form-unread", data={"colour": "blue"}, environ_base=LOCAL)
    assert "<th>colour</th><td><code>blue</code></td>" in response.get_data(as_text=True)


def test_uploaded_files_show_name_and_size_only() -> None:
    import io

    response = client().post(
        "/form-unread",
        data={"doc": (io.BytesIO(b"file-content-" * 10), "report.pdf")},
        environ_base=LOCAL,
    )
    page = response.get_data(as_text=True)
    assert "<th>doc</th><td><code>report.pdf (130 bytes)</code></td>" in page
    assert "file-content-" not in page


def test_plain_werkzeug_app_error() -> None:
    def app(environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        values = {"answer": 42}
        return [str(values["question"]).encode()]

    page = get(Client(wrap(app, DebugPageConfig()), use_cookies=False), "/").get_data(as_text=True)
    assert "<h1>KeyError</h1>" in page
    assert local_value(page, "values") == "{'answer': 42}"
    assert '<section id="config">' not in page  # no Flask config to show


def test_falcon_keeps_an_exception_handler_of_the_apps_own() -> None:
    import falcon

    class Boom:
        def on_get(self, req: Any, resp: Any) -> None:
            raise RuntimeError("handled by the app")

    def own(req: Any, resp: Any, ex: Exception, params: Any) -> None:
        resp.status = falcon.HTTP_503
        resp.media = {"own": True}

    app = falcon.App()
    app.add_route("/", Boom())
    app.add_error_handler(Exception, own)
    response = get(client(app), "/")
    assert response.status_code == 503
    assert response.json == {"own": True}


def test_bottle_behind_middleware_and_mounted_apps_propagate() -> None:
    import bottle

    from flaskit.debugpage.frameworks import let_errors_through

    outer, inner, wsgi_mounted = bottle.Bottle(), bottle.Bottle(), bottle.Bottle()
    inner.route("/x", callback=lambda: "x")
    outer.mount("/inner/", inner)
    with pytest.warns(DeprecationWarning, match="WSGI mount"):
        outer.mount("/raw", wsgi_mounted)  # no trailing slash: mounted as a WSGI app

    class Middleware:
        def __init__(self, app: Any) -> None:
            self.app = app

        def __call__(self, environ: Any, start_response: Any) -> Any:
            return self.app(environ, start_response)

    assert let_errors_through(Middleware(outer)) == "bottle"
    assert (outer.catchall, inner.catchall, wsgi_mounted.catchall) == (False, False, False)
    kept = bottle.Bottle()
    assert let_errors_through(kept, keep_pages=True) == "bottle"
    assert kept.catchall is True


def test_other_apps_are_left_alone() -> None:
    from flaskit.debugpage.frameworks import let_errors_through

    def plain(environ: Any, start_response: Any) -> list[bytes]:
        return []

    assert let_errors_through(plain) is None
