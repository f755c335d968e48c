"""Fixtures for the scaffold tests: throw-away templates and project snapshots."""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from flaskit.scaffold.create import NewConfig, Outcome, create_project

MakeTemplate = Callable[..., Path]
Create = Callable[..., Outcome]


def write_tree(root: Path, files: Mapping[str, str | bytes]) -> None:
    """Write ``files`` (relative path -> text or bytes) under ``root``."""
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def snapshot(root: Path) -> dict[str, tuple[str, bytes | None, int]]:
    """Every file and folder under ``root``: kind, bytes and mode, for byte-for-byte checks."""
    found: dict[str, tuple[str, bytes | None, int]] = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        mode = path.lstat().st_mode
        if path.is_symlink():
            found[relative] = ("link", str(path.readlink()).encode(), mode)
        elif path.is_dir():
            found[relative] = ("dir", None, mode)
        else:
            found[relative] = ("file", path.read_bytes(), mode)
    return found


@pytest.fixture
def make_template(tmp_path: Path) -> MakeTemplate:
    """Build a template folder: ``make_template(files, manifest="...")``."""

    def make(files: Mapping[str, str | bytes], manifest: str = "", name: str = "tpl") -> Path:
        root = tmp_path / "templates" / name
        root.mkdir(parents=True)
        (root / "template.toml").write_text(
            manifest or 'description = "A test template"\n', encoding="utf-8"
        )
        write_tree(root, files)
        return root

    return make


@pytest.fixture
def output(tmp_path: Path) -> Path:
    """An empty folder to create projects in."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


@pytest.fixture
def create(output: Path) -> Create:
    """Run create_project in-process, with no prompts; the printed text is in .printed."""

    def run(name: str = "demo", **options: object) -> Outcome:
        out = io.StringIO()
        options.setdefault("output_dir", output)
        config = NewConfig(name=name, cwd=output, **options)  # type: ignore[arg-type]
        outcome = create_project(config, None, out)
        run.printed = out.getvalue()  # type: ignore[attr-defined]
        return outcome

    return run
