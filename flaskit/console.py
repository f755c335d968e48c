"""Terminal output: rich consoles, built lazily so start-up stays light.

rich itself honours ``NO_COLOR``, ``FORCE_COLOR`` and ``COLUMNS``; output that
does not go to a terminal gets no colour codes and no box drawing.
"""

from __future__ import annotations

import sys
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


def is_terminal(stream: IO[str]) -> bool:
    """Whether ``stream`` is an interactive terminal."""
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # closed stream
        return False


def make_console(stream: IO[str] | None = None, *, stderr: bool = False) -> Console:
    """A rich console writing to ``stream`` (stdout, or stderr with ``stderr=True``)."""
    from rich.console import Console

    if stream is None:
        stream = sys.stderr if stderr else sys.stdout
    return Console(file=stream, highlight=False, soft_wrap=False)
