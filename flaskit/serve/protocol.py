"""The channels between the supervisor, the zygote and the workers, and their messages.

Each channel is one end of a Unix socket pair. A message is one of the
dataclasses below, sent as one JSON object on one line (UTF-8,
``\\n``-terminated) whose ``"op"`` names the class; :func:`encode` and
:func:`decode` are the one place that maps between the two. A message may
carry file descriptors (its ``fds`` field): they travel as ``SCM_RIGHTS`` data
with the first byte of the line, and the receiver takes them in order. End of
file on a channel means the process at the other end has exited: that is how a
worker or the zygote notices the supervisor died, even by SIGKILL.

Times (``*_at``) are ``time.monotonic()`` readings: one clock for every process
on the machine, so the supervisor can lay a reload's phases side by side.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import json
import pickle
import socket
import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Any, ClassVar

_MAX_FDS = 4
_CHUNK = 256 * 1024


@dataclass(frozen=True)
class Message:
    """Base of every message; ``op`` is its name on the wire."""

    op: ClassVar[str] = ""


# ---------------------------------------------------------------- supervisor -> zygote


@dataclass(frozen=True)
class Setup(Message):
    """The session's worker configuration (pickled: it is ours and holds paths)."""

    op: ClassVar[str] = "config"
    config: str  # pack(WorkerConfig)


@dataclass(frozen=True)
class Preload(Message):
    """Import these modules from outside the project (``stamps``: their files'
    modification times when the worker imported them)."""

    op: ClassVar[str] = "preload"
    modules: tuple[str, ...]
    stamps: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Fork(Message):
    """Fork generation ``generation``; its channel travels as the one fd."""

    op: ClassVar[str] = "fork"
    generation: int
    fds: tuple[int, ...] = ()


# ---------------------------------------------------------------- zygote -> supervisor


@dataclass(frozen=True)
class Started(Message):
    """The zygote took its configuration."""

    op: ClassVar[str] = "started"
    pid: int


@dataclass(frozen=True)
class Forked(Message):
    """Generation ``generation`` is process ``pid``."""

    op: ClassVar[str] = "forked"
    generation: int
    pid: int


@dataclass(frozen=True)
class Exited(Message):
    """A forked worker ended: ``code`` as ``Popen.returncode`` (negative: a signal)."""

    op: ClassVar[str] = "exited"
    pid: int
    code: int


@dataclass(frozen=True)
class Stale(Message):
    """A preloaded module's ``file`` changed on disk: ``generation`` (0 when found
    while idle) was not forked, or forked with the old library."""

    op: ClassVar[str] = "stale"
    generation: int
    file: str | None


@dataclass(frozen=True)
class Unsafe(Message):
    """A preloaded module started a thread: forking is not safe."""

    op: ClassVar[str] = "unsafe"
    threads: int


# ---------------------------------------------------------------- supervisor -> worker


@dataclass(frozen=True)
class Stop(Message):
    """Stop accepting now; requests in flight get ``grace`` seconds."""

    op: ClassVar[str] = "stop"
    grace: float


@dataclass(frozen=True)
class Change(Message):
    """Files changed that need no restart: ``kind`` is template, css or static."""

    op: ClassVar[str] = "change"
    kind: str
    paths: tuple[str, ...]


# ---------------------------------------------------------------- worker -> supervisor


@dataclass(frozen=True)
class Ready(Message):
    """The app imported (or its import failed and ``error`` is being served).

    ``modules``, ``stamps``, ``files``, ``stats`` and ``folders``: what the worker
    imported (see :func:`flaskit.serve.worker.learned`). ``forked_at``: when the worker
    process began (after the fork, or the spawned interpreter's start);
    ``imported_at``: when the app's import ended.
    """

    op: ClassVar[str] = "ready"
    pid: int
    error: str | None = None
    forked_at: float = 0.0
    imported_at: float = 0.0
    sent_at: float = 0.0
    modules: tuple[str, ...] = ()
    stamps: dict[str, int] = field(default_factory=dict)
    files: dict[str, str | None] = field(default_factory=dict)
    stats: dict[str, tuple[int, int]] = field(default_factory=dict)
    folders: dict[str, list[str]] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        """The import failed: the worker serves the error."""
        return self.error is not None


@dataclass(frozen=True)
class Closed(Message):
    """The worker stopped accepting at ``at`` (draining now)."""

    op: ClassVar[str] = "closed"
    at: float


@dataclass(frozen=True)
class Served(Message):
    """The worker's first response was sent at ``at``; ``modules`` (with ``stamps``):
    those from outside the project that the first request imported."""

    op: ClassVar[str] = "served"
    at: float
    modules: tuple[str, ...] = ()
    stamps: dict[str, int] = field(default_factory=dict)


MESSAGES: dict[str, type[Message]] = {
    cls.op: cls
    for cls in (
        Setup,
        Preload,
        Fork,
        Started,
        Forked,
        Exited,
        Stale,
        Unsafe,
        Stop,
        Change,
        Ready,
        Closed,
        Served,
    )
}


def encode(message: Message) -> dict[str, Any]:
    """The JSON object for ``message`` (file descriptors are counted, not included)."""
    data: dict[str, Any] = {"op": message.op}
    for item in dataclasses.fields(message):
        value = getattr(message, item.name)
        if item.name == "fds":
            if value:
                data["fds"] = len(value)
            continue
        data[item.name] = list(value) if isinstance(value, tuple) else value
    return data


def decode(data: dict[str, Any], fds: tuple[int, ...] = ()) -> Message:
    """The message a JSON object encodes, with the file descriptors that came with it.

    Raises ``ValueError`` for an unknown op or fields that do not fit (only
    flaskit's own processes write on these channels: that is a bug, not input).
    """
    cls = MESSAGES.get(str(data.get("op")))
    if cls is None:
        raise ValueError(f"unknown message {data!r}")
    values: dict[str, Any] = {}
    for item in dataclasses.fields(cls):
        if item.name == "fds":
            values["fds"] = fds
        elif item.name in data:
            value = data[item.name]
            values[item.name] = (
                tuple(value) if isinstance(value, list) and _is_tuple(item) else value
            )
    try:
        return cls(**values)
    except TypeError as exc:
        raise ValueError(f"malformed message {data!r}: {exc}") from None


def _is_tuple(item: dataclasses.Field[Any]) -> bool:
    return str(item.type).startswith("tuple")


class Channel:
    """Messages (and file descriptors) over one end of a Unix socket pair."""

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

    def send(self, message: Message) -> bool:
        """Send one message (and its ``fds``); False when the other end is gone."""
        fds: tuple[int, ...] = getattr(message, "fds", ())
        data = (json.dumps(encode(message), separators=(",", ":")) + "\n").encode()
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
            raw: dict[str, Any] = json.loads(line)
            count = min(int(raw.get("fds", 0)), len(self._fds))
            messages.append(decode(raw, tuple(self._fds.popleft() for _ in range(count))))
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
