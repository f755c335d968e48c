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
"""

from __future__ import annotations

import contextlib
import select
import socket
import threading


class Connections:
    """Which connections wait for their next request; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle: dict[int, socket.socket] = {}
        self.draining = False

    def waiting(self, key: int, conn: socket.socket) -> bool:
        """Connection ``key`` waits for its next request; False when the worker
        drains, and the connection must be closed instead."""
        with self._lock:
            if self.draining:
                return False
            self._idle[key] = conn
            return True

    def busy(self, key: int) -> None:
        """Connection ``key`` started a request (or is done)."""
        with self._lock:
            self._idle.pop(key, None)

    def close_idle(self) -> int:
        """Drain: end every idle connection now; return how many there were.

        Only the reading side is shut down, with the plain socket's call (a TLS
        socket's own would drop its session): the thread waiting for a request
        line reads end of file and closes the connection as usual.
        """
        with self._lock:
            self.draining = True
            idle = list(self._idle.values())
            self._idle.clear()
        for conn in idle:
            with contextlib.suppress(OSError):
                socket.socket.shutdown(conn, socket.SHUT_RD)
        return len(idle)


def has_bytes(conn: socket.socket) -> bool:
    """Whether the client has sent something not read yet (or closed its side)."""
    pending = getattr(conn, "pending", None)  # TLS: decrypted bytes in the session
    if callable(pending) and pending():
        return True
    try:
        return bool(select.select([conn], [], [], 0)[0])
    except (OSError, ValueError):
        return False
