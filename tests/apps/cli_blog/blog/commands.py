"""Commands on blueprints, registered on the app with the blueprints."""

import click
from flask import Blueprint, current_app

cli_bp = Blueprint("cli", __name__, cli_group=None)  # microblog's translate idiom
admin_bp = Blueprint("admin", __name__)  # its commands under 'admin'


@cli_bp.cli.group()
def translate():
    """Translation and localization commands."""


@translate.command()
@click.argument("lang", required=False)
def compile(lang):
    """Compile all languages."""
    click.echo(f"compiled {lang or 'all'} for {current_app.name}")


@admin_bp.cli.command("promote")
@click.argument("username")
def promote(username):
    """Make a user an admin."""
    click.echo(f"{username} promoted in {current_app.name}")
