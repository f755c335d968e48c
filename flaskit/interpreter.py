"""The interpreter that runs the app: flaskit's own, or the project's.

flaskit may be installed on its own (``pipx install flaskit``, ``uv tool install
flaskit``), in an environment that has none of the project's packages. The app
then runs in the project's interpreter, chosen in this order:

1. ``--python PATH`` (also ``FLASKIT_PYTHON``, ``[tool.flaskit] python``): an
   interpreter, a virtualenv folder, or a command name on the ``PATH``;
2. the activated virtualenv, ``VIRTUAL_ENV``;
3. a ``.venv/`` or ``venv/`` folder in the working directory or a parent, up to
   the project's root (the folder of its ``pyproject.toml``), unless flaskit
   itself runs from an environment inside the project (a tox env, ``.venv-3.10``).

When that is the environment flaskit runs in (flaskit installed in the project),
nothing changes. Otherwise the zygote and the workers of ``run``, and the other
commands that import the app, run in the project's interpreter with flaskit's own
install appended to ``sys.path`` *after* the project's paths: the project's
werkzeug, click and Flask win, and flaskit's copies of what a project may lack
(rich, pygments) are the fallback. Only ``run``'s supervisor stays here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flaskit import __version__
from flaskit.compat import FLOORS, MIN_PYTHON, dotted, release
from flaskit.config import Sources, active_virtualenv, delegated_from
from flaskit.errors import UsageProblem

VENV_NAMES = (".venv", "venv")
PROBE_TIMEOUT = 30.0

# Run by the project's interpreter as ``python -c BOOTSTRAP PATHS MODULE ARGS...``:
# flaskit's install goes after the project's own paths, then MODULE runs as
# ``python -m MODULE ARGS...`` would run it.
BOOTSTRAP = (
    "import runpy, sys; "
    f"sys.path.extend(p for p in sys.argv[1].split({os.pathsep!r}) if p and p not in sys.path); "
    "module = sys.argv[2]; del sys.argv[1:3]; "
    "runpy.run_module(module, run_name='__main__', alter_sys=True)"
)

# What flaskit needs to know about an interpreter before it runs anything there.
# Written for any Python 3 (it may be older than flaskit supports: that is the
# error to report) and run without flaskit's paths, so it sees the project alone.
_PROBE = """
import json, sys
try:
    from importlib.metadata import version, PackageNotFoundError
except ImportError:
    version = None
found = {}
for name in %r:
    try:
        found[name] = version(name) if version else None
    except PackageNotFoundError:
        found[name] = None
print(json.dumps({"prefix": sys.prefix, "executable": sys.executable,
                  "version": list(sys.version_info[:3]), "packages": found}))
"""
_PROBED = ("werkzeug", "click", "flask", "flaskit")


class InterpreterProblem(UsageProblem):
    """The project's interpreter cannot run flaskit's side of the app."""


@dataclass(frozen=True)
class ProjectPython:
    """The interpreter the app runs in, and how flaskit's code gets there."""

    executable: str
    source: str  # where it was chosen: "flaskit's own", "from VIRTUAL_ENV", ".venv/ in /p"
    isolated: bool = False  # not the interpreter flaskit itself runs in
    version: str = ""
    packages: dict[str, str | None] = field(default_factory=dict)
    venv: Path | None = None  # the virtualenv it belongs to, when it is one
    fallback_path: tuple[str, ...] = ()  # flaskit's install, after the project's paths

    def module_command(self, module: str, *args: str) -> list[str]:
        """The argv that runs ``python -m module args...`` in this interpreter."""
        if not self.isolated:
            return [sys.executable, "-m", module, *args]
        paths = os.pathsep.join(self.fallback_path)
        return [self.executable, "-c", BOOTSTRAP, paths, module, *args]

    def describe(self) -> str:
        """For the banner: ``3.10.13, /p/.venv/bin/python (.venv/ in /p)``."""
        version = self.version or ".".join(map(str, sys.version_info[:3]))
        return f"{version}, {self.executable} ({self.source})"

    def app_environ(self, environ: dict[str, str]) -> dict[str, str]:
        """``environ`` as the app sees it in this interpreter: its virtualenv activated
        (``VIRTUAL_ENV``, its ``bin`` first on ``PATH``), so the app's own subprocesses
        (pip, alembic, celery) are the project's too."""
        if not self.isolated or self.venv is None:
            return environ
        scripts = str(self.venv / ("Scripts" if os.name == "nt" else "bin"))
        path = environ.get("PATH", "")
        environ = dict(environ)
        environ["VIRTUAL_ENV"] = str(self.venv)
        if scripts not in path.split(os.pathsep):
            environ["PATH"] = os.pathsep.join([scripts, path]) if path else scripts
        environ.pop("PYTHONHOME", None)
        return environ


