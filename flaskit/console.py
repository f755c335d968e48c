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


def make_console(
    stream: IO[str] | None = None, *, stderr: bool = False, width: int | None = None
) -> Console:
    """A rich console writing to ``stream`` (stdout, or stderr with ``stderr=True``).

    ``width`` overrides the width rich finds (the terminal's, else ``COLUMNS``, else 80).
    """
    from rich.console import Console

    if stream is None:
        stream = sys.stderr if stderr else sys.stdout
    return Console(file=stream, highlight=False, soft_wrap=False, width=width)


def printable(text: str, keep: str = "") -> str:
    """``text`` safe to print: every character a terminal could act on is written as an escape.

    Escape sequences (``\\x1b[31m``, ``\\x1b]0;title\\x07``), carriage returns,
    backspaces and invisible or direction-changing characters (``\\u202e``) come
    from the request or the app, so they must never colour the terminal, move the
    cursor or hide text. Characters in ``keep`` (``"\\n"`` for multi-line
    messages) stay as they are.
    """
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c in keep else _escape(c) for c in text)


def _escape(char: str) -> str:
    code = ord(char)
    return (
        f"\\x{code:02x}"
        if code < 0x100
        else f"\\u{code:04x}"
        if code < 0x10000
        else f"\\U{code:08x}"
    )
