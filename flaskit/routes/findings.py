"""What ``--check`` and ``--match`` found: the records that ``report`` renders.

They live apart from the code that finds them (``check``, ``match``), so
rendering depends on the records only, and the modules have no import cycle.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from flaskit.routes.model import Match, MatchRequest, Miss, Route

ProblemKind = Literal["no-view", "shadowed", "view-under-several-endpoints"]
NoteKind = Literal["url-for-alias"]


@dataclass(frozen=True)
class Problem:
    """One mistake: what it is, and the routes involved (the faulty one first)."""

    kind: ProblemKind
    routes: tuple[Route, ...]


@dataclass(frozen=True)
class Note:
    """Something worth knowing that is not a mistake: the route, then the ones involved."""

    kind: NoteKind
    routes: tuple[Route, ...]


@dataclass(frozen=True)
class CheckReport:
    """The problems found, how many routes were checked, what could not be checked,
    and notes (which do not make the check fail)."""

    problems: list[Problem]
    route_count: int
    skipped: tuple[str, ...] = ()
    notes: tuple[Note, ...] = ()


@dataclass(frozen=True)
class MatchReport:
    """The request, the adapter's answer and, for a miss, the routes that came close."""

    request: MatchRequest
    outcome: Match | Miss
    closest: tuple[Route, ...] = ()

    @property
    def matched(self) -> bool:
        """Whether a route handles the request."""
        return isinstance(self.outcome, Match)
