"""``flaskit run`` with Flask's options and variables, as real processes:
FLASK_RUN_PORT, --cert adhoc over HTTPS, -h, --extra-files, and a Django
project found through its manage.py."""

from __future__ import annotations

import http.client
import shutil
import ssl
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from flaskit.cli import cli
from flaskit.context import CliContext
from flaskit.serve.settings import RunOptions
from tests.helpers import (
    APPS,
    clean_env,
    flaskit_command,
    free_port,
    require_module,
    run_flaskit,
    wait_until,
)
from tests.serve.server import Served


@contextmanager
def started(
    tmp_path: Path, args: list[str], port: int, app: str = "serve_hello", env=None
) -> Iterator[Served]:
    """``flaskit run ARGS`` in a copy of a sample app; the port comes from ``args`` or
    ``env`` (not from --port, which the shared helper always adds)."""
    folder = tmp_path / "project"
    shutil.copytree(APPS / app, folder, ignore=shutil.ignore_patterns("__pycache__"))
    log = tmp_path / "flaskit.log"
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            flaskit_command("run", *args),
            cwd=folder,
            env={**clean_env(), **(env or {})},
            stdout=sink,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    served = Served(proc, port, folder, log)
    try:
        yield served
    finally:
        served.stop()
        served.assert_all_gone()


@pytest.mark.slow
def test_flask_run_port_is_honoured(tmp_path: Path):
    port = free_port()
    with started(tmp_path, [], port, env={"FLASK_RUN_PORT": str(port)}) as served:
        served.wait_for("v1")
        served.wait_output(f"http://127.0.0.1:{port}/")


@pytest.mark.slow
def test_flaskit_run_port_wins_over_flask_run_port(tmp_path: Path):
    port = free_port()
    env = {"FLASK_RUN_PORT": "1", "FLASKIT_RUN_PORT": str(port)}
    with started(tmp_path, [], port, env=env) as served:
        served.wait_for("v1")


@pytest.mark.slow
def test_flask_spelling_of_host_and_extra_files(tmp_path: Path):
    port = free_port()
    args = ["-h", "127.0.0.1", "-p", str(port), "--reload", "--extra-files", "a.cfg:b.cfg"]
    with started(tmp_path, args, port) as served:
        served.wait_for("v1")
        (served.folder / "b.cfg").write_text("changed = true\n")  # a watched file: restart
        served.wait_output("b.cfg")


@pytest.mark.slow
def test_cert_adhoc_serves_https_with_a_certificate_made_at_start_up(tmp_path: Path):
    require_module("cryptography")
    port = free_port()
    with started(tmp_path, ["--cert", "adhoc", "--port", str(port)], port) as served:
        served.wait_output(f"https://127.0.0.1:{port}/", timeout=20)
        served.wait_output("adhoc.crt)")
        note = served.output.split("made for this session (", 1)[1]
        certificate = Path(note.split(")", 1)[0])
        assert certificate.is_file()
        # Trusting just that certificate, the host name checks out too.
        context = ssl.create_default_context(cafile=str(certificate))
        body: list[bytes] = []

        def fetch() -> bool:
            conn = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=2)
            try:
                conn.request("GET", "/")
                body.append(conn.getresponse().read())
                return True
            except OSError:
                return False
            finally:
                conn.close()

        assert wait_until(fetch, timeout=10), served.output
        assert body[0].startswith(b"v1")
        folder = certificate.parent
    assert not folder.exists()  # the key does not outlive the session


def test_cert_adhoc_without_cryptography_names_the_extra(tmp_path: Path):
    blocker = tmp_path / "blocker" / "cryptography"
    blocker.mkdir(parents=True)
    (blocker / "__init__.py").write_text("raise ImportError('hidden for this test')\n")
    env = clean_env()
    env["PYTHONPATH"] = f"{blocker.parent}:{env['PYTHONPATH']}"
    result = subprocess.run(
        flaskit_command("run", "--cert", "adhoc", "app:app"),
        cwd=APPS / "serve_hello",
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "pip install 'flaskit[adhoc]'" in result.stderr
    assert "Traceback" not in result.stderr


def test_cert_adhoc_with_a_key_is_refused():
    result = run_flaskit(["run", "--cert", "adhoc", "--key", "x.key"], cwd=APPS / "serve_hello")
    assert result.returncode == 2
    assert "'adhoc', which makes its own key" in result.stderr


def test_cert_naming_an_ssl_context_in_a_module_says_to_pass_files():
    result = run_flaskit(["run", "--cert", "certs.context"], cwd=APPS / "serve_hello")
    assert result.returncode == 2
    assert "--cert certs.context is not a file" in result.stderr
    assert "not an SSLContext from a module" in result.stderr


@pytest.mark.slow
def test_a_django_project_is_served_through_manage_py_with_no_flag(tmp_path: Path):
    port = free_port()
    with started(tmp_path, ["--port", str(port)], port, app="cli_django") as served:
        served.wait_for("django settings=dev", timeout=20)  # manage.py's settings
        served.wait_output("manage.py")


def test_routes_finds_the_django_project_through_manage_py():
    result = run_flaskit(["routes", "--json"], cwd=APPS / "cli_django")
    assert result.returncode == 0, result.stderr
    assert '"view": "mysite.urls.index"' in result.stdout


def test_flask_run_options_map_onto_flaskits(monkeypatch):
    seen: list[tuple[RunOptions, CliContext]] = []
    monkeypatch.setattr(
        "flaskit.serve.supervisor.run_server", lambda o, i: seen.append((o, i)) or 0
    )
    args = [
        "--app",
        "hello",
        "--debug",
        "run",
        "-h",
        "0.0.0.0",
        "--extra-files",
        "a.cfg:b.cfg",
        "--exclude-patterns",
        "*.log:tmp/*",
        "--without-threads",
        "--debugger",
        "--console-allow-remote",
    ]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    options, info = seen[0]
    assert options.app is None  # no [APP] or --app of run's own
    assert info.app == "hello"  # the group's -A/--app, which resolve() falls back to
    assert options.host == "0.0.0.0"
    assert options.watch == ("a.cfg", "b.cfg")
    assert options.exclude == ("*.log", "tmp/*")
    assert options.threads is False
    assert options.console is True  # Flask's debugger is werkzeug's console
    assert info.debug_flag is True  # the group's --debug reaches run
