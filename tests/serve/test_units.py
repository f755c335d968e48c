"""Fast, in-process tests of the pieces of ``flaskit run``."""

from __future__ import annotations

import errno
import os
import socket
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from flaskit.cli import cli
from flaskit.context import CliContext
from flaskit.errors import FlaskitError, UsageProblem
from flaskit.serve import listener
from flaskit.serve.classify import Kind, Rules, classify
from flaskit.serve.coalesce import Coalescer, RawEvent
from flaskit.serve.modules import is_project_file
from flaskit.serve.protocol import (
    Change,
    Channel,
    Closed,
    Exited,
    Fork,
    Forked,
    Preload,
    Ready,
    Served,
    Setup,
    Stale,
    Started,
    Stop,
    Unsafe,
    decode,
    encode,
)
from flaskit.serve.requestlog import RequestLog, RequestRecord, render_plain
from flaskit.serve.settings import RunOptions, resolve
from flaskit.serve.watcher import PollWatcher, watched_folders
from tests.helpers import wait_until


def sources_for(tmp_path: Path, **environ: str) -> CliContext:
    (tmp_path / "app.py").write_text("def application(environ, start_response):\n    pass\n")
    return CliContext(cwd=tmp_path, environ={"FLASKIT_SKIP_DOTENV": "1", **environ})


# ---------------------------------------------------------------- settings


def test_defaults(tmp_path):
    config = resolve(RunOptions(), sources_for(tmp_path))
    assert (config.host, config.port) == ("127.0.0.1", 5000)
    assert config.debug is False
    assert config.reload is False
    assert config.worker.threads is True
    assert config.roots == (tmp_path.resolve(),)


def test_debug_turns_reload_on_and_flask_variables_count(tmp_path):
    sources = sources_for(tmp_path, FLASK_DEBUG="1", FLASK_RUN_PORT="8123", FLASK_RUN_HOST="::1")
    config = resolve(RunOptions(), sources)
    assert (config.debug, config.reload, config.live_reload) == (True, True, True)
    assert (config.host, config.port) == ("::1", 8123)


def test_the_option_beats_the_environment(tmp_path):
    sources = sources_for(tmp_path, FLASKIT_PORT="8123")
    config = resolve(RunOptions(port=9000, debug=True, reload=False), sources)
    assert config.port == 9000
    assert config.reload is False


def test_console_on_a_public_address_is_refused_with_the_fix(tmp_path):
    options = RunOptions(host="0.0.0.0", console=True)
    with pytest.raises(UsageProblem, match="--console-allow-remote") as info:
        resolve(options, sources_for(tmp_path))
    assert info.value.exit_code == 2
    allowed = RunOptions(host="0.0.0.0", console=True, console_allow_remote=True)
    assert resolve(allowed, sources_for(tmp_path)).worker.page.console is True
    assert resolve(RunOptions(console=True), sources_for(tmp_path)).worker.page.console is True


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (RunOptions(cert="server.crt"), "--cert was given without --key"),
        (RunOptions(cert="no.crt", key="no.key"), "does not exist"),
        (RunOptions(port=70000), "not a TCP port"),
        (RunOptions(debug_allow=("10.0.0.0/33",)), "not an IP address or network"),
        (RunOptions(host="my host"), "not a host name"),
    ],
)
def test_bad_settings_say_how_to_fix_them(tmp_path, options, message):
    with pytest.raises(UsageProblem, match=message):
        resolve(options, sources_for(tmp_path))


def test_bad_reloader_from_the_environment(tmp_path):
    with pytest.raises(UsageProblem, match="auto, events, poll"):
        resolve(RunOptions(), sources_for(tmp_path, FLASKIT_RELOADER="inotify"))


