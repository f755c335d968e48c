"""Settings, and the one place flaskit reads the environment.

A setting is looked up in this order, the first hit wins:

1. the command-line option;
2. ``FLASKIT_<COMMAND>_<NAME>`` and ``FLASKIT_<NAME>`` in the environment, then
   Flask's own name for the setting (``FLASK_APP``, ``FLASK_RUN_PORT``, ...: see
   :data:`FLASK_NAMES`) and any other alias;
3. the same names in the ``-e/--env-file`` file, ``.env`` and ``.flaskenv`` (in that
   order of precedence; the last two are found by walking up from the working
   directory and skipped with ``FLASKIT_SKIP_DOTENV``); only when python-dotenv
   is installed;
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
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Generic, TypeVar

from flaskit.errors import ConfigError

T = TypeVar("T")

ENV_PREFIX = "FLASKIT_"
DOTENV_NAMES = (".flaskenv", ".env")  # later files win
DOTENV_TIP = "Install it with: pip install 'flaskit[dotenv]'"
# The values click's BoolParamType accepts, so FLASK_RUN_RELOAD=n means what it means to flask.
_TRUE = frozenset({"1", "true", "t", "yes", "y", "on"})
_FALSE = frozenset({"0", "false", "f", "no", "n", "off", ""})

#: Flask's variables for flaskit's settings, keyed by (command, setting). Flask's CLI
#: reads ``FLASK_<COMMAND>_<OPTION>`` for every option (click's auto_envvar_prefix),
#: plus ``FLASK_APP``, ``FLASK_ENV_FILE`` and ``FLASK_DEBUG`` for its group options.
FLASK_NAMES: dict[tuple[str | None, str], tuple[str, ...]] = {
    (None, "app"): ("FLASK_APP",),
    (None, "env_file"): ("FLASK_ENV_FILE",),
    (None, "debug"): ("FLASK_DEBUG",),
    ("run", "debug"): ("FLASK_RUN_DEBUG", "FLASK_DEBUG"),
    ("run", "host"): ("FLASK_RUN_HOST",),
    ("run", "port"): ("FLASK_RUN_PORT",),
    ("run", "cert"): ("FLASK_RUN_CERT",),
    ("run", "key"): ("FLASK_RUN_KEY",),
    ("run", "reload"): ("FLASK_RUN_RELOAD",),
    ("run", "debugger"): ("FLASK_RUN_DEBUGGER",),
    ("run", "threads"): ("FLASK_RUN_WITH_THREADS",),
    ("run", "watch"): ("FLASK_RUN_EXTRA_FILES",),
    ("run", "exclude"): ("FLASK_RUN_EXCLUDE_PATTERNS",),
    ("routes", "sort"): ("FLASK_ROUTES_SORT",),
    ("routes", "all_methods"): ("FLASK_ROUTES_ALL_METHODS",),
}

#: Settings only the command line may give, keyed by (command, setting): a ``.env`` or
#: ``.flaskenv`` travels with the project (a clone, a shared branch), and neither it, a
#: variable nor ``pyproject.toml`` may open werkzeug's Python console to other machines.
COMMAND_LINE_ONLY: frozenset[tuple[str | None, str]] = frozenset({("run", "console_allow_remote")})


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

    @property
    def from_command_line(self) -> bool:
        """True when the value was given as an option."""
        return self.source.startswith("option ")


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
    env_file: Path | None = None  # -e/--env-file, FLASKIT_ENV_FILE or FLASK_ENV_FILE
    command: str | None = None  # the command whose settings are looked up (see for_command)

    @classmethod
    def load(
        cls,
        cwd: Path | None = None,
        environ: Mapping[str, str] | None = None,
        env_file: str | Path | None = None,
    ) -> Sources:
        """Read the environment, the dotenv files and pyproject.toml for ``cwd``.

        ``env_file`` is the file given with ``-e/--env-file``; without it,
        ``FLASKIT_ENV_FILE`` or ``FLASK_ENV_FILE`` may name one. Its values win
        over ``.env`` and ``.flaskenv``; the environment wins over all three.
        """
        cwd = (cwd or Path.cwd()).resolve()
        environ = dict(os.environ if environ is None else environ)
        explicit = _env_file(env_file, cwd, environ)
        dotenv, notes = _read_dotenv(cwd, environ, explicit)
        pyproject_path = find_upward(cwd, ("pyproject.toml",))
        table = _read_tool_table(pyproject_path) if pyproject_path else {}
        return cls(cwd, environ, dotenv, table, pyproject_path, tuple(notes), explicit)

    def reload(self) -> Sources:
        """The same sources read again (after a dotenv or pyproject.toml change)."""
        return Sources.load(self.cwd, self.environ, self.env_file)

    def for_command(self, command: str) -> Sources:
        """The same sources, looking up ``command``'s settings: ``FLASKIT_<COMMAND>_<NAME>``
        first, then ``FLASKIT_<NAME>``, then Flask's name for it (``FLASK_RUN_PORT``)."""
        return replace(self, command=command)

    def env_names(self, name: str) -> tuple[str, ...]:
        """The variables that can set ``name``, in the order they are looked up."""
        own = ENV_PREFIX + name.upper()
        if self.command is None:
            return (own, *FLASK_NAMES.get((None, name), ()))
        scoped = f"{ENV_PREFIX}{self.command.upper().replace('-', '_')}_{name.upper()}"
        return (scoped, own, *FLASK_NAMES.get((self.command, name), ()))

    @property
    def project_root(self) -> Path:
        """The directory of the nearest pyproject.toml, else the working directory."""
        return self.pyproject_path.parent if self.pyproject_path else self.cwd

    def _lookup(self, name: str, cli: object, aliases: Iterable[str]) -> _Raw | None:
        option = f"--{name.replace('_', '-')}"
        if cli is not None:
            return _Raw(cli, f"option {option}", self.cwd)
        if (self.command, name) in COMMAND_LINE_ONLY:
            found = self._lookup_elsewhere(name, aliases)
            if found is not None:
                raise ConfigError(
                    f"{found.source} asks for {option}, which only the command line can "
                    f"give. Remove it there, and pass {option} when you run the command "
                    "if you mean it."
                )
            return None
        return self._lookup_elsewhere(name, aliases)

    def _lookup_elsewhere(self, name: str, aliases: Iterable[str]) -> _Raw | None:
        """The value from the environment, the dotenv files or pyproject.toml."""
        env_names = (*self.env_names(name), *aliases)
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
        return replace(self, command=None).get_str("app", cli, None)

    def python(self, cli: str | None = None) -> Setting[str | None]:
        """The project's interpreter named outright: ``--python``, ``FLASKIT_PYTHON``,
        ``[tool.flaskit] python`` (an interpreter, a virtualenv folder or a command name)."""
        return replace(self, command=None).get_str("python", cli, None)

    def debug(self, cli: bool | None = None) -> Setting[bool]:
        """Debug mode: ``--debug``, ``FLASKIT_DEBUG``, ``FLASK_DEBUG``, ... (off by default)."""
        return self.get_bool("debug", cli, False)

    def export_dotenv(self, target: MutableMapping[str, str] | None = None) -> None:
        """Copy dotenv values into ``target`` (``os.environ`` by default) without
        overriding what is already set, as Flask does, so the user's app sees them."""
        target = os.environ if target is None else target
        for key, (value, _path) in self.dotenv.items():
            target.setdefault(key, value)

    def app_environ(
        self, defaults: Mapping[str, str] = {}, overrides: Mapping[str, str] = {}
    ) -> dict[str, str]:
        """The environment the user's app gets: flaskit's own, then the dotenv values
        and ``defaults`` where a variable is not set yet, then ``overrides``."""
        environ = dict(self.environ)
        self.export_dotenv(environ)
        for key, value in defaults.items():
            environ.setdefault(key, value)
        environ.update(overrides)
        return environ


