"""When to replace a worker that died while it was serving.

A worker that dies after it became ready (killed by the OOM killer, by a
``kill -9``, by a crash in a C extension) is always replaced: requests wait in
the socket's backlog meanwhile, and a worker that dies young must not leave
them waiting for an edit that may never come. Only a worker that keeps dying
young is replaced after a growing pause, so an app that exits on its own right
after starting cannot make the supervisor fork in a tight loop.
"""

from __future__ import annotations

from dataclasses import dataclass

YOUNG = 1.0  # seconds after ready: a death before this counts towards the pause
FIRST_PAUSE = 0.25  # seconds before the second replacement in a row of young deaths
MAX_PAUSE = 5.0  # the pause stops growing here


@dataclass
class RestartPolicy:
    """How long to wait before replacing a dead worker."""

    young_deaths: int = 0

    def pause(self, lived: float | None) -> float:
        """Seconds to wait before the replacement of a worker that served for ``lived``
        seconds (``None``: it never served); 0 for the first young death in a row."""
        if lived is not None and lived >= YOUNG:
            self.young_deaths = 0
            return 0.0
        self.young_deaths += 1
        if self.young_deaths == 1:
            return 0.0
        return min(MAX_PAUSE, FIRST_PAUSE * 2.0 ** (self.young_deaths - 2))

    def reset(self) -> None:
        """A file changed: the next generation is new code, the next death a new row."""
        self.young_deaths = 0
