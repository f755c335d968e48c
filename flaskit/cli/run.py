"""``flaskit run``."""

from __future__ import annotations

import click

from flaskit.errors import NotBuiltYet


@click.command("run", context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def run_command(args: tuple[str, ...]) -> None:
    """Serve an app with instant reload and a rich error page."""
    raise NotBuiltYet("run")
