"""The middleware in-process: what it changes, what it must leave byte for byte alone."""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask, Response, make_response, render_template_string, stream_with_context

from flaskit.debugpage import DebugPageConfig, import_error_app
from flaskit.debugpage import wrap as debug_wrap
from flaskit.livereload.middleware import LiveReloadMiddleware
from tests.livereload.fakes import FakeWorker, call, header, html, static_app, wrapped

PAGE = b"<!doctype html><html><body><h1>hi</h1></body></html>"
TAG = re.compile(
    rb'<script src="/__flaskit/livereload.js\?v=[0-9a-f]{12}" data-generation="([^"]+)"'
    rb' data-seq="(\d+)"'
    rb'( data-method="[A-Z]+")?( nonce="([^"]+)")? defer></script>'
)
LOOPBACK = {"REMOTE_ADDR": "127.0.0.1"}


def flask_app() -> Flask:
    app = Flask(__name__)

    @app.route("/")
    def index() -> str:
        return render_template_string("<html><body><p>{{ 1 + 1 }}</p></body></html>")

    @app.route("/stream")
    def stream() -> Response:
        def chunks() -> Iterator[str]:
            yield "<html><body><p>one</p>"
            yield "<p>two</p></body></html>"

        return Response(stream_with_context(chunks()), mimetype="text/html")

    @app.route("/json")
    def data() -> Any:
        return {"html": "<p></p></body>", "n": 1}

    @app.route("/nonce")
    def nonce() -> Response:
        response = make_response("<html><body>x</body></html>")
        response.headers["Content-Security-Policy"] = "script-src 'nonce-r4nd0m'"
        return response

    @app.route("/boom")
    def boom() -> str:
        raise RuntimeError("boom")

    @app.route("/fragment")
    def fragment() -> str:
        return "<p>no end of body</p>"

    return app


def test_a_page_gets_one_script_and_a_correct_length() -> None:
    worker = FakeWorker(generation=4)
    status, headers, chunks = call(wrapped(html(PAGE), worker))
    body = b"".join(chunks)
    assert status == "200 OK"
    assert len(TAG.findall(body)) == 1
    assert body.endswith(b"defer></script></body></html>")
    assert header(headers, "Content-Length") == str(len(body))
    match = TAG.search(body)
    assert match is not None
    assert match.group(1).startswith(b"4-")
    assert match.group(2) == b"0"


def test_a_page_answering_a_post_says_so_and_a_get_does_not() -> None:
    app = wrapped(html(PAGE))
    posted = b"".join(call(app, method="POST")[2])
    assert b'data-method="POST"' in posted
    assert len(TAG.findall(posted)) == 1
    assert b"data-method" not in b"".join(call(app)[2])


def test_a_page_carries_the_seq_of_the_latest_change_before_it_was_rendered() -> None:
    worker = FakeWorker()
    app = wrapped(html(PAGE), worker)
    worker.send("template", "/p/templates/a.html")
    worker.send("css", "/p/static/a.css")
    match = TAG.search(b"".join(call(app)[2]))
    assert match is not None
    assert match.group(2) == b"2"


def test_flask_pages_through_the_debug_page_get_the_script() -> None:
    app = wrapped(debug_wrap(flask_app(), DebugPageConfig()))
    status, headers, chunks = call(app, "/")
    body = b"".join(chunks)
    assert status == "200 OK"
    assert b"<p>2</p><script src=" in body
    assert header(headers, "Content-Length") == str(len(body))


def test_the_response_nonce_is_reused() -> None:
    body = b"".join(call(wrapped(flask_app()), "/nonce")[2])
    match = TAG.search(body)
    assert match is not None
    assert match.group(5) == b"r4nd0m"


def test_the_error_page_gets_the_script_with_its_own_nonce() -> None:
    app = wrapped(debug_wrap(flask_app(), DebugPageConfig()))
    status, headers, chunks = call(app, "/boom", **LOOPBACK)
    body = b"".join(chunks)
    assert status.startswith("500")
    match = TAG.search(body)
    assert match is not None, body[-300:]
    policy = header(headers, "Content-Security-Policy") or ""
    assert f"'nonce-{match.group(5).decode()}'" in policy
    assert header(headers, "Content-Length") == str(len(body))


