"""Two plugin commands: one that needs no app, one that asks Flask for it."""

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command()
@click.option("--name", default="world")
def hello(name):
    """Say hello without loading the app."""
    click.echo(f"plugin says hello to {name}")


@click.command()
@with_appcontext
def app_name():
    """Print the name of the app that Flask's ScriptInfo loads."""
    click.echo(f"plugin sees app {current_app.import_name}")
