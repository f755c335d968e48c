"""Settings, and the one place flaskit reads the environment.

A setting is looked up in this order, the first hit wins:

1. the command-line option;
2. ``FLASKIT_<NAME>`` in the environment (then any alias such as ``FLASK_APP``);
3. the same names in ``.env`` / ``.flaskenv`` (``.env`` wins), found by walking up
   from the working directory; only when python-dotenv is installed and
   ``FLASKIT_SKIP_DOTENV`` is not set;
4. ``[tool.flaskit]`` in the nearest ``pyproject.toml`` (``name`` or ``name-with-dashes``);
5. the default.

Each resolved value remembers where it came from, so messages can say which
file or variable to change, and the directory that relative paths in it
belong to.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Mapping, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from flaskit.errors import ConfigError

T = TypeVar("T")

ENV_PREFIX = "FLASKIT_"
DOTENV_NAMES = (".flaskenv", ".env")  # later files win
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off", ""})


@dataclass(frozen=True)
class Setting(Generic[T]):
    """A resolved setting: its value, where it came from, and the directory
    relative paths in it are resolved against."""

    value: T
    source: str
    base_dir: Path

    @property
    def is_default(self) -> bool:
        """True when no option, variable or file set this value."""
        return self.source == "default"


@dataclass(frozen=True)
class _Raw:
    value: object
    source: str
    base_dir: Path


@dataclass(frozen=True)
class Sources:
    """Everything settings can come from, read once per command."""

    cwd: Path
    environ: Mapping[str, str]
    dotenv: Mapping[str, tuple[str, Path]] = field(default_factory=dict)
    pyproject: Mapping[str, Any] = field(default_factory=dict)
    pyproject_path: Path | None = None
    notes: tuple[str, ...] = ()

    @classmethod
    def load(cls, cwd: Path | None = None, environ: Mapping[str, str] | None = None) -> Sources:
        """Read the environment, the dotenv files and pyproject.toml for ``cwd``."""
        cwd = (cwd or Path.cwd()).resolve()
        environ = dict(os.environ if environ is None else environ)
        dotenv, notes = _read_dotenv(cwd, environ)
        pyproject_path = find_upward(cwd, ("pyproject.toml",))
        table = _read_tool_table(pyproject_path) if pyproject_path else {}
        return cls(cwd, environ, dotenv, table, pyproject_path, tuple(notes))

    @property
    def project_root(self) -> Path:
        """The directory of the nearest pyproject.toml, else the working directory."""
        return self.pyproject_path.parent if self.pyproject_path else self.cwd

    def _lookup(self, name: str, cli: object, aliases: Iterable[str]) -> _Raw | None:
        if cli is not None:
            return _Raw(cli, f"option --{name.replace('_', '-')}", self.cwd)
        env_names = (ENV_PREFIX + name.upper(), *aliases)
        for env_name in env_names:
            if env_name in self.environ:
                return _Raw(self.environ[env_name], f"environment variable {env_name}", self.cwd)
        for env_name in env_names:
            if env_name in self.dotenv:
                value, path = self.dotenv[env_name]
                return _Raw(value, f"{env_name} in {path}", path.parent)
        for key in (name, name.replace("_", "-")):
            if key in self.pyproject and self.pyproject_path is not None:
                where = f"[tool.flaskit] {key} in {self.pyproject_path}"
                return _Raw(self.pyproject[key], where, self.pyproject_path.parent)
        return None

    def _get(
        self,
        name: str,
        cli: object,
        default: T,
        convert: Callable[[object, str], T],
        aliases: Iterable[str],
    ) -> Setting[T]:
        raw = self._lookup(name, cli, aliases)
        if raw is None:
            return Setting(default, "default", self.cwd)
        return Setting(convert(raw.value, raw.source), raw.source, raw.base_dir)

    def get_str(
        self,
        name: str,
        cli: str | None = None,
        default: str | None = None,
        aliases: Iterable[str] = (),
    ) -> Setting[str | None]:
        """A text setting."""
        return self._get(name, cli, default, _to_str, aliases)

    def get_bool(
        self, name: str, cli: bool | None = None, default: bool = False, aliases: Iterable[str] = ()
    ) -> Setting[bool]:
        """A yes/no setting (``1/0``, ``true/false``, ``yes/no``, ``on/off``)."""
        return self._get(name, cli, default, _to_bool, aliases)

    def get_int(
        self, name: str, cli: int | None = None, default: int = 0, aliases: Iterable[str] = ()
    ) -> Setting[int]:
        """A whole-number setting."""
        return self._get(name, cli, default, _to_int, aliases)

    def get_list(
        self,
        name: str,
        cli: Iterable[str] | None = None,
        default: Iterable[str] = (),
        aliases: Iterable[str] = (),
    ) -> Setting[tuple[str, ...]]:
        """A list setting: a TOML array, or ``os.pathsep``-separated text in variables.

        An empty tuple from the command line means "not given".
        """
        given = tuple(cli) if cli is not None else ()
        return self._get(name, given or None, tuple(default), _to_list, aliases)

    def app(self, cli: str | None = None) -> Setting[str | None]:
        """The app spec: ``--app``, ``FLASKIT_APP``, ``FLASK_APP``, ``[tool.flaskit] app``."""
        return self.get_str("app", cli, None, aliases=("FLASK_APP",))

    def export_dotenv(self, target: MutableMapping[str, str] | None = None) -> None:
        """Copy dotenv values into ``target`` (``os.environ`` by default) without
        overriding what is already set, as Flask does, so the user's app sees them."""
        target = os.environ if target is None else target
        for key, (value, _path) in self.dotenv.items():
            target.setdefault(key, value)


