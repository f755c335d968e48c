"""The channels between the supervisor, the zygote and the workers.

Each channel is one end of a Unix socket pair. A message is one JSON object on
one line (UTF-8, ``\\n``-terminated) with an ``"op"`` key. A message may carry
file descriptors (``"fds": n``): they travel as ``SCM_RIGHTS`` data with the
first byte of the line, and the receiver takes them in order. End of file on a
channel means the process at the other end has exited: that is how a worker
or the zygote notices the supervisor died, even by SIGKILL.

Supervisor -> worker: ``stop`` (drain and exit; ``grace`` seconds for requests
in flight), ``change`` (files changed that need no restart: ``kind`` is
``template``, ``css`` or ``static``, ``paths`` a list; delivered to the hooks
registered with :func:`flaskit.serve.worker.on_message`). Worker -> supervisor:
``ready`` or ``failed`` (the app imported, or its import failed and the error
is being served), with ``pid``, ``modules``, ``files`` and ``folders``.

Supervisor -> zygote: ``preload`` (``modules``), ``fork`` (``generation``,
with the worker's channel as one fd). Zygote -> supervisor: ``forked``
(``generation``, ``pid``), ``exited`` (a forked worker ended: ``pid``, ``code``,
negative for a signal), ``stale`` (a preloaded module changed on disk; the
generation was not forked), ``unsafe`` (a preloaded module started a thread,
so forking is not safe).
"""

from __future__ import annotations

import base64
import contextlib
import json
import pickle
import socket
import threading
from collections import deque
from typing import Any

Message = dict[str, Any]
_MAX_FDS = 4
_CHUNK = 256 * 1024


class Channel:
    """JSON lines (and file descriptors) over one end of a Unix socket pair."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self._buffer = bytearray()
        self._fds: deque[int] = deque()
        self._pending: deque[Message] = deque()
        self._send_lock = threading.Lock()
        self.closed = False

    @classmethod
    def pair(cls) -> tuple[Channel, socket.socket]:
        """A new channel and the socket for the process at the other end."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        ours.set_inheritable(False)
        theirs.set_inheritable(True)
        return cls(ours), theirs

    @classmethod
    def from_fd(cls, fd: int) -> Channel:
        """The channel on an inherited file descriptor."""
        return cls(socket.socket(fileno=fd))

    def fileno(self) -> int:
        """For selectors."""
        return self.sock.fileno()

    def send(self, message: Message, fds: tuple[int, ...] = ()) -> bool:
        """Send one message; False when the other end is gone."""
        if fds:
            message = {**message, "fds": len(fds)}
        data = (json.dumps(message, separators=(",", ":")) + "\n").encode()
        try:
            with self._send_lock:
                if fds:
                    sent = socket.send_fds(self.sock, [data], list(fds))
                    data = data[sent:]
                if data:
                    self.sock.sendall(data)
        except OSError:
            return False
        return True

    def receive(self) -> list[Message] | None:
        """Block for data and return the complete messages received; None at end of file."""
        if self._pending:
            waiting = list(self._pending)
            self._pending.clear()
            return waiting
        try:
            data, fds, _flags, _addr = socket.recv_fds(self.sock, _CHUNK, _MAX_FDS)
        except OSError:
            data, fds = b"", []
        self._fds.extend(fds)
        if not data:
            self.closed = True
            while self._fds:
                _close_fd(self._fds.popleft())
            return None
        self._buffer += data
        messages: list[Message] = []
        while (end := self._buffer.find(b"\n")) >= 0:
            line = bytes(self._buffer[:end])
            del self._buffer[: end + 1]
            message: Message = json.loads(line)
            count = min(int(message.get("fds", 0)), len(self._fds))
            message["_fds"] = [self._fds.popleft() for _ in range(count)]
            messages.append(message)
        return messages

    def receive_one(self) -> Message | None:
        """Block until one message arrives (for hand-shakes); None at end of file."""
        while not self._pending:
            messages = self.receive()
            if messages is None:
                return None
            self._pending.extend(messages)
        return self._pending.popleft()

    def close(self) -> None:
        """Close our end; the other process sees end of file."""
        self.closed = True
        self.sock.close()


def pack(obj: object) -> str:
    """An object as text for a message (only between flaskit's own processes)."""
    return base64.b64encode(pickle.dumps(obj)).decode("ascii")


def unpack(text: str) -> Any:
    """The object :func:`pack` encoded; the data comes from our own socket pair."""
    return pickle.loads(base64.b64decode(text))  # noqa: S301 - our own process wrote it


def _close_fd(fd: int) -> None:
    with contextlib.suppress(OSError):
        socket.socket(fileno=fd).close()