def test_watch_paths_resolve_and_split_into_folders_and_files(tmp_path):
    (tmp_path / "conf").mkdir()
    (tmp_path / "settings.yaml").write_text("a: 1\n")
    config = resolve(RunOptions(watch=("conf", "settings.yaml")), sources_for(tmp_path))
    assert config.roots == (tmp_path.resolve(),)  # conf/ is inside the root already
    assert config.watch_files == ((tmp_path / "settings.yaml").resolve(),)


# ---------------------------------------------------------------- command


def test_the_command_passes_its_options(monkeypatch):
    seen: list[RunOptions] = []

    def fake_run_server(options: RunOptions, info: CliContext) -> int:
        seen.append(options)
        return 0

    monkeypatch.setattr("flaskit.serve.supervisor.run_server", fake_run_server)
    result = CliRunner().invoke(
        cli,
        [
            "run",
            "hello:app",
            "--port",
            "8001",
            "--debug",
            "--no-preload",
            "--watch",
            "a",
            "--watch",
            "b",
            "--exclude",
            "*.log",
            "--reloader",
            "poll",
            "--console",
        ],
    )
    assert result.exit_code == 0, result.output
    assert seen == [
        RunOptions(
            app="hello:app",
            port=8001,
            debug=True,
            preload=False,
            watch=("a", "b"),
            exclude=("*.log",),
            reloader="poll",
            console=True,
        )
    ]


def test_the_command_rejects_an_unknown_reloader():
    result = CliRunner().invoke(cli, ["run", "--reloader", "magic"])
    assert result.exit_code == 2
    assert "auto" in result.output


# ---------------------------------------------------------------- classification


@pytest.fixture
def rules(tmp_path: Path) -> Rules:
    return Rules(
        roots=(tmp_path,),
        config_files=frozenset({tmp_path / ".env"}),
        watch_files=frozenset({tmp_path / "settings.yaml"}),
        exclude=("data/*", "*.log"),
    )


@pytest.mark.parametrize(
    ("relative", "kind"),
    [
        ("app.py", Kind.RESTART),
        ("pkg/views.py", Kind.RESTART),
        ("settings.yaml", Kind.RESTART),
        (".env", Kind.CONFIG),
        ("templates/index.html", Kind.TEMPLATE),
        ("pkg/templates/mail.txt", Kind.TEMPLATE),
        ("static/site.css", Kind.CSS),
        ("static/app.js", Kind.STATIC),
        ("static/img/logo.png", Kind.STATIC),
        ("README.md", Kind.IGNORE),
        (".git/index", Kind.IGNORE),
        ("__pycache__/app.cpython-311.pyc", Kind.IGNORE),
        (".venv/lib/python3.11/site-packages/flask/app.py", Kind.IGNORE),
        ("node_modules/x/index.js", Kind.IGNORE),
        ("pkg.egg-info/PKG-INFO", Kind.IGNORE),
        (".app.py.swp", Kind.IGNORE),
        ("app.py~", Kind.IGNORE),
        ("4913", Kind.IGNORE),
        ("data/model.py", Kind.IGNORE),
        ("server.log", Kind.IGNORE),
        ("sub/pyproject.toml", Kind.IGNORE),
    ],
)
def test_classification(tmp_path, rules, relative, kind):
    assert classify(tmp_path / relative, rules) is kind


def test_files_outside_the_roots_are_ignored(tmp_path, rules):
    assert classify(tmp_path.parent / "elsewhere.py", rules) is Kind.IGNORE


def test_the_apps_own_folders_count_whatever_their_names(tmp_path, rules):
    rules = rules.with_folders([tmp_path / "views"], [tmp_path / "assets"])
    assert classify(tmp_path / "views" / "page.html", rules) is Kind.TEMPLATE
    assert classify(tmp_path / "assets" / "style.css", rules) is Kind.CSS


