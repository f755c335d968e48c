"""``flaskit shell``: an interpreter in the app's context.

* Flask: inside an app context, with ``app``, ``g`` and whatever the shell
  context processors add (``app.make_shell_context()``: Flask-SQLAlchemy's
  ``db`` and models, for instance), as ``flask shell`` gives them.
* Django: what ``manage.py shell`` does (Django's own shell command).
* Any other WSGI app: the app object as ``app``.

The interpreter is IPython, ptpython or bpython when installed (``auto`` picks
the first of those), else Python's own. When standard input is not a terminal,
the shell runs what it reads as a script instead, so scripts and tests can
drive it.
"""

from __future__ import annotations

import platform
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

from flaskit.discovery import LoadedApp
from flaskit.errors import UsageProblem

INTERFACES = ("auto", "python", "ipython", "ptpython", "bpython")
# The order auto tries them in, with the module that must import.
_INSTALLED_ORDER = (("ipython", "IPython"), ("ptpython", "ptpython"), ("bpython", "bpython"))
_PACKAGES = {"ipython": "ipython", "ptpython": "ptpython", "bpython": "bpython"}


@dataclass(frozen=True)
class ShellConfig:
    """What ``flaskit shell`` was asked for."""

    interface: str = "auto"
    stdin: IO[str] | None = None  # None: sys.stdin
    stdout: IO[str] | None = None  # None: sys.stdout


def run_shell(loaded: LoadedApp, flask_app: Any | None, config: ShellConfig) -> int:
    """Start the shell for ``loaded`` (``flask_app``: the same app when it is a Flask
    app, prepared as ``flask`` prepares it); returns the exit code."""
    stdin = config.stdin or sys.stdin
    interactive = stdin.isatty()
    if config.interface not in INTERFACES:
        raise UsageProblem(f"--interface {config.interface}: use one of {', '.join(INTERFACES)}.")
    if flask_app is not None:
        with flask_app.app_context():
            namespace = _startup_namespace(interactive)
            namespace.update(flask_app.make_shell_context())
            return _interact(namespace, _banner(loaded, flask_app), config, stdin)
    if _is_django():
        return _django_shell(config.interface, stdin, interactive)
    namespace = _startup_namespace(interactive)
    namespace["app"] = loaded.app
    return _interact(namespace, _banner(loaded, None), config, stdin)


def _startup_namespace(interactive: bool) -> dict[str, Any]:
    """A fresh namespace, with PYTHONSTARTUP run in it as Python runs it: interactive only."""
    from flaskit.config import python_startup

    namespace: dict[str, Any] = {"__name__": "__main__"}
    startup = python_startup() if interactive else None
    if startup is not None:
        code = compile(startup.read_text(encoding="utf-8"), str(startup), "exec")
        exec(code, namespace)  # noqa: S102 - the user's own startup file
    return namespace


def _banner(loaded: LoadedApp, flask_app: Any | None) -> str:
    app_line = f"App: {loaded.spec}{_app_version(loaded)} ({loaded.target.origin})"
    lines = [f"Python {platform.python_version()} on {sys.platform}", app_line]
    if flask_app is not None:
        from importlib.metadata import version

        debug = "on" if flask_app.debug else "off"
        lines.append(f"Flask {version('flask')}, debug {debug}, instance {flask_app.instance_path}")
        lines.append("In the namespace: " + ", ".join(sorted(flask_app.make_shell_context())))
    else:
        lines.append("In the namespace: app")
    return "\n".join(lines)


def _app_version(loaded: LoadedApp) -> str:
    """`` 1.2.0`` when the app's top-level package is an installed distribution."""
    from importlib.metadata import PackageNotFoundError, packages_distributions, version

    top = loaded.target.import_name.split(".")[0]
    for dist in packages_distributions().get(top, []):
        try:
            return f" {version(dist)}"
        except PackageNotFoundError:
            continue
    return ""


