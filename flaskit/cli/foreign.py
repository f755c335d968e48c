"""Commands flaskit did not write: the app's own (``app.cli``, including what
extensions register in ``init_app``; for a Django project, its ``manage.py``
commands) and plugins' (``flask.commands`` entry points).

They run the way ``flask <command>`` runs them:

* plugin commands are loaded before the app, so they work when it is broken;
* an app command runs inside the app's app context, pushed once for the whole
  command (so a group callback can leave values in ``g`` for its subcommands,
  as Flask-Migrate's ``db`` does);
* the command's click context holds a Flask ``ScriptInfo`` whose app is the one
  flaskit found, so ``@with_appcontext`` and ``pass_script_info`` load that app;
* options can come from ``FLASK_<COMMAND>_<OPTION>`` variables, as click's
  ``auto_envvar_prefix`` gives them under ``flask``.
"""

from __future__ import annotations

import copy
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from flaskit.context import CliContext

PLUGIN_GROUP = "flask.commands"


class PluginCommands:
    """The ``flask.commands`` entry points, loaded once per invocation."""

    def __init__(self) -> None:
        self.commands: dict[str, click.Command] = {}
        self.errors: dict[str, str] = {}  # entry point name -> why it did not load
        self.sources: dict[str, str] = {}  # entry point name -> distribution
        from importlib.metadata import entry_points

        for entry in entry_points(group=PLUGIN_GROUP):
            if entry.name in self.commands or entry.name in self.errors:
                continue  # the first on sys.path wins, as importlib finds it
            dist = entry.dist.name if entry.dist is not None else "an unknown distribution"
            self.sources[entry.name] = dist
            try:
                command = entry.load()
            except Exception as exc:  # a broken plugin must not break flaskit
                self.errors[entry.name] = f"{entry.value} ({dist}) failed to load: {exc}"
                continue
            if isinstance(command, click.Command):
                self.commands[entry.name] = command
            else:
                self.errors[entry.name] = (
                    f"{entry.value} ({dist}) is a {type(command).__name__}, not a click command"
                )


def plugins(info: CliContext) -> PluginCommands:
    """The plugin commands, loaded on first use and kept on the CLI context."""
    found = getattr(info, "plugin_commands", None)
    if found is None:
        found = PluginCommands()
        info.plugin_commands = found
    return found


def plugin_names() -> dict[str, str]:
    """``flask.commands`` entry point names and their distributions, read from the
    metadata files on ``sys.path`` without importing importlib.metadata or any
    plugin: ``flaskit --help`` outside a project stays fast."""
    names: dict[str, str] = {}
    for entry in sys.path:
        try:
            folders = [d for d in os.scandir(entry or ".") if d.name.endswith(_METADATA_DIRS)]
        except OSError:
            continue
        for folder in folders:
            path = Path(folder.path, "entry_points.txt")
            dist = folder.name.split("-", 1)[0]
            for name in _names_in(path):
                names.setdefault(name, dist)
    return names


_METADATA_DIRS = (".dist-info", ".egg-info")


def _names_in(path: Path) -> list[str]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    names, inside = [], False
    for raw in lines:
        line = raw.strip()
        if line.startswith("["):
            inside = line == f"[{PLUGIN_GROUP}]"
        elif inside and "=" in line and not line.startswith(("#", ";")):
            names.append(line.split("=", 1)[0].strip())
    return names


def flask_app(info: CliContext) -> Any | None:
    """The app when it is a Flask app, loaded through Flask's ``ScriptInfo`` so it is
    treated as under ``flask`` (its debug flag follows FLASK_DEBUG); None otherwise."""
    app = info.flask_app()
    if app is None:
        return None
    from flask.cli import ScriptInfo

    return ScriptInfo(create_app=lambda: app, set_debug_flag=True).load_app()


def app_commands(ctx: click.Context, info: CliContext) -> dict[str, click.Command]:
    """The app's ``app.cli`` commands by name, a Django project's ``manage.py``
    commands, or none for other apps."""
    app = flask_app(info)
    if app is None:
        return django_commands(info)
    found = {}
    for name in app.cli.list_commands(ctx):
        command = app.cli.get_command(ctx, name)
        if command is not None:
            found[name] = command
    return found


