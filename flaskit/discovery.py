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

When no app is found, the error lists every candidate tried, in order, each with
why it was not the app, and where the spec came from: finding the app is the
most common support question about Flask's CLI, so the message answers it.
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
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from flaskit.config import Setting
from flaskit.errors import AppDiscoveryError
from flaskit.wsgi import WSGIApp

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
_NAMED_NOWHERE = "no app was named with --app, FLASKIT_APP, FLASK_APP or [tool.flaskit] app"
# manage.py: os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")
_DJANGO_SETTINGS = re.compile(r"""["']DJANGO_SETTINGS_MODULE["']\s*,\s*["']([\w.]+)["']""")


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
    # Auto-discovery: every candidate in order, this one among them; load() moves on
    # to the next when a module holds no app (never past an error in the user's code).
    candidates: tuple[Candidate, ...] = ()
    # Variables the app expects, set where the environment does not set them
    # (DJANGO_SETTINGS_MODULE, as manage.py sets it).
    environ: tuple[tuple[str, str], ...] = ()

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


@dataclass(frozen=True)
class Attempt:
    """A candidate that was tried, and why it is not the app."""

    candidate: str
    reason: str


@dataclass(frozen=True)
class Candidate:
    """One place auto-discovery looks; ``target`` is None when it was ruled out
    without importing anything (a missing file), with ``reason`` saying why."""

    label: str
    target: AppTarget | None
    reason: str = ""


class NoAppHere(AppDiscoveryError):
    """The module imported, but the app is not where the candidate looked
    (as opposed to an error raised by the user's code)."""

    def __init__(self, message: str, attempts: Iterable[Attempt]) -> None:
        super().__init__(message)
        self.attempts = tuple(attempts)


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
        missing = (base_dir / where).resolve()
        if not missing.exists():
            raise AppDiscoveryError(
                explain(
                    f"The app file '{where}' does not exist.",
                    f"'{text}' from {origin}",
                    [Attempt(where, f"no such file (looked for {missing})")],
                    "Check the path in the app spec, or run flaskit from your project folder.",
                )
            )
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
    """Find the app in ``cwd``: ``wsgi.py``, ``app.py``, a Django ``manage.py``, then a
    package with a factory. Returns the first candidate that exists, carrying the
    whole list so :func:`load` can move on and a failure can name every one."""
    candidates = [_file_candidate(cwd, f"{name}.py") for name in AUTO_MODULES]
    candidates.append(_django_candidate(cwd))
    candidates.append(_package_candidate(cwd))
    found = [c.target for c in candidates if c.target is not None]
    if not found:
        attempts = [Attempt(c.label, c.reason) for c in candidates]
        raise AppDiscoveryError(
            explain(
                f"No app found in {cwd}.",
                f"from auto-discovery ({_NAMED_NOWHERE})",
                attempts,
                f"Run flaskit from your project folder, set FLASKIT_APP, or {_EXPLICIT_APP}.",
            )
        )
    return replace(found[0], candidates=tuple(candidates))


def _file_candidate(cwd: Path, name: str) -> Candidate:
    path = cwd / name
    if not path.is_file():
        return Candidate(name, None, "no such file")
    import_name, search_path, module_file = _import_name_for_path(str(path), cwd)
    target = AppTarget(
        import_name, None, None, search_path, f"auto-discovered {name}", name, module_file
    )
    return Candidate(name, target)


