"""The project's names: the folder, the distribution name and the import name.

``flaskit new My-Shop`` creates the folder ``My-Shop``, the distribution
``my-shop`` (what ``pip install`` and ``pyproject.toml`` use) and the import
name ``my_shop`` (the package or module). Every check runs before anything is
written, and every refusal comes with a name that would work.
"""

from __future__ import annotations

import importlib.machinery
import keyword
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from flaskit.errors import UsageProblem

# A project named like these breaks Flask apps or pytest in confusing ways.
_LIBRARY = "a package that Flask projects import"
RESERVED = {
    "flask": _LIBRARY,
    "werkzeug": _LIBRARY,
    "jinja2": _LIBRARY,
    "click": _LIBRARY,
    "test": "a standard-library package, and pytest's name for test modules",
    "tests": "the name of every project's own test folder",
    "flaskit": "this tool's own package",
    "conftest": "pytest's name for the fixture files of a test folder (tests/conftest.py)",
}
# The name becomes folder and file names (the package, its .dist-info, an
# editable install's .pth); file systems stop at 255 bytes, tools well before.
MAX_NAME_LENGTH = 100
# PEP 508: letters, digits, and . _ - inside.
_DIST_NAME = re.compile(r"^[a-z0-9]([a-z0-9._-]*[a-z0-9])?$", re.IGNORECASE)
_SEPARATORS = re.compile(r"[-_.]+")
_NOT_NAME_CHARS = re.compile(r"[^A-Za-z0-9]+")


class BadProjectName(UsageProblem):
    """The project name cannot be used (exit code 2)."""


@dataclass(frozen=True)
class ProjectNames:
    """The names derived from what the user typed."""

    project_name: str
    dist_name: str
    import_name: str


def derive_names(
    name: str, search_path: Sequence[str] = (), taken: Mapping[str, str] | None = None
) -> ProjectNames:
    """Check ``name`` and derive the distribution and import names from it.

    ``search_path`` lists the ``sys.path`` entries whose modules the import name
    must not shadow (the installed packages; not the working directory).
    ``taken`` maps the module names the template itself creates (``wsgi``) to
    their file. Raises :class:`BadProjectName` with a suggestion when the name
    cannot be used.
    """
    text = name.strip()
    path_problem = _path_problem(text)
    if path_problem:
        raise BadProjectName(path_problem)
    problem = name_problem(text, search_path, taken)
    if problem:
        raise BadProjectName(f"{problem}{_suggestion(text, search_path, taken)}")
    dist = dist_name_of(text)
    return ProjectNames(text, dist, import_name_of(dist))


def dist_name_of(name: str) -> str:
    """The normalised distribution name (PEP 503): ``My_Shop`` -> ``my-shop``."""
    return _SEPARATORS.sub("-", name).lower()


def import_name_of(name: str) -> str:
    """The import name: ``my-shop`` -> ``my_shop``."""
    return _SEPARATORS.sub("_", name).lower()


def name_problem(
    name: str, search_path: Sequence[str] = (), taken: Mapping[str, str] | None = None
) -> str | None:
    """Why ``name`` cannot be a project name, or None when it can."""
    return dist_name_problem(name) or import_name_problem(
        import_name_of(dist_name_of(name)), search_path, name, taken
    )


def dist_name_problem(name: str) -> str | None:
    """Why ``name`` is not a valid distribution name (PEP 508), or None."""
    if not name:
        return "The project name is empty."
    if len(name) > MAX_NAME_LENGTH:
        return (
            f"The project name is {len(name)} characters long; it can have at most "
            f"{MAX_NAME_LENGTH}, since it becomes the names of folders and files."
        )
    if not _DIST_NAME.match(name):
        return (
            f"'{name}' is not a valid project name: use ASCII letters, digits, '-', '_' and '.', "
            "starting and ending with a letter or digit."
        )
    return None


def import_name_problem(
    import_name: str,
    search_path: Sequence[str] = (),
    given: str | None = None,
    taken: Mapping[str, str] | None = None,
) -> str | None:
    """Why ``import_name`` cannot be the project's package or module name, or None.

    ``taken``: module names the template creates itself, with their file.
    """
    shown = (
        f"'{given}' gives the import name '{import_name}', which"
        if given
        else (f"The import name '{import_name}'")
    )
    if not (import_name.isascii() and import_name.isidentifier()):
        return f"{shown} is not a valid Python identifier (it must not start with a digit)."
    if keyword.iskeyword(import_name):
        return f"{shown} is a Python keyword, so it cannot be imported."
    if import_name in sys.stdlib_module_names:
        return f"{shown} is a standard-library module: your project would shadow it."
    reason = _taken_because(import_name, taken or {})
    if reason:
        return f"{shown} is taken: {reason}."
    origin = installed_module(import_name, search_path)
    if origin:
        return f"{shown} would shadow the installed module '{import_name}' ({origin})."
    return None


def _taken_because(import_name: str, taken: Mapping[str, str]) -> str | None:
    if import_name in RESERVED:
        return f"'{import_name}' is {RESERVED[import_name]}"
    if import_name in taken:
        return (
            f"the template creates {taken[import_name]} too, and Python imports only one "
            "module of a name (flaskit routes, pytest and servers would get the wrong one)"
        )
    return None


def installed_module(import_name: str, search_path: Sequence[str]) -> str | None:
    """Where an installed top-level module of that name lives, or None.

    Namespace packages (folders without ``__init__.py``) do not count: any folder
    on the path would match, and a project package takes precedence over them.
    """
    spec = importlib.machinery.PathFinder.find_spec(import_name, list(search_path))
    if spec is None or not spec.has_location or spec.origin is None:
        return None
    return spec.origin


def installed_search_path(exclude: Iterable[Path]) -> list[str]:
    """``sys.path`` without the working directory and the folders in ``exclude``,
    which hold the user's own files rather than installed modules."""
    skipped = {Path.cwd().resolve(), *(p.resolve() for p in exclude)}
    kept = []
    for entry in sys.path:
        if entry in ("", "."):
            continue
        if Path(entry).resolve() in skipped:
            continue
        kept.append(entry)
    return kept


def _path_problem(name: str) -> str | None:
    if not any(sep in name for sep in ("/", "\\")) and name not in (".", ".."):
        if name.startswith("."):
            return f"'{name}' is not a valid project name: it must not start with '.'."
        return None
    path = Path(name.replace("\\", "/"))
    base = path.name if path.name not in ("", ".", "..") else "myproject"
    parent = path.parent.as_posix() if path.name not in ("", ".", "..") else name
    return (
        f"'{name}' is a path, but NAME must be a plain project name. To create the project "
        f"in another folder, use: flaskit new {base} --output-dir {parent}"
    )


def _suggestion(
    name: str, search_path: Sequence[str], taken: Mapping[str, str] | None = None
) -> str:
    stem = _NOT_NAME_CHARS.sub("-", name).strip("-").lower()[: MAX_NAME_LENGTH - 8]
    stem = stem.strip("-") or "app"
    candidates = [f"{stem}-app", f"my-{stem}", f"{stem}-project", f"{stem}-site"]
    if stem[0].isdigit():
        candidates.insert(0, f"app-{stem}")
    for candidate in candidates:
        if name_problem(candidate, search_path, taken) is None:
            return f" Choose another name, for example: flaskit new {candidate}"
    return " Choose another name."
