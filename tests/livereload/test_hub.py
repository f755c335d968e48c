"""The hub of one worker: numbering changes, feeding streams, closing them on drain."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from flaskit.livereload.events import stream_events
from flaskit.livereload.hub import CLOSED, MAX_QUEUED, Change, Hub, Stream


def test_changes_are_numbered_and_paths_made_relative(tmp_path: Path) -> None:
    hub = Hub(3, [tmp_path / "a", tmp_path / "b"])
    opened = hub.open()
    assert opened is not None
    stream, seq = opened
    assert seq == 0
    hub.on_message({"op": "change", "kind": "css", "paths": [str(tmp_path / "b/static/x.css")]})
    hub.on_message({"op": "change", "kind": "template", "paths": [str(tmp_path / "a/t/i.html")]})
    assert stream.get(1) == Change(1, "css", ("static/x.css",))
    assert stream.get(1) == Change(2, "template", ("t/i.html",))
    assert hub.seq == 2
    assert hub.generation_id.startswith("3-")


def test_other_messages_are_ignored() -> None:
    hub = Hub(1)
    hub.on_message({"op": "stop", "grace": 1})
    hub.on_message({"op": "change", "kind": "restart", "paths": []})
    assert hub.seq == 0


def test_every_hub_has_its_own_generation_id() -> None:
    # A restarted flaskit starts at generation 1 again: the page must still notice.
    assert Hub(1).generation_id != Hub(1).generation_id


def test_a_new_stream_starts_after_the_latest_change() -> None:
    hub = Hub(1)
    hub.on_message({"op": "change", "kind": "static", "paths": ["a.js"]})
    opened = hub.open()
    assert opened is not None
    assert opened[1] == 1


def test_get_waits_at_most_the_timeout() -> None:
    stream = Stream()
    started = time.monotonic()
    assert stream.get(0.05) is None
    assert 0.04 < time.monotonic() - started < 1


def test_close_wakes_a_waiting_stream_at_once() -> None:
    hub = Hub(1)
    opened = hub.open()
    assert opened is not None
    stream, _seq = opened
    got: list[object] = []
    reader = threading.Thread(target=lambda: got.append(stream.get(30)))
    reader.start()
    time.sleep(0.05)
    started = time.monotonic()
    hub.close()
    reader.join(5)
    assert got == [CLOSED]
    assert time.monotonic() - started < 1
    assert hub.open() is None  # a draining worker takes no new streams


def test_a_stream_that_stopped_reading_is_closed_not_grown() -> None:
    stream = Stream()
    for seq in range(MAX_QUEUED + 5):
        stream.put(Change(seq, "css", ()))
    items = [stream.get(0) for _ in range(MAX_QUEUED)]
    assert all(isinstance(item, Change) for item in items)
    assert stream.get(0) is CLOSED


def test_the_event_stream_sends_keepalives_and_releases_its_stream() -> None:
    hub = Hub(1)
    opened = hub.open()
    assert opened is not None
    stream, seq = opened
    events = stream_events(hub, stream, seq, keepalive=0.01)
    assert next(events).startswith(b'data: {"type":"hello"')
    assert next(events) == b": keepalive\n\n"
    assert hub.streams == 1
    events.close()  # the server closes the body when the browser went away
    assert hub.streams == 0
