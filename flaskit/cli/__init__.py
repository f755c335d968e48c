"""The ``flaskit`` command group.

Only click and the standard library are imported here and in the command
modules; each command imports what it needs when it runs, so ``flaskit --help``
stays fast (a test enforces it).
"""

from __future__ import annotations

from typing import Any

import click

from flaskit import __version__
from flaskit.cli.deploy import deploy_config_command
from flaskit.cli.new import new_command
from flaskit.cli.routes import routes_command
from flaskit.cli.run import run_command
from flaskit.errors import FlaskitError


class CliState:
    """Options of the root group that every command can see."""

    # A plain class: importing dataclasses costs start-up time --help should not pay.
    def __init__(self, verbose: bool = False) -> None:
        self.verbose = verbose


class FlaskitGroup(click.Group):
    """Marks flaskit errors for a traceback when ``--verbose`` was given."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Commands in the order a project meets them, not alphabetically."""
        return list(self.commands)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the subcommand; on a flaskit error, pass ``--verbose`` on to it."""
        try:
            return super().invoke(ctx)
        except FlaskitError as exc:
            state = ctx.find_object(CliState)
            exc.verbose = bool(state and state.verbose)
            raise


@click.group(cls=FlaskitGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="flaskit")
@click.option("--verbose", "-v", is_flag=True, help="Show Python tracebacks behind errors.")
@click.pass_context
def cli(ctx: click.Context, verbose: bool) -> None:
    """The command-line companion for Flask and any WSGI app.

    \b
      flaskit new myapp        create a project that works the moment it exists
      flaskit run --debug      serve with instant reload and a rich error page
      flaskit routes           list every route with its view and file:line
      flaskit deploy-config    nginx, gunicorn, systemd and Apache configs
    """
    ctx.obj = CliState(verbose=verbose)


cli.add_command(new_command)
cli.add_command(run_command)
cli.add_command(routes_command)
cli.add_command(deploy_config_command)


def main() -> None:
    """Entry point of the ``flaskit`` script and ``python -m flaskit``."""
    cli(prog_name="flaskit")