def test_the_import_error_page_gets_the_script() -> None:
    try:
        raise ImportError("no module named nowhere")
    except ImportError as exc:
        failing = import_error_app(exc, DebugPageConfig())
    status, headers, chunks = call(wrapped(failing), "/", **LOOPBACK)
    body = b"".join(chunks)
    assert status.startswith("500")
    assert TAG.search(body) is not None
    assert header(headers, "Content-Length") == str(len(body))


@pytest.mark.parametrize("path", ["/stream", "/json"])
@pytest.mark.parametrize("debug", [False, True])
def test_streamed_and_json_responses_are_untouched_byte_for_byte(path: str, debug: bool) -> None:
    def stack() -> Any:
        app = flask_app()
        return debug_wrap(app, DebugPageConfig()) if debug else app

    plain = call(stack(), path)
    live = call(wrapped(stack()), path)
    assert live == plain  # status, every header, and the same chunks with the same boundaries
    assert b"__flaskit" not in b"".join(live[2])


def test_a_body_that_is_passed_through_is_the_apps_own_object() -> None:
    chunks = [b"<html><body>", b"</body></html>"]
    app = static_app(chunks, [("Content-Type", "text/html")])
    from werkzeug.test import EnvironBuilder

    result = wrapped(app)(EnvironBuilder().get_environ(), lambda *a: None)
    assert result is chunks


def test_a_stream_is_not_held_back() -> None:
    produced: list[int] = []

    def chunks() -> Iterator[bytes]:
        for n in range(3):
            produced.append(n)
            yield b"<p>%d</p></body>" % n

    app = debug_wrap(static_app(chunks(), [("Content-Type", "text/html")]), DebugPageConfig())
    from werkzeug.test import EnvironBuilder

    body = iter(wrapped(app)(EnvironBuilder().get_environ(), lambda *a: None))
    assert next(body) == b"<p>0</p></body>"
    assert produced == [0]  # the first chunk went out before the second was made


def test_compressed_html_is_untouched() -> None:
    compressed = gzip.compress(PAGE)
    app = static_app(
        compressed,
        [
            ("Content-Type", "text/html"),
            ("Content-Encoding", "gzip"),
            ("Content-Length", str(len(compressed))),
        ],
    )
    assert b"".join(call(wrapped(app))[2]) == compressed


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        # The official Flask tutorial's base.html: no </body>, no </html> (valid HTML5).
        (b"<!doctype html><title>Flaskr</title><nav></nav><section>x</section>", b"{tag}"),
        (b"<!doctype html><html><p>no body end</p></html>\n", b"<p>no body end</p>{tag}</html>"),
        (b"<html><body><p>x</p></body></html>", b"<p>x</p>{tag}</body>"),
    ],
)
def test_every_html_document_gets_the_script(page: bytes, expected: bytes) -> None:
    # What a browser sends when it navigates to a page.
    _status, headers, chunks = call(wrapped(html(page)), HTTP_SEC_FETCH_DEST="document")
    body = b"".join(chunks)
    match = TAG.search(body)
    assert match is not None
    assert expected.replace(b"{tag}", match.group(0)) in body
    assert body.replace(match.group(0), b"") == page
    assert header(headers, "Content-Length") == str(len(body))


def test_no_hint_for_any_page(capsys: pytest.CaptureFixture[str]) -> None:
    app = wrapped(debug_wrap(flask_app(), DebugPageConfig()))
    for path in ("/fragment", "/", "/missing", "/json"):
        call(app, path)
    assert capsys.readouterr().err == ""


def test_text_for_other_clients_is_left_as_sent() -> None:
    # Flask labels `return "ok"` text/html; curl or a script gets the bytes the app sent.
    assert b"".join(call(wrapped(html(b"ok")))[2]) == b"ok"
    assert TAG.search(b"".join(call(wrapped(html(b"<p>x</p></html>")))[2]))


def test_plain_text_is_not_a_page() -> None:
    text = b"</body> in plain words"
    app = static_app(text, [("Content-Type", "text/plain"), ("Content-Length", str(len(text)))])
    assert b"".join(call(wrapped(app))[2]) == text


