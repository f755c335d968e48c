"""The command: what it passes to create_project, what it prints, its exit codes."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from flaskit.cli import cli
from flaskit.scaffold import create as create_module
from flaskit.scaffold.create import NewConfig
from tests.helpers import separate_stderr_runner


def invoke(*args: str) -> Any:
    return separate_stderr_runner().invoke(cli, ["new", *args])


def test_options_become_the_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    seen: list[tuple[NewConfig, object]] = []
    monkeypatch.setattr(
        create_module,
        "create_project",
        lambda config, prompter, out: seen.append((config, prompter)),
    )
    result = invoke(
        "my-shop",
        "--template",
        "tutorial",
        "--layout",
        "package",
        "-o",
        str(tmp_path),
        "--var",
        "description=A shop",
        "--var",
        "license=MIT",
        "--force",
        "--dry-run",
    )
    assert result.exit_code == 0, result.output
    config, prompter = seen[0]
    assert config.name == "my-shop"
    assert config.template == "tutorial"
    assert config.layout == "package"
    assert config.output_dir == tmp_path
    assert dict(config.variables) == {"description": "A shop", "license": "MIT"}
    assert (config.force, config.dry_run) == (True, True)
    assert config.target == tmp_path / "my-shop"
    assert prompter is None  # not a terminal: never prompt


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[NewConfig] = []
    monkeypatch.setattr(
        create_module, "create_project", lambda config, prompter, out: seen.append(config)
    )
    assert invoke("shop").exit_code == 0
    config = seen[0]
    assert (config.template, config.layout, config.force, config.dry_run) == (
        None,
        None,
        False,
        False,
    )
    assert config.target == Path.cwd().resolve() / "shop"


def test_help_names_every_option() -> None:
    result = invoke("--help")
    assert result.exit_code == 0
    for option in (
        "--layout [module|package]",
        "--template NAME|PATH",
        "-o, --output-dir",
        "--no-input",
        "--force",
        "--dry-run",
        "--var KEY=VALUE",
        "--list-templates",
    ):
        assert option in result.output


def test_name_is_required() -> None:
    result = invoke("--no-input")
    assert result.exit_code == 2
    assert "Missing argument 'NAME'" in result.stderr


def test_bad_var_option_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke("shop", "--var", "novalue", "-o", str(tmp_path))
    assert result.exit_code == 2
    assert "not KEY=VALUE" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_list_templates() -> None:
    result = invoke("--list-templates")
    assert result.exit_code == 0
    assert "tutorial" in result.stdout
    assert "(built-in)" in result.stdout


def test_creates_a_project_and_prints_the_plan(tmp_path: Path) -> None:
    result = invoke("hello", "--layout", "module", "--no-input", "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "hello" / "app.py").is_file()
    assert "create     app.py" in result.stdout
    assert "flaskit run --debug" in result.stdout
    assert "\x1b[" not in result.stdout  # plain text when not a terminal


def test_a_non_empty_folder_exits_1_and_lists_conflicts(tmp_path: Path) -> None:
    (tmp_path / "hello").mkdir()
    (tmp_path / "hello" / "app.py").write_text("mine")
    result = invoke("hello", "--layout", "module", "--no-input", "-o", str(tmp_path))
    assert result.exit_code == 1
    assert "These files differ from the template's: app.py." in result.stderr
    assert (tmp_path / "hello" / "app.py").read_text() == "mine"
    assert sorted(p.name for p in (tmp_path / "hello").iterdir()) == ["app.py"]


def test_rich_output_on_a_terminal(tmp_path: Path) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = Terminal()
    config = NewConfig("hello", tmp_path, tmp_path, layout="module", dry_run=True)
    create_module.create_project(config, None, out)
    assert "\x1b[" in out.getvalue()  # colours on a terminal
