"""Which imported modules belong to the project and which come from outside it."""

from __future__ import annotations

import os
import sys
import sysconfig
from collections.abc import Container, Iterable
from functools import cache
from pathlib import Path
from types import ModuleType


@cache
def _installed_prefixes() -> tuple[str, ...]:
    """Where the standard library and installed packages live."""
    paths = {sysconfig.get_paths()[name] for name in ("stdlib", "platstdlib", "purelib", "platlib")}
    return tuple(sorted(str(Path(p).resolve()) for p in paths))


def is_project_file(path: str, roots: Iterable[Path]) -> bool:
    """Whether ``path`` is the project's own source: under a root, not installed.

    A virtualenv inside the project folder is not the project.
    """
    return _is_project_folder(os.path.dirname(path), tuple(roots))  # noqa: PTH120 - hot path


def is_project_folder(folder: str, roots: Iterable[Path]) -> bool:
    """Whether ``folder`` is the project's own: under a root, not installed."""
    return _is_project_folder(folder, tuple(roots))


@cache
def _is_project_folder(folder: str, roots: tuple[Path, ...]) -> bool:
    resolved = Path(folder).resolve()
    text = str(resolved)
    if "site-packages" in resolved.parts or "dist-packages" in resolved.parts:
        return False
    if any(text == prefix or text.startswith(prefix + os.sep) for prefix in _installed_prefixes()):
        return False
    return any(resolved.is_relative_to(root) for root in roots)


def split_modules(
    roots: Iterable[Path], skip: Container[str] = frozenset()
) -> tuple[list[str], list[str]]:
    """(names of imported modules from outside the project, the project's source files),
    leaving out the modules named in ``skip`` (a forked worker: what the zygote had).

    Names keep their import order, so the zygote imports them as the app did.
    Decided per folder, so a few hundred modules cost a few dozen path lookups.
    """
    roots = tuple(roots)
    external: list[str] = []
    files: list[str] = []
    for name, module in list(sys.modules.items()):
        if name in skip:
            continue
        filename = getattr(module, "__file__", None)
        if not filename or name in {"__main__", "__mp_main__"}:
            continue
        if is_project_file(filename, roots):
            files.append(os.path.abspath(filename))  # noqa: PTH100 - hot path
        elif not name.startswith("flaskit.serve"):
            external.append(name)
    return external, files


def stamp_libraries(modules: Iterable[ModuleType], stamps: dict[str, int]) -> dict[str, int]:
    """Add the modification time of each module's file to ``stamps``, unless it is
    already there, and return ``stamps``.

    The standard library is left out: installs change the others, and fewer
    files keep the zygote's idle check cheap. A file already stamped keeps its
    older time, so a change made since that import is still seen.
    """
    stdlib = os.path.dirname(os.__file__) + os.sep  # noqa: PTH120 - a plain prefix
    for module in modules:
        filename = getattr(module, "__file__", None)
        if not isinstance(filename, str) or filename in stamps:
            continue
        if filename.startswith(stdlib) and "-packages" not in filename:
            continue
        try:
            stamps[filename] = os.stat(filename).st_mtime_ns  # noqa: PTH116 - hot path
        except OSError:
            continue
    return stamps
