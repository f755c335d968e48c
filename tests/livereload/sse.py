"""Reading the live-reload event stream of a real server, for the tests."""

from __future__ import annotations

import http.client
import json
import time
from typing import Any


class EventStream:
    """One open ``GET /__flaskit/events``; :meth:`next` returns the next message."""

    def __init__(self, port: int, timeout: float = 5.0) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        self.conn.request("GET", "/__flaskit/events", headers={"Accept": "text/event-stream"})
        self.sock = self.conn.sock  # the connection lets go of it once the response arrives
        self.response = self.conn.getresponse()
        self.status = self.response.status

    def next(self) -> dict[str, Any] | None:
        """The next message (keepalive comments skipped); None when the stream ended."""
        data: list[bytes] = []
        while True:
            line = self.response.readline()
            if not line:
                return None
            line = line.rstrip(b"\r\n")
            if line.startswith(b"data: "):
                data.append(line[6:])
            elif not line and data:
                return json.loads(b"\n".join(data))  # type: ignore[no-any-return]

    def ended_within(self, seconds: float) -> float | None:
        """Seconds until the server ended the stream, None if it still runs after ``seconds``."""
        started = time.monotonic()
        self.sock.settimeout(seconds)
        try:
            while self.next() is not None:
                pass
        except TimeoutError:
            return None
        return time.monotonic() - started

    def close(self) -> None:
        self.response.close()
        self.conn.close()
