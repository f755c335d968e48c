"""Fixtures of the serve tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from flaskit.serve.classify import Rules


@pytest.fixture
def rules(tmp_path: Path) -> Rules:
    return Rules(
        roots=(tmp_path,),
        config_files=frozenset({tmp_path / ".env"}),
        watch_files=frozenset({tmp_path / "settings.yaml"}),
        exclude=("data/*", "*.log"),
    )