def _django_candidate(cwd: Path) -> Candidate:
    """A Django project: manage.py's settings module and that project's WSGI application."""
    label = "manage.py (Django)"
    manage = cwd / "manage.py"
    if not manage.is_file():
        return Candidate(label, None, "no such file")
    found = _DJANGO_SETTINGS.search(manage.read_text(encoding="utf-8", errors="replace"))
    if found is None:
        return Candidate(label, None, "it does not set DJANGO_SETTINGS_MODULE")
    settings = found.group(1)
    settings_file = _module_file(settings, cwd)
    if settings_file is None:
        return Candidate(label, None, f"its settings module {settings} is not in {cwd}")
    dotted = _literal_assignment(settings_file, "WSGI_APPLICATION")
    if dotted is None:  # split settings (base.py, dev.py): startproject's default place
        dotted = f"{settings.split('.')[0]}.wsgi.application"
    module, _, attribute = dotted.rpartition(".")
    module_file = _module_file(module, cwd) if module else None
    if module_file is None:
        return Candidate(label, None, f"WSGI_APPLICATION {dotted!r}: no module {module} in {cwd}")
    target = AppTarget(
        module,
        attribute,
        None,
        cwd,
        f"auto-discovered manage.py (DJANGO_SETTINGS_MODULE={settings})",
        f"{module}:{attribute}",
        module_file,
        environ=(("DJANGO_SETTINGS_MODULE", settings),),
    )
    return Candidate(label, target)


def _package_candidate(cwd: Path) -> Candidate:
    label = "a package with create_app() or make_app()"
    packages = sorted(
        child.name
        for child in cwd.iterdir()
        if (child / "__init__.py").is_file() and _mentions_factory(child / "__init__.py")
    )
    if not packages:
        return Candidate(label, None, f"no package in {cwd} defines or imports one")
    if len(packages) > 1:
        options = ", ".join(f"--app {p}" for p in packages)
        return Candidate(
            label,
            None,
            f"several packages define one ({', '.join(packages)}): choose with {options}, "
            "or set app in [tool.flaskit] of pyproject.toml",
        )
    name = packages[0]
    target = AppTarget(
        name, None, None, cwd, f"auto-discovered package {name}/", name, cwd / name / "__init__.py"
    )
    return Candidate(f"package {name}/", target)


def _literal_assignment(path: Path, name: str) -> str | None:
    """The string assigned to ``name`` at the top level of a module, read without importing."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8", errors="replace"))
    except (OSError, SyntaxError, ValueError):
        return None
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            return node.value.value
    return None


def explain(headline: str, origin: str, attempts: Iterable[Attempt], fix: str) -> str:
    """One discovery failure: what went wrong, where the spec came from (``origin``,
    e.g. "'hello' from option --app"), each candidate tried with its reason, and
    how to fix it."""
    lines = [headline, f"App {origin}. Tried, in order:"]
    lines += [f"  {n}. {a.candidate}: {a.reason}" for n, a in enumerate(attempts, 1)]
    lines.append(fix)
    return "\n".join(lines)


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


class _Miss(AppDiscoveryError):
    """The candidate holds no app; auto-discovery moves on to the next one."""

    def __init__(
        self, headline: str, summary: str, attempts: Iterable[Attempt] = (), fix: str = _FIX_HINT
    ) -> None:
        super().__init__(headline)
        self.headline, self.summary, self.fix = headline, summary, fix
        self.attempts = tuple(attempts)


class _Broken(AppDiscoveryError):
    """The user's code failed (or a module shadows it): the search stops here."""

    def __init__(self, headline: str, fix: str) -> None:
        super().__init__(f"{headline}\n{fix}")
        self.headline, self.fix = headline, fix


def load(target: AppTarget) -> LoadedApp:
    """Import the target's module and return the application in it.

    With auto-discovery, candidates are tried in order until one holds an app;
    an error in the user's code stops the search. The error names every
    candidate tried and why it was not the app.
    """
    auto = bool(target.candidates)
    candidates = target.candidates or (Candidate(target.spec, target),)
    origin = f"from auto-discovery ({_NAMED_NOWHERE})"
    if not auto:
        origin = f"'{target.spec}' from {target.origin}"
    attempts: list[Attempt] = []
    for candidate in candidates:
        if candidate.target is None:
            attempts.append(Attempt(candidate.label, candidate.reason))
            continue
        try:
            return _load_one(candidate.target)
        except _Miss as miss:
            if not auto:
                message = explain(miss.headline, origin, miss.attempts, miss.fix)
                raise AppDiscoveryError(message) from miss.__cause__
            attempts.append(Attempt(candidate.label, miss.summary))
        except _Broken as broken:
            attempts.append(Attempt(candidate.label, "failed with the error above"))
            message = explain(broken.headline, origin, attempts, broken.fix)
            raise AppDiscoveryError(message) from broken.__cause__
    raise AppDiscoveryError(
        explain(
            f"No app found in {target.search_path}.",
            origin,
            attempts,
            f"Run flaskit from your project folder, set FLASKIT_APP, or {_EXPLICIT_APP}.",
        )
    )


