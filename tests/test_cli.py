"""The command group: version, help, verbosity, python -m, and unbuilt commands."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

import flaskit
from flaskit.cli import FlaskitGroup, cli
from flaskit.errors import FlaskitError
from tests.helpers import run_flaskit


def test_version():
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"flaskit, version {flaskit.__version__}"


def test_help_lists_the_commands_in_workflow_order():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    commands = result.output.split("Commands:")[1].split()
    names = [word for word in commands if word in {"new", "run", "routes", "deploy-config"}]
    assert names == ["new", "run", "routes", "deploy-config"]
    assert "--verbose" in result.output


@pytest.mark.parametrize("command", ["new", "run", "routes", "deploy-config"])
def test_every_command_has_help(command):
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert len(result.output.splitlines()) > 3


def test_python_dash_m_flaskit():
    result = run_flaskit(["--version"])
    assert result.returncode == 0
    assert result.stdout.strip() == f"flaskit, version {flaskit.__version__}"


def test_bad_option_value_is_a_usage_error():
    result = run_flaskit(["routes", "--sort", "sideways"])
    assert result.returncode == 2
    assert "Invalid value for '--sort'" in result.stderr


def make_group():
    @click.group(cls=FlaskitGroup)
    @click.option("--verbose", is_flag=True)
    @click.pass_context
    def group(ctx, verbose):
        from flaskit.context import CliContext

        ctx.obj = CliContext(verbose=verbose)

    @group.command()
    def broken():
        try:
            {}["missing"]
        except KeyError as exc:
            raise FlaskitError("The thing failed. Fix the thing.") from exc

    return group


def test_verbose_prints_the_cause_traceback_only_when_asked():
    quiet = CliRunner().invoke(make_group(), ["broken"])
    assert quiet.exit_code == 1
    assert quiet.output == "Error: The thing failed. Fix the thing.\n"
    loud = CliRunner().invoke(make_group(), ["--verbose", "broken"])
    assert "Traceback (most recent call last)" in loud.output
    assert "KeyError: 'missing'" in loud.output
    assert loud.output.endswith("Error: The thing failed. Fix the thing.\n")