def test_a_template_folder_that_is_the_project_counts_only_template_files(tmp_path, rules):
    # Bottle's default TEMPLATE_PATH is ["./", "./views/"]: the project folder itself.
    rules = rules.with_folders([tmp_path, tmp_path / "views"], [])
    assert classify(tmp_path / "hello.tpl", rules) is Kind.TEMPLATE
    assert classify(tmp_path / "views" / "hello.tpl", rules) is Kind.TEMPLATE
    assert classify(tmp_path / "views" / "part.inc", rules) is Kind.TEMPLATE
    assert classify(tmp_path / "README.md", rules) is Kind.IGNORE
    assert classify(tmp_path / "app.py", rules) is Kind.RESTART


def test_watched_folders_skip_excluded_ones_and_virtualenvs(tmp_path, rules):
    for name in ("pkg", ".git", "node_modules", "data", "myenv", "templates"):
        (tmp_path / name).mkdir()
    (tmp_path / "myenv" / "pyvenv.cfg").write_text("home = /usr\n")
    folders = watched_folders(rules)
    assert (tmp_path, False) in folders
    assert {p.name for p, recursive in folders if recursive} == {"pkg", "templates"}


def test_excluded_folders_deep_in_the_tree_cost_no_watch(tmp_path, rules):
    for folder in (
        "frontend/node_modules/react/cjs",
        "frontend/src",
        "pkg/sub/.venv-tools/lib",
        "pkg/sub/views",
        "pkg/other/deeper",
        "pkg/data",
    ):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "pkg/sub/.venv-tools/pyvenv.cfg").write_text("home = /usr\n")
    folders = dict(watched_folders(rules))
    # Folders with something excluded below them are watched on their own ...
    for flat in ("frontend", "pkg", "pkg/sub"):
        assert folders[tmp_path / flat] is False, flat
    # ... every clean sub-tree with one recursive watch, and nothing below those twice.
    for deep in ("frontend/src", "pkg/sub/views", "pkg/other"):
        assert folders[tmp_path / deep] is True, deep
    assert tmp_path / "pkg/other/deeper" not in folders
    # "data/*" is an --exclude glob: it applies to data/ at the top only.
    assert folders[tmp_path / "pkg/data"] is True
    watched = {path.relative_to(tmp_path).as_posix() for path in folders if path != tmp_path}
    assert not any("node_modules" in path or ".venv-tools" in path for path in watched)


def test_a_new_folder_beside_an_excluded_one_is_watched(tmp_path, rules):
    (tmp_path / "frontend/node_modules").mkdir(parents=True)
    seen: list[Path] = []
    from flaskit.serve.watcher import EventWatcher

    watcher = EventWatcher(rules, lambda event: seen.append(event.path))
    watcher.start()
    try:
        (tmp_path / "frontend/src").mkdir()
        target = tmp_path / "frontend/src/app.js"
        assert wait_until(lambda: tmp_path / "frontend/src" in watcher._scheduled, 5.0)
        target.write_text("x = 1\n")
        assert wait_until(lambda: target in seen, 5.0)
        (tmp_path / "frontend/node_modules/lib.js").write_text("y = 1\n")
        time.sleep(0.3)  # long enough for an event, were node_modules watched
        assert tmp_path / "frontend/node_modules/lib.js" not in seen
    finally:
        watcher.stop()


# ---------------------------------------------------------------- coalescing


def test_a_burst_becomes_one_batch_after_the_quiet_window(tmp_path, rules):
    app, view = tmp_path / "app.py", tmp_path / "views.py"
    app.write_text("a = 1\n")
    view.write_text("b = 1\n")
    coalescer = Coalescer(rules, settle_complete=0.01, settle_partial=0.1)
    coalescer.add(RawEvent(app, "modified", 100.0))  # truncation: maybe not complete
    assert coalescer.deadline() == pytest.approx(100.1)
    coalescer.add(RawEvent(app, "closed", 100.002))
    coalescer.add(RawEvent(view, "closed", 100.004))
    assert coalescer.deadline() == pytest.approx(100.014)
    assert coalescer.flush(100.010) is None
    batch = coalescer.flush(100.02)
    assert batch is not None
    assert batch.paths(Kind.RESTART) == [app, view]
    assert batch.first_event == 100.0


