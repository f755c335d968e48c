"""The fault suite: real ``flaskit run`` processes, broken on purpose.

Each test breaks one thing (a worker or the fork server killed, an import that
hangs, exits or crashes, the project folder replaced, SIGTERM to the whole
process group), asserts how long serving took to recover, and, through
:func:`tests.serve.server.serve`, that no process and no listening port is left.

Every recovery time is printed (``pytest -s``) and, when ``FAULT_SUITE_RECORD``
names a file, appended to it as one JSON line, so repeated runs can be summed up
(``python -m tests.serve.fault_times FILE``).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import threading
import time
from pathlib import Path

import pytest

from tests.helpers import clean_env, wait_until
from tests.serve.server import (
    Served,
    get,
    group_alive,
    pid_of,
    process,
    processes,
    rewrite,
    serve,
    try_get,
)

pytestmark = [pytest.mark.slow, pytest.mark.timeout(90)]

# Recovery limits: the work each recovery needs (a fork or a spawn and the import of a
# small Flask app) takes well under a second here; the slack is for this shared machine.
REPLACE_LIMIT = 5.0
RELOAD_LIMIT = 8.0


def record(fault: str, seconds: float) -> None:
    """Print a recovery time and append it to ``FAULT_SUITE_RECORD`` when that is set."""
    print(f"\nrecovery {fault}: {seconds:.3f} s")
    target = os.environ.get("FAULT_SUITE_RECORD")
    if target:
        with Path(target).open("a") as stream:
            stream.write(json.dumps({"fault": fault, "seconds": round(seconds, 4)}) + "\n")


def served_by_another(server: Served, text: str, old_pid: int, timeout: float) -> float:
    """Seconds until a response containing ``text`` comes from a worker other than
    ``old_pid``; fails the test after ``timeout``."""
    started = time.monotonic()
    found = wait_until(
        lambda: (
            (r := try_get(server.port)) is not None and text in r[1] and pid_of(r[1]) != old_pid
        ),
        timeout=timeout,
    )
    assert found, f"no new worker served {text!r}; output:\n{server.output}"
    return time.monotonic() - started


def serving(server: Served, text: str, timeout: float, status: int = 200) -> float:
    """Seconds until a response has ``status`` and contains ``text``."""
    started = time.monotonic()
    found = wait_until(
        lambda: (r := try_get(server.port)) is not None and r[0] == status and text in r[1],
        timeout=timeout,
    )
    assert found, f"never served {status} with {text!r}; output:\n{server.output}"
    return time.monotonic() - started


def gone(pid: int) -> bool:
    """Whether process ``pid`` has exited (a zombie counts as exited)."""
    found = process(pid)
    return found is None or found.state == "Z"


def zygote_pid(server: Served) -> int:
    """The pid of the session's fork server."""
    found: list[int] = []

    def look() -> bool:
        for child in processes():
            if child.ppid != server.proc.pid:
                continue
            try:
                cmdline = Path(f"/proc/{child.pid}/cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"flaskit.serve.zygote" in cmdline:
                found.append(child.pid)
                return True
        return False

    assert wait_until(look, timeout=5), f"no fork server; output:\n{server.output}"
    return found[0]


def next_version(server: Served, old: str, new: str) -> None:
    rewrite(server.folder / "app.py", f'VERSION = "{old}"', f'VERSION = "{new}"')


# --------------------------------------------------------------------- workers


def test_a_worker_killed_right_after_it_became_ready_is_replaced(tmp_path):
    # Issue 13.3: a worker that died within a second of becoming ready was never replaced.
    with serve(tmp_path, "--debug", expect="v1") as server:
        next_version(server, "v1", "v2")
        pid = pid_of(server.wait_for("v2"))  # polled: well within its first second
        os.kill(pid, signal.SIGKILL)
        seconds = served_by_another(server, "v2", pid, REPLACE_LIMIT)
        record("worker kill -9 right after ready", seconds)
        server.wait_output("exited unexpectedly")


def test_a_worker_killed_long_after_it_became_ready_is_replaced(tmp_path):
    with serve(tmp_path, "--debug", expect="v1") as server:
        pid = pid_of(server.get()[1])
        server.wait_output("Ready")
        time.sleep(1.2)
        os.kill(pid, signal.SIGKILL)
        record("worker kill -9 after ready", served_by_another(server, "v1", pid, REPLACE_LIMIT))


def test_a_worker_killed_at_its_first_second_of_life_is_replaced(tmp_path):
    # Killed while it imports the new version of the app.
    with serve(tmp_path, "--debug", expect="v1") as server:
        marker = tmp_path / "importing.pid"  # outside the watched project
        rewrite(
            server.folder / "app.py",
            'VERSION = "v1"',
            f'VERSION = "v2"\nopen({str(marker)!r}, "w").write(str(os.getpid()))\n'
            "time.sleep(0.3)\n",
        )
        assert wait_until(marker.exists, timeout=10), server.output
        assert wait_until(lambda: marker.read_text().strip() != "", timeout=2)
        pid = int(marker.read_text())
        os.kill(pid, signal.SIGKILL)
        seconds = served_by_another(server, "v2", pid, RELOAD_LIMIT)
        record("worker kill -9 in its first second", seconds)
        # Killed from outside: not a sign that forking is unsafe for this app.
        server.wait_output("Workers are still forked")
        assert "spawning workers from now on" not in server.output
        started = time.monotonic()
        rewrite(server.folder / "app.py", 'VERSION = "v2"', 'VERSION = "v3"')
        serving(server, "v3 pid=", RELOAD_LIMIT)
        assert zygote_pid(server)  # still there, still forking
        assert time.monotonic() - started < 3.0


def test_a_worker_killed_mid_request_fails_that_request_only(tmp_path):
    with serve(tmp_path, "--debug", expect="v1") as server:
        pid = pid_of(server.get()[1])
        results: list[tuple[int, str] | None] = []
        thread = threading.Thread(target=lambda: results.append(try_get(server.port, "/slow")))
        thread.start()
        time.sleep(0.3)  # the slow request is inside the worker now
        os.kill(pid, signal.SIGKILL)
        thread.join(5)
        assert results == [None]  # its connection was reset: it did not hang
        seconds = served_by_another(server, "v1", pid, REPLACE_LIMIT)
        record("worker kill -9 mid-request", seconds)


# --------------------------------------------------------------------- the fork server


def children_of(pid: int) -> set[int]:
    """The pids of the live processes whose parent is ``pid``."""
    return {p.pid for p in processes() if p.ppid == pid and p.state != "Z"}


def test_a_spare_worker_killed_from_outside_costs_nothing(tmp_path):
    """Between reloads the fork server keeps one worker forked ahead of time; killed
    (kill -9, the OOM killer), the next reload forks as usual and forking stays on."""
    with serve(tmp_path, "--debug", expect="v1") as server:
        server.wait_output("Ready")
        zygote = zygote_pid(server)
        serving_pid = pid_of(server.get()[1])
        spares: set[int] = set()
        assert wait_until(
            lambda: bool(spares.update(children_of(zygote) - {serving_pid}) or spares), timeout=5
        ), f"no spare beside the serving worker; output:\n{server.output}"
        (spare,) = spares
        os.kill(spare, signal.SIGKILL)
        assert wait_until(lambda: gone(spare), timeout=3)
        started = time.monotonic()
        next_version(server, "v1", "v2")
        serving(server, "v2 pid=", RELOAD_LIMIT)
        record("spare worker kill -9, then a reload", time.monotonic() - started)
        assert pid_of(server.get()[1]) != spare
        assert zygote_pid(server) == zygote
        assert "spawning workers from now on" not in server.output


def test_a_fork_server_killed_is_replaced_and_the_next_reload_works(tmp_path):
    with serve(tmp_path, "--debug", expect="v1") as server:
        server.wait_output("Ready")
        zygote = zygote_pid(server)
        os.kill(zygote, signal.SIGKILL)
        server.wait_output("fork server was killed by SIGKILL")
        started = time.monotonic()
        next_version(server, "v1", "v2")
        serving(server, "v2 pid=", RELOAD_LIMIT)
        record("fork server kill -9, then a reload", time.monotonic() - started)
        assert zygote_pid(server) != zygote
        assert "spawning workers from now on" not in server.output


def test_a_stopped_fork_server_does_not_stall_reloads(tmp_path):
    # Issue 13.11: a SIGSTOPped fork server stalled every reload without a word.
    with serve(tmp_path, "--debug", expect="v1") as server:
        server.wait_output("Ready")
        zygote = zygote_pid(server)
        os.kill(zygote, signal.SIGSTOP)
        try:
            started = time.monotonic()
            next_version(server, "v1", "v2")
            serving(server, "v2 pid=", RELOAD_LIMIT)
            record("fork server SIGSTOP, then a reload", time.monotonic() - started)
            server.wait_output("the fork server is stopped")
            assert wait_until(lambda: gone(zygote), timeout=3)  # replaced, not left stopped
            assert zygote_pid(server) != zygote
            started = time.monotonic()
            next_version(server, "v2", "v3")  # and the new fork server forks
            serving(server, "v3 pid=", RELOAD_LIMIT)
            assert time.monotonic() - started < 3.0
        finally:
            if not gone(zygote):
                os.kill(zygote, signal.SIGKILL)


def test_a_fork_server_that_does_not_answer_in_time_is_worked_around(tmp_path):
    # Busy (here: a library that takes 8 s to import in the fork server) or stopped while
    # the fork was asked for: after 3 s the terminal says so and the version is spawned.
    library = tmp_path / "site"
    library.mkdir()
    (library / "slowlib.py").write_text(
        "import os, sys, time\n"
        "if 'zygote' in ' '.join(sys.argv) and 'FLASKIT_WORKER' not in os.environ:\n"
        "    time.sleep(8)  # in the fork server only, not in the workers it forks\n"
    )
    env = {"PYTHONPATH": os.pathsep.join([str(library), clean_env()["PYTHONPATH"]])}

    def use_it(folder: Path) -> None:
        rewrite(folder / "app.py", "import time\n", "import time\n\nimport slowlib  # noqa: F401\n")

    with serve(tmp_path, "--debug", expect="v1", env=env, prepare=use_it) as server:
        server.wait_output("Ready")
        time.sleep(0.5)  # the fork server is importing slowlib now
        started = time.monotonic()
        next_version(server, "v1", "v2")
        serving(server, "v2 pid=", RELOAD_LIMIT)
        record("fork server busy, then a reload", time.monotonic() - started)
        server.wait_output("the fork server did not answer within 3 s: spawning")
        assert "fork server is stopped" not in server.output


# --------------------------------------------------------------------- imports that fail

CRASHES = {
    "exits": ("import os\nos._exit(3)\n", "exited with code 3"),
    "segfaults": ("import ctypes\nctypes.string_at(0)\n", "SIGSEGV"),
    "interrupts": ("raise KeyboardInterrupt\n", "KeyboardInterrupt"),
}


def _break_import(folder: Path, code: str) -> str:
    """Put ``code`` at the top of the app; return the good source."""
    app = folder / "app.py"
    good = app.read_text()
    app.write_text(code + good)
    return good


@pytest.mark.parametrize("how", sorted(CRASHES))
def test_an_import_that_dies_at_first_start_serves_the_error_page(tmp_path, how):
    # Issue 13.11: requests waited forever when the very first import killed its worker.
    code, said = CRASHES[how]
    sources: list[str] = []
    with serve(
        tmp_path,
        "--debug",
        prepare=lambda folder: sources.append(_break_import(folder, code)),
        wait=False,
    ) as server:
        started = time.monotonic()
        serving(server, said, timeout=20, status=500)
        record(f"import {how} at first start: error page", time.monotonic() - started)
        started = time.monotonic()
        (server.folder / "app.py").write_text(sources[0])
        serving(server, "v1 pid=", RELOAD_LIMIT)
        record(f"import {how} at first start: fixed", time.monotonic() - started)


@pytest.mark.parametrize("how", sorted(CRASHES))
def test_an_import_that_dies_on_a_reload_serves_the_error_page(tmp_path, how):
    code, said = CRASHES[how]
    with serve(tmp_path, "--debug", expect="v1") as server:
        good = _break_import(server.folder, code)
        started = time.monotonic()
        serving(server, said, timeout=RELOAD_LIMIT, status=500)
        record(f"import {how} on a reload: error page", time.monotonic() - started)
        started = time.monotonic()
        (server.folder / "app.py").write_text(good.replace('"v1"', '"v2"'))
        serving(server, "v2 pid=", RELOAD_LIMIT)
        record(f"import {how} on a reload: fixed", time.monotonic() - started)


HANG = "import time\ntime.sleep(3600)\n"


def test_an_import_that_hangs_at_first_start_serves_once_fixed(tmp_path):
    sources: list[str] = []
    with serve(
        tmp_path,
        "--debug",
        prepare=lambda folder: sources.append(_break_import(folder, HANG)),
        wait=False,
    ) as server:
        assert wait_until(lambda: "importing the app" in server.output, timeout=15), server.output
        waiting: list[tuple[int, str] | None] = []
        thread = threading.Thread(target=lambda: waiting.append(_patient_get(server.port)))
        thread.start()  # a request that arrives while the import hangs waits in the backlog
        started = time.monotonic()
        (server.folder / "app.py").write_text(sources[0])
        serving(server, "v1 pid=", RELOAD_LIMIT)
        record("import hangs at first start: fixed", time.monotonic() - started)
        thread.join(RELOAD_LIMIT)
        assert len(waiting) == 1, "the waiting request never finished"
        assert waiting[0] is not None, "the waiting request failed"
        assert waiting[0][0] == 200


def test_an_import_that_hangs_on_a_reload_is_killed_once_fixed(tmp_path):
    marker = tmp_path / "hung.pid"
    with serve(tmp_path, "--debug", expect="v1") as server:
        hang = f"import os, time\nopen({str(marker)!r}, 'w').write(str(os.getpid()))\n" + HANG
        good = _break_import(server.folder, hang)
        assert wait_until(lambda: marker.exists() and marker.read_text() != "", timeout=10)
        hung = int(marker.read_text())
        assert "v1" in server.get()[1]  # the running version keeps serving meanwhile
        started = time.monotonic()
        (server.folder / "app.py").write_text(good.replace('"v1"', '"v2"'))
        serving(server, "v2 pid=", RELOAD_LIMIT)
        record("import hangs on a reload: fixed", time.monotonic() - started)
        assert wait_until(lambda: gone(hung), timeout=6), "the hung worker was left running"


def _patient_get(port: int) -> tuple[int, str] | None:
    try:
        return get(port, timeout=30)
    except OSError:
        return None


# --------------------------------------------------------------------- the session


def test_sigterm_to_the_process_group_lets_requests_in_flight_finish(tmp_path):
    # Issue 13.11: SIGTERM to the group killed the workers at once; SIGINT let them finish.
    with serve(tmp_path, "--debug", expect="v1") as server:
        results: list[tuple[int, str] | None] = []
        thread = threading.Thread(target=lambda: results.append(try_get(server.port, "/slow")))
        thread.start()
        time.sleep(0.4)  # inside the worker: 0.6 s of its 1 s left
        started = time.monotonic()
        os.killpg(server.proc.pid, signal.SIGTERM)
        thread.join(5)
        assert results == [(200, "slow v1")]
        assert server.proc.wait(5) == 0
        assert wait_until(lambda: not group_alive(server.proc.pid), timeout=3)
        record("SIGTERM to the group: all stopped", time.monotonic() - started)
        assert time.monotonic() - started < 2.5


# --------------------------------------------------------------------- the project folder


@pytest.mark.parametrize("how", ["moved into place", "written file by file"])
def test_the_project_folder_deleted_and_recreated_is_served_again(tmp_path, how):
    # Issue 13.6: a branch switch or a re-clone replaces the folder; reloading stopped for
    # good (ModuleNotFoundError served, the supervisor's working directory "(deleted)").
    with serve(tmp_path, "--debug", expect="v1") as server:
        server.wait_output("Ready")
        copy = tmp_path / "clone"
        shutil.copytree(server.folder, copy, ignore=shutil.ignore_patterns("__pycache__"))
        rewrite(copy / "app.py", 'VERSION = "v1"', 'VERSION = "v2"')
        shutil.rmtree(server.folder)
        time.sleep(0.3)
        started = time.monotonic()
        if how == "moved into place":
            copy.rename(server.folder)
        else:  # as git clone does: the folder first, then its files
            server.folder.mkdir()
            time.sleep(0.2)
            for source in sorted(copy.iterdir()):
                (server.folder / source.name).write_bytes(source.read_bytes())
                time.sleep(0.05)
        serving(server, "v2 pid=", RELOAD_LIMIT)
        record(f"project folder deleted and recreated ({how})", time.monotonic() - started)
        assert Path(f"/proc/{server.proc.pid}/cwd").resolve() == server.folder
        started = time.monotonic()  # and it is watched again
        next_version(server, "v2", "v3")
        serving(server, "v3 pid=", RELOAD_LIMIT)
        assert time.monotonic() - started < 3.0
        assert "ModuleNotFoundError" not in server.output


def test_a_watched_extra_folder_that_goes_away_does_not_hold_up_reloads(tmp_path):
    extra = tmp_path / "extra"
    extra.mkdir()
    with serve(tmp_path, "--debug", "--watch", str(extra), expect="v1") as server:
        server.wait_output("Ready")
        shutil.rmtree(extra)
        time.sleep(0.7)  # a folder check has run
        next_version(server, "v1", "v2")
        serving(server, "v2 pid=", RELOAD_LIMIT)
        assert "is gone" not in server.output
