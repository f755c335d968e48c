"""How a process ended, in words."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from flaskit.serve.deaths import crash_message, describe_exit, is_stopped


def test_exit_statuses_in_words() -> None:
    assert describe_exit(3) == "exited with code 3"
    assert describe_exit(None) == "exited"
    assert describe_exit(-signal.SIGSEGV) == "was killed by SIGSEGV (segmentation fault)"
    assert "SIGKILL" in describe_exit(-signal.SIGKILL)
    assert "save a file" in crash_message(-signal.SIGSEGV)


def test_a_stopped_process_is_recognised() -> None:
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert not is_stopped(proc.pid)
        os.kill(proc.pid, signal.SIGSTOP)
        os.waitpid(proc.pid, os.WUNTRACED)
        assert is_stopped(proc.pid)
    finally:
        proc.kill()
        proc.wait(5)
    assert not is_stopped(proc.pid)