def test_a_write_that_changes_nothing_is_not_a_change(tmp_path, rules):
    app = tmp_path / "app.py"
    app.write_text("a = 1\n")
    coalescer = Coalescer(rules)
    coalescer.add(RawEvent(app, "closed", 1.0))
    assert coalescer.flush(2.0)  # first sight: a change
    app.write_text("a = 1\n")
    coalescer.add(RawEvent(app, "closed", 3.0))
    assert not coalescer.flush(4.0)
    app.write_text("a = 2\n")
    coalescer.add(RawEvent(app, "closed", 5.0))
    assert coalescer.flush(6.0)


def test_a_temporary_file_that_came_and_went_is_nothing(tmp_path, rules):
    coalescer = Coalescer(rules)
    coalescer.add(RawEvent(tmp_path / "app.py.new", "deleted", 1.0))
    coalescer.add(RawEvent(tmp_path / "notes.swp", "closed", 1.0))
    assert not coalescer.flush(2.0)


def test_template_and_css_changes_are_told_apart(tmp_path, rules):
    (tmp_path / "templates").mkdir()
    (tmp_path / "static").mkdir()
    page, style = tmp_path / "templates" / "a.html", tmp_path / "static" / "a.css"
    page.write_text("<p>")
    style.write_text("p {}")
    coalescer = Coalescer(rules)
    coalescer.add(RawEvent(page, "closed", 1.0))
    coalescer.add(RawEvent(style, "moved", 1.0))
    batch = coalescer.flush(2.0)
    assert batch is not None
    assert batch.paths(Kind.TEMPLATE) == [page]
    assert batch.paths(Kind.CSS) == [style]
    assert batch.paths(Kind.RESTART) == []


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
        deadline = time.monotonic() + 5
        while not events and time.monotonic() < deadline:
            time.sleep(0.01)
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
        deadline = time.monotonic() + 5
        while not events and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        poller.stop()
    assert [e.path for e in events] == [app]


# ---------------------------------------------------------------- request log


