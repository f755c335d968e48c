"""Live reload in a real ``flaskit run`` process (no browser): wiring, bytes, streams."""

from __future__ import annotations

import http.client
import re
import threading
import time

import pytest

from tests.helpers import wait_until
from tests.livereload.sse import EventStream
from tests.serve.server import get, rewrite, serve

pytestmark = [pytest.mark.slow, pytest.mark.timeout(90)]
APP = "livereload_site"


def unpid(page: bytes) -> bytes:
    """The sample page without the worker's pid (two servers, two pids)."""
    return re.sub(rb'<p id="pid">\d+</p>', b"", page)


def raw(port: int, path: str) -> tuple[int, dict[str, str], bytes]:
    """(status, the headers that describe the body, the body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        wanted = ("content-type", "content-length", "transfer-encoding", "content-encoding")
        headers = {k.lower(): v for k, v in response.getheaders() if k.lower() in wanted}
        return response.status, headers, body
    finally:
        conn.close()


@pytest.mark.parametrize(
    "args",
    [(), ("--live-reload",), ("--debug", "--no-live-reload")],
    ids=["no-debug", "live-reload-without-debug", "no-live-reload"],
)
def test_no_injection_without_debug_or_with_no_live_reload(tmp_path, args):
    with serve(tmp_path, *args, app=APP, expect="template-1") as server:
        status, body = server.get("/")
        assert status == 200
        assert "__flaskit" not in body
        assert server.get("/__flaskit/livereload.js")[0] == 404  # the app's own 404
        if "--live-reload" in args:
            server.wait_output("Live reload (option --live-reload) needs debug mode: add --debug.")


def test_streamed_and_json_responses_are_untouched_byte_for_byte(tmp_path):
    with serve(
        tmp_path / "off", "--debug", "--no-live-reload", app=APP, expect="template-1"
    ) as off:
        expected = {path: raw(off.port, path) for path in ("/stream", "/data.json", "/")}
    with serve(tmp_path / "on", "--debug", app=APP, expect="template-1") as on:
        for path in ("/stream", "/data.json"):
            assert raw(on.port, path) == expected[path], path
        # ... while a page of the same server does get the script (the test can fail).
        _status, headers, page = raw(on.port, "/")
        assert b'src="/__flaskit/livereload.js?v=' in page
        without_tag = page.replace(page[page.index(b"<script") : page.index(b"</script>") + 9], b"")
        assert unpid(without_tag) == unpid(expected["/"][2])  # only the script was added
        assert headers["content-length"] == str(len(page))
    assert expected["/stream"][1].get("transfer-encoding") == "chunked"


def test_html_without_end_of_body_gets_the_script_at_the_end_and_no_hint(tmp_path):
    from tests.debugpage.live import ask

    fragment = "<p>a fragment without the end of a body</p>"
    with serve(tmp_path, "--debug", app=APP, expect="template-1") as server:
        for path in ("/fragment", "/fragment?page=2"):
            navigation = ask(server.port, path, headers={"Sec-Fetch-Dest": "document"}).body
            assert navigation.startswith(fragment + "<script src=")
            assert navigation.endswith(" defer></script>")
            assert server.get(path)[1] == fragment  # not a browser: as the app sent it
        time.sleep(0.3)
        assert "</body>" not in server.output


def test_a_change_reaches_the_stream_and_a_reload_ends_it_at_once(tmp_path):
    with serve(tmp_path, "--debug", app=APP, expect="template-1") as server:
        stream = EventStream(server.port)
        try:
            assert stream.status == 200
            hello = stream.next()
            assert hello is not None
            assert hello["type"] == "hello"
            assert hello["generation"].startswith("1-")
            rewrite(server.folder / "templates/index.html", "template-1", "template-2")
            change = stream.next()
            assert change == {
                "type": "change",
                "generation": hello["generation"],
                "seq": hello["seq"] + 1,
                "kind": "template",
                "paths": ["templates/index.html"],
            }
            assert "template-2" in server.get("/")[1]  # Jinja's auto-reload, no restart
            rewrite(server.folder / "app.py", '"view-1"', '"view-2"')
            # Closed by the drain, not cut when the old worker's grace (3 s) runs out.
            ended = stream.ended_within(5)
            assert ended is not None, server.output
            assert ended < 1.0, ended
        finally:
            stream.close()
        server.wait_for("view-2")
        again = EventStream(server.port)
        try:
            hello2 = again.next()
            assert hello2 is not None
            assert hello2["generation"].startswith("2-")
        finally:
            again.close()


def test_many_streams_never_block_other_requests_nor_a_reload(tmp_path):
    with serve(tmp_path, "--debug", app=APP, expect="template-1") as server:
        streams = [EventStream(server.port) for _ in range(40)]
        try:
            statuses = sorted(s.status for s in streams)
            assert statuses.count(200) == 32  # the per-worker cap; the rest are told to retry
            assert set(statuses) == {200, 503}
            open_streams = [s for s in streams if s.status == 200]
            for s in open_streams:
                assert s.next() is not None
            for _ in range(20):
                started = time.monotonic()
                assert get(server.port, "/data.json")[0] == 200
                assert time.monotonic() - started < 1.0
            ended: list[float | None] = [None] * len(open_streams)

            def watch(i: int) -> None:
                ended[i] = open_streams[i].ended_within(10)

            watchers = [threading.Thread(target=watch, args=(i,)) for i in range(len(open_streams))]
            for w in watchers:
                w.start()
            rewrite(server.folder / "app.py", '"view-1"', '"view-2"')
            server.wait_for("view-2")
            for w in watchers:
                w.join(15)
            assert all(t is not None and t < 1.5 for t in ended), ended  # drained, not cut at 3 s
            assert wait_until(lambda: "Reloaded in" in server.output, 5)
        finally:
            for s in streams:
                s.close()


def test_a_one_thread_server_answers_polls_and_keeps_serving(tmp_path):
    with serve(tmp_path, "--debug", "--no-threads", app=APP, expect="template-1") as server:
        stream = EventStream(server.port)
        try:
            hello = stream.next()
            assert hello is not None
            assert (hello["poll"], hello["reconnect"]) == (True, 1000)
            assert stream.next() is None  # answered and closed: the one thread is free again
        finally:
            stream.close()
        assert server.get("/data.json")[0] == 200
