"""From an app spec to a WSGI callable.

Two steps, so the reload supervisor can learn where the project is without
importing it:

* :func:`locate` turns a spec (or nothing, for auto-discovery) into an
  :class:`AppTarget`: the module to import, the attribute or factory call to
  evaluate, and the directory that goes on ``sys.path``. Nothing is imported.
* :func:`load` imports the module and finds the application in it.

Spec forms: ``module``, ``pkg.module:name``, ``module:factory()``,
``module:factory('arg', key=1)`` (literal arguments only), ``path/to/file.py``,
``path/to/file.py:name`` and ``path/to/package``.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import sys
import traceback
import types
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flaskit.config import Setting
from flaskit.errors import AppDiscoveryError

WSGIApp = Callable[..., Any]

AUTO_MODULES = ("wsgi", "app")
APP_NAMES = ("app", "application")
FACTORY_NAMES = ("create_app", "make_app")
_MODULE_NAME = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$")
# A colon that is not the drive separator of a Windows path ("C:\" or "C:/").
_SPEC_SPLIT = re.compile(r":(?![\\/])")
# Callable objects that are never the app, though a module may hold them.
_NOT_APP_MODULES = ("werkzeug.local", "click", "flask.cli", "functools", "typing", "logging")
_EXPLICIT_APP = (
    "pass the app explicitly, for example --app 'module:app' or --app 'pkg:create_app()'"
)
_FIX_HINT = _EXPLICIT_APP[0].upper() + _EXPLICIT_APP[1:] + "."


@dataclass(frozen=True)
class Call:
    """Literal arguments of a factory call written in the spec."""

    args: tuple[Any, ...] = ()
    kwargs: tuple[tuple[str, Any], ...] = ()

    def __str__(self) -> str:
        parts = [repr(a) for a in self.args] + [f"{k}={v!r}" for k, v in self.kwargs]
        return f"({', '.join(parts)})"


@dataclass(frozen=True)
class AppTarget:
    """Where an app lives, worked out without importing anything."""

    import_name: str
    attribute: str | None
    call: Call | None
    search_path: Path
    origin: str
    spec: str
    module_file: Path | None = None

    @property
    def root(self) -> Path:
        """The project directory: the entry on ``sys.path`` the module is imported from."""
        return self.search_path

    def describe(self) -> str:
        """The canonical spec, e.g. ``hello:create_app()``."""
        text = self.import_name
        if self.attribute:
            text += f":{self.attribute}"
            if self.call is not None:
                text += str(self.call)
        return text


@dataclass
class LoadedApp:
    """An imported application and how it was found."""

    app: WSGIApp
    target: AppTarget
    module: types.ModuleType
    found_as: str
    notes: list[str] = field(default_factory=list)

    @property
    def spec(self) -> str:
        """A spec that loads exactly this app again."""
        return f"{self.target.import_name}:{self.found_as}"


# ---------------------------------------------------------------------------
# locate: spec -> AppTarget (no import)


def locate(setting: Setting[str | None], cwd: Path) -> AppTarget:
    """Resolve the app setting (``--app``, variables, pyproject) or auto-discover."""
    if setting.value:
        return parse_spec(setting.value, setting.base_dir, origin=setting.source)
    return auto_discover(cwd)


def parse_spec(spec: str, base_dir: Path, origin: str = "option --app") -> AppTarget:
    """Parse one spec; relative paths are resolved against ``base_dir``."""
    text = spec.strip()
    if not text:
        raise AppDiscoveryError(f"The app spec from {origin} is empty. {_FIX_HINT}")
    pieces = _SPEC_SPLIT.split(text, maxsplit=1)
    where, expr = pieces[0], (pieces[1] if len(pieces) > 1 else None)
    attribute, call = _parse_attribute(expr, text) if expr is not None else (None, None)
    module_file: Path | None
    if _looks_like_path(where):
        import_name, search_path, module_file = _import_name_for_path(where, base_dir)
    else:
        if not _MODULE_NAME.match(where):
            raise AppDiscoveryError(
                f"'{where}' (from {origin}) is neither an importable module name nor an existing "
                f"file. {_FIX_HINT}"
            )
        import_name, search_path = _widen_through_packages(where, base_dir)
        module_file = _module_file(import_name, search_path)
    return AppTarget(import_name, attribute, call, search_path, origin, text, module_file)


def auto_discover(cwd: Path) -> AppTarget:
    """Find the app in ``cwd``: ``wsgi.py``, ``app.py``, then a package with a factory."""
    for name in AUTO_MODULES:
        path = cwd / f"{name}.py"
        if path.is_file():
            import_name, search_path, module_file = _import_name_for_path(str(path), cwd)
            return AppTarget(
                import_name,
                None,
                None,
                search_path,
                f"auto-discovered {path.name}",
                path.name,
                module_file,
            )
    packages = sorted(
        child.name
        for child in cwd.iterdir()
        if (child / "__init__.py").is_file() and _mentions_factory(child / "__init__.py")
    )
    if len(packages) == 1:
        name = packages[0]
        return AppTarget(
            name,
            None,
            None,
            cwd,
            f"auto-discovered package {name}/",
            name,
            cwd / name / "__init__.py",
        )
    if packages:
        options = ", ".join(f"--app {p}" for p in packages)
        raise AppDiscoveryError(
            f"Several packages in {cwd} define an app factory ({', '.join(packages)}). "
            f"Choose one: {options}, or set app in [tool.flaskit] of pyproject.toml."
        )
    raise AppDiscoveryError(
        f"No app found in {cwd}: no wsgi.py or app.py, and no package with create_app() or "
        f"make_app(). Run flaskit from your project folder, set FLASKIT_APP, or {_EXPLICIT_APP}."
    )


def _mentions_factory(path: Path) -> bool:
    try:
        source = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return re.search(r"\b(def|import)\b[^\n]*\b(create_app|make_app)\b", source) is not None


def _looks_like_path(where: str) -> bool:
    if where.endswith(".py") or "/" in where or "\\" in where:
        return True
    return where in {".", ".."}


def _import_name_for_path(where: str, base_dir: Path) -> tuple[str, Path, Path]:
    """Turn a file or package path into (import name, sys.path entry, module file)."""
    path = (base_dir / where).resolve()
    if not path.exists():
        raise AppDiscoveryError(
            f"The app file '{where}' does not exist (looked for {path}). Check the path in the "
            "app spec, or run flaskit from your project folder."
        )
    if path.is_dir():
        if not (path / "__init__.py").is_file():
            raise AppDiscoveryError(
                f"'{where}' is a folder but not a Python package (no __init__.py). "
                "Point the app spec at a .py file or a package."
            )
        module_file = path / "__init__.py"
        parts = [path.name]
        parent = path.parent
    else:
        if path.suffix != ".py":
            raise AppDiscoveryError(f"'{where}' is not a Python file (expected a .py file).")
        module_file = path
        parent = path.parent
        parts = [] if path.stem == "__init__" else [path.stem]
        if path.stem == "__init__":
            parts = [parent.name]
            parent = parent.parent
    # Walk up while the folder is a package, like Flask, so relative imports work.
    while (parent / "__init__.py").is_file():
        parts.insert(0, parent.name)
        parent = parent.parent
    name = ".".join(parts)
    if not _MODULE_NAME.match(name):
        raise AppDiscoveryError(
            f"'{where}' cannot be imported: '{name}' is not a valid Python module name. "
            "Rename the file (letters, digits and underscores, not starting with a digit)."
        )
    return name, parent, module_file


def _widen_through_packages(import_name: str, base_dir: Path) -> tuple[str, Path]:
    """If ``base_dir`` itself is inside a package, import from above it, like Flask."""
    base_dir = base_dir.resolve()
    prefix: list[str] = []
    head = import_name.split(".", maxsplit=1)[0]
    if not ((base_dir / f"{head}.py").exists() or (base_dir / head).is_dir()):
        return import_name, base_dir
    while (base_dir / "__init__.py").is_file():
        prefix.insert(0, base_dir.name)
        base_dir = base_dir.parent
    return ".".join([*prefix, import_name]), base_dir


def _module_file(import_name: str, search_path: Path) -> Path | None:
    """The module's source file under ``search_path``, found without importing."""
    stem = search_path.joinpath(*import_name.split("."))
    for candidate in (stem.with_suffix(".py"), stem / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _parse_attribute(expr: str, spec: str) -> tuple[str, Call | None]:
    try:
        node = ast.parse(expr.strip(), mode="eval").body
    except SyntaxError as exc:
        raise AppDiscoveryError(
            f"Cannot parse '{expr}' in the app spec '{spec}': expected a name like 'app' or a "
            "call like 'create_app()' or \"create_app('dev', debug=True)\"."
        ) from exc
    if isinstance(node, ast.Name):
        return node.id, None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        try:
            args = tuple(ast.literal_eval(arg) for arg in node.args)
            kwargs = tuple((kw.arg, ast.literal_eval(kw.value)) for kw in node.keywords if kw.arg)
        except ValueError as exc:
            raise AppDiscoveryError(
                f"The factory call '{expr}' in the app spec must use literal arguments only "
                "(strings, numbers, True/False/None, lists, dicts)."
            ) from exc
        if len(kwargs) != len(node.keywords):
            raise AppDiscoveryError(f"'**' arguments are not supported in the app spec '{spec}'.")
        return node.func.id, Call(args, kwargs)
    raise AppDiscoveryError(
        f"'{expr}' in the app spec '{spec}' is not a name or a call of a name. "
        "Use 'module:app' or 'module:create_app()'."
    )


# ---------------------------------------------------------------------------
# load: AppTarget -> LoadedApp (imports the user's code)


def load(target: AppTarget) -> LoadedApp:
    """Import the target's module and return the application in it."""
    module = import_module(target)
    if target.attribute is None:
        return _find_in_module(module, target)
    return _find_by_name(module, target, target.attribute, target.call)


def import_module(target: AppTarget) -> types.ModuleType:
    """Import the module with the project directory first on ``sys.path``."""
    entry = str(target.search_path)
    if entry in sys.path:
        sys.path.remove(entry)
    sys.path.insert(0, entry)
    name = target.import_name
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        missing = exc.name or ""
        if missing == name or name.startswith(missing + "."):
            raise AppDiscoveryError(
                f"Could not import '{name}': there is no module of that name in "
                f"{target.search_path} or on the Python path (app from {target.origin}). "
                f"Check the spelling, run flaskit from your project folder, or {_EXPLICIT_APP}."
            ) from exc
        raise _error_inside(f"importing '{name}'", exc, target) from exc
    except (Exception, SystemExit) as exc:
        raise _error_inside(f"importing '{name}'", exc, target) from exc
    _check_not_shadowed(module, target)
    return module


def _check_not_shadowed(module: types.ModuleType, target: AppTarget) -> None:
    expected = target.module_file
    actual = getattr(module, "__file__", None)
    if expected is None or actual is None:
        return
    if Path(actual).resolve() != expected.resolve():
        raise AppDiscoveryError(
            f"'{target.import_name}' was imported from {actual}, not from {expected}: another "
            f"module with that name (a standard-library or installed one) shadows your "
            f"file. Rename {expected.name} to something unique and update the app spec."
        )


def _find_by_name(
    module: types.ModuleType, target: AppTarget, name: str, call: Call | None
) -> LoadedApp:
    if name not in vars(module):
        found = ", ".join(sorted(_candidate_names(module))) or "none"
        raise AppDiscoveryError(
            f"Module '{module.__name__}' has no attribute '{name}'. Apps and factories it does "
            f"have: {found}. Fix the name in the app spec ({target.origin})."
        )
    obj = vars(module)[name]
    if call is not None:
        if not callable(obj):
            raise AppDiscoveryError(
                f"'{module.__name__}:{name}' is a {type(obj).__name__}, not a function, so it "
                f"cannot be called as {name}{call}. Remove the parentheses or name the factory."
            )
        app = _call_factory(obj, call, f"{module.__name__}:{name}", target)
        return LoadedApp(_check_app(app, f"{name}{call}", module), target, module, f"{name}{call}")
    if inspect.isfunction(obj) and not _is_wsgi_function(obj):
        app = _call_factory(obj, Call(), f"{module.__name__}:{name}", target)
        return LoadedApp(_check_app(app, f"{name}()", module), target, module, f"{name}()")
    return LoadedApp(_check_app(obj, name, module), target, module, name)


def _find_in_module(module: types.ModuleType, target: AppTarget) -> LoadedApp:
    namespace = vars(module)
    for name in APP_NAMES:
        obj = namespace.get(name)
        if obj is not None and _is_app_object(obj):
            return LoadedApp(obj, target, module, name)
    instances = [name for name, obj in namespace.items() if _is_app_instance(obj)]
    if len(instances) == 1:
        return LoadedApp(namespace[instances[0]], target, module, instances[0])
    if len(instances) > 1:
        choices = " or ".join(f"--app '{module.__name__}:{n}'" for n in sorted(instances))
        raise AppDiscoveryError(
            f"Module '{module.__name__}' holds several WSGI apps ({', '.join(sorted(instances))}) "
            f"and none is named 'app' or 'application'. Choose one: {choices}."
        )
    for name in FACTORY_NAMES:
        obj = namespace.get(name)
        if inspect.isfunction(obj):
            app = _call_factory(obj, Call(), f"{module.__name__}:{name}", target)
            return LoadedApp(_check_app(app, f"{name}()", module), target, module, f"{name}()")
    raise AppDiscoveryError(
        f"No WSGI app found in module '{module.__name__}' ({target.module_file}): "
        f"no 'app' or 'application', no other app object, and no create_app() or make_app() "
        f"factory. {_FIX_HINT}"
    )


def _call_factory(func: Callable[..., Any], call: Call, label: str, target: AppTarget) -> Any:
    kwargs = dict(call.kwargs)
    try:
        signature = inspect.signature(func)
    except (TypeError, ValueError):
        signature = None
    if signature is not None:
        try:
            signature.bind(*call.args, **kwargs)
        except TypeError as exc:
            raise AppDiscoveryError(
                f"The factory {label}{signature} cannot be called as {func.__name__}{call}: {exc}. "
                f"Pass the arguments it needs in the spec, for example --app "
                f"\"{target.import_name}:{func.__name__}('production')\"."
            ) from exc
    try:
        return func(*call.args, **kwargs)
    except (Exception, SystemExit) as exc:
        raise _error_inside(f"calling {label}{call}", exc, target) from exc


def _check_app(obj: Any, found_as: str, module: types.ModuleType) -> WSGIApp:
    if obj is None or not callable(obj) or isinstance(obj, type):
        kind = "a class" if isinstance(obj, type) else f"a {type(obj).__name__}"
        raise AppDiscoveryError(
            f"'{module.__name__}:{found_as}' is {kind}, not a WSGI application (a callable taking "
            "environ and start_response). Point the app spec at the app object or its factory."
        )
    return obj  # type: ignore[no-any-return]


def _is_wsgi_function(func: Callable[..., Any]) -> bool:
    """A plain PEP 3333 function: it takes exactly (environ, start_response)."""
    try:
        params = list(inspect.signature(func).parameters.values())
    except (TypeError, ValueError):
        return False
    positional = [
        p
        for p in params
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty
    ]
    if len(positional) != 2:
        return False
    names = [p.name for p in positional]
    return names == ["environ", "start_response"] or len(params) == 2


def _is_app_instance(obj: object) -> bool:
    """A callable object that is not a class, function or module: an app instance."""
    if isinstance(obj, type | types.ModuleType | types.FunctionType | types.BuiltinFunctionType):
        return False
    if isinstance(obj, types.MethodType) or not callable(obj):
        return False
    owner = type(obj).__module__ or ""
    return not owner.startswith(_NOT_APP_MODULES)


def _is_app_object(obj: object) -> bool:
    if inspect.isfunction(obj):
        return _is_wsgi_function(obj)
    return _is_app_instance(obj)


def _candidate_names(module: types.ModuleType) -> Iterable[str]:
    for name, obj in vars(module).items():
        if name.startswith("_"):
            continue
        if _is_app_object(obj) or (inspect.isfunction(obj) and "app" in name.lower()):
            yield name


def _error_inside(action: str, exc: BaseException, target: AppTarget) -> AppDiscoveryError:
    """An exception raised by the user's code: say what and where, no traceback."""
    location = _user_location(exc, target.search_path)
    where = f" at {location}" if location else ""
    message = str(exc).strip()
    detail = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    return AppDiscoveryError(
        f"Error while {action}{where}:\n  {detail}\n"
        "Fix the error in your code and try again (--verbose shows the full traceback)."
    )


def _user_location(exc: BaseException, root: Path) -> str | None:
    if isinstance(exc, SyntaxError) and exc.filename:
        return f"{_display(Path(exc.filename), root)}:{exc.lineno}"
    frames = traceback.extract_tb(exc.__traceback__)
    inside = [f for f in frames if _is_user_file(f.filename, root)]
    frame = inside[-1] if inside else (frames[-1] if frames else None)
    if frame is None:
        return None
    return f"{_display(Path(frame.filename), root)}:{frame.lineno}"


def _is_user_file(filename: str, root: Path) -> bool:
    """A file of the user's project: under its root, not installed, not flaskit's own."""
    path = Path(filename)
    if "site-packages" in path.parts or "dist-packages" in path.parts:
        return False
    if path.is_relative_to(Path(__file__).parent):
        return False
    return path.is_relative_to(root)


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root))
    except ValueError:
        return str(path)
