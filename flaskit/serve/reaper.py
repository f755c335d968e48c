"""The zygote's children: reaped as they exit, and how each one ended.

A forked worker is the zygote's child, not the supervisor's, so only the zygote
can learn its exit status. The supervisor needs it to tell a worker that
crashed by being forked (the app is not fork-safe: spawn from now on) from one
that was killed from outside (``kill -9``, the OOM killer: keep forking).
SIGCHLD wakes the zygote's loop through a pipe (``signal.set_wakeup_fd``).
"""

from __future__ import annotations

import contextlib
import os
import signal

_KILLED_FROM_OUTSIDE = (signal.SIGKILL, signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


def killed_from_outside(code: int | None) -> bool:
    """Whether an exit code (negative: a signal) says another process ended it."""
    return code is not None and code < 0 and -code in _KILLED_FROM_OUTSIDE


class Reaper:
    """Waits for the forked workers of one zygote."""

    def __init__(self) -> None:
        self.wake_fd, self._write_fd = os.pipe()
        os.set_blocking(self.wake_fd, False)
        os.set_blocking(self._write_fd, False)
        self.children: set[int] = set()

    def install(self) -> None:
        """Be woken by SIGCHLD (main thread only)."""
        signal.signal(signal.SIGCHLD, _ignore)
        signal.set_wakeup_fd(self._write_fd, warn_on_full_buffer=False)

    def in_child(self) -> None:
        """In a freshly forked worker: its own signals must not wake the zygote."""
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        for fd in (self.wake_fd, self._write_fd):
            with contextlib.suppress(OSError):
                os.close(fd)

    def reap(self) -> list[tuple[int, int]]:
        """(pid, exit code) of every child that exited; the code is negative for a signal."""
        with contextlib.suppress(BlockingIOError):
            while os.read(self.wake_fd, 512):
                pass
        ended: list[tuple[int, int]] = []
        for pid in list(self.children):
            try:
                done, status = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                self.children.discard(pid)
                continue
            if done:
                self.children.discard(pid)
                ended.append((pid, os.waitstatus_to_exitcode(status)))
        return ended


def _ignore(_signum: int, _frame: object) -> None:
    """A handler that does nothing: the wake-up byte is what counts."""
