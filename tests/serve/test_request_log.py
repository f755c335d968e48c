"""The request log: what reaches the terminal is safe, masked and the bytes really sent."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from flaskit.serve.requestlog import RequestLog, RequestRecord, masked_query, render_plain
from tests.debugpage.live import ask, raw_request
from tests.serve.server import Served, serve


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("token=abc123&page=2", "token=********&page=2"),
        ("access_token=abc123", "access_token=********"),
        ("api_key=k&apiKey=k2", "api_key=********&apiKey=********"),
        ("password=hunter22&user=ada", "password=********&user=ada"),
        ("%74oken=abc123", "%74oken=********"),  # the name as the app decodes it
        ("csrf+token=x", "csrf+token=********"),
        ("q=token&next=/a%20b", "q=token&next=/a%20b"),  # a value, not a name
        ("flag&x=1", "flag&x=1"),
        ("SESSION_COOKIE_NAME=session", "SESSION_COOKIE_NAME=session"),
    ],
)
def test_secret_looking_query_values_are_masked(query: str, shown: str) -> None:
    assert masked_query(query) == shown


def logged(environ: dict[str, Any]) -> RequestRecord:
    records: list[RequestRecord] = []

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response("405 METHOD NOT ALLOWED", [("Content-Type", "text/plain")])
        return [b"no"]

    body = RequestLog(app, records.append)(environ, lambda *args: None)
    list(body)
    body.close()  # type: ignore[attr-defined]
    return records[0]


def test_the_method_and_path_cannot_drive_the_terminal() -> None:
    record = logged(
        {
            "REQUEST_METHOD": "G\x1b[31mET\x1b]0;pwned\x07",
            "PATH_INFO": "/p\u202eath\r",
            "QUERY_STRING": "x=\x1b[2J",
        }
    )
    line = render_plain(record)
    assert "G\\x1b[31mET\\x1b]0;pwned\\x07 /p\\u202eath\\x0d?x=\\x1b[2J 405" in line
    assert all(c.isprintable() for c in line)


def test_a_request_left_out_by_a_middleware_is_not_logged() -> None:
    records: list[RequestRecord] = []

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        environ["flaskit.unlogged"] = True
        start_response("200 OK", [])
        return [b""]

    body = RequestLog(app, records.append)({"REQUEST_METHOD": "GET"}, lambda *a: None)
    body.close()  # type: ignore[attr-defined]
    assert records == []


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """``flaskit run --debug`` (live reload on) whose output is captured."""
    folder = tmp_path_factory.mktemp("requestlog")
    with serve(folder, "--debug", app="debug_hosts", expect="home") as running:
        yield running


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_the_size_logged_is_the_size_sent(served: Served) -> None:
    page = ask(served.port, "/")
    assert "/__flaskit/livereload.js" in page.body  # the script made the page longer
    sent = int(page.headers["content-length"])
    assert sent == len(page.body.encode())
    served.wait_output("GET / 200 ")
    line = next(line for line in served.output.splitlines() if " GET / 200 " in line)
    assert line.endswith(f" {sent} B")


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_secret_query_values_are_masked_in_the_log(served: Served) -> None:
    ask(served.port, "/text?token=tok-s3cr3t-value&page=2&api_key=key-s3cr3t-value")
    served.wait_output("GET /text?")
    assert "GET /text?token=********&page=2&api_key=******** 200" in served.output
    assert "s3cr3t" not in served.output


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_a_raw_request_cannot_drive_the_terminal(served: Served) -> None:
    # What no HTTP library would send: escape sequences in the method, the path, the
    # query and the Host header.
    answer = raw_request(
        served.port,
        b"G\x1b[31mET\x1b]0;pwned\x07 /t\x1b[2Jext?q=\x1b[5m HTTP/1.1\r\n"
        b"Host: ev\x1b[41mil.example\r\nConnection: close\r\n\r\n",
    )
    assert answer.startswith(b"HTTP/1.1 404")  # no route matches that path
    served.wait_output("pwned")
    # A request line werkzeug refuses itself (its own log line, repr-escaped).
    refused = raw_request(served.port, b"GET /a\x1b[31m b\x07 HTTP/1.1\r\n\r\n")
    assert refused.startswith((b"HTTP/1.1 400", b"HTTP/1.0 400"))
    served.wait_output("Bad request")
    output = served.output
    assert "G\\x1b[31mET\\x1b]0;pwned\\x07 /t\\x1b[2Jext?q=\\x1b[5m 404" in output
    assert "ev\\x1b[41mil.example" in output  # the refused Host, escaped
    for control in ("\x1b", "\x07"):
        assert control not in output


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_live_reload_and_debug_page_traffic_is_not_logged(served: Served) -> None:
    """The browser's own requests (live reload's, the debug page fetching a frame it left
    out) are not the app's: they stay out of the log."""
    ask(served.port, "/__flaskit/events?poll=1")
    ask(served.port, "/__flaskit/livereload.js")
    page = ask(served.port, "/boom")
    frame = re.search(r'data-src="(/__flaskit/errors/[^"]+/frames/[^"]+)"', page.body)
    assert frame is not None
    assert ask(served.port, frame.group(1)).status == 200
    ask(served.port, "/after")
    served.wait_output("GET /after")
    assert "GET /boom 500" in served.output
    assert "/__flaskit/" not in served.output


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_no_request_log_serves_without_a_line_per_request(tmp_path: Path) -> None:
    with serve(tmp_path, "--debug", "--no-request-log", app="debug_hosts", expect="home") as quiet:
        assert ask(quiet.port, "/text?marker=m1").status == 200
        ask(quiet.port, "/boom")  # the error is still printed, with its traceback
        quiet.wait_output("boom-marker")
        assert "GET /text" not in quiet.output
        assert "GET /boom" not in quiet.output


def test_the_request_log_measures_status_and_size():
    records: list[RequestRecord] = []

    def app(environ, start_response):
        start_response("404 NOT FOUND", [("Content-Type", "text/plain")])
        return [b"not ", b"here"]

    logged = RequestLog(app, records.append)
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/a\x1b[2J", "QUERY_STRING": "q=1"}
    body = logged(environ, lambda status, headers, exc_info=None: None)
    assert b"".join(body) == b"not here"
    body.close()  # type: ignore[attr-defined]
    (record,) = records
    assert (record.method, record.status, record.size) == ("GET", 404, 8)
    assert record.path == "/a\\x1b[2J?q=1"  # no terminal escape reaches the log
    line = render_plain(record)
    assert " GET /a\\x1b[2J?q=1 404 " in line
    assert line.endswith(" 8 B")
