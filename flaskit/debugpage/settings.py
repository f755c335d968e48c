"""``--debug-allow``, ``--allow-host`` and ``--editor`` as the page uses them, checked
strictly or leniently."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from flaskit.debugpage.access import LOOPBACK, HostNames, Network, parse_allow, parse_hosts
from flaskit.debugpage.editor import editor_pattern
from flaskit.errors import UsageProblem

if TYPE_CHECKING:
    from flaskit.debugpage import DebugPageConfig


@dataclass(frozen=True)
class PageSettings:
    """Who may see the page (clients and the names they use), and the editor link pattern."""

    networks: tuple[Network, ...]
    hosts: HostNames
    editor: str | None


def checked(config: DebugPageConfig) -> PageSettings:
    """The settings; raises :class:`UsageProblem` for an unusable value."""
    return PageSettings(
        parse_allow(config.allow), parse_hosts(config.trusted_hosts), editor_pattern(config.editor)
    )


def lenient(config: DebugPageConfig, stream: IO[str] | None = None) -> PageSettings:
    """The settings, leaving out (with a warning) what cannot be used.

    The server calls :func:`~flaskit.debugpage.wrap` inside a worker, where an
    exception would only kill the worker; a bad network or host name only
    narrows who sees the page, and a bad editor only removes the links.
    """
    out = sys.stderr if stream is None else stream
    networks = list(LOOPBACK)
    for cidr in config.allow:
        try:
            networks.extend(parse_allow([cidr])[len(LOOPBACK) :])
        except UsageProblem as problem:
            out.write(f" * Debug page: ignored: {problem.format_message()}\n")
    exact: set[str] = set()
    suffixes: list[str] = []
    for name in config.trusted_hosts:
        try:
            hosts = parse_hosts([name])
        except UsageProblem as problem:
            out.write(f" * Debug page: ignored: {problem.format_message()}\n")
            continue
        exact |= hosts.exact
        suffixes += hosts.suffixes
    try:
        editor = editor_pattern(config.editor)
    except UsageProblem as problem:
        out.write(f" * Debug page: no editor links: {problem.format_message()}\n")
        editor = None
    return PageSettings(tuple(networks), HostNames(frozenset(exact), tuple(suffixes)), editor)
