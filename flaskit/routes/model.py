"""The route record every adapter produces and every renderer consumes."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

# Methods every werkzeug-based framework adds on its own; hidden unless asked for.
IMPLICIT_METHODS = frozenset({"HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Route:
    """One URL rule of an app.

    ``methods`` is ``None`` when the rule accepts any method. ``file`` is an
    absolute path; renderers shorten it. ``order`` is the position in which
    the framework tries the rule when it dispatches a request.
    """

    rule: str
    methods: tuple[str, ...] | None
    endpoint: str
    view: str | None
    file: str | None
    line: int | None
    host: str | None = None
    subdomain: str | None = None
    blueprint: str | None = None
    order: int = 0

    def shown_methods(self, all_methods: bool) -> tuple[str, ...] | None:
        """The methods to display: without HEAD and OPTIONS unless ``all_methods``."""
        if self.methods is None or all_methods:
            return self.methods
        kept = tuple(m for m in self.methods if m not in IMPLICIT_METHODS)
        return kept or self.methods

    def accepts(self, method: str) -> bool:
        """Whether a request with ``method`` can reach this rule."""
        return self.methods is None or method.upper() in self.methods

    def location(self, cwd: Path) -> str | None:
        """``file:line``, with the file relative to ``cwd`` when it is inside it."""
        if self.file is None:
            return None
        text = display_path(self.file, cwd)
        return f"{text}:{self.line}" if self.line else text

    def to_json(self, cwd: Path, all_methods: bool) -> dict[str, Any]:
        """The JSON object for ``--json``."""
        data = asdict(self)
        del data["order"]
        methods = self.shown_methods(all_methods)
        data["methods"] = list(methods) if methods is not None else None
        data["file"] = display_path(self.file, cwd) if self.file else None
        return data


def display_path(file: str, cwd: Path) -> str:
    """``file`` relative to ``cwd`` when it is inside it, else unchanged."""
    prefix = str(cwd).rstrip(os.sep) + os.sep
    return file[len(prefix) :] if file.startswith(prefix) else file