def app_command(ctx: click.Context, info: CliContext, name: str) -> click.Command | None:
    """The app's command ``name``, ready to run in the app's context (None: no such command)."""
    app = flask_app(info)
    if app is None:
        return django_commands(info).get(name)
    command = app.cli.get_command(ctx, name)
    if command is None:
        return None
    _push_app_context(ctx, app)
    return as_flask_runs_it(command, name, info)


def plugin_command(info: CliContext, name: str) -> click.Command | None:
    """The plugin command ``name``, ready to run (None: no plugin has it)."""
    found = plugins(info)
    if name in found.errors:
        from flaskit.errors import UsageProblem

        raise UsageProblem(
            f"The plugin command '{name}' cannot be used: {found.errors[name]}. Reinstall or "
            f"upgrade {found.sources.get(name, 'the plugin')}, or uninstall it."
        )
    command = found.commands.get(name)
    return None if command is None else as_flask_runs_it(command, name, info)


def as_flask_runs_it(command: click.Command, name: str, info: CliContext) -> click.Command:
    """A copy of ``command`` whose context is set up as under ``flask``: a ScriptInfo
    for the app flaskit found, and Flask's variable prefix for its options."""
    clone = copy.copy(command)  # the plugin's own object stays as it was
    settings = dict(command.context_settings)
    settings["auto_envvar_prefix"] = "FLASK_" + name.upper().replace("-", "_")
    script_info = _script_info(info)
    if script_info is not None:
        settings["obj"] = script_info
    clone.context_settings = settings
    return clone


def _script_info(info: CliContext) -> Any | None:
    try:
        from flask.cli import ScriptInfo
    except ImportError:  # no Flask: the command cannot ask for a Flask app anyway
        return None

    def create_app() -> Any:
        app = info.flask_app()
        if app is None:
            from flaskit.errors import AppDiscoveryError

            loaded = info.load_app()
            raise AppDiscoveryError(
                f"This command needs a Flask app, and {loaded.spec} is a "
                f"{type(loaded.app).__name__}. Point -A/--app at the Flask app."
            )
        return app

    script_info = ScriptInfo(create_app=create_app, set_debug_flag=True)
    target = info.find_target()
    if target is not None:
        script_info.app_import_path = target.describe()
    return script_info


def _push_app_context(ctx: click.Context, app: Any) -> None:
    """Flask's rule: an app context for app commands, unless that app's is active."""
    from flask import current_app

    proxy: Any = current_app
    if not proxy or proxy._get_current_object() is not app:
        ctx.with_resource(app.app_context())


def django_commands(info: CliContext) -> dict[str, click.Command]:
    """A Django project's ``manage.py`` commands by name (empty for other apps), each
    run as ``python manage.py NAME ARGS`` runs it, with the settings flaskit found."""
    app = info.load_app().app
    django = sys.modules.get("django.core.handlers.wsgi")
    if django is None or not isinstance(app, django.WSGIHandler):
        return {}
    from django.core.management import get_commands  # type: ignore[import-untyped]

    # Django's shell is flaskit's (flaskit shell runs manage.py shell there).
    commands = get_commands().items()
    return {name: _django_command(name, label) for name, label in commands if name != "shell"}


def _django_command(name: str, label: str) -> click.Command:
    def run(args: tuple[str, ...]) -> None:
        from django.core.management import execute_from_command_line

        # Django parses its own options (and --help); its errors exit as under manage.py.
        execute_from_command_line(["manage.py", name, *args])

    return click.Command(
        name,
        callback=run,
        params=[click.Argument(["args"], nargs=-1, type=click.UNPROCESSED)],
        help=f"Django's '{name}' (from {label}), as 'python manage.py {name}' runs it.",
        short_help=f"from {label}",
        add_help_option=False,
        context_settings={"ignore_unknown_options": True},
    )