def own() -> ProjectPython:
    """flaskit's own interpreter (flaskit is installed in the project)."""
    return ProjectPython(sys.executable, "flaskit's own")


def find(sources: Sources, option: str | None = None) -> ProjectPython:
    """The interpreter the app runs in (see the module's docstring for the order).

    An interpreter other than flaskit's own is probed once and checked
    (:func:`check`); raises :class:`InterpreterProblem` when it cannot be used.
    """
    if delegated_from(sources.environ):
        return own()  # handed over already: this is the project's interpreter
    chosen = _choose(sources, option)
    if chosen is None:
        return own()
    executable, source = chosen
    venv = _venv_of(executable)
    if venv is not None and _same_place(venv, Path(sys.prefix)):
        return own()
    facts = _probe(executable, source)
    if _same_place(Path(facts["prefix"]), Path(sys.prefix)):
        return own()
    project = ProjectPython(
        executable=str(executable),
        source=source,
        isolated=True,
        version=".".join(str(n) for n in facts["version"]),
        packages=dict(facts["packages"]),
        venv=venv,
        fallback_path=fallback_path(),
    )
    check(project)
    return project


def check(project: ProjectPython, needs_server: bool = False) -> None:
    """Refuse an interpreter flaskit cannot run in: older than flaskit supports, a
    library older than flaskit's floor, a different flaskit installed there, or (with
    ``needs_server``, for ``run``) no werkzeug, which serves the app."""
    if not project.isolated:
        return  # flaskit's own: its installer already resolved everything together
    where = f"{project.executable} ({project.source})"
    mine = ".".join(map(str, sys.version_info[:3]))
    if release(project.version) < MIN_PYTHON:
        raise InterpreterProblem(
            f"The project's interpreter {where} is Python {project.version}, and flaskit "
            f"needs Python {dotted(MIN_PYTHON)} or newer there (flaskit itself runs on "
            f"{mine}). Recreate the project's virtualenv with a newer Python "
            f"(python3.12 -m venv .venv), or name one with --python."
        )
    installed = project.packages.get("flaskit")
    if installed is not None and installed != __version__:
        raise InterpreterProblem(
            f"The project's environment ({where}) has flaskit {installed}, and this "
            f"flaskit is {__version__}: the app's side and this side must be the same "
            f"release. Run the project's own ({_script(project, 'flaskit')}), or upgrade "
            f"it there: {_script(project, 'pip')} install -U 'flaskit=={__version__}'."
        )
    for name, floor in FLOORS.items():
        found = project.packages.get(name)
        if found is not None and release(found) < floor:
            raise InterpreterProblem(
                f"The project's environment ({where}) has {name} {found}; flaskit needs "
                f"{name} {dotted(floor)} or newer in the app's interpreter. Upgrade it there: "
                f"{_script(project, 'pip')} install -U '{name}>={dotted(floor)}'."
            )
    if needs_server and project.packages.get("werkzeug") is None:
        raise InterpreterProblem(
            f"The project's environment ({where}) has no werkzeug, which serves the app "
            f"in flaskit run (every Flask project has it). Install the project's "
            f"dependencies there, or werkzeug itself: "
            f"{_script(project, 'pip')} install 'werkzeug>={dotted(FLOORS['werkzeug'])}'."
        )


