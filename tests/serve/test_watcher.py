"""The watchers: the poller, and the fall back to it when inotify runs out."""

from __future__ import annotations

import errno
import os
import time

import pytest

from flaskit.serve.coalesce import RawEvent
from flaskit.serve.settings import RunOptions, resolve
from flaskit.serve.watcher import PollWatcher
from tests.helpers import wait_until
from tests.serve.server import sources_for


def test_the_poller_sees_a_change(tmp_path, rules):
    app = tmp_path / "app.py"
    app.write_text("a = 1\n")
    events: list[RawEvent] = []
    poller = PollWatcher(rules, events.append, interval=0.02)
    poller.add_files([app], [])
    poller.start()
    try:
        time.sleep(0.1)
        assert events == []  # taking a file on is not a change
        app.write_text("a = 22\n")
        wait_until(lambda: bool(events), timeout=5, interval=0.01)
    finally:
        poller.stop()
    assert [e.path for e in events] == [app]


def test_the_poller_sees_an_edit_made_before_it_took_the_file_on(tmp_path, rules):
    """The worker reports what it imported, and the supervisor may take that in after
    the worker's first response: an edit made meanwhile is a change, because the
    baseline is the file as the worker saw it, not as it is when the report lands."""
    app = tmp_path / "app.py"
    app.write_text("a = 1\n")
    st = app.stat()
    as_imported = {app: (st.st_mtime_ns, st.st_size)}
    os.utime(app, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))  # an edit, a second later
    app.write_text("a = 2\n")
    os.utime(app, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    events: list[RawEvent] = []
    poller = PollWatcher(rules, events.append, interval=0.02)
    poller.start()
    try:
        poller.add_files([app], [], as_imported)
        wait_until(lambda: bool(events), timeout=5, interval=0.01)
    finally:
        poller.stop()
    assert [e.path for e in events] == [app]


@pytest.mark.parametrize(
    ("code", "setting"),
    [
        (errno.ENOSPC, "fs.inotify.max_user_watches"),
        (errno.EMFILE, "fs.inotify.max_user_instances"),
    ],
)
def test_running_out_of_inotify_watches_falls_back_to_polling(tmp_path, monkeypatch, code, setting):
    import io

    from watchdog.observers import Observer

    from flaskit.serve.supervisor import Supervisor
    from flaskit.serve.terminal import Terminal

    def no_watches_left(self: object, *args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))  # what inotify_add_watch / inotify_init give

    monkeypatch.setattr(Observer, "schedule", no_watches_left)
    config = resolve(RunOptions(debug=True), sources_for(tmp_path))
    out, err = io.StringIO(), io.StringIO()
    supervisor = Supervisor(config, Terminal(out, err))
    supervisor._start_watcher()
    try:
        assert isinstance(supervisor.watcher, PollWatcher)
        assert "polling instead" in err.getvalue()
        assert f"sudo sysctl {setting}=" in err.getvalue()
    finally:
        supervisor.watcher.stop()
        os.close(supervisor._wake_r)
        os.close(supervisor._wake_w)
        supervisor.selector.close()
