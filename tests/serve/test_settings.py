"""The options of `flaskit run`, resolved into one config, and the command that takes them."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from flaskit.cli import cli
from flaskit.context import CliContext
from flaskit.errors import UsageProblem
from flaskit.serve.settings import RunOptions, resolve
from tests.serve.server import sources_for


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


def test_the_request_log_is_on_unless_turned_off(tmp_path):
    assert resolve(RunOptions(), sources_for(tmp_path)).worker.request_log
    off = resolve(RunOptions(request_log=False), sources_for(tmp_path))
    assert not off.worker.request_log
    from_env = resolve(RunOptions(), sources_for(tmp_path, FLASKIT_REQUEST_LOG="0"))
    assert not from_env.worker.request_log
