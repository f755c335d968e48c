"""Connections opened before a save never get the old code (issue 13.4)."""

from __future__ import annotations

import socket
import time

import pytest

from tests.helpers import wait_until
from tests.serve.server import pid_of, rewrite, serve
from tests.serve.test_faults import gone

pytestmark = [pytest.mark.slow, pytest.mark.timeout(60)]


def _request_on(sock: socket.socket) -> bytes:
    """Send a GET on an open connection; everything read back until it closes or
    one response has arrived (b"" when the server had closed the connection)."""
    try:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        sock.settimeout(3)
        data = b""
        while b"pid=" not in data:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
        return data
    except OSError:  # reset: closed by the server too
        return b""


def test_connections_opened_before_a_save_never_serve_the_old_code(tmp_path):
    # A browser opens connections ahead of time (preconnect) and sends a request on one
    # later; werkzeug ends every response with Connection: close, so these are the
    # connections that sit idle in a worker.
    with serve(tmp_path, "--debug", expect="v1") as server:
        old_pid = pid_of(server.get()[1])
        early = [socket.create_connection(("127.0.0.1", server.port), timeout=5) for _ in "ab"]
        try:
            time.sleep(0.3)  # accepted by the v1 worker by now
            rewrite(server.folder / "app.py", 'VERSION = "v1"', 'VERSION = "v2"')
            server.wait_for("v2 pid=")
            live = time.monotonic()
            # Idle connections no longer keep the old worker for the drain grace (3 s).
            assert wait_until(lambda: gone(old_pid), timeout=1.5), "the old worker lingered"
            assert time.monotonic() - live < 1.6
            time.sleep(max(0.0, 0.5 - (time.monotonic() - live)))  # the 0.5 s
            answers = [_request_on(sock) for sock in early]
        finally:
            for sock in early:
                sock.close()
        for answer in answers:
            assert b"v1 pid=" not in answer, answer  # closed (the client reconnects) or v2
        assert server.get()[1].startswith("v2 ")


def test_a_request_sent_just_after_its_connection_opened_is_never_dropped_by_a_drain(tmp_path):
    """A client connects, then writes its request a moment later (every client does,
    by microseconds or, on a busy machine, milliseconds). When the old worker accepted
    the connection and drains before the request arrives, the request must still be
    answered, not closed unanswered. Clients here wait 5 ms between the two, while
    the app is reloaded again and again."""
    import threading

    reloads = 15
    with serve(tmp_path, "--debug", expect="v1") as server:
        stop = threading.Event()
        dropped: list[int] = []
        answered: list[int] = []

        def client() -> None:
            while not stop.is_set():
                with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
                    time.sleep(0.005)
                    answer = _request_on(sock)
                (answered if b"pid=" in answer else dropped).append(1)

        threads = [threading.Thread(target=client) for _ in range(3)]
        for thread in threads:
            thread.start()
        try:
            for i in range(1, reloads + 1):
                rewrite(server.folder / "app.py", f'VERSION = "v{i}"', f'VERSION = "v{i + 1}"')
                server.wait_for(f"v{i + 1} pid=")
                time.sleep(0.05)
        finally:
            stop.set()
            for thread in threads:
                thread.join(10)
        assert len(answered) > 100  # the clients really were at it during the reloads
        assert dropped == [], f"{len(dropped)} of {len(dropped) + len(answered)} dropped"
