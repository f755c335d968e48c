"""The plan: every file the template produces, where it goes, and what happens to it.

Computed before anything is written. A destination is ``create`` (nothing
there), ``identical`` (already there with the same bytes: left alone),
``conflict`` (there with other bytes: replaced only with ``--force``) or
``blocked`` (a folder stands where the file goes, or a file where a folder
goes: never replaced, since that would delete something).
"""

from __future__ import annotations

import fnmatch
import os
import stat
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Literal

import jinja2

from flaskit.scaffold.manifest import MANIFEST, FileRule, Manifest, Value
from flaskit.scaffold.render import (
    TemplateError,
    compile_condition,
    evaluate_condition,
    make_environment,
    render_text,
)

Action = Literal["create", "identical", "conflict", "blocked"]
TargetState = Literal["missing", "empty", "non-empty"]
RENDER_SUFFIX = ".jinja"
# The longest file name (one path part) common file systems accept, in bytes.
MAX_NAME_BYTES = 255
# Never part of a project, whatever a template folder holds.
_ALWAYS_EXCLUDED = ("__pycache__", "*.pyc", ".DS_Store", ".git")


@dataclass(frozen=True)
class PlannedFile:
    """One file of the project: its destination (relative), its template file and action."""

    path: PurePosixPath
    source: Path
    rendered: bool
    action: Action


@dataclass(frozen=True)
class Plan:
    """Everything ``flaskit new`` will do, computed before it writes anything."""

    target: Path
    template: Manifest
    context: Mapping[str, Value]
    files: tuple[PlannedFile, ...]
    target_state: TargetState
    others: int = 0
    environment: jinja2.Environment = field(default_factory=make_environment, compare=False)

    def by_action(self, action: Action) -> list[PlannedFile]:
        """The planned files with this action."""
        return [f for f in self.files if f.action == action]

    @property
    def to_write(self) -> list[PlannedFile]:
        """Files that will be written (new ones, and conflicts when forced)."""
        return [f for f in self.files if f.action in ("create", "conflict")]

    def content(self, item: PlannedFile) -> bytes:
        """The bytes of one project file: rendered for ``.jinja`` files, else copied."""
        if not item.rendered:
            return item.source.read_bytes()
        label = f"{item.source}"
        try:
            source = item.source.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise TemplateError(f"{label} is not UTF-8 text, so it cannot be rendered.") from exc
        return render_text(self.environment, source, self.context, label).encode("utf-8")


def make_plan(template: Manifest, context: Mapping[str, Value], target: Path) -> Plan:
    """List every file ``template`` produces under ``target`` with its action."""
    if target.exists() and not target.is_dir():
        raise TemplateError(
            f"{target} exists and is not a folder. Choose another project name or --output-dir."
        )
    state: TargetState = "missing"
    if target.is_dir():
        state = "non-empty" if any(target.iterdir()) else "empty"
    plan = Plan(target, template, context, (), state)
    environment = plan.environment
    conditions = [
        (rule, compile_condition(rule.when, _rule_label(template, rule), environment))
        for rule in template.files
    ]
    seen: dict[PurePosixPath, Path] = {}
    files = []
    for source, relative in _template_files(template):
        if not _wanted(template, conditions, relative, context):
            continue
        destination = _destination(environment, relative, context, source)
        if destination in seen:
            raise TemplateError(
                f"Two template files produce {destination}: {seen[destination]} and {source}. "
                "Remove one, or give them conditions that exclude each other."
            )
        seen[destination] = source
        rendered = relative.name.endswith(RENDER_SUFFIX)
        item = PlannedFile(destination, source, rendered, "create")
        files.append(PlannedFile(destination, source, rendered, _action(plan, item)))
    others = _count_others(target, set(seen)) if state == "non-empty" else 0
    return Plan(target, template, context, tuple(files), state, others, environment)


def own_modules(template: Manifest) -> dict[str, str]:
    """The module names a template creates besides the project's package, each with the
    file that makes it (``{"wsgi": "wsgi.py", "conftest": "tests/conftest.py"}``).

    A package of the same name would shadow them: ``wsgi.py`` beside a ``wsgi/``
    package is never imported, and pytest imports ``tests/conftest.py`` as
    ``conftest``. Only templates that name a folder after ``import_name`` have a
    package, so only they take names.
    """
    paths = [relative for _source, relative in _template_files(template)]
    if not any(_names_the_package(part) for path in paths for part in path.parts):
        return {}
    packages = {path.parent for path in paths if path.name in _INIT_FILES}
    taken: dict[str, str] = {}
    for path in paths:
        if any("{{" in part or "{%" in part for part in path.parts):
            continue
        if len(path.parts) > 1:
            taken.setdefault(path.parts[0], f"the folder {path.parts[0]}/")
        name = path.name.removesuffix(RENDER_SUFFIX)
        if name.endswith(".py") and path.parent not in packages:
            taken.setdefault(name.removesuffix(".py"), str(path).removesuffix(RENDER_SUFFIX))
    return taken


_INIT_FILES = ("__init__.py", "__init__.py" + RENDER_SUFFIX)


def _names_the_package(part: str) -> bool:
    return "{{" in part and "import_name" in part


def _template_files(template: Manifest) -> Iterator[tuple[Path, PurePosixPath]]:
    """Every file of the template folder (sorted), as (path, path relative to the root)."""
    root = template.root
    for directory, dirnames, filenames in os.walk(root):
        here = Path(directory)
        dirnames[:] = sorted(d for d in dirnames if not _excluded(template, here / d, root))
        for dirname in dirnames:
            _check_kind(here / dirname, stat.S_ISDIR)
        for filename in sorted(filenames):
            path = here / filename
            if path == root / MANIFEST or _excluded(template, path, root):
                continue
            _check_kind(path, stat.S_ISREG)
            yield path, PurePosixPath(path.relative_to(root).as_posix())


