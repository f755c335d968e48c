"""``template.toml``: what a project template declares about itself.

.. code-block:: toml

    description = "A Flask package with an app factory"
    layout = "package"                    # optional: "module" or "package"
    exclude = ["*.orig"]                  # optional: template files never copied
    next_steps = ["cd {{ project_name }}", "python -m pytest"]

    [variables.description]               # asked in this order
    type = "str"                          # str, bool or int
    default = "{{ project_name }}: a Flask app"
    help = "One line for README.md"
    pattern = '^[^"\\\\]*$'               # optional, str only
    choices = []                          # optional

    [[files]]                             # conditional files
    path = ".github/**"
    when = "github_actions"

Everything is checked when the manifest is read, so a broken template fails
before any question is asked or any file is written.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flaskit.scaffold.render import TemplateError, compile_condition

MANIFEST = "template.toml"
BUILTIN_VARIABLES = ("project_name", "dist_name", "import_name", "flaskit_version")
# Only in next_steps: what the Python environment flaskit runs in asks for.
NEXT_STEP_VARIABLES = ("virtualenv", "setup_step")
TYPES = ("str", "bool", "int")
LAYOUTS = ("module", "package")
_TOP_KEYS = {"description", "layout", "exclude", "next_steps", "variables", "files"}
_VARIABLE_KEYS = {"type", "default", "help", "choices", "pattern"}
_FILE_KEYS = {"path", "when"}

Value = str | bool | int


@dataclass(frozen=True)
class Variable:
    """One question a template asks."""

    name: str
    type: str
    default: Value
    help: str = ""
    choices: tuple[Value, ...] = ()
    pattern: str | None = None


@dataclass(frozen=True)
class FileRule:
    """Template files matching ``pattern`` are produced only when ``when`` is true."""

    pattern: str
    when: str


@dataclass(frozen=True)
class Manifest:
    """A template's ``template.toml``, checked."""

    name: str
    root: Path
    description: str
    layout: str | None
    variables: tuple[Variable, ...]
    files: tuple[FileRule, ...]
    exclude: tuple[str, ...]
    next_steps: tuple[str, ...]

    def variable(self, name: str) -> Variable | None:
        """The variable called ``name``, if the template declares one."""
        return next((v for v in self.variables if v.name == name), None)


def load_manifest(root: Path, name: str) -> Manifest:
    """Read and check ``root/template.toml`` for the template called ``name``."""
    path = root / MANIFEST
    data = _read_toml(path)
    where = f"{path}"
    _no_unknown_keys(data, _TOP_KEYS, where)
    layout = data.get("layout")
    if layout is not None and layout not in LAYOUTS:
        raise TemplateError(f"{where}: layout must be one of {', '.join(LAYOUTS)}, not {layout!r}.")
    variables_table = data.get("variables", {})
    if not isinstance(variables_table, dict):
        raise TemplateError(f"{where}: [variables] must be a table of [variables.NAME] tables.")
    return Manifest(
        name=name,
        root=root,
        description=_text(data.get("description", ""), "description", where),
        layout=layout,
        variables=tuple(_variable(k, v, where) for k, v in variables_table.items()),
        files=tuple(_file_rule(item, where) for item in _list(data, "files", where)),
        exclude=tuple(_text(p, "exclude", where) for p in _list(data, "exclude", where)),
        next_steps=tuple(_text(s, "next_steps", where) for s in _list(data, "next_steps", where)),
    )


def _read_toml(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    try:
        with path.open("rb") as stream:
            return tomllib.load(stream)
    except FileNotFoundError as exc:
        raise TemplateError(
            f"{path.parent} is not a flaskit template: it has no {MANIFEST}. "
            "See 'Writing a template' in the docs."
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(f"{path} is not valid TOML ({exc}). Fix the file.") from exc
    except OSError as exc:
        raise TemplateError(f"Cannot read {path}: {exc.strerror}.") from exc


def _variable(name: str, table: object, where: str) -> Variable:
    label = f"{where}: [variables.{name}]"
    if not name.isidentifier() or name in (*BUILTIN_VARIABLES, *NEXT_STEP_VARIABLES):
        reserved = ", ".join((*BUILTIN_VARIABLES, *NEXT_STEP_VARIABLES))
        raise TemplateError(
            f"{label}: a variable name must be a Python identifier other than {reserved}."
        )
    if not isinstance(table, dict):
        raise TemplateError(f"{label} must be a table.")
    _no_unknown_keys(table, _VARIABLE_KEYS, label)
    kind = table.get("type", "str")
    if kind not in TYPES:
        raise TemplateError(f"{label}: type must be one of {', '.join(TYPES)}, not {kind!r}.")
    if "default" not in table:
        raise TemplateError(f"{label} needs a default, so --no-input can work.")
    default = table["default"]
    _check_type(default, kind, f"{label} default")
    choices = tuple(table.get("choices", ()))
    for choice in choices:
        _check_type(choice, kind, f"{label} choice")
    if choices and kind == "bool":
        raise TemplateError(f"{label}: a bool variable cannot have choices.")
    if choices and default not in choices:
        raise TemplateError(f"{label}: the default {default!r} is not one of the choices.")
    pattern = table.get("pattern")
    if pattern is not None:
        if kind != "str":
            raise TemplateError(f"{label}: only str variables can have a pattern.")
        try:
            re.compile(_text(pattern, "pattern", label))
        except re.error as exc:
            raise TemplateError(f"{label}: the pattern is not a valid regex ({exc}).") from exc
    return Variable(
        name=name,
        type=kind,
        default=default,
        help=_text(table.get("help", ""), "help", label),
        choices=choices,
        pattern=pattern,
    )


def _file_rule(item: object, where: str) -> FileRule:
    if not isinstance(item, dict):
        raise TemplateError(f"{where}: each [[files]] entry must be a table with path and when.")
    _no_unknown_keys(item, _FILE_KEYS, f"{where}: [[files]]")
    if "path" not in item or "when" not in item:
        raise TemplateError(f"{where}: each [[files]] entry needs both path and when.")
    when = _text(item["when"], "when", where)
    compile_condition(when, f"{where}: [[files]] path = {item['path']!r}")
    return FileRule(_text(item["path"], "path", where).strip("/"), when)


def _check_type(value: object, kind: str, label: str) -> None:
    python_type = {"str": str, "bool": bool, "int": int}[kind]
    if type(value) is not python_type:
        raise TemplateError(f"{label} {value!r} is not of type {kind}.")


def _text(value: object, key: str, where: str) -> str:
    if not isinstance(value, str):
        raise TemplateError(f"{where}: {key} must be text, not {value!r}.")
    return value


def _list(data: dict[str, Any], key: str, where: str) -> list[object]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise TemplateError(f"{where}: {key} must be a list.")
    return value


def _no_unknown_keys(table: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise TemplateError(
            f"{where}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}."
        )
