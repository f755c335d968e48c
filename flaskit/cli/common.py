"""Options shared by the commands that need an app."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import click

F = TypeVar("F", bound=Callable[..., object])

APP_HELP = (
    "The app: 'module', 'module:name', 'module:create_app()', 'path/app.py'. "
    "Default: FLASKIT_APP, FLASK_APP, [tool.flaskit] app, else wsgi.py, app.py "
    "or a package with create_app()."
)


def app_option(func: F) -> F:
    """Add ``--app SPEC`` (the positional ``APP`` argument is added per command)."""
    return click.option("--app", "app_option", metavar="SPEC", help=APP_HELP)(func)


def pick_app(positional: str | None, option: str | None) -> str | None:
    """The app spec from the positional argument or ``--app``; both must agree."""
    if positional and option and positional != option:
        raise click.UsageError(
            f"Two different apps were given: '{positional}' and --app '{option}'. Pass only one."
        )
    return positional or option
