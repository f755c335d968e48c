"""A worker's keep-alive connections, and closing the idle ones when it drains.

A browser keeps connections open between requests, and opens some before it
has anything to send (preconnect). When a new generation takes over, a request
sent later on such a connection would reach the old worker and get the old
code, and an idle connection would keep the old worker alive for the whole
drain grace. So a draining worker closes every connection that waits for its
next request, at once, and closes each busy one as soon as its response is
sent. HTTP/1.1 allows a server to close an idle persistent connection at any
time, and clients then send their next request on a new connection, which the
new generation accepts. (Handing the connections over to the new generation
instead cannot work in general: the old worker may hold bytes of the next
request in its buffer, and a TLS session cannot move between processes.)

A connection accepted just before the drain, whose request has not arrived yet,
is not a pre-opened one: its client is sending the request now (connect, then
write). Closing it would fail that request, so it gets :data:`FRESH` seconds
from its accept to deliver it (and is served); after that it is closed too.
"""

from __future__ import annotations

import contextlib
import select
import socket
import threading
import time

FRESH = 0.1  # seconds after its accept that a silent connection may still send its request


class Connections:
    """Which connections wait for their next request; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._idle: dict[int, tuple[socket.socket, float]] = {}
        self.draining = False

    def waiting(self, key: int, conn: socket.socket, fresh_until: float = 0.0) -> bool:
        """Connection ``key`` waits for its next request (``fresh_until``: the end of
        its :data:`FRESH` window, for a connection that has sent nothing yet); False
        when the worker drains, and the connection must be closed instead."""
        with self._lock:
            if self.draining:
                return False
            self._idle[key] = (conn, fresh_until)
            return True

    def busy(self, key: int) -> None:
        """Connection ``key`` started a request (or is done)."""
        with self._lock:
            self._idle.pop(key, None)
            self._lock.notify_all()

    def close_idle(self) -> int:
        """Drain: end every idle connection now, except fresh ones (see
        :meth:`close_fresh`); return how many were ended.

        Only the reading side is shut down, with the plain socket's call (a TLS
        socket's own would drop its session): the thread waiting for a request
        line reads end of file and closes the connection as usual.
        """
        now = time.monotonic()
        with self._lock:
            self.draining = True
            idle = [key for key, (_conn, until) in self._idle.items() if until <= now]
            ended = [self._idle.pop(key)[0] for key in idle]
        for conn in ended:
            _shut(conn)
        return len(ended)

    def close_fresh(self) -> None:
        """Drain, second step: wait (at most :data:`FRESH` seconds) for the fresh
        connections to start their requests; end the ones that stay silent."""
        with self._lock:
            while self._idle:
                now = time.monotonic()
                for key in [k for k, (_conn, until) in self._idle.items() if until <= now]:
                    _shut(self._idle.pop(key)[0])
                if self._idle:
                    self._lock.wait(min(until for _conn, until in self._idle.values()) - now)


def _shut(conn: socket.socket) -> None:
    with contextlib.suppress(OSError):
        socket.socket.shutdown(conn, socket.SHUT_RD)


def wait_for_bytes(conn: socket.socket, until: float) -> bool:
    """Whether the client sends something (or closes its side) before ``until``."""
    if has_bytes(conn):
        return True
    timeout = until - time.monotonic()
    if timeout <= 0:
        return False
    try:
        return bool(select.select([conn], [], [], timeout)[0])
    except (OSError, ValueError):
        return False


def has_bytes(conn: socket.socket) -> bool:
    """Whether the client has sent something not read yet (or closed its side)."""
    pending = getattr(conn, "pending", None)  # TLS: decrypted bytes in the session
    if callable(pending) and pending():
        return True
    try:
        return bool(select.select([conn], [], [], 0)[0])
    except (OSError, ValueError):
        return False
