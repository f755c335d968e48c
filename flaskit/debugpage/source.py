"""The source lines around a frame, highlighted."""

from __future__ import annotations

import itertools
import linecache
from dataclasses import dataclass, field
from typing import Any

from flaskit.debugpage.highlight import TripleQuotes, lex_other, lex_python, split_lines
from flaskit.debugpage.model import SourceLine

# Three lines each side of the current one, as rich's own tracebacks show (extra_lines=3).
LINES_BEFORE = 3
LINES_AFTER = 3


@dataclass
class _File:
    lines: list[str]
    offsets: list[int] = field(default_factory=list)  # where each line starts in the file
    quotes: TripleQuotes | None = None


class SourceReader:
    """Reads and highlights source windows for one report.

    Files are read through :mod:`linecache`, checked once against the disk
    per report, and kept for the other frames of the same file; so is each
    window (a recursion fails on the same line frame after frame).
    """

    def __init__(self, before: int = LINES_BEFORE, after: int = LINES_AFTER) -> None:
        self.before = before
        self.after = after
        self._files: dict[str, _File] = {}
        self._windows: dict[tuple[str, int, bool], tuple[SourceLine, ...]] = {}

    def lines(self, filename: str, module_globals: dict[str, Any] | None = None) -> list[str]:
        """All lines of ``filename`` (empty when there is no source)."""
        return self._file(filename, module_globals).lines

    def window(
        self,
        filename: str,
        lineno: int,
        *,
        python: bool = True,
        module_globals: dict[str, Any] | None = None,
    ) -> tuple[SourceLine, ...]:
        """The highlighted lines around ``lineno`` (1-based); empty when there is no source."""
        key = (filename, lineno, python)
        found = self._windows.get(key)
        if found is None:
            found = self._windows[key] = self._window(filename, lineno, python, module_globals)
        return found

    def _window(
        self, filename: str, lineno: int, python: bool, module_globals: dict[str, Any] | None
    ) -> tuple[SourceLine, ...]:
        file = self._file(filename, module_globals)
        if not 1 <= lineno <= len(file.lines):
            return ()
        first = max(1, lineno - self.before)
        last = min(len(file.lines), lineno + self.after)
        code = "".join(file.lines[first - 1 : last]).expandtabs()
        if python:
            tokens = lex_python(code, self._open_string(file, first))
        else:
            tokens = lex_other(code, filename)
        rows = list(split_lines(tokens))
        return tuple(
            SourceLine(number, tuple(rows[index]) if index < len(rows) else (), number == lineno)
            for index, number in enumerate(range(first, last + 1))
        )

    def _file(self, filename: str, module_globals: dict[str, Any] | None) -> _File:
        cached = self._files.get(filename)
        if cached is None:
            linecache.checkcache(filename)
            cached = _File(linecache.getlines(filename, module_globals))
            self._files[filename] = cached
        return cached

    def _open_string(self, file: _File, first: int) -> str | None:
        if first == 1:
            return None
        if file.quotes is None:
            file.offsets = [0, *itertools.accumulate(map(len, file.lines))]
            file.quotes = TripleQuotes("".join(file.lines))
        return file.quotes.open_at(file.offsets[first - 1])