@pytest.mark.parametrize(
    ("destination", "injected"),
    [(None, True), ("document", True), ("iframe", True), ("empty", False), ("script", False)],
)
def test_only_documents_get_the_script_not_fetched_fragments(
    destination: str | None, injected: bool
) -> None:
    # htmx and Turbo fetch() HTML and swap it into a page that already has the script.
    extra = {"HTTP_SEC_FETCH_DEST": destination} if destination else {}
    body = b"".join(call(wrapped(html(b"<li>item</li></html>")), **extra)[2])
    assert (TAG.search(body) is not None) is injected


def test_other_clients_and_hosts_get_no_script_and_reach_the_app() -> None:
    seen: list[str] = []

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        seen.append(environ["PATH_INFO"])
        start_response("404 NOT FOUND", [("Content-Type", "text/plain"), ("Content-Length", "4")])
        return [b"mine"]

    page = wrapped(html(PAGE))
    for environ in ({"REMOTE_ADDR": "203.0.113.9"}, {"HTTP_HOST": "rebound.example"}):
        assert b"".join(call(page, **environ)[2]) == PAGE
        assert call(wrapped(app), "/__flaskit/events", **environ)[2] == [b"mine"]
    assert seen == ["/__flaskit/events", "/__flaskit/events"]


def test_the_legacy_write_callable_is_collected() -> None:
    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        write = start_response(
            "200 OK", [("Content-Type", "text/html"), ("Content-Length", str(len(PAGE)))]
        )
        write(PAGE[:10])
        return [PAGE[10:]]

    body = b"".join(call(wrapped(app))[2])
    assert TAG.search(body) is not None
    assert body.replace(TAG.search(body).group(0), b"") == PAGE  # type: ignore[union-attr]


def test_a_second_start_response_replaces_the_held_one() -> None:
    def app(environ: dict[str, Any], start_response: Any) -> Iterator[bytes]:
        start_response("200 OK", [("Content-Type", "text/html"), ("Content-Length", "99")])
        yield b"<html><body>half"
        try:
            raise ValueError("late")
        except ValueError:
            import sys

            start_response(
                "500 ERROR",
                [("Content-Type", "text/plain"), ("Content-Length", "5")],
                sys.exc_info(),
            )
        yield b"error"

    status, _headers, chunks = call(wrapped(app))
    assert status == "500 ERROR"
    assert chunks == [b"error"]


@pytest.mark.parametrize("body", [[PAGE], [b"x"]])
def test_the_apps_body_is_closed(body: list[bytes]) -> None:
    closed: list[bool] = []

    class Body:
        def __iter__(self) -> Iterator[bytes]:
            return iter(body)

        def close(self) -> None:
            closed.append(True)

    length = str(len(b"".join(body)))
    content_type = "text/html" if body == [PAGE] else "text/plain"
    app = static_app(Body(), [("Content-Type", content_type), ("Content-Length", length)])  # type: ignore[arg-type]
    call(wrapped(app))
    assert closed == [True]


def test_the_client_script_is_served_from_the_package() -> None:
    from importlib import resources

    app = wrapped(html(PAGE))
    status, headers, chunks = call(app, "/__flaskit/livereload.js")
    assert status == "200 OK"
    assert header(headers, "Content-Type") == "text/javascript; charset=utf-8"
    files = resources.files("flaskit.livereload")
    expected = files.joinpath("client.js").read_bytes()
    expected += b"\n" + files.joinpath("overlay.js").read_bytes()  # the error overlay follows
    assert b"".join(chunks) == expected
    assert header(headers, "Content-Length") == str(len(expected))
    head = call(app, "/__flaskit/livereload.js", method="HEAD")
    assert head[2] == [b""]
    assert header(head[1], "Content-Length") == str(len(expected))
    assert header(headers, "Cache-Control") == "no-cache"


