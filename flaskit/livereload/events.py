"""The server-sent-events endpoint: what a connected browser receives.

Every event is one unnamed SSE message whose data is a JSON object:
``{"type": "hello", "generation": ..., "seq": n, "reconnect": ms, "poll": bool}`` first,
then ``{"type": "change", "generation": ..., "seq": n, "kind": ..., "paths": [...]}``
for each change. The stream ends when the worker drains; the client then
reconnects (after ``reconnect`` ms) and meets the next generation.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from flaskit.livereload.hub import CLOSED, Change, Hub, Stream

KEEPALIVE = 10.0  # seconds between comments that detect a browser that went away
RECONNECT_STREAM = 0  # ms: a stream ended by a drain; the next worker already serves
RECONNECT_POLL = 1000  # ms: one-thread servers answer with the hello and hang up
HEADERS = [
    ("Content-Type", "text/event-stream; charset=utf-8"),
    ("Cache-Control", "no-store"),
    ("X-Accel-Buffering", "no"),
]


def message(data: dict[str, object]) -> bytes:
    """One SSE message."""
    return b"data: " + json.dumps(data, separators=(",", ":")).encode() + b"\n\n"


def hello(hub: Hub, seq: int, poll: bool = False) -> bytes:
    """The first message of every response: which generation, which change is the latest,
    and when to ask again once the response ends (a poll ends at once, by design)."""
    fields = {"type": "hello", "generation": hub.generation_id, "seq": seq}
    reconnect = RECONNECT_POLL if poll else RECONNECT_STREAM
    return message({**fields, "reconnect": reconnect, "poll": poll})


def change(hub: Hub, item: Change) -> bytes:
    """The message for one change."""
    fields = {"type": "change", "generation": hub.generation_id, "seq": item.seq}
    return message({**fields, "kind": item.kind, "paths": list(item.paths)})


def stream_events(
    hub: Hub, stream: Stream, seq: int, keepalive: float = KEEPALIVE
) -> Iterator[bytes]:
    """The body of a long-lived response; it ends when the hub closes the stream."""
    try:
        yield hello(hub, seq)
        while True:
            item = stream.get(keepalive)
            if item is CLOSED:
                return
            if item is None:
                yield b": keepalive\n\n"
            elif isinstance(item, Change):
                yield change(hub, item)
    finally:
        hub.release(stream)
