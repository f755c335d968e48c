"""``flaskit shell``."""

from __future__ import annotations

import sys

import click

from flaskit.cli.common import app_option, pass_cli
from flaskit.context import CliContext

INTERFACES = ("auto", "python", "ipython", "ptpython", "bpython")


@click.command("shell")
@click.argument("app", required=False, metavar="[APP]")
@app_option
@click.option(
    "--interface",
    "-i",
    type=click.Choice(INTERFACES),
    default="auto",
    show_default=True,
    help="The interpreter; auto picks IPython, ptpython or bpython when installed.",
)
@pass_cli
def shell_command(
    info: CliContext, app: str | None, app_option: str | None, interface: str
) -> None:
    """A Python shell in the app's context.

    Flask apps: an app context, with app, g and the shell context processors'
    names (Flask-SQLAlchemy's db and models). Django: as manage.py shell. Any
    other WSGI app: the app object as 'app'. Runs PYTHONSTARTUP; when standard
    input is not a terminal, runs what it reads as a script.
    """
    from flaskit.cli.foreign import flask_app
    from flaskit.shell import ShellConfig, run_shell

    info.use_app(app, app_option)
    loaded = info.load_app()
    sys.exit(run_shell(loaded, flask_app(info), ShellConfig(interface=interface)))
