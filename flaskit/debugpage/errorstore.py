"""The last errors, kept a while so their page can be opened later.

A JSON client, a ``fetch()`` or an htmx request that fails gets a link to the
full page of its error (``/__flaskit/errors/<id>``) rather than the page
itself; the overlay in the browser opens it. A page fetches the frames it
shows closed from ``/__flaskit/errors/<id>/frames/<frame>``. The report is
kept, not the exception: it is plain, masked data, so keeping it holds no
frame, no request and no secret alive. The newest :data:`MAX_ERRORS` are
kept, each for :data:`MAX_AGE` seconds.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from flaskit.debugpage.model import ErrorReport

MAX_ERRORS = 20
MAX_AGE = 15 * 60.0
PREFIX = "/__flaskit/errors/"
FRAMES = "/frames/"  # then a frame's id: the HTML of one frame the page left out


@dataclass(frozen=True)
class StoredError:
    """One error as it was reported."""

    report: ErrorReport
    console_url: str | None
    at: float  # time.monotonic() when it happened


class ErrorStore:
    """The newest errors by id, bounded in number and age; safe across request threads."""

    def __init__(
        self,
        max_errors: int = MAX_ERRORS,
        max_age: float = MAX_AGE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_errors = max_errors
        self.max_age = max_age
        self._clock = clock
        self._errors: OrderedDict[str, StoredError] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, report: ErrorReport, console_url: str | None = None) -> str:
        """Keep ``report``; return its id (unguessable, URL-safe)."""
        error_id = secrets.token_urlsafe(12)
        with self._lock:
            self._expire()
            self._errors[error_id] = StoredError(report, console_url, self._clock())
            while len(self._errors) > self.max_errors:
                self._errors.popitem(last=False)
        return error_id

    def get(self, error_id: str) -> StoredError | None:
        """The error with this id, unless it is gone (too old, or too many since)."""
        with self._lock:
            self._expire()
            return self._errors.get(error_id)

    def _expire(self) -> None:
        oldest = self._clock() - self.max_age
        while self._errors:
            first = next(iter(self._errors.values()))
            if first.at >= oldest:
                break
            self._errors.popitem(last=False)


def error_path(error_id: str) -> str:
    """The path of an error's page, below the app's mount point."""
    return PREFIX + error_id


def stored_path(path: str) -> tuple[str, str | None] | None:
    """The error id, and the frame if any, that a path names: ``/__flaskit/errors/<id>``
    or ``/__flaskit/errors/<id>/frames/<frame>``."""
    if not path.startswith(PREFIX):
        return None
    error_id, _, frame = path[len(PREFIX) :].partition(FRAMES)
    if not error_id or "/" in error_id or "/" in frame or (_ and not frame):
        return None
    return error_id, frame or None