def test_the_request_log_measures_status_and_size():
    records: list[RequestRecord] = []

    def app(environ, start_response):
        start_response("404 NOT FOUND", [("Content-Type", "text/plain")])
        return [b"not ", b"here"]

    logged = RequestLog(app, records.append)
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/a\x1b[2J", "QUERY_STRING": "q=1"}
    body = logged(environ, lambda status, headers, exc_info=None: None)
    assert b"".join(body) == b"not here"
    body.close()  # type: ignore[attr-defined]
    (record,) = records
    assert (record.method, record.status, record.size) == ("GET", 404, 8)
    assert record.path == "/a\\x1b[2J?q=1"  # no terminal escape reaches the log
    line = render_plain(record)
    assert " GET /a\\x1b[2J?q=1 404 " in line
    assert line.endswith(" 8 B")


# ---------------------------------------------------------------- channel, socket, modules


def test_the_channel_carries_messages_and_file_descriptors():
    ours, theirs_sock = Channel.pair()
    theirs = Channel(theirs_sock)
    read_end, write_end = os.pipe()
    try:
        assert ours.send(Fork(3, fds=(read_end,)))
        ours.send(Preload(("flask",), {"/x/flask/__init__.py": 7}))
        first = theirs.receive_one()
        second = theirs.receive_one()
        assert isinstance(first, Fork)
        assert second == Preload(("flask",), {"/x/flask/__init__.py": 7})
        assert first.generation == 3
        (passed,) = first.fds
        os.write(write_end, b"x")
        assert os.read(passed, 1) == b"x"
        os.close(passed)
        ours.close()
        assert theirs.receive() is None  # the other end is gone
    finally:
        os.close(read_end)
        os.close(write_end)
        theirs.close()


@pytest.mark.parametrize(
    "message",
    [
        Setup("cGlja2xl"),
        Preload(("flask", "jinja2"), {"/f.py": 1}),
        Fork(2),
        Started(10),
        Forked(2, 11),
        Exited(11, -9),
        Stale(0, None),
        Stale(2, "/lib/x.py"),
        Unsafe(3),
        Stop(3.0),
        Change("css", ("/p/static/a.css",)),
        Ready(12, None, 1.0, 2.0, 3.0, ("flask",), {"/f.py": 1}, {"/p/app.py": "ab"}),
        Ready(12, error="SyntaxError: bad", folders={"templates": ["/p/templates"]}),
        Closed(4.5),
        Served(5.5),
    ],
)
def test_every_message_survives_the_wire(message):
    """Each message type encodes to one JSON line and decodes to an equal message."""
    ours, theirs_sock = Channel.pair()
    theirs = Channel(theirs_sock)
    try:
        assert ours.send(message)
        assert theirs.receive_one() == message
    finally:
        ours.close()
        theirs.close()


def test_an_unknown_or_malformed_message_is_an_error_not_a_guess():
    with pytest.raises(ValueError, match="unknown message"):
        decode({"op": "reboot"})
    with pytest.raises(ValueError, match="malformed message"):
        decode({"op": "stop"})  # no grace
    assert decode(encode(Stop(1.0))) == Stop(1.0)


def test_a_port_in_use_names_the_port_and_the_option():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(FlaskitError) as info:
            listener.bind("127.0.0.1", port)
    message = info.value.format_message()
    assert f"Port {port}" in message
    assert "--port" in message
    assert info.value.exit_code == 1


def test_installed_packages_are_not_the_project(tmp_path):
    import flask

    assert is_project_file(str(tmp_path / "app.py"), (tmp_path,))
    assert not is_project_file(flask.__file__, (Path(flask.__file__).parent.parent.parent,))
    venv_file = tmp_path / ".venv" / "lib" / "site-packages" / "x.py"
    assert not is_project_file(str(venv_file), (tmp_path,))


def test_the_worker_context_hands_messages_and_drains_to_its_hooks():
    from flaskit.serve.worker import WorkerContext

    ours, theirs = Channel.pair()
    context = WorkerContext(7, Channel(theirs))
    messages: list[dict[str, object]] = []
    drained: list[int] = []
    context.on_message(messages.append)
    context.on_drain(lambda: drained.append(context.generation))
    context.dispatch(Change("css", ("/p/static/a.css",)))
    assert messages == [{"op": "change", "kind": "css", "paths": ["/p/static/a.css"]}]
    context.stop(2.0)
    assert context.stopping.is_set()
    assert os.read(context.wake_fd, 1) == b"s"
    context.drained()
    context.drained()
    assert drained == [7]  # once
    ours.close()
    theirs.close()


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


def test_a_system_that_cannot_pass_sockets_is_refused_with_the_way_out(tmp_path, monkeypatch):
    from flaskit.serve.supervisor import run_server

    monkeypatch.delattr(socket, "send_fds")  # as on Windows
    with pytest.raises(FlaskitError, match="WSL"):
        run_server(RunOptions(), sources_for(tmp_path))


def test_a_changed_modules_bytecode_goes_for_every_python(tmp_path: Path) -> None:
    # From an isolated install the workers may run Python 3.10 while the supervisor
    # runs 3.11: a same-size rewrite in the same second must not be served from
    # either interpreter's stale .pyc.
    from flaskit.serve.supervisor import _forget_bytecode

    source = tmp_path / "app.py"
    source.write_text("VERSION = 1\n")
    cache = tmp_path / "__pycache__"
    cache.mkdir()
    names = ["app.cpython-310.pyc", "app.cpython-311.pyc", "app.cpython-311.opt-1.pyc"]
    kept = ["app2.cpython-311.pyc", "other.cpython-310.pyc"]
    for name in [*names, *kept]:
        (cache / name).write_bytes(b"")
    _forget_bytecode([source])
    assert sorted(p.name for p in cache.iterdir()) == sorted(kept)
