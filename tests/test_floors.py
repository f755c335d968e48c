"""flaskit's dependency floors leave room for the Flask 2.2-era pins still common in projects."""

from __future__ import annotations

import sys

from packaging.requirements import Requirement

from flaskit.compat import FLOORS, MIN_FLASK, MIN_PYTHON, dotted, release
from tests.helpers import APPS, REPO

PINNED = APPS / "pinned_flask22" / "requirements.txt"


def declared_requirements() -> dict[str, Requirement]:
    """pyproject.toml's dependencies and test extras, by lower-case name."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    declared = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    return {
        Requirement(text).name.lower(): Requirement(text)
        for text in [*declared["dependencies"], *declared["optional-dependencies"]["test"]]
    }


def test_the_floors_admit_a_flask_2_2_projects_pins():
    # Without the index: each pin satisfies flaskit's own requirement on that package.
    requirements = declared_requirements()
    pins = dict(line.split("==") for line in PINNED.read_text().splitlines() if "==" in line)
    checked = 0
    for name, pinned in pins.items():
        requirement = requirements.get(name.lower())
        if requirement is not None:
            assert requirement.specifier.contains(pinned), f"{requirement} refuses {name} {pinned}"
            checked += 1
    assert checked >= 4  # flask (tests), werkzeug, click, jinja2


def test_the_floors_checked_in_a_project_interpreter_are_pyprojects():
    # An isolated install checks the project's werkzeug, click and jinja2 against
    # flaskit.compat.FLOORS: the same figures pyproject.toml asks pip for.
    requirements = declared_requirements()
    for name, floor in FLOORS.items():
        (spec,) = requirements[name].specifier
        assert spec.operator == ">=", requirements[name]
        assert release(spec.version)[:2] == floor, requirements[name]
    (flask,) = requirements["flask"].specifier
    assert release(flask.version)[:2] == MIN_FLASK
    assert f'requires-python = ">={dotted(MIN_PYTHON)}"' in (REPO / "pyproject.toml").read_text()


def test_generated_projects_ask_for_the_oldest_supported_flask():
    manifests = sorted((REPO / "project_templates").glob("*/pyproject.toml.jinja"))
    assert manifests
    for manifest in manifests:
        assert f'"flask>={dotted(MIN_FLASK)}"' in manifest.read_text(), manifest