def _interact(namespace: dict[str, Any], banner: str, config: ShellConfig, stdin: IO[str]) -> int:
    if not stdin.isatty():
        return _run_script(stdin.read(), namespace)
    interface = _choose(config.interface)
    out = config.stdout or sys.stdout
    _STARTERS[interface](namespace, banner, out)
    return 0


def _run_script(source: str, namespace: dict[str, Any]) -> int:
    """Piped input: run it as a script (an exception prints its traceback and exits 1)."""
    code = compile(source, "<stdin>", "exec")
    return _as_script(lambda: exec(code, namespace))  # noqa: S102 - the user's input


def _as_script(run: Callable[[], object]) -> int:
    """Run the user's script; its exit code, or 1 with its traceback from its first line."""
    try:
        run()
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        sys.stderr.write(f"{exc.code}\n")
        return 1
    except Exception as exc:
        frames = traceback.extract_tb(exc.__traceback__)
        first = next((i for i, f in enumerate(frames) if f.filename in _SCRIPT_NAMES), 0)
        sys.stderr.write("Traceback (most recent call last):\n")
        sys.stderr.write("".join(traceback.format_list(frames[first:])))
        sys.stderr.write("".join(traceback.format_exception_only(type(exc), exc)))
        return 1
    return 0


_SCRIPT_NAMES = ("<stdin>", "<string>")


def _choose(interface: str) -> str:
    """``auto``: the best installed; a named one must be installed."""
    import importlib.util

    if interface == "auto":
        for name, module in _INSTALLED_ORDER:
            if importlib.util.find_spec(module) is not None:
                return name
        return "python"
    needed = dict(_INSTALLED_ORDER).get(interface)
    if needed is not None and importlib.util.find_spec(needed) is None:
        raise UsageProblem(
            f"--interface {interface}: {needed} is not installed in this environment. "
            f"Install it (pip install {_PACKAGES[interface]}) or use --interface python."
        )
    return interface


def _python(namespace: dict[str, Any], banner: str, out: IO[str]) -> None:
    import code

    hook = getattr(sys, "__interactivehook__", None)
    if hook is not None:
        hook()  # readline history and tab completion, as `python` sets them up
        try:
            import readline
            import rlcompleter
        except ImportError:
            pass
        else:  # complete names from the shell's namespace, not flaskit's __main__
            readline.set_completer(rlcompleter.Completer(namespace).complete)
    code.interact(banner=banner, local=namespace, exitmsg="")


def _ipython(namespace: dict[str, Any], banner: str, out: IO[str]) -> None:
    from IPython import start_ipython

    print(banner, file=out)
    start_ipython(argv=["--no-banner"], user_ns=namespace)


def _ptpython(namespace: dict[str, Any], banner: str, out: IO[str]) -> None:
    from ptpython.repl import embed  # type: ignore[import-not-found]

    print(banner, file=out)
    embed(globals=namespace, locals=namespace)


def _bpython(namespace: dict[str, Any], banner: str, out: IO[str]) -> None:
    import bpython  # type: ignore[import-not-found]

    bpython.embed(locals_=namespace, banner=banner)


_STARTERS: dict[str, Callable[[dict[str, Any], str, IO[str]], None]] = {
    "python": _python,
    "ipython": _ipython,
    "ptpython": _ptpython,
    "bpython": _bpython,
}


def _is_django() -> bool:
    conf = sys.modules.get("django.conf")
    return conf is not None and bool(conf.settings.configured)


def _django_shell(interface: str, stdin: IO[str], interactive: bool) -> int:
    """``manage.py shell``: Django's own command, with its namespace and interfaces."""
    from django.core.management import call_command  # type: ignore[import-untyped]

    if not interactive:
        # Django reads a pipe itself only if data is already waiting; read it here.
        source = stdin.read()
        return _as_script(lambda: call_command("shell", command=source))
    options: dict[str, Any] = {}
    if interface == "ptpython":
        raise UsageProblem(
            "Django's shell offers ipython, bpython and python, not ptpython: "
            "use --interface ipython, bpython or python."
        )
    if interface != "auto":
        options["interface"] = interface
    call_command("shell", **options)
    return 0
