"""Made-up URL paths that a rule matches, for finding rules shadowed by earlier ones.

A placeholder gets candidate values that no app is likely to have as a
literal path segment, filtered by what the placeholder accepts; each built
path is then confirmed by the rule's own matcher, so a path is only ever
used if the rule really matches it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

# Ordered from the most to the least general; a placeholder keeps those it accepts.
CANDIDATES = (
    "flaskitx",
    "4821",
    "flaskit-y_2",
    "93",
    "2.5",
    "3f0c1b7e-6d1a-4c1e-9a7f-2b3c4d5e6f70",
    "flaskitx/y",
)

Piece = str | Sequence[str]


def values_matching(regex: str | None) -> list[str]:
    """The candidate values the regular expression ``regex`` matches in full."""
    if regex is None:
        return list(CANDIDATES)
    try:
        pattern = re.compile(regex)
    except re.error:
        return []
    return [value for value in CANDIDATES if pattern.fullmatch(value)]


def build_samples(
    pieces: Sequence[Piece], accepts: Callable[[str], bool], limit: int = 2
) -> list[str]:
    """Up to ``limit`` paths from ``pieces``: literal text, or a placeholder's values.

    Path ``i`` uses value ``i`` of every placeholder (cycling through shorter
    lists); only paths ``accepts`` confirms are kept. No path when a
    placeholder has no value.
    """
    choices = [piece for piece in pieces if not isinstance(piece, str)]
    if any(not values for values in choices):
        return []
    rounds = max((len(values) for values in choices), default=1)
    found: list[str] = []
    for index in range(rounds):
        path = "".join(
            piece if isinstance(piece, str) else piece[index % len(piece)] for piece in pieces
        )
        if path not in found and accepts(path):
            found.append(path)
            if len(found) >= limit:
                break
    return found