def fallback_path() -> tuple[str, ...]:
    """Where flaskit and the libraries it brings are installed: the folder that holds
    the ``flaskit`` package (a checkout, for an editable install), then this
    interpreter's site-packages."""
    import flaskit

    folders = [str(Path(flaskit.__file__).resolve().parent.parent)]
    paths = sysconfig.get_paths()
    folders += [paths["purelib"], paths["platlib"]]
    return tuple(dict.fromkeys(folders))


def _choose(sources: Sources, option: str | None) -> tuple[Path, str] | None:
    named = sources.python(option)
    if named.value:
        return _named(named.value, named.base_dir, named.source), f"from {named.source}"
    active = active_virtualenv(sources.environ)
    # A VIRTUAL_ENV without an interpreter (removed since, or another machine's path
    # set for deploy-config) says nothing about where the app runs here.
    if active is not None and _python_in(active) is not None:
        return _in_venv(active, "VIRTUAL_ENV"), "from VIRTUAL_ENV"
    stop = sources.project_root
    if _inside(Path(sys.prefix), stop):
        return None  # flaskit is installed in an environment of the project's (tox, .venv-3.10)
    for folder in (sources.cwd, *sources.cwd.parents):
        for name in VENV_NAMES:
            if (folder / name / "pyvenv.cfg").is_file():
                found = f"{name}/ in {folder}"
                return _in_venv(folder / name, found), found
        if folder == stop or not folder.is_relative_to(stop):
            break
    return None


def _named(value: str, base_dir: Path, source: str) -> Path:
    import shutil

    path = (base_dir / value).expanduser()
    if path.is_dir():
        return _in_venv(path, source)
    if path.is_file():
        return path
    found = shutil.which(value) if os.sep not in value else None
    if found is None:
        raise InterpreterProblem(
            f"{source} is '{value}', which is not an interpreter, a virtualenv folder or a "
            "command on the PATH. Name the project's interpreter, e.g. --python .venv."
        )
    return Path(found)


def _python_in(venv: Path) -> Path | None:
    for candidate in (venv / "bin" / "python", venv / "Scripts" / "python.exe"):
        if candidate.is_file():
            return candidate
    return None


def _in_venv(venv: Path, source: str) -> Path:
    python = _python_in(venv)
    if python is not None:
        return python
    raise InterpreterProblem(
        f"{venv} ({source}) is not a virtualenv: it has no bin/python. Create it "
        f"(python3 -m venv {venv}), or name the project's interpreter with --python."
    )


def _venv_of(executable: Path) -> Path | None:
    """The virtualenv an interpreter's path is in (``.../bin/python`` of a folder
    with ``pyvenv.cfg``); not resolved, since a venv's python is a symlink."""
    folder = executable.absolute().parent.parent
    return folder if (folder / "pyvenv.cfg").is_file() else None


def _inside(path: Path, folder: Path) -> bool:
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except OSError:
        return False


def _same_place(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _script(project: ProjectPython, name: str) -> str:
    if project.venv is not None:
        return str(project.venv / "bin" / name)
    return f"{project.executable} -m {name}"


def _probe(executable: Path, source: str) -> dict[str, Any]:
    try:
        result = subprocess.run(
            [str(executable), "-c", _PROBE % (_PROBED,)],
            capture_output=True,
            text=True,
            timeout=PROBE_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise InterpreterProblem(
            f"Cannot run the project's interpreter {executable} ({source}): {exc}. "
            "Check the path, or name another one with --python."
        ) from exc
    try:
        facts: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        detail = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
        raise InterpreterProblem(
            f"{executable} ({source}) did not answer as a Python interpreter ({detail[0]}). "
            "Name the project's interpreter with --python."
        ) from None
    return facts
