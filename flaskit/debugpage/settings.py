"""``--debug-allow`` and ``--editor`` as the page uses them, checked strictly or leniently."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from flaskit.debugpage.access import LOOPBACK, Network, parse_allow
from flaskit.debugpage.editor import editor_pattern
from flaskit.errors import UsageProblem

if TYPE_CHECKING:
    from flaskit.debugpage import DebugPageConfig


@dataclass(frozen=True)
class PageSettings:
    """Who may see the page, and the editor link pattern."""

    networks: tuple[Network, ...]
    editor: str | None


def checked(config: DebugPageConfig) -> PageSettings:
    """The settings; raises :class:`UsageProblem` for an unusable value."""
    return PageSettings(parse_allow(config.allow), editor_pattern(config.editor))


def lenient(config: DebugPageConfig, stream: IO[str] | None = None) -> PageSettings:
    """The settings, leaving out (with a warning) what cannot be used.

    The server calls :func:`~flaskit.debugpage.wrap` inside a worker, where an
    exception would only kill the worker; a bad network only narrows who sees
    the page, and a bad editor only removes the links.
    """
    out = sys.stderr if stream is None else stream
    networks = list(LOOPBACK)
    for cidr in config.allow:
        try:
            networks.extend(parse_allow([cidr])[len(LOOPBACK) :])
        except UsageProblem as problem:
            out.write(f" * Debug page: ignored: {problem.format_message()}\n")
    try:
        editor = editor_pattern(config.editor)
    except UsageProblem as problem:
        out.write(f" * Debug page: no editor links: {problem.format_message()}\n")
        editor = None
    return PageSettings(tuple(networks), editor)