def find_upward(start: Path, names: Iterable[str]) -> Path | None:
    """The first file named one of ``names`` in ``start`` or any parent directory."""
    names = tuple(names)
    for directory in (start, *start.parents):
        for name in names:
            candidate = directory / name
            if candidate.is_file():
                return candidate
    return None


def output_columns(environ: Mapping[str, str] | None = None) -> int | None:
    """The width ``COLUMNS`` asks for (output that is not a terminal has no width of
    its own); ``None`` when it is unset or not a positive number."""
    value = (os.environ if environ is None else environ).get("COLUMNS", "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else None


def _read_dotenv(
    cwd: Path, environ: Mapping[str, str]
) -> tuple[dict[str, tuple[str, Path]], list[str]]:
    skip = any(
        _truthy(environ.get(name, "")) for name in ("FLASKIT_SKIP_DOTENV", "FLASK_SKIP_DOTENV")
    )
    if skip:
        return {}, []
    paths = [p for p in (find_upward(cwd, (name,)) for name in DOTENV_NAMES) if p is not None]
    if not paths:
        return {}, []
    try:
        import dotenv
    except ImportError:
        files = ", ".join(str(p) for p in paths)
        tip = (
            f"Found {files} but python-dotenv is not installed, so it was not loaded. "
            "Install it with: pip install 'flaskit[dotenv]'"
        )
        return {}, [tip]
    values: dict[str, tuple[str, Path]] = {}
    for path in paths:
        for key, value in dotenv.dotenv_values(path, encoding="utf-8").items():
            if value is not None:
                values[key] = (value, path)
    return values, []


def _read_tool_table(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    try:
        with path.open("rb") as stream:
            data = tomllib.load(stream)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML ({exc}). Fix the file and try again.") from exc
    except OSError as exc:
        raise ConfigError(f"Cannot read {path}: {exc.strerror}.") from exc
    table = data.get("tool", {}).get("flaskit", {})
    if not isinstance(table, dict):
        raise ConfigError(f"[tool.flaskit] in {path} must be a table of settings.")
    return table


def _truthy(text: str) -> bool:
    return text.strip().lower() in _TRUE


def _to_str(value: object, source: str) -> str:
    if isinstance(value, str):
        return value
    raise ConfigError(f"{source} must be text, not {type(value).__name__} ({value!r}).")


def _to_bool(value: object, source: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    raise ConfigError(
        f"{source} is {value!r}, which is not a yes/no value: use 1 or 0, true or false."
    )


def _to_int(value: object, source: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            pass
    raise ConfigError(f"{source} is {value!r}, which is not a whole number.")


def _to_list(value: object, source: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(part for part in value.split(os.pathsep) if part)
    if isinstance(value, list | tuple) and all(isinstance(item, str) for item in value):
        return tuple(value)
    raise ConfigError(f"{source} must be a list of text values, not {value!r}.")
