"""Helpers shared by every test package (import them: ``from tests.helpers import ...``).

Conventions (see docs/contributing.md):

* Real-process tests are marked ``slow``; they pick free ports on 127.0.0.1,
  bound every wait, and stop every process they start by its pid.
* A test that needs an external tool (nginx, apache2, chromium, ...) calls
  :func:`require_tool`: it skips on a developer machine without the tool but
  fails when ``CI`` is set, because CI installs every tool.
"""

from __future__ import annotations

import inspect
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
APPS = Path(__file__).resolve().parent / "apps"
ARTIFACTS = REPO / "test-artifacts"
IN_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def separate_stderr_runner() -> CliRunner:
    """A click test runner whose result has ``stdout`` and ``stderr`` apart.

    click 8.2 always keeps them apart (``output`` has both); click 8.0 and 8.1,
    which flaskit supports, need ``mix_stderr=False`` (and then ``output`` is
    standard output only).
    """
    if "mix_stderr" in inspect.signature(CliRunner).parameters:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    return CliRunner()


def require_tool(name: str) -> str:
    """The path of an executable; skip without it locally, fail without it in CI."""
    path = shutil.which(name) or (
        name if os.path.isabs(name) and os.access(name, os.X_OK) else None
    )
    if path is None:
        message = f"{name} is not installed"
        if IN_CI:
            pytest.fail(f"{message}, but CI must install it (.ci/run)")
        pytest.skip(message)
    return path


def require_python(version: str) -> str:
    """The interpreter for Python ``version`` ("3.10"): pyenv's newest, else
    ``pythonX.Y`` on the PATH; skipped when there is none, failed in CI."""
    candidates: list[Path] = []
    pyenv = shutil.which("pyenv")
    if pyenv:
        root = subprocess.run(
            [pyenv, "root"], capture_output=True, text=True, check=False, timeout=30
        ).stdout.strip()
        versions = Path(root, "versions")
        if versions.is_dir():
            found = [p for p in versions.iterdir() if p.name.startswith(version + ".")]
            found.sort(key=lambda p: [int(n) for n in p.name.split(".") if n.isdigit()])
            candidates += [p / "bin" / f"python{version}" for p in reversed(found)]
    on_path = shutil.which(f"python{version}")
    if on_path and "shims" not in on_path:
        candidates.append(Path(on_path))
    for candidate in candidates:
        if candidate.is_file():
            return str(candidate)
    message = f"Python {version} is not installed (pyenv install {version})"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def build_wheel(out: Path) -> Path:
    """flaskit's wheel, built from this checkout into ``out``."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(REPO),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (path,) = out.glob("flaskit-*.whl")
    return path


def require_module(name: str) -> None:
    """A module from the test extra: skip without it locally, fail without it in CI."""
    import importlib.util

    if importlib.util.find_spec(name) is None:
        message = f"{name} is not installed (it is in the test extra)"
        if IN_CI:
            pytest.fail(f"{message}, but CI installs the test extra")
        pytest.skip(message)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_is_listening(port: int, host: str = "127.0.0.1") -> bool:
    """Whether something accepts connections on host:port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.2)
        return sock.connect_ex((host, port)) == 0


def wait_until(check: Callable[[], bool], timeout: float = 10.0, interval: float = 0.02) -> bool:
    """Poll ``check`` until it is true or ``timeout`` seconds pass (bounded loop)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(interval)
    return check()


def stop_process(
    proc: subprocess.Popen[bytes] | subprocess.Popen[str], timeout: float = 5.0
) -> None:
    """Stop a process we started (SIGTERM, then SIGKILL) and reap it."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout)


def flaskit_command(*args: str) -> list[str]:
    """The argv that runs flaskit from this checkout with the test interpreter."""
    return [sys.executable, "-m", "flaskit", *args]


def run_flaskit(
    args: Sequence[str],
    cwd: Path | str | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 60,
    input: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``flaskit ARGS`` in a subprocess and capture its output as text."""
    full_env = clean_env()
    if env:
        full_env.update(env)
    return subprocess.run(
        flaskit_command(*args),
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        input=input,
        check=False,
    )


def clean_env() -> dict[str, str]:
    """The environment without any FLASK*/FLASKIT* settings of the developer's shell."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "FLASKIT_"))}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")]))
    env.pop("NO_COLOR", None)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env
