"""Putting rendered files on disk: plan first, refuse to clobber, write atomically."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from flaskit.deploy.render import RenderedFile
from flaskit.errors import UsageProblem

Action = Literal["create", "overwrite", "unchanged"]


class OutputExists(UsageProblem):
    """A file deploy-config would write is already there, with other content."""


@dataclass(frozen=True)
class PlannedFile:
    """One file and what writing it would do."""

    file: RenderedFile
    path: Path  # absolute, on this machine
    action: Action


def plan_files(output_dir: Path, files: list[RenderedFile]) -> list[PlannedFile]:
    """What writing ``files`` into ``output_dir`` would do to each path."""
    planned = []
    for file in files:
        path = output_dir / file.path
        if path.is_dir():
            raise OutputExists(
                f"{path} is a directory, but deploy-config writes a file there. "
                "Move it away or choose another --output-dir."
            )
        if not path.exists():
            action: Action = "create"
        elif _same_text(path, file.content):
            action = "unchanged"
        else:
            action = "overwrite"
        planned.append(PlannedFile(file, path, action))
    return planned


def refuse_overwrites(plan: list[PlannedFile]) -> None:
    """Stop before writing anything if a changed file would replace an existing one."""
    clobbered = [p.path for p in plan if p.action == "overwrite"]
    if clobbered:
        listing = "\n".join(f"  {path}" for path in clobbered)
        raise OutputExists(
            f"These files already exist and would change:\n{listing}\n"
            "Nothing was written. Pass --force to replace them, --dry-run to see the new "
            "content, or choose another --output-dir."
        )


def write_files(plan: list[PlannedFile]) -> None:
    """Write every new or changed file; each one appears whole or not at all."""
    for item in plan:
        if item.action == "unchanged":
            continue
        item.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=f".{item.path.name}.", dir=item.path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
                stream.write(item.file.content)
            Path(temp).chmod(0o644)
            Path(temp).replace(item.path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise


def _same_text(path: Path, text: str) -> bool:
    try:
        return path.read_text(encoding="utf-8") == text
    except (OSError, UnicodeDecodeError):
        return False