def _load_one(target: AppTarget) -> LoadedApp:
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
            where = f"no module named '{name}' in {target.search_path} or on the Python path"
            raise _Miss(
                f"Could not import '{name}': {where}.",
                where,
                [Attempt(target.spec, where)],
                f"Check the spelling, run flaskit from your project folder, or {_EXPLICIT_APP}.",
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
        raise _Broken(
            f"'{target.import_name}' was imported from {actual}, not from {expected}: another "
            f"module with that name (a standard-library or installed one) shadows your file.",
            f"Rename {expected.name} to something unique and update the app spec.",
        )


def _find_by_name(
    module: types.ModuleType, target: AppTarget, name: str, call: Call | None
) -> LoadedApp:
    label = f"{module.__name__}:{name}{call or ''}"
    if name not in vars(module):
        found = _describe_callables(module)
        raise _Miss(
            f"Module '{module.__name__}' has no attribute '{name}'.",
            f"no attribute '{name}'",
            [Attempt(label, f"the module has no attribute '{name}'")],
            f"Apps and factories it does have: {found}. Fix the name in the app spec.",
        )
    obj = vars(module)[name]
    if call is not None:
        if not callable(obj):
            reason = f"it is a {type(obj).__name__}, not a function, so it cannot be called"
            raise _Miss(
                f"'{module.__name__}:{name}' cannot be called as {name}{call}.",
                reason,
                [Attempt(label, reason)],
                "Remove the parentheses or name the factory.",
            )
        app = _call_factory(obj, call, f"{module.__name__}:{name}", target)
        return LoadedApp(_check_app(app, f"{name}{call}", module), target, module, f"{name}{call}")
    if inspect.isfunction(obj) and not _is_wsgi_function(obj):
        app = _call_factory(obj, Call(), f"{module.__name__}:{name}", target)
        return LoadedApp(_check_app(app, f"{name}()", module), target, module, f"{name}()")
    return LoadedApp(_check_app(obj, name, module), target, module, name)


def _find_in_module(module: types.ModuleType, target: AppTarget) -> LoadedApp:
    """Flask's order: ``app``, ``application``, the only app object, ``create_app()``,
    ``make_app()``; each miss is remembered for the error."""
    namespace = vars(module)
    mod = module.__name__
    attempts: list[Attempt] = []
    for name in APP_NAMES:
        obj = namespace.get(name, _MISSING)
        if obj is not _MISSING and _is_app_object(obj):
            return LoadedApp(obj, target, module, name)
        attempts.append(Attempt(f"{mod}:{name}", _why_not_app(obj, name)))
    instances = [name for name, obj in namespace.items() if _is_app_instance(obj)]
    if len(instances) == 1:
        return LoadedApp(namespace[instances[0]], target, module, instances[0])
    if len(instances) > 1:
        names = ", ".join(sorted(instances))
        choices = " or ".join(f"--app '{mod}:{n}'" for n in sorted(instances))
        raise _Miss(
            f"Module '{mod}' holds several WSGI apps ({names}) and none is named 'app' or "
            "'application'.",
            f"several WSGI apps ({names}), none named 'app'",
            [*attempts, Attempt("the only app object", f"there are several: {names}")],
            f"Choose one: {choices}.",
        )
    attempts.append(Attempt("the only app object", "the module holds none"))
    fix = None
    for name in FACTORY_NAMES:
        obj = namespace.get(name, _MISSING)
        if not inspect.isfunction(obj):
            attempts.append(Attempt(f"{mod}:{name}()", _why_not_app(obj, name)))
            continue
        try:
            app = _call_factory(obj, Call(), f"{mod}:{name}", target)
        except _Miss as miss:  # needs arguments: say so, and look further
            attempts.extend(miss.attempts)
            fix = fix or miss.fix
            continue
        return LoadedApp(_check_app(app, f"{name}()", module), target, module, f"{name}()")
    where = f" ({target.module_file})" if target.module_file else ""
    callables = _describe_callables(module)
    raise _Miss(
        f"No WSGI app found in module '{mod}'{where}.",
        f"imported, but it holds no app (callables in it: {callables})",
        attempts,
        f"Callables the module has: {callables}. {_suggest_spec(module, fix)}",
    )


_MISSING = object()


def _why_not_app(obj: object, name: str) -> str:
    if obj is _MISSING:
        return f"no attribute '{name}'"
    if inspect.isfunction(obj):
        return f"a function {name}{_signature(obj)} that is not a WSGI app or factory"
    kind = "a class" if isinstance(obj, type) else f"a {type(obj).__name__}"
    return f"{kind}, not a WSGI callable"


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
            example = f"--app \"{target.import_name}:{func.__name__}('production')\""
            reason = (
                f"the factory {label}{signature} cannot be called as {func.__name__}{call}: {exc}"
            )
            raise _Miss(
                f"The factory {label}{signature} cannot be called as {func.__name__}{call}.",
                reason,
                [Attempt(f"{label}{call}", reason)],
                f"Pass the arguments it needs in the spec, for example {example}.",
            ) from exc
    try:
        return func(*call.args, **kwargs)
    except (Exception, SystemExit) as exc:
        raise _error_inside(f"calling {label}{call}", exc, target) from exc


def _check_app(obj: Any, found_as: str, module: types.ModuleType) -> WSGIApp:
    if obj is None or not callable(obj) or isinstance(obj, type):
        kind = "a class" if isinstance(obj, type) else f"a {type(obj).__name__}"
        label = f"{module.__name__}:{found_as}"
        reason = (
            f"'{label}' is {kind}, not a WSGI application (a callable taking environ and "
            "start_response)"
        )
        raise _Miss(
            f"'{label}' is not a WSGI application.",
            reason,
            [Attempt(label, reason)],
            f"Point the app spec at the app object or its factory. {_suggest_spec(module)}",
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


def _callables(module: types.ModuleType) -> list[tuple[str, Any]]:
    """The module's app objects and the functions that may build one: those it
    defines, and any whose name mentions "app" (an imported ``create_app``)."""
    found = []
    for name, obj in vars(module).items():
        if name.startswith("_"):
            continue
        defined_here = inspect.isfunction(obj) and (
            obj.__module__ == module.__name__ or "app" in name.lower()
        )
        if defined_here or _is_app_object(obj):
            found.append((name, obj))
    return found


def _signature(func: Callable[..., Any]) -> str:
    try:
        return str(inspect.signature(func))
    except (TypeError, ValueError):
        return "(...)"


def _describe_callables(module: types.ModuleType) -> str:
    names = [
        f"{name}{_signature(obj)}" if inspect.isfunction(obj) and not _is_app_object(obj) else name
        for name, obj in _callables(module)
    ]
    return ", ".join(sorted(names)) or "none"


def _suggest_spec(module: types.ModuleType, fallback: str | None = None) -> str:
    """A spec that could work: an app object, else a function callable without
    arguments, else ``fallback``."""
    for name, obj in _callables(module):
        if _is_app_object(obj):
            return f"For example: --app '{module.__name__}:{name}'."
    for name, obj in _callables(module):
        if _callable_without_arguments(obj):
            return f"For example: --app '{module.__name__}:{name}()'."
    return fallback or _FIX_HINT


def _callable_without_arguments(func: Callable[..., Any]) -> bool:
    try:
        inspect.signature(func).bind()
    except (TypeError, ValueError):
        return False
    return True


def _error_inside(action: str, exc: BaseException, target: AppTarget) -> _Broken:
    """An exception raised by the user's code: say what and where, no traceback."""
    location = _user_location(exc, target.search_path)
    where = f" at {location}" if location else ""
    message = str(exc).strip()
    detail = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    return _Broken(
        f"Error while {action}{where}:\n  {detail}",
        "Fix the error in your code and try again (--verbose shows the full traceback).",
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
