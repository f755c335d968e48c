"""flaskit's dependency floors leave room for the Flask 2.2-era pins still common in projects."""

from __future__ import annotations

import sys

from packaging.requirements import Requirement

from tests.helpers import APPS, REPO

PINNED = APPS / "pinned_flask22" / "requirements.txt"


def test_the_floors_admit_a_flask_2_2_projects_pins():
    # Without the index: each pin satisfies flaskit's own requirement on that package.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    declared = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    requirements = {
        Requirement(text).name.lower(): Requirement(text)
        for text in [*declared["dependencies"], *declared["optional-dependencies"]["test"]]
    }
    pins = dict(line.split("==") for line in PINNED.read_text().splitlines() if "==" in line)
    checked = 0
    for name, pinned in pins.items():
        requirement = requirements.get(name.lower())
        if requirement is not None:
            assert requirement.specifier.contains(pinned), f"{requirement} refuses {name} {pinned}"
            checked += 1
    assert checked >= 4  # flask (tests), werkzeug, click, jinja2
