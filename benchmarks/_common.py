"""Shared pieces of the benchmarks: sample apps, server processes, an HTTP poller."""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

HELLO_APP = """\
from flask import Flask

app = Flask(__name__)


@app.route("/")
def index():
    return "{token}"
"""

# A heavier app: the same view, importing several more libraries at start-up.
HEAVY_APP = """\
import decimal
import email.mime.multipart
import sqlite3
import xml.dom.minidom

import babel.dates
import docutils.core
import jinja2
import pygments.lexers
import requests
import rich.console
import rich.traceback
import urllib3
from flask import Flask, jsonify

app = Flask(__name__)


@app.route("/")
def index():
    return "{token}"


@app.route("/info")
def info():
    return jsonify(requests=requests.__version__, babel=babel.__version__)
"""


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(port: int, path: str = "/", timeout: float = 5.0) -> tuple[int, bytes]:
    """One GET on a new connection: (status, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def clean_env(*path: str) -> dict[str, str]:
    """The environment for a server: this checkout importable, no FLASK* settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "FLASKIT_"))}
    env["PYTHONPATH"] = os.pathsep.join([*path, str(REPO)])
    return env


def hide_watchdog(folder: Path) -> str:
    """A folder whose ``watchdog`` package fails to import, for ``flask run``.

    With watchdog importable, werkzeug picks its watchdog reloader, which never
    reloads with watchdog 7 (its ``*.py`` pattern is matched against the whole
    path); flask is measured with its default stat reloader instead.
    """
    package = folder / "watchdog"
    package.mkdir(exist_ok=True)
    (package / "__init__.py").write_text('raise ImportError("hidden: use the stat reloader")\n')
    return str(folder)


PROJECT_PACKAGES = ("flask", "babel", "docutils", "pygments", "requests", "rich", "urllib3")


@dataclass(frozen=True)
class IsolatedInstall:
    """The two ways to install flaskit, from the same wheel and the same releases:
    in the project's venv, or on its own (a pipx-style tool venv without Flask)
    beside a project venv without flaskit."""

    in_project: Path  # flaskit script of a venv with flaskit and the project's packages
    tool: Path  # flaskit script of a venv with flaskit alone
    project_python: Path  # interpreter of a venv with the project's packages alone


def isolated_install(folder: Path) -> IsolatedInstall:
    """Build flaskit's wheel and the three venvs in ``folder`` (pip's cache makes it quick)."""
    from importlib.metadata import version

    dist = folder / "dist"
    build = [sys.executable, "-m", "build", "--wheel", "--no-isolation", "-o", str(dist), str(REPO)]
    subprocess.run(build, capture_output=True, check=True, timeout=900)
    (wheel,) = dist.glob("flaskit-*.whl")
    # The project gets what the sample apps import, at this interpreter's releases.
    project = [f"{name}=={version(name)}" for name in PROJECT_PACKAGES]
    venvs = {"in-project": [str(wheel), *project], "tool": [str(wheel)], "project": project}
    for venv, packages in venvs.items():
        python = folder / venv / "bin" / "python"
        subprocess.run([sys.executable, "-m", "venv", str(folder / venv)], check=True, timeout=300)
        pip = [str(python), "-m", "pip", "install", "-q", *packages]
        subprocess.run(pip, env=isolated_env(), capture_output=True, check=True, timeout=900)
    return IsolatedInstall(
        in_project=folder / "in-project" / "bin" / "flaskit",
        tool=folder / "tool" / "bin" / "flaskit",
        project_python=folder / "project" / "bin" / "python",
    )


def isolated_env() -> dict[str, str]:
    """No checkout on the path and no activated venv: what a pipx-installed command sees."""
    drop = ("PYTHONPATH", "VIRTUAL_ENV")
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("FLASK_", "FLASKIT_")) and k not in drop
    }


def server_command(
    tool: str, port: int, debug: bool = True, isolated: IsolatedInstall | None = None
) -> list[str]:
    """The argv of one server under test."""
    flag = ["--debug"] if debug else []
    if tool in ("installed", "isolated"):
        assert isolated is not None, "isolated_install() first"
        if tool == "installed":
            return [str(isolated.in_project), "run", "app:app", *flag, "--port", str(port)]
        python = ["--python", str(isolated.project_python)]  # a group option, before run
        return [str(isolated.tool), *python, "run", "app:app", *flag, "--port", str(port)]
    if tool == "flaskit":
        return [sys.executable, "-m", "flaskit", "run", "app:app", *flag, "--port", str(port)]
    if tool == "flask":
        return [sys.executable, "-m", "flask", "--app", "app", "run", *flag, "--port", str(port)]
    if tool == "rig":  # the bare fork server: no debug mode to turn on
        return [sys.executable, str(REPO / "benchmarks" / "fork_rig.py"), "--port", str(port)]
    raise ValueError(tool)


@dataclass
class Server:
    """A server process in its own process group."""

    tool: str
    proc: subprocess.Popen[bytes]
    port: int

    def stop(self) -> None:
        """SIGTERM the group, then SIGKILL; bounded."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        # Whatever the group left behind (flask's reloader child, our workers).
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)


def start_server(
    tool: str,
    folder: Path,
    debug: bool = True,
    expect: bytes = b"",
    timeout: float = 30,
    isolated: IsolatedInstall | None = None,
    extra_env: dict[str, str] | None = None,
) -> tuple[Server, float]:
    """Start a server in ``folder``; (server, seconds until the first good response)."""
    port = free_port()
    hidden = hide_watchdog(Path(tempfile.mkdtemp(prefix="no-watchdog-")))
    started = time.perf_counter()
    env = _server_env(tool, hidden)
    env.update(extra_env or {})
    proc = subprocess.Popen(
        server_command(tool, port, debug, isolated),
        cwd=folder,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    server = Server(tool, proc, port)
    deadline = started + timeout
    while time.perf_counter() < deadline:
        try:
            status, body = get(port, timeout=1)
            if status == 200 and expect in body:
                return server, time.perf_counter() - started
        except (OSError, http.client.HTTPException):
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.005)
    server.stop()
    raise RuntimeError(f"{tool} did not serve within {timeout} s")


def _server_env(tool: str, hidden_watchdog: str) -> dict[str, str]:
    if tool == "flask":
        return clean_env(hidden_watchdog)
    if tool in ("installed", "isolated"):
        return isolated_env()
    return clean_env()


@dataclass
class Poller:
    """Requests ``/`` on a new connection every ``interval`` seconds, in a thread."""

    port: int
    interval: float = 0.002
    failures: list[str] = field(default_factory=list)
    requests: int = 0
    latest: bytes = b""
    seen_at: dict[bytes, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Poller:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(10)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                status, body = get(self.port)
                self.requests += 1
                if status != 200:
                    self.failures.append(f"HTTP {status}")
                self.latest = body
                self.seen_at.setdefault(body, time.perf_counter())
            except (OSError, http.client.HTTPException) as exc:
                self.requests += 1
                self.failures.append(type(exc).__name__)
            time.sleep(self.interval)


def summary(values_ms: list[float]) -> str:
    """p50, p90 and max of a list of milliseconds."""
    if not values_ms:
        return "no data"
    ordered = sorted(values_ms)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return f"p50 {statistics.median(ordered):7.1f} ms  p90 {p90:7.1f} ms  max {ordered[-1]:7.1f} ms"


def percentile(values: list[float], q: float) -> float:
    """The q-th quantile (0..1), nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def load_average() -> str:
    """The 1-minute load average, to judge how noisy a run was."""
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "?"
