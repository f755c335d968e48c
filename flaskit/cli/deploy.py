"""``flaskit deploy-config``."""

from __future__ import annotations

import click

from flaskit.errors import NotBuiltYet


@click.command("deploy-config", context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def deploy_config_command(args: tuple[str, ...]) -> None:
    """Write nginx, gunicorn, systemd and Apache configs."""
    raise NotBuiltYet("deploy-config")
