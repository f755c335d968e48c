"""The zygote's reaper: exit codes of forked children, and who ended them."""

from __future__ import annotations

import os
import select
import signal

from flaskit.serve.reaper import Reaper, killed_from_outside


def test_a_child_that_exits_wakes_the_reaper_with_its_code() -> None:
    reaper = Reaper()
    previous = signal.getsignal(signal.SIGCHLD)
    old_fd = signal.set_wakeup_fd(-1)
    try:
        reaper.install()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            os._exit(7)
        reaper.children.add(pid)
        ended: list[tuple[int, int]] = []
        for _ in range(50):  # bounded: the exit arrives within milliseconds
            if select.select([reaper.wake_fd], [], [], 0.1)[0]:
                ended += reaper.reap()
            if ended:
                break
        assert ended == [(pid, 7)]
        assert reaper.children == set()
    finally:
        signal.set_wakeup_fd(old_fd)
        signal.signal(signal.SIGCHLD, previous)


def test_only_signals_sent_from_outside_count_as_killed_from_outside() -> None:
    assert killed_from_outside(-signal.SIGKILL)
    assert killed_from_outside(-signal.SIGTERM)
    assert not killed_from_outside(-signal.SIGSEGV)
    assert not killed_from_outside(-signal.SIGABRT)
    assert not killed_from_outside(3)
    assert not killed_from_outside(None)
