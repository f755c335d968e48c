"""The run options that reach the debug page: ``--allow-host`` and ``--framework-error-page``."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from flaskit.cli import cli
from flaskit.context import CliContext
from flaskit.errors import UsageProblem
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
    assert given.allow_hosts == ("a.test",)
    from_env = resolve(RunOptions(), sources_for(tmp_path, FLASKIT_ALLOW_HOST="b.test,c.test"))
    assert from_env.allow_hosts == ("b.test,c.test",)  # split by the page's own parser
    assert resolve(RunOptions(), sources_for(tmp_path)).allow_hosts == ()


def test_a_host_name_to_bind_is_allowed_as_a_host(tmp_path: Path) -> None:
    named = resolve(RunOptions(host="devbox.local"), sources_for(tmp_path))
    assert named.allow_hosts == ("devbox.local",)
    for host in ("127.0.0.1", "0.0.0.0", "localhost", "::1"):
        assert resolve(RunOptions(host=host), sources_for(tmp_path)).allow_hosts == ()


def test_a_bad_host_name_is_refused_before_the_server_starts(tmp_path: Path) -> None:
    with pytest.raises(
        UsageProblem, match=r"--allow-host 'http://x\.test/' .* --allow-host x\.test"
    ):
        resolve(RunOptions(allow_host=("http://x.test/",)), sources_for(tmp_path))
    with pytest.raises(UsageProblem, match="DNS rebinding"):
        resolve(RunOptions(), sources_for(tmp_path, FLASKIT_ALLOW_HOST="*"))


def test_the_framework_page_option(tmp_path: Path) -> None:
    assert resolve(RunOptions(), sources_for(tmp_path)).framework_pages is False
    on = resolve(RunOptions(framework_error_page=True), sources_for(tmp_path))
    assert on.framework_pages is True
    env = sources_for(tmp_path, FLASKIT_FRAMEWORK_ERROR_PAGE="1")
    assert resolve(RunOptions(), env).framework_pages is True
