"""The one object every command works from, like Flask's ``ScriptInfo``.

It holds what the root group was given (``-A/--app``, ``-e/--env-file``,
``--debug``, ``--verbose``) and, loaded once and only when a command asks,
the settings sources, the app target (located without importing anything) and
the loaded app. Commands call :meth:`CliContext.use_app` with their own
``[APP]``/``--app``, then take what they need from it.

Only the standard library is imported at module level: ``flaskit --help``
builds one of these.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

    from flaskit.config import Setting, Sources
    from flaskit.discovery import AppTarget, LoadedApp
    from flaskit.errors import FlaskitError
    from flaskit.interpreter import ProjectPython


class CliContext:
    """Sources and app target of one ``flaskit`` invocation, each loaded at most once."""

    # A plain class: importing dataclasses costs start-up time --help should not pay.
    def __init__(
        self,
        *,
        cwd: Path | None = None,
        environ: Mapping[str, str] | None = None,
        app: str | None = None,
        env_file: str | Path | None = None,
        debug: bool | None = None,
        verbose: bool = False,
        python: str | None = None,
    ) -> None:
        self.cwd = cwd
        self.environ = environ  # None: the process environment
        self.app = app  # -A/--app of the group
        self.env_file = env_file
        self.debug_flag = debug  # --debug/--no-debug of the group; None: not given
        self.verbose = verbose
        self.python = python  # --python of the group: the project's interpreter
        self.argv: list[str] | None = None  # the arguments flaskit was started with
        self._project_python: ProjectPython | None = None
        self._command_app: str | None = None
        self._sources: Sources | None = None
        self._target: AppTarget | None = None
        self._loaded: LoadedApp | None = None
        self._failure: FlaskitError | None = None
        self.plugin_commands: Any = None  # flaskit.cli.foreign.PluginCommands, once loaded
        self.reported_failure = False  # the load error was shown (--help shows it once)

    # ------------------------------------------------------------------ sources

    @property
    def sources(self) -> Sources:
        """The environment, dotenv files and pyproject.toml, read on first use."""
        if self._sources is None:
            from flaskit.config import Sources

            self._sources = Sources.load(self.cwd, self.environ, self.env_file)
        return self._sources

    def debug(self, command_flag: bool | None = None) -> Setting[bool]:
        """Debug mode: the command's ``--debug``, else the group's, else the variables."""
        flag = command_flag if command_flag is not None else self.debug_flag
        return self.sources.debug(flag)

    def project_python(self) -> ProjectPython:
        """The interpreter the app runs in: flaskit's own, or the project's when
        flaskit runs from an isolated install (found and checked once)."""
        if self._project_python is None:
            from flaskit import interpreter

            self._project_python = interpreter.find(self.sources, self.python)
        return self._project_python

    # ------------------------------------------------------------------ the app

    def use_app(self, positional: str | None = None, option: str | None = None) -> str | None:
        """Take a command's own ``[APP]`` and ``--app``; they and ``-A`` must agree.

        Returns the spec that wins over the variables and pyproject.toml (None: none given).
        """
        given = [
            (value, label)
            for value, label in (
                (positional, f"'{positional}'"),
                (option, f"--app '{option}'"),
                (self.app, f"-A/--app '{self.app}' before the command"),
            )
            if value
        ]
        if len({value for value, _label in given}) > 1:
            import click

            listed = " and ".join(label for _value, label in given)
            raise click.UsageError(f"Two different apps were given: {listed}. Pass only one.")
        spec = given[0][0] if given else None
        self._command_app = positional or option  # the group's -A is kept apart
        self._target = None  # located again with this spec when asked
        return spec

    def app_setting(self) -> Setting[str | None]:
        """The app spec and where it came from (the command's, ``-A``, the variables,
        pyproject.toml; ``None`` with source "auto-discovery" when nothing names one)."""
        setting = self.sources.app(self._command_app or self.app)
        if self._command_app is None and self.app is not None:
            from dataclasses import replace

            setting = replace(setting, source="option -A/--app")  # the group's, not run's
        return setting

    def target(self) -> AppTarget:
        """Where the app is (flag, variables, pyproject.toml or auto-discovery); nothing
        is imported. Raises :class:`~flaskit.errors.AppDiscoveryError` when there is none."""
        if self._target is None:
            from flaskit.discovery import locate

            self._target = locate(self.app_setting(), self.sources.cwd)
        return self._target

    def find_target(self) -> AppTarget | None:
        """The app target, or None outside a project (no spec, nothing to discover).

        An app that was named but cannot be found is an error, not "outside".
        """
        from flaskit.errors import AppDiscoveryError

        try:
            return self.target()
        except AppDiscoveryError:
            if self.app_setting().value:
                raise
            return None

    def app_environ(self, debug: Setting[bool] | None = None) -> dict[str, str]:
        """The environment the app runs in: flaskit's own, the dotenv values, the
        target's defaults (DJANGO_SETTINGS_MODULE), and what Flask's CLI sets:
        ``FLASK_RUN_FROM_CLI`` (a stray ``app.run()`` does nothing) and
        ``FLASK_DEBUG`` when debug mode was chosen."""
        debug = self.debug() if debug is None else debug
        overrides = {"FLASK_RUN_FROM_CLI": "true"}
        if not debug.is_default:
            overrides["FLASK_DEBUG"] = "1" if debug.value else "0"
        return self.sources.app_environ(dict(self.target().environ), overrides)

    def export_environment(self, production: bool = False) -> None:
        """Make :meth:`app_environ` this process's environment, before the app is
        imported here (``routes``, ``shell``, ``deploy-config``, app commands).

        For ``production`` (``deploy-config`` reading the app as its server will
        import it), without ``FLASK_DEBUG``: a ``.flaskenv`` or a shell's debug mode
        is the developer's, and a production server reads neither.
        """
        from flaskit.config import export_environ

        export_environ(self.app_environ(), remove=("FLASK_DEBUG",) if production else ())

    def target_for_import(
        self, positional: str | None = None, option: str | None = None, production: bool = False
    ) -> AppTarget:
        """The app target of a command that imports the app in this process (``routes``,
        ``deploy-config``): :meth:`use_app`, :meth:`target`, then
        :meth:`export_environment`, so the import sees what it would under ``run``
        (or, for ``production``, under the production server)."""
        self.use_app(positional, option)
        target = self.target()
        self.export_environment(production)
        return target

    def load_app(self) -> LoadedApp:
        """Import the app in this process (once; a failure is raised again as is)."""
        if self._loaded is not None:
            return self._loaded
        if self._failure is not None:
            raise self._failure
        from flaskit.discovery import load
        from flaskit.errors import FlaskitError

        try:
            target = self.target()
            self.export_environment()
            self._loaded = load(target)
        except FlaskitError as exc:
            self._failure = exc
            raise
        return self._loaded

    @property
    def load_failure(self) -> FlaskitError | None:
        """The error of an earlier :meth:`load_app`, if it failed."""
        return self._failure

    def flask_app(self) -> Any | None:
        """The loaded app when it is a Flask app (it has ``app.cli`` commands), else None."""
        app = self.load_app().app
        flask = _module("flask")
        if flask is not None and isinstance(app, flask.Flask):
            return app
        return None


def _module(name: str) -> Any | None:
    import sys

    return sys.modules.get(name)
