"""Running ``flaskit run`` as a real process for the serve tests."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flaskit.context import CliContext
from tests.helpers import APPS, clean_env, flaskit_command, free_port, port_is_listening, wait_until


def get(port: int, path: str = "/", timeout: float = 5.0) -> tuple[int, str]:
    """One GET on a new connection: (status, body as text)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def try_get(port: int, path: str = "/") -> tuple[int, str] | None:
    """Like :func:`get`, None when the connection fails."""
    try:
        return get(port, path, timeout=2.0)
    except OSError:
        return None


@dataclass(frozen=True)
class Process:
    """One process as /proc/PID/stat tells it."""

    pid: int
    state: str  # "Z" for a zombie, "T" stopped, ...
    ppid: int
    pgrp: int


def process(pid: int) -> Process | None:
    """Process ``pid``, or None when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()  # after the command name, which may hold spaces
    return Process(pid, fields[0], int(fields[1]), int(fields[2]))


def processes() -> Iterator[Process]:
    """Every process of the system."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (found := process(int(entry.name))) is not None:
            yield found


def group_alive(pgid: int) -> bool:
    """Whether any process of the process group is still alive (zombies count as gone)."""
    return any(p.pgrp == pgid and p.state != "Z" for p in processes())


@dataclass
class Served:
    """A running ``flaskit run`` in its own process group."""

    proc: subprocess.Popen[bytes]
    port: int
    folder: Path
    log: Path

    @property
    def output(self) -> str:
        """Everything it printed so far (stdout and stderr)."""
        return self.log.read_text(errors="replace")

    def get(self, path: str = "/") -> tuple[int, str]:
        """GET from the server."""
        return get(self.port, path)

    def wait_for(self, text: str, path: str = "/", timeout: float = 10.0) -> str:
        """Poll until a response body contains ``text``; return that body."""
        found: list[str] = []

        def check() -> bool:
            result = try_get(self.port, path)
            if result is not None and text in result[1]:
                found.append(result[1])
                return True
            return False

        assert wait_until(check, timeout=timeout, interval=0.02), (
            f"never served {text!r}; output:\n{self.output}"
        )
        return found[0]

    def wait_output(self, text: str, timeout: float = 10.0) -> None:
        """Wait until the output contains ``text``."""
        assert wait_until(lambda: text in self.output, timeout=timeout), (
            f"{text!r} not in output:\n{self.output}"
        )

    def stop(self) -> None:
        """Stop the supervisor by its pid (SIGTERM, then SIGKILL), then its group."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)

    def assert_all_gone(self, timeout: float = 3.0) -> None:
        """No process of the session and no listening port is left."""
        gone = wait_until(lambda: not group_alive(self.proc.pid), timeout=timeout)
        if not gone:  # clean up before failing, so no process outlives the test
            os.killpg(self.proc.pid, signal.SIGKILL)
        assert gone, f"processes of the session are still running; output:\n{self.output}"
        assert not port_is_listening(self.port), f"port {self.port} is still listening"


@contextmanager
def serve(
    tmp_path: Path,
    *args: str,
    app: str = "serve_hello",
    expect: str = "",
    path: str = "/",
    env: dict[str, str] | None = None,
    prepare: Callable[[Path], None] | None = None,
    wait: bool = True,
) -> Iterator[Served]:
    """Copy a sample app to ``tmp_path``, run ``flaskit run ARGS`` on a free port in it,
    wait for the first good response, and always stop it and check nothing is left.

    ``prepare`` changes the copied project before the start; with ``wait=False`` the
    server is handed over as soon as it is started (for apps that cannot start)."""
    folder = tmp_path / "project"
    shutil.copytree(APPS / app, folder, ignore=shutil.ignore_patterns("__pycache__"))
    if prepare is not None:
        prepare(folder)
    port = free_port()
    log = tmp_path / "flaskit.log"
    full_env = clean_env()
    full_env.pop("PYTHONDONTWRITEBYTECODE", None)  # reloads must cope with .pyc files
    full_env.update(env or {})
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            flaskit_command("run", "--port", str(port), *args),
            cwd=folder,
            env=full_env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    served = Served(proc, port, folder, log)
    try:
        if wait:
            ok = wait_until(
                lambda: (r := try_get(port, path)) is not None and r[0] < 500 and expect in r[1],
                timeout=20,
            )
            assert ok, f"flaskit did not serve; output:\n{served.output}"
        yield served
    finally:
        served.stop()
        served.assert_all_gone()


def rewrite(path: Path, old: str, new: str) -> None:
    """Replace text in a file in place (truncate and write, like most editors)."""
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new))


def pid_of(body: str) -> int:
    """The worker pid a sample app put in its response."""
    return int(body.rsplit("pid=", 1)[1].split(maxsplit=1)[0])


def now() -> float:
    """Monotonic seconds."""
    return time.monotonic()


def sources_for(tmp_path: Path, **environ: str) -> CliContext:
    """A CLI context for a one-file WSGI app in ``tmp_path`` (no .env read)."""
    (tmp_path / "app.py").write_text("def application(environ, start_response):\n    pass\n")
    return CliContext(cwd=tmp_path, environ={"FLASKIT_SKIP_DOTENV": "1", **environ})
