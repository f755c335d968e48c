"""Real ``flaskit run`` processes on free ports: reloads, lifecycle, apps."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time

import pytest

from tests.helpers import (
    REPO,
    clean_env,
    flaskit_command,
    free_port,
    port_is_listening,
    run_flaskit,
    wait_until,
)
from tests.serve.server import group_alive, pid_of, rewrite, serve, try_get

pytestmark = [pytest.mark.slow, pytest.mark.timeout(60)]


def test_a_change_reloads_the_app(tmp_path):
    with serve(tmp_path, "--debug", expect="v1") as server:
        first = pid_of(server.get()[1])
        rewrite(server.folder / "app.py", 'VERSION = "v1"', 'VERSION = "v2"')
        body = server.wait_for("v2")
        assert pid_of(body) != first
        server.wait_output("Reloaded in")
        server.wait_output("app.py changed")


def test_same_size_rewrites_never_serve_stale_bytecode(tmp_path):
    # v1 -> v2 -> v3 ...: the same size, often within the same second, which is
    # exactly what a .pyc's (mtime in seconds, size) check cannot tell apart.
    with serve(tmp_path, "--debug", expect="v1") as server:
        for version in range(2, 8):
            rewrite(server.folder / "app.py", f'"v{version - 1}"', f'"v{version}"')
            server.wait_for(f"v{version} ")


def test_a_touch_or_an_excluded_file_does_not_reload(tmp_path):
    with serve(tmp_path, "--debug", "--exclude", "data/*", expect="v1") as server:
        pid = pid_of(server.get()[1])
        app = server.folder / "app.py"
        os.utime(app)  # a touch: new mtime, same bytes
        app.write_bytes(app.read_bytes())  # a save that changes nothing
        (server.folder / "data").mkdir()
        (server.folder / "data" / "model.py").write_text("x = 1\n")  # --exclude
        (server.folder / ".app.py.swp").write_text("editor swap")  # default exclude
        (server.folder / "__pycache__").mkdir(exist_ok=True)
        (server.folder / "__pycache__" / "junk.py").write_text("x = 2\n")
        time.sleep(1.0)
        assert pid_of(server.get()[1]) == pid
        assert "Reloaded" not in server.output
        # And the watcher still works afterwards.
        rewrite(app, 'VERSION = "v1"', 'VERSION = "v2"')
        server.wait_for("v2")


def test_a_syntax_error_is_served_then_recovers(tmp_path):
    with serve(tmp_path, "--debug", expect="v1") as server:
        app = server.folder / "app.py"
        good = app.read_text()
        app.write_text(good + "\ndef broken(:\n")
        assert wait_until(lambda: (r := try_get(server.port)) is not None and r[0] == 500)
        status, body = server.get()
        assert status == 500
        assert "SyntaxError" in body
        server.wait_output("SyntaxError")
        app.write_text(good.replace('VERSION = "v1"', 'VERSION = "v2"'))
        server.wait_for("v2")
        assert server.get()[0] == 200


def test_a_request_in_flight_finishes_with_the_old_code(tmp_path):
    with serve(tmp_path, "--debug", expect="v1") as server:
        results: list[tuple[int, str] | None] = []
        thread = threading.Thread(target=lambda: results.append(try_get(server.port, "/slow")))
        thread.start()
        time.sleep(0.3)  # the slow request is now inside the v1 worker
        rewrite(server.folder / "app.py", 'VERSION = "v1"', 'VERSION = "v2"')
        server.wait_for("v2")  # the new generation serves while the old one drains
        thread.join(10)
        assert results == [(200, "slow v1")]


def test_no_request_fails_across_reloads(tmp_path):
    failures: list[str] = []
    served: list[str] = []
    stop = threading.Event()
    with serve(tmp_path, "--debug", expect="v1") as server:

        def client() -> None:
            while not stop.is_set():
                result = try_get(server.port)
                if result is None or result[0] != 200:
                    failures.append(repr(result))
                else:
                    served.append(result[1])

        thread = threading.Thread(target=client)
        thread.start()
        try:
            for version in range(2, 22):
                rewrite(server.folder / "app.py", f'"v{version - 1}"', f'"v{version}"')
                server.wait_for(f"v{version} ")
        finally:
            stop.set()
            thread.join(10)
    assert failures == []
    assert len(served) > 40


def test_ctrl_c_stops_every_process_and_frees_the_port(tmp_path):
    with serve(tmp_path, "--debug", expect="v1") as server:
        rewrite(server.folder / "app.py", 'VERSION = "v1"', 'VERSION = "v2"')
        server.wait_for("v2")  # a zygote, and workers of two generations have run
        started = time.monotonic()
        os.killpg(server.proc.pid, signal.SIGINT)  # what Ctrl+C in a terminal does
        server.proc.wait(5)
        assert wait_until(lambda: not group_alive(server.proc.pid), timeout=3)
        assert time.monotonic() - started < 2.0
        assert not port_is_listening(server.port)


def test_sigkill_of_the_supervisor_leaves_nothing_behind(tmp_path):
    with serve(tmp_path, "--debug", expect="v1") as server:
        server.proc.kill()
        server.proc.wait(5)
        started = time.monotonic()
        assert wait_until(lambda: not group_alive(server.proc.pid), timeout=3)
        # The issue asks for 1 s; a little slack for this shared 2-core machine.
        assert time.monotonic() - started < 1.5
        assert wait_until(lambda: not port_is_listening(server.port), timeout=2)


def test_sigterm_stops_within_two_seconds(tmp_path):
    with serve(tmp_path, expect="v1") as server:
        started = time.monotonic()
        server.proc.send_signal(signal.SIGTERM)
        assert server.proc.wait(5) == 0
        assert time.monotonic() - started < 2.0


def test_a_port_in_use_is_named_with_a_fix(tmp_path):
    port = free_port()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        app = tmp_path / "app.py"
        app.write_text("def application(environ, start_response):\n    return []\n")
        result = run_flaskit(["run", "--port", str(port)], cwd=tmp_path, timeout=30)
    assert result.returncode == 1
    assert f"Port {port}" in result.stderr
    assert "--port" in result.stderr
    assert "Traceback" not in result.stderr


def test_poll_mode_reloads(tmp_path):
    with serve(tmp_path, "--debug", "--reloader", "poll", expect="v1") as server:
        server.wait_output("polling")
        rewrite(server.folder / "app.py", 'VERSION = "v1"', 'VERSION = "v2"')
        server.wait_for("v2")


def test_no_preload_spawns_workers_and_reloads(tmp_path):
    with serve(tmp_path, "--debug", "--no-preload", expect="v1") as server:
        server.wait_output("spawned")
        rewrite(server.folder / "app.py", 'VERSION = "v1"', 'VERSION = "v2"')
        server.wait_for("v2")


def test_a_plain_wsgi_callable_is_served(tmp_path):
    with serve(tmp_path, "app:application", app="serve_wsgi", expect="plain wsgi") as server:
        status, body = server.get("/some/path")
        assert status == 200
        assert body.startswith("plain wsgi /some/path")
        server.wait_output("GET /some/path 200")


def test_a_django_app_is_served(tmp_path):
    # Django is in the test extra: a missing Django is a broken environment, never a skip.
    with serve(
        tmp_path, "djsite:application", app="serve_django", path="/hello/ada", expect="hello"
    ) as server:
        assert server.get("/hello/ada") == (200, "django says hello to ada")
        assert server.get("/missing")[0] == 404


def test_import_failure_without_reload_exits_with_the_error(tmp_path):
    (tmp_path / "app.py").write_text("import not_a_module_anywhere\n")
    port = free_port()
    result = run_flaskit(["run", "--port", str(port)], cwd=tmp_path, timeout=30)
    assert result.returncode == 1
    assert "not_a_module_anywhere" in result.stdout + result.stderr
    assert not port_is_listening(port)


def test_workers_know_they_are_workers(tmp_path):
    (tmp_path / "app.py").write_text(
        "import os\n"
        "def application(environ, start_response):\n"
        "    body = os.environ.get('FLASKIT_WORKER', 'none').encode()\n"
        "    start_response('200 OK', [('Content-Type', 'text/plain')])\n"
        "    return [body]\n"
    )
    port = free_port()
    proc = subprocess.Popen(
        flaskit_command("run", "--port", str(port), "--reload"),
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        assert wait_until(lambda: try_get(port) is not None, timeout=20)
        assert try_get(port) == (200, "1")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(5)
        assert wait_until(lambda: not group_alive(proc.pid), timeout=3)


def test_a_worker_that_dies_when_forked_falls_back_to_spawned_workers(tmp_path):
    with serve(tmp_path, "--debug", expect="v1") as server:
        app = server.folder / "app.py"
        text = app.read_text()
        # Dies at import in a forked worker (whose argv is the zygote's), works when spawned.
        app.write_text(
            "import os, sys\n"
            "if 'zygote' in ' '.join(sys.argv):\n"
            "    os._exit(3)\n" + text.replace('VERSION = "v1"', 'VERSION = "v2"')
        )
        server.wait_for("v2")
        server.wait_output("spawning workers from now on")


def test_a_library_that_starts_a_thread_at_import_turns_forking_off(tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "threadstarter.py").write_text(
        "import threading, time\n"
        "threading.Thread(target=time.sleep, args=(3600,), daemon=True).start()\n"
    )
    env = {"PYTHONPATH": os.pathsep.join([str(lib), str(REPO)])}
    with serve(tmp_path, "--debug", expect="v1", env=env) as server:
        app = server.folder / "app.py"
        rewrite(app, "import time\n", "import time\n\nimport threadstarter  # noqa: F401\n")
        server.wait_for("v1")
        server.wait_output("cannot be forked safely")
        rewrite(app, 'VERSION = "v1"', 'VERSION = "v2"')
        server.wait_for("v2")


def _with_library(tmp_path):
    """A library folder outside the project, and the environment that puts it on the path."""
    library = tmp_path / "site"
    library.mkdir()
    (library / "extlib.py").write_text('VERSION = "lib-1"\n')
    env = {"PYTHONPATH": os.pathsep.join([str(library), clean_env()["PYTHONPATH"]])}
    return library / "extlib.py", env


def test_a_changed_env_file_reaches_the_next_generation(tmp_path):
    _library, env = _with_library(tmp_path)
    with serve(tmp_path, "--debug", app="serve_env", expect="greeting=hello", env=env) as server:
        first = pid_of(server.get()[1])
        (server.folder / ".env").write_text("GREETING=bonjour\n")
        body = server.wait_for("greeting=bonjour")
        assert pid_of(body) != first
        assert "lib=lib-1" in body


def test_a_library_upgraded_on_disk_is_not_served_from_the_old_zygote(tmp_path):
    # The zygote preloaded extlib; a pip install rewrites it outside the watched project.
    # The next reload must import the new file, not fork the zygote's old copy of it.
    library, env = _with_library(tmp_path)
    with serve(tmp_path, "--debug", app="serve_env", expect="lib=lib-1", env=env) as server:
        server.wait_output("Ready")
        time.sleep(0.5)  # the first worker has told the zygote what to preload
        library.write_text('VERSION = "lib-2"\n')
        rewrite(server.folder / "app.py", '"unset"', '"unset-2"')  # any edit in the project
        server.wait_for("lib=lib-2")
        for _ in range(3):  # and it stays new
            assert "lib=lib-2" in server.get()[1]


def test_a_library_rewritten_while_the_zygote_imports_it_is_not_served_stale(tmp_path):
    # The zygote has read extlib's old code and is still busy importing slowlib
    # when the install rewrites extlib, before the zygote notes the file's time:
    # the time to compare with is the one the worker saw, not the zygote's later one.
    library, env = _with_library(tmp_path)
    (library.parent / "slowlib.py").write_text(
        "import sys, time\n"
        'if "app" not in sys.modules:  # in the zygote only, never in a worker\n'
        "    time.sleep(2)\n"
    )
    with serve(tmp_path, "--debug", app="serve_two_libs", expect="lib=lib-1", env=env) as server:
        server.wait_output("Ready")
        time.sleep(0.5)  # the zygote is inside slowlib, extlib's lib-1 imported
        library.write_text('VERSION = "lib-2"\n')
        time.sleep(2)  # and now done preloading
        rewrite(server.folder / "app.py", '"unset"', '"unset-2"')
        server.wait_for("lib=lib-2")
        for _ in range(3):
            assert "lib=lib-2" in server.get()[1]


def test_a_library_upgraded_while_idle_restarts_the_app(tmp_path):
    # No edit in the project: the zygote notices the installed file on its own,
    # once the install has been quiet for a second, and a new generation serves it.
    library, env = _with_library(tmp_path)
    with serve(tmp_path, "--debug", app="serve_env", expect="lib=lib-1", env=env) as server:
        first = pid_of(server.get()[1])
        server.wait_output("Ready")
        time.sleep(0.5)  # the first worker has told the zygote what to preload
        library.write_text('VERSION = "lib-2"\n')
        body = server.wait_for("lib=lib-2", timeout=15)
        assert pid_of(body) != first
        server.wait_output("extlib.py changed on disk")
