"""The oldest releases flaskit supports, in one place.

flaskit's own code runs unchanged from these floors up (CI's minimum-versions
job runs the fast suite and the real-process tests of ``run`` with exactly these
releases on Python 3.10), so there is no shim here yet: a difference an older
release needs is handled in this module, next to the floor it belongs to.

The same figures check a project's interpreter before flaskit runs the app
there from an isolated install (:mod:`flaskit.interpreter`).
"""

from __future__ import annotations

import re

#: Python flaskit runs on, and the oldest interpreter a project may run it in.
MIN_PYTHON = (3, 10)

#: The oldest release of each library flaskit imports in the app's interpreter.
#: pyproject.toml states the same floors; tests/test_floors.py keeps them equal.
FLOORS: dict[str, tuple[int, int]] = {
    "werkzeug": (2, 2),
    "click": (8, 0),
    "jinja2": (3, 0),
}

#: The oldest Flask the projects flaskit generates, and its tests, use.
MIN_FLASK = (2, 2)


def release(version: str) -> tuple[int, ...]:
    """The leading numbers of a version string: ``"2.2.3"`` -> ``(2, 2, 3)``,
    ``"3.0.0rc1"`` -> ``(3, 0, 0)``."""
    numbers = []
    for part in version.split("."):
        match = re.match(r"\d+", part)
        if match is None:
            break
        numbers.append(int(match.group()))
        if match.end() != len(part):
            break
    return tuple(numbers)


def dotted(numbers: tuple[int, ...]) -> str:
    """``(3, 10)`` -> ``"3.10"``."""
    return ".".join(str(n) for n in numbers)
