"""What the commands share: the CLI context and the options of commands that need an app."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import click

from flaskit.context import CliContext

F = TypeVar("F", bound=Callable[..., object])

APP_HELP = (
    "The app: 'module', 'module:name', 'module:create_app()', 'path/app.py'. "
    "Default: -A/--app, FLASKIT_APP, FLASK_APP, [tool.flaskit] app, else wsgi.py, app.py, "
    "a Django manage.py or a package with create_app()."
)


def context_of(ctx: click.Context) -> CliContext:
    """The invocation's :class:`CliContext` (made here when a caller such as a docs
    generator built the click context itself)."""
    return ctx.ensure_object(CliContext)


#: Pass the :class:`CliContext` as a command's first argument.
pass_cli = click.make_pass_decorator(CliContext, ensure=True)


def app_option(func: F) -> F:
    """Add ``--app SPEC`` (the positional ``APP`` argument is added per command)."""
    return click.option("--app", "app_option", metavar="SPEC", help=APP_HELP)(func)
