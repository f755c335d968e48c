"""What the supervisor tells the user: the banner, reloads, warnings.

Data first (:class:`Banner`), then rendering: rich on a terminal, plain text
when piped, no colour with ``NO_COLOR`` (rich reads it).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING

from flaskit.console import is_terminal

if TYPE_CHECKING:
    from rich.console import Console

DEV_WARNING = (
    "Development server: do not use it in production. "
    "Generate a production setup with: flaskit deploy-config"
)


@dataclass(frozen=True)
class Banner:
    """What the start-up banner says."""

    version: str
    app: str
    found: str
    debug: bool
    reload: bool
    reloader: str
    workers: str
    local_url: str
    network_urls: list[str] = field(default_factory=list)
    ready_ms: float = 0.0
    python: str = ""  # the interpreter that runs the app, and where it was chosen

    def rows(self) -> list[tuple[str, str]]:
        """(label, value) lines, in order."""
        rows = [
            ("App", f"{self.app} ({self.found})"),
            *([("Python", self.python)] if self.python else []),
            ("Debug", "on" if self.debug else "off"),
            ("Reload", f"on, {self.reloader}; {self.workers}" if self.reload else "off"),
            ("Local", self.local_url),
        ]
        rows += [("Network", url) for url in self.network_urls]
        rows.append(("Ready", f"in {self.ready_ms:.0f} ms"))
        return rows


def describe_paths(paths: Iterable[Path], roots: Iterable[Path], limit: int = 3) -> str:
    """``a.py, pkg/b.py and 2 more``, relative to the project where possible."""
    roots = tuple(roots)
    shown: list[str] = []
    paths = list(paths)
    for path in paths[:limit]:
        for root in roots:
            if path.is_relative_to(root):
                shown.append(path.relative_to(root).as_posix())
                break
        else:
            shown.append(str(path))
    more = len(paths) - limit
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


class Terminal:
    """Writes the supervisor's lines to stdout (warnings to stderr)."""

    def __init__(self, out: IO[str] | None = None, err: IO[str] | None = None) -> None:
        self.out = out if out is not None else sys.stdout
        self.err = err if err is not None else sys.stderr
        self._rich = is_terminal(self.out)
        self._console: Console | None = None
        self._err_console: Console | None = None

    def _print(self, text: str, style: str = "", err: bool = False) -> None:
        stream = self.err if err else self.out
        if not (is_terminal(stream) if err else self._rich):
            stream.write(text + "\n")
            stream.flush()
            return
        from rich.text import Text

        from flaskit.console import make_console

        if err:
            self._err_console = self._err_console or make_console(self.err)
            console = self._err_console
        else:
            self._console = self._console or make_console(self.out)
            console = self._console
        console.print(Text(text, style=style), soft_wrap=True)

    def banner(self, banner: Banner) -> None:
        """The start-up banner and the development-server warning."""
        self._print(f"flaskit {banner.version}", "bold")
        width = max(len(label) for label, _ in banner.rows())
        for label, value in banner.rows():
            style = "bold cyan" if label in ("Local", "Network") else ""
            self._print(f"  {label.ljust(width)}  {value}", style)
        self._print(DEV_WARNING, "yellow")

    def reloaded(self, what: str, ms: float, failed: bool) -> None:
        """One line per reload: what changed and how long it took to be ready."""
        if failed:
            self._print(
                f"Reloaded in {ms:.0f} ms ({what}), but the app failed to import: "
                "serving the error until you fix it.",
                "bold red",
            )
        else:
            self._print(f"Reloaded in {ms:.0f} ms ({what})", "green")

    def phases(self, breakdown: str) -> None:
        """Where one reload's time went (``--verbose``)."""
        self._print(f"  {breakdown}", "dim")

    def changed(self, kind: str, what: str) -> None:
        """A change that needs no restart."""
        self._print(f"{what} changed ({kind}: no restart)", "dim")

    def note(self, text: str) -> None:
        """Something worth knowing."""
        self._print(text, "dim")

    def warn(self, text: str) -> None:
        """Something the user may need to act on."""
        self._print(f"Warning: {text}", "yellow", err=True)

    def error(self, text: str) -> None:
        """Something went wrong; flaskit carries on if it can."""
        self._print(text, "bold red", err=True)