def export_environ(
    environ: Mapping[str, str],
    target: MutableMapping[str, str] | None = None,
    remove: Iterable[str] = (),
) -> None:
    """Make ``environ`` the process environment (``os.environ`` by default), for the
    commands that import the user's app in this process, without the variables named
    in ``remove``."""
    target = os.environ if target is None else target
    for key, value in environ.items():
        if target.get(key) != value:
            target[key] = value
    for key in remove:
        target.pop(key, None)


def find_upward(start: Path, names: Iterable[str]) -> Path | None:
    """The first file named one of ``names`` in ``start`` or any parent directory."""
    names = tuple(names)
    for directory in (start, *start.parents):
        for name in names:
            candidate = directory / name
            if candidate.is_file():
                return candidate
    return None


#: Set in the environment of a command flaskit handed to the project's interpreter,
#: to flaskit's own interpreter: that copy runs in place and never hands over again.
DELEGATED_FROM = "FLASKIT_DELEGATED_FROM"


def delegated_from(environ: Mapping[str, str] | None = None) -> str | None:
    """flaskit's own interpreter when this process is a command it handed over."""
    return (os.environ if environ is None else environ).get(DELEGATED_FROM) or None


def output_columns(environ: Mapping[str, str] | None = None) -> int | None:
    """The width ``COLUMNS`` asks for (output that is not a terminal has no width of
    its own); ``None`` when it is unset or not a positive number."""
    value = (os.environ if environ is None else environ).get("COLUMNS", "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else None


def active_virtualenv(environ: Mapping[str, str] | None = None) -> Path | None:
    """The virtualenv the shell has activated (``VIRTUAL_ENV``), or ``None``."""
    value = (os.environ if environ is None else environ).get("VIRTUAL_ENV", "").strip()
    return Path(value) if value else None


def python_startup(environ: Mapping[str, str] | None = None) -> Path | None:
    """The file ``PYTHONSTARTUP`` names, as ``python`` runs it before an interactive
    prompt; ``None`` when it is unset or not a file."""
    value = (os.environ if environ is None else environ).get("PYTHONSTARTUP", "")
    return Path(value) if value and Path(value).is_file() else None


def _env_file(given: str | Path | None, cwd: Path, environ: Mapping[str, str]) -> Path | None:
    """The explicit env file: ``-e FILE``, else ``FLASKIT_ENV_FILE`` / ``FLASK_ENV_FILE``."""
    source = "-e/--env-file"
    if given is None:
        for name in (ENV_PREFIX + "ENV_FILE", *FLASK_NAMES[(None, "env_file")]):
            if environ.get(name):
                given, source = environ[name], f"environment variable {name}"
                break
    if given is None:
        return None
    path = (cwd / given).resolve()
    if not path.is_file():
        raise ConfigError(f"{source} names {path}, which is not a file. Check the path.")
    return path


def _read_dotenv(
    cwd: Path, environ: Mapping[str, str], explicit: Path | None = None
) -> tuple[dict[str, tuple[str, Path]], list[str]]:
    skip = any(
        _truthy(environ.get(name, "")) for name in ("FLASKIT_SKIP_DOTENV", "FLASK_SKIP_DOTENV")
    )
    paths = []
    if not skip:
        paths = [p for p in (find_upward(cwd, (name,)) for name in DOTENV_NAMES) if p is not None]
    if explicit is not None:
        paths.append(explicit)  # last, so it wins; FLASK_SKIP_DOTENV skips only the defaults
    if not paths:
        return {}, []
    try:
        import dotenv
    except ImportError:
        if explicit is not None:
            raise ConfigError(
                f"Loading {explicit} (-e/--env-file) needs python-dotenv, which is not "
                f"installed. {DOTENV_TIP}"
            ) from None
        files = ", ".join(str(p) for p in paths)
        tip = (
            f"Found {files} but python-dotenv is not installed, so it was not loaded. {DOTENV_TIP}"
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
