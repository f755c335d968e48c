"""The plan of each built-in template with its defaults, against golden files.

A change to a template's file list shows up here; after checking the change,
regenerate with: FLASKIT_UPDATE_GOLDEN=1 python -m pytest tests/scaffold/test_golden.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from flaskit.scaffold.show import plan_lines
from tests.scaffold.conftest import Create

GOLDEN = Path(__file__).parent / "golden"
CASES = {
    "module": {"layout": "module"},
    "package": {},
    "tutorial": {"template": "tutorial"},
}


@pytest.mark.parametrize("case", CASES)
def test_plan_matches_golden(create: Create, case: str) -> None:
    outcome = create("demo-site", dry_run=True, **CASES[case])
    text = "".join(f"{action} {path}\n" for action, path in plan_lines(outcome.plan, False))
    golden = GOLDEN / f"{case}.txt"
    if os.environ.get("FLASKIT_UPDATE_GOLDEN"):
        golden.write_text(text)
    assert text == golden.read_text()
