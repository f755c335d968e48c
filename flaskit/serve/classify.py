"""Which changed files matter, and what each change calls for.

Pure functions on paths, shared by both watcher back-ends and the tests.
Patterns match path *components* and the file name, never the whole absolute
path: watchdog 7 matches its patterns against the whole path, which is why
werkzeug's ``*.py`` pattern stopped matching anything there.
"""

from __future__ import annotations

import enum
import fnmatch
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePath

# Folders never worth watching: version control, caches, virtualenvs, dependencies.
EXCLUDED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "__pycache__",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        "node_modules",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".hypothesis",
        ".cache",
        ".idea",
        ".vscode",
        "site-packages",
        "dist-packages",
        "htmlcov",
    }
)
EXCLUDED_DIR_GLOBS = ("*.egg-info",)
# Editor swap, backup and temporary files (vim, emacs, JetBrains, Kate, LibreOffice).
EXCLUDED_FILE_GLOBS = (
    "*.swp",
    "*.swo",
    "*.swx",
    "*~",
    ".#*",
    "#*#",
    "4913",
    "*.tmp",
    "*.bak",
    "*.orig",
    "*___jb_tmp___",
    "*___jb_old___",
    ".*.kate-swp",
    ".~lock.*",
    "*.pyc",
    "*.pyo",
    ".DS_Store",
)
TEMPLATE_SUFFIXES = frozenset(
    {".html", ".htm", ".jinja", ".jinja2", ".j2", ".xml", ".txt", ".tpl", ".stpl", ".thtml"}
)
CONFIG_NAMES = frozenset({".env", ".flaskenv", "pyproject.toml"})


class Kind(enum.Enum):
    """What a change calls for."""

    RESTART = "restart"  # Python code or a watched file: a new worker generation
    CONFIG = "config"  # .env, .flaskenv, pyproject.toml: new environment, new zygote
    TEMPLATE = "template"  # no restart; the page reloads (live reload)
    CSS = "css"  # no restart; stylesheets are swapped (live reload)
    STATIC = "static"  # no restart; the page reloads (live reload)
    IGNORE = "ignore"


@dataclass(frozen=True)
class Rules:
    """Where the project is and what to leave out."""

    roots: tuple[Path, ...]
    config_files: frozenset[Path] = frozenset()
    watch_files: frozenset[Path] = frozenset()
    exclude: tuple[str, ...] = ()
    template_dirs: frozenset[Path] = frozenset()
    static_dirs: frozenset[Path] = frozenset()

    def with_folders(self, templates: Iterable[Path], static: Iterable[Path]) -> Rules:
        """The same rules, knowing the app's own template and static folders."""
        return Rules(
            self.roots,
            self.config_files,
            self.watch_files,
            self.exclude,
            self.template_dirs | frozenset(templates),
            self.static_dirs | frozenset(static),
        )


def root_of(path: Path, roots: Iterable[Path]) -> Path | None:
    """The root ``path`` is inside, if any."""
    for root in roots:
        if path == root or path.is_relative_to(root):
            return root
    return None


def is_excluded_dir(name: str, user_globs: Iterable[str] = ()) -> bool:
    """Whether a folder with this name is never watched."""
    if name in EXCLUDED_DIRS or any(fnmatch.fnmatch(name, g) for g in EXCLUDED_DIR_GLOBS):
        return True
    return any(fnmatch.fnmatch(name, g) for g in user_globs)


def is_excluded(path: Path, rules: Rules) -> bool:  # noqa: PLR0911 - one rule per return
    """Whether changes to ``path`` are ignored: excluded folders, editor files, ``--exclude``."""
    if path in rules.config_files or path in rules.watch_files:
        return False
    root = root_of(path, rules.roots)
    if root is None:
        return True
    relative = PurePath(path.relative_to(root))
    parts = relative.parts
    if any(is_excluded_dir(part) for part in parts[:-1]):
        return True
    name = path.name
    if any(fnmatch.fnmatch(name, g) for g in EXCLUDED_FILE_GLOBS):
        return True
    text = relative.as_posix()
    for given in rules.exclude:
        pattern = given.rstrip("/")
        if fnmatch.fnmatch(text, pattern) or fnmatch.fnmatch(name, pattern):
            return True
        if any(fnmatch.fnmatch(part, pattern) for part in parts[:-1]):
            return True
        if "/" in pattern and fnmatch.fnmatch(text, pattern + "/*"):
            return True
    return False


def classify(path: Path, rules: Rules) -> Kind:  # noqa: PLR0911 - one rule per return
    """What a change to ``path`` calls for."""
    if path in rules.config_files:
        return Kind.CONFIG
    if path in rules.watch_files:
        return Kind.RESTART
    if is_excluded(path, rules):
        return Kind.IGNORE
    if path.suffix == ".py":
        return Kind.RESTART
    if path.name in CONFIG_NAMES:
        return Kind.IGNORE  # a config file of some other folder
    root = root_of(path, rules.roots)
    folders = path.relative_to(root).parts[:-1] if root else ()
    in_static = _inside(path, rules.static_dirs) or "static" in folders
    if path.suffix == ".css" and in_static:
        return Kind.CSS
    if _in_template_dir(path, rules) or (
        "templates" in folders and path.suffix in TEMPLATE_SUFFIXES
    ):
        return Kind.TEMPLATE
    if in_static:
        return Kind.STATIC
    return Kind.IGNORE


def _inside(path: Path, folders: Iterable[Path]) -> bool:
    return any(path.is_relative_to(folder) for folder in folders)


def _in_template_dir(path: Path, rules: Rules) -> bool:
    """Inside one of the app's template folders. A folder that holds a whole root (Bottle
    looks in ``./`` by default) counts only for files named like templates."""
    for folder in rules.template_dirs:
        if not path.is_relative_to(folder):
            continue
        if path.suffix in TEMPLATE_SUFFIXES:
            return True
        if not any(root.is_relative_to(folder) for root in rules.roots):
            return True
    return False
