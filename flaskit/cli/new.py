"""``flaskit new``."""

from __future__ import annotations

import click

from flaskit.errors import NotBuiltYet


@click.command("new", context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def new_command(args: tuple[str, ...]) -> None:
    """Create a project with templates/, static/ and passing tests."""
    raise NotBuiltYet("new")
