"""The run options that reach the debug page: ``--allow-host`` and ``--framework-error-page``."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from flaskit.cli import cli
from flaskit.context import CliContext
from flaskit.errors import ConfigError, UsageProblem
from flaskit.serve.settings import RunOptions, resolve


def sources_for(tmp_path: Path, **environ: str) -> CliContext:
    (tmp_path / "app.py").write_text("def application(environ, start_response):\n    pass\n")
    return CliContext(cwd=tmp_path, environ={"FLASKIT_SKIP_DOTENV": "1", **environ})


def test_the_command_passes_both_options(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[RunOptions] = []
    monkeypatch.setattr("flaskit.serve.supervisor.run_server", lambda o, _i: seen.append(o) or 0)
    args = ["run", "--allow-host", "a.test", "--allow-host", ".b.test", "--framework-error-page"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert seen[0].allow_host == ("a.test", ".b.test")
    assert seen[0].framework_error_page is True
    assert "--allow-host NAME" in CliRunner().invoke(cli, ["run", "--help"]).output


def test_allowed_hosts_come_from_the_option_or_the_variable(tmp_path: Path) -> None:
    given = resolve(RunOptions(allow_host=("a.test",)), sources_for(tmp_path))
    assert given.worker.page.trusted_hosts == ("a.test",)
    from_env = resolve(RunOptions(), sources_for(tmp_path, FLASKIT_ALLOW_HOST="b.test,c.test"))
    assert from_env.worker.page.trusted_hosts == (
        "b.test,c.test",
    )  # split by the page's own parser
    assert resolve(RunOptions(), sources_for(tmp_path)).worker.page.trusted_hosts == ()


def test_a_host_name_to_bind_is_allowed_as_a_host(tmp_path: Path) -> None:
    named = resolve(RunOptions(host="devbox.local"), sources_for(tmp_path))
    assert named.worker.page.trusted_hosts == ("devbox.local",)
    for host in ("127.0.0.1", "0.0.0.0", "localhost", "::1"):
        assert resolve(RunOptions(host=host), sources_for(tmp_path)).worker.page.trusted_hosts == ()


def test_a_bad_host_name_is_refused_before_the_server_starts(tmp_path: Path) -> None:
    with pytest.raises(
        UsageProblem, match=r"--allow-host 'http://x\.test/' .* --allow-host x\.test"
    ):
        resolve(RunOptions(allow_host=("http://x.test/",)), sources_for(tmp_path))
    with pytest.raises(UsageProblem, match="DNS rebinding"):
        resolve(RunOptions(), sources_for(tmp_path, FLASKIT_ALLOW_HOST="*"))


def test_the_framework_page_option(tmp_path: Path) -> None:
    assert resolve(RunOptions(), sources_for(tmp_path)).worker.page.framework_pages is False
    on = resolve(RunOptions(framework_error_page=True), sources_for(tmp_path))
    assert on.worker.page.framework_pages is True
    env = sources_for(tmp_path, FLASKIT_FRAMEWORK_ERROR_PAGE="1")
    assert resolve(RunOptions(), env).worker.page.framework_pages is True


def _project_with_dotenv(tmp_path: Path, text: str) -> CliContext:
    (tmp_path / "app.py").write_text("def application(environ, start_response):\n    pass\n")
    (tmp_path / ".flaskenv").write_text(text)
    return CliContext(cwd=tmp_path, environ={})


def test_a_dotenv_file_cannot_open_the_console_to_other_machines(tmp_path: Path) -> None:
    # Issue 13.11: a .flaskenv turned on --console with --console-allow-remote on 0.0.0.0.
    info = _project_with_dotenv(
        tmp_path, "FLASKIT_CONSOLE=1\nFLASKIT_CONSOLE_ALLOW_REMOTE=1\nFLASKIT_HOST=0.0.0.0\n"
    )
    with pytest.raises(ConfigError, match=r"FLASKIT_CONSOLE_ALLOW_REMOTE in .*\.flaskenv") as e:
        resolve(RunOptions(), info)
    assert "only the command line" in e.value.format_message()
    assert "--console-allow-remote" in e.value.format_message()


def test_the_allow_remote_switch_comes_from_the_command_line_only(tmp_path: Path) -> None:
    from_env = sources_for(tmp_path, FLASKIT_RUN_CONSOLE_ALLOW_REMOTE="1")
    with pytest.raises(ConfigError, match="environment variable FLASKIT_RUN_CONSOLE_ALLOW"):
        resolve(RunOptions(host="0.0.0.0", console=True), from_env)
    given = RunOptions(host="0.0.0.0", console=True, console_allow_remote=True)
    assert resolve(given, sources_for(tmp_path)).worker.page.console is True


@pytest.mark.parametrize("line", ["FLASKIT_CONSOLE=1", "FLASK_RUN_DEBUGGER=1"])
def test_on_a_reachable_host_the_console_itself_must_be_asked_for(tmp_path, line) -> None:
    info = _project_with_dotenv(tmp_path, line + "\nFLASKIT_HOST=0.0.0.0\n")
    with pytest.raises(UsageProblem, match=r"\.flaskenv turns on the console"):
        resolve(RunOptions(console_allow_remote=True), info)
    # On this machine only, a file may still turn it on (as FLASK_RUN_DEBUGGER does in Flask).
    local = _project_with_dotenv(tmp_path, line + "\n")
    assert resolve(RunOptions(), local).worker.page.console is True
