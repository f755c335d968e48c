"""The bare fork-server rig: the floor a reloading development server can reach here.

One process imports Flask and werkzeug's server, listens on 127.0.0.1:PORT and
watches the current folder with watchdog (inotify). When a file is closed after
writing, it forks; the child imports ``app`` (never imported by the parent) and
serves ``app:app`` on the inherited socket. The previous child is killed at once:
no drain, no checks, no coalescing, no live reload, no error page. Connections
made meanwhile wait in the listen backlog for the new child.

    python benchmarks/fork_rig.py --port 5000      # in the folder holding app.py

``benchmarks/reload_latency.py --tools flaskit rig`` runs it beside flaskit.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import sys
import threading
from types import FrameType

import flask  # noqa: F401 - preloaded, as flaskit's zygote preloads it
from watchdog.events import FileClosedEvent, FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from werkzeug.serving import BaseWSGIServer


def serve_child(listener: socket.socket) -> None:
    """In the forked child: import the app and serve it until killed."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    sys.path.insert(0, os.getcwd())
    try:
        from app import app  # type: ignore[import-not-found]
    except BaseException as exc:  # a half-saved file: the next close forks again
        print(f"rig: import failed: {exc!r}", file=sys.stderr)
        os._exit(1)
    server = BaseWSGIServer("127.0.0.1", listener.getsockname()[1], app, fd=listener.fileno())
    server.serve_forever()
    os._exit(0)


class Rig(FileSystemEventHandler):
    """Fork a new child for every written file; kill the previous one."""

    def __init__(self, listener: socket.socket) -> None:
        self.listener = listener
        self.child = 0
        self.lock = threading.Lock()

    def fork(self) -> None:
        """Replace the serving child."""
        with self.lock:
            previous = self.child
            pid = os.fork()
            if pid == 0:
                serve_child(self.listener)
            self.child = pid
            if previous:
                os.kill(previous, signal.SIGKILL)
                os.waitpid(previous, 0)

    def on_any_event(self, event: FileSystemEvent) -> None:
        """A .py file closed after writing: fork."""
        path = os.fsdecode(event.src_path)
        if isinstance(event, FileClosedEvent) and path.endswith(".py"):
            self.fork()


def main() -> None:
    """Listen, fork the first child, then fork on every save until SIGTERM."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", args.port))
    listener.listen(128)
    rig = Rig(listener)
    rig.fork()
    observer = Observer()
    observer.schedule(rig, os.getcwd(), recursive=True)
    observer.start()
    stop = threading.Event()

    def on_term(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    stop.wait()
    observer.stop()
    with rig.lock:
        if rig.child:
            os.kill(rig.child, signal.SIGKILL)
            os.waitpid(rig.child, 0)
    listener.close()


if __name__ == "__main__":
    main()