# Names for what can stand in a template folder besides files and folders.
_KINDS = (
    (stat.S_ISLNK, "a symbolic link", "replace the link with a copy of the file"),
    (stat.S_ISFIFO, "a named pipe (FIFO)", "remove it"),
    (stat.S_ISCHR, "a character device", "remove it"),
    (stat.S_ISBLK, "a block device", "remove it"),
    (stat.S_ISSOCK, "a socket", "remove it"),
)


def _check_kind(path: Path, expected: Callable[[int], bool]) -> None:
    """Refuse anything but a regular file or folder, looking at the entry itself
    (``lstat``): reading a FIFO or a device would block or never end."""
    mode = path.lstat().st_mode
    if expected(mode):
        return
    kind, fix = next(
        ((kind, fix) for test, kind, fix in _KINDS if test(mode)), ("not a regular file", "")
    )
    raise TemplateError(
        f"The template entry {printable(str(path))} is {kind}, not a regular file or folder. "
        f"Templates hold regular files and folders only: {fix or 'remove it'}."
    )


def printable(text: str) -> str:
    """``text`` with control characters (and bidirectional overrides) escaped as
    ``\\x1b``, ``\\u202e``: safe to print in a terminal, and still findable."""
    return "".join(ascii(c)[1:-1] if _is_control(c) else c for c in text)


def _is_control(char: str) -> bool:
    # Cc: C0/C1 controls and DEL; Cf: format characters such as U+202E, which
    # reorder what the terminal shows; Cs: bytes of a file name that are not UTF-8.
    return unicodedata.category(char) in ("Cc", "Cf", "Cs")


def _excluded(template: Manifest, path: Path, root: Path) -> bool:
    relative = path.relative_to(root).as_posix()
    if any(fnmatch.fnmatchcase(path.name, p) for p in _ALWAYS_EXCLUDED):
        return True
    return any(fnmatch.fnmatchcase(relative, p) for p in template.exclude)


def _wanted(
    template: Manifest,
    conditions: Sequence[tuple[FileRule, Callable[..., Any]]],
    relative: PurePosixPath,
    context: Mapping[str, Value],
) -> bool:
    """False when a ``[[files]]`` rule matches the file (or a folder above it) and its
    condition is false. Patterns match the template's path, with or without ``.jinja``."""
    candidates = {str(relative), str(relative).removesuffix(RENDER_SUFFIX)}
    candidates.update(str(parent) for parent in relative.parents if str(parent) != ".")
    for rule, condition in conditions:
        if any(fnmatch.fnmatchcase(c, rule.pattern) for c in candidates):
            label = _rule_label(template, rule)
            if not evaluate_condition(condition, rule.when, context, label):
                return False
    return True


def _rule_label(template: Manifest, rule: FileRule) -> str:
    return f"{template.root / MANIFEST}: [[files]] path = {rule.pattern!r}"


def _destination(
    environment: jinja2.Environment,
    relative: PurePosixPath,
    context: Mapping[str, Value],
    source: Path,
) -> PurePosixPath:
    """The project path of a template file: names rendered, ``.jinja`` dropped, and
    nothing that could leave the project folder."""
    parts = []
    for part in relative.parts:
        name = part
        if "{{" in part or "{%" in part:
            name = render_text(environment, part, context, f"the file name {relative}")
        parts.append(name)
    parts[-1] = parts[-1].removesuffix(RENDER_SUFFIX)
    shown = printable("/".join(parts))
    for name in parts:
        unsafe = name in ("", ".", "..") or "/" in name or "\\" in name or ":" in name
        if unsafe:
            raise TemplateError(
                f"The template file {printable(str(source))} would be written to '{shown}', "
                "which is outside the project folder or not a valid file name. Template file "
                "names may contain variables, but they must render to plain names "
                "(no '/', '..' or ':')."
            )
        if any(_is_control(c) for c in name):
            raise TemplateError(
                f"The template file {printable(str(source))} would be written to '{shown}', "
                "a name with a control character or bytes that are not UTF-8 (shown escaped): "
                "it would garble terminals and is hard to type. Rename the file (or fix the "
                "variable in its name)."
            )
        if len(os.fsencode(name)) > MAX_NAME_BYTES:
            raise TemplateError(
                f"The template file {printable(str(source))} would be written to a name "
                f"longer than the {MAX_NAME_BYTES} bytes file systems allow "
                f"('{printable(name[:40])}…', {len(os.fsencode(name))} bytes). Shorten the "
                "file name, or the variable in it."
            )
    return PurePosixPath(*parts)


def _action(plan: Plan, item: PlannedFile) -> Action:
    if plan.target_state != "non-empty":
        return "create"
    target = plan.target
    destination = target / item.path
    for parent in reversed(item.path.parents[:-1]):  # not '.', the target itself
        folder = target / parent
        if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
            return "blocked"
    if destination.is_symlink() or (destination.exists() and not destination.is_file()):
        return "blocked"
    if not destination.exists():
        return "create"
    return "identical" if destination.read_bytes() == plan.content(item) else "conflict"


def _count_others(target: Path, produced: set[PurePosixPath]) -> int:
    """How many files already in ``target`` the template does not produce (kept as they are)."""
    count = 0
    for directory, _dirs, filenames in os.walk(target):
        for filename in filenames:
            relative = PurePosixPath((Path(directory) / filename).relative_to(target).as_posix())
            if relative not in produced:
                count += 1
    return count