def test_pages_name_the_script_by_its_hash_and_that_url_is_cached_for_good() -> None:
    import hashlib

    app = wrapped(html(PAGE))
    page = b"".join(call(app)[2])
    found = re.search(rb'src="(/__flaskit/livereload.js)\?v=([0-9a-f]+)"', page)
    assert found is not None
    status, headers, chunks = call(
        app, found.group(1).decode(), QUERY_STRING=f"v={found.group(2).decode()}"
    )
    assert status == "200 OK"
    assert found.group(2).decode() == hashlib.sha256(b"".join(chunks)).hexdigest()[:12]
    assert header(headers, "Cache-Control") == "max-age=31536000, immutable"
    # Another version (a page from before an upgrade) is not cached.
    other = call(app, found.group(1).decode(), QUERY_STRING="v=000000000000")
    assert header(other[1], "Cache-Control") == "no-cache"


def test_other_paths_under_the_prefix_are_not_found_and_never_reach_the_app() -> None:
    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        raise AssertionError("the app must not see /__flaskit/")

    assert call(wrapped(app), "/__flaskit/nothing")[0] == "404 NOT FOUND"
    assert call(wrapped(app), "/__flaskit/events", method="POST")[0] == "404 NOT FOUND"


@pytest.mark.parametrize(
    ("query", "threads"), [("", False), ("poll=1", True)], ids=["one-thread", "poll"]
)
def test_a_poll_gets_the_hello_and_a_short_response(query: str, threads: bool) -> None:
    worker = FakeWorker(generation=2)
    app: LiveReloadMiddleware = wrapped(html(PAGE), worker)
    worker.send("template", "/x/templates/a.html")
    status, headers, chunks = call(
        app,
        "/__flaskit/events",
        QUERY_STRING=query,
        **{"wsgi.multithread": threads, "wsgi.multiprocess": False},
    )
    assert app.hub.streams == 0
    assert status == "200 OK"
    assert header(headers, "Content-Type") == "text/event-stream; charset=utf-8"
    (body,) = chunks
    assert header(headers, "Content-Length") == str(len(body))
    hello = json.loads(body.removeprefix(b"data: "))
    assert hello["type"] == "hello"
    assert hello["seq"] == 1
    assert (hello["reconnect"], hello["poll"]) == (1000, True)
    assert hello["generation"].startswith("2-")


def test_the_stream_delivers_changes_and_ends_when_the_worker_drains() -> None:
    from werkzeug.test import EnvironBuilder

    worker = FakeWorker(generation=5)
    app: LiveReloadMiddleware = wrapped(html(PAGE), worker)
    environ = EnvironBuilder(path="/__flaskit/events").get_environ()
    environ.update({"wsgi.multithread": True, "REMOTE_ADDR": "127.0.0.1"})
    started: list[str] = []
    body = app(environ, lambda status, headers, exc_info=None: started.append(status))
    chunks = iter(body)
    hello = json.loads(next(chunks).removeprefix(b"data: "))
    assert (hello["type"], hello["seq"], hello["poll"]) == ("hello", 0, False)
    assert app.hub.streams == 1
    worker.send("css", "/somewhere/else/static/site.css")
    change = json.loads(next(chunks).removeprefix(b"data: "))
    assert change == {
        "type": "change",
        "generation": hello["generation"],
        "seq": 1,
        "kind": "css",
        "paths": ["site.css"],  # outside the roots: the name only, never an absolute path
    }
    worker.drain()
    assert list(chunks) == []
    body.close()  # type: ignore[attr-defined]
    assert app.hub.streams == 0
    assert call(app, "/__flaskit/events", **{"wsgi.multithread": True})[0].startswith("503")


def test_streams_are_capped_per_worker() -> None:
    from werkzeug.test import EnvironBuilder

    app: LiveReloadMiddleware = wrapped(html(PAGE))
    app.hub.max_streams = 2
    environ = EnvironBuilder(path="/__flaskit/events").get_environ()
    environ.update({"wsgi.multithread": True, "REMOTE_ADDR": "127.0.0.1"})
    bodies = [app(dict(environ), lambda *a: None) for _ in range(2)]
    for body in bodies:
        next(iter(body))
    status, _headers, chunks = call(app, "/__flaskit/events", **{"wsgi.multithread": True})
    assert status.startswith("503")
    assert b"too many" in b"".join(chunks)
    for body in bodies:
        body.close()  # type: ignore[attr-defined]
    assert app.hub.streams == 0
