"""The errors flaskit reports to users.

Every error is a :class:`click.ClickException`, so click prints its message
and exits with its code; the message always says how to fix the problem.
Exit code 2 marks a problem with what the user asked for (a bad option, an
app spec that does not resolve), exit code 1 a failure while doing it.
"""

from __future__ import annotations

import traceback
from typing import IO, Any

import click


class FlaskitError(click.ClickException):
    """Base class of every error flaskit reports.

    When the CLI runs with ``--verbose`` it sets :attr:`verbose`, and the
    Python traceback of the underlying cause is printed before the message.
    """

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.verbose = False

    def show(self, file: IO[Any] | None = None) -> None:
        """Print the message (and, with ``--verbose``, the cause's traceback)."""
        cause = self.__cause__
        if self.verbose and cause is not None:
            text = "".join(traceback.format_exception(type(cause), cause, cause.__traceback__))
            click.echo(text, file=file, err=True, nl=False)
        click.echo(f"Error: {self.format_message()}", file=file, err=True)


class UsageProblem(FlaskitError):
    """What the user asked for cannot work as given (exit code 2)."""

    exit_code = 2


class ConfigError(UsageProblem):
    """A setting from the environment, a dotenv file or pyproject.toml is invalid."""


class AppDiscoveryError(UsageProblem):
    """The app spec does not lead to a WSGI application."""
