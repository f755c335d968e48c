"""The ``flaskit`` command group.

Only click and the standard library are imported here and in the command
modules; each command imports what it needs when it runs, so ``flaskit --help``
stays fast (a test enforces it).

Commands are found in this order, as ``flask`` finds them: flaskit's own, then
plugin commands (``flask.commands`` entry points, loaded before the app so they
work when it is broken), then the app's own ``app.cli`` commands. ``flaskit app
NAME`` reaches an app or plugin command that a flaskit command shadows.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import click

from flaskit import __version__
from flaskit.cli.common import context_of
from flaskit.cli.deploy import deploy_config_command
from flaskit.cli.new import new_command
from flaskit.cli.routes import routes_command
from flaskit.cli.run import run_command
from flaskit.cli.shell import shell_command
from flaskit.context import CliContext
from flaskit.errors import FlaskitError

APP_OPTION_HELP = (
    "The app, for every command that needs one: 'module', 'module:name', "
    "'module:create_app()', 'path/app.py'. Same as the command's own --app."
)
ENV_FILE_HELP = (
    "Load variables from this file; they win over .env and .flaskenv, and variables "
    "already set in the environment win over all three. Needs python-dotenv."
)


def _set_app(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        context_of(ctx).app = value


def _set_env_file(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        context_of(ctx).env_file = value


def _set_debug(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    source = ctx.get_parameter_source(param.name or "debug")
    if source not in (None, click.core.ParameterSource.DEFAULT):
        context_of(ctx).debug_flag = value


def _set_python(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        context_of(ctx).python = value


def _set_verbose(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    context_of(ctx).verbose = value


class FlaskitGroup(click.Group):
    """flaskit's commands, then plugin and app commands; errors honour ``--verbose``."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        """Every invocation starts with a fresh :class:`CliContext` as ``ctx.obj``."""
        if "obj" not in extra and "obj" not in self.context_settings:
            extra["obj"] = CliContext()
        if parent is None and isinstance(extra.get("obj"), CliContext):
            extra["obj"].argv = list(args)  # to run again in the project's interpreter
        return super().make_context(info_name, args, parent=parent, **extra)

    def list_commands(self, ctx: click.Context) -> list[str]:
        """flaskit's commands in the order a project meets them, then plugin and app
        commands (for shell completion; ``--help`` shows them under their own headings)."""
        names = list(self.commands)
        sections = _foreign_sections(ctx, report=False)
        for _title, rows in sections:
            names += [name for name, _help in rows if name not in names]
        return names

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """flaskit's command, else a plugin's, else the app's (loading the app)."""
        own = self.commands.get(cmd_name)
        if own is not None:
            return own
        from flaskit.cli import foreign

        info = context_of(ctx)
        try:
            command = foreign.plugin_command(info, cmd_name)
            if command is not None or info.find_target() is None:
                return command
            return foreign.app_command(ctx, info, cmd_name)
        except FlaskitError as exc:
            if ctx.resilient_parsing:  # shell completion: no errors, no output
                return None
            if info.load_failure is exc:
                raise _not_loaded(cmd_name, exc) from exc
            raise

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """As click does; an unknown name outside a project also says that no app was
        found to look in (the usual cause: flaskit run from the wrong folder).

        From an isolated install, a command that imports the app runs again in the
        project's interpreter (:mod:`flaskit.cli.delegate`)."""
        if args and not ctx.resilient_parsing:
            from flaskit.cli import delegate

            delegate.hand_over(context_of(ctx), args[0])
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError as exc:
            name = args[0] if args else ""
            if ctx.resilient_parsing or name.startswith("-") or "No such command" not in str(exc):
                raise
            info = context_of(ctx)
            if info.find_target() is not None:
                raise
            raise click.UsageError(
                f"{exc.format_message()}\nIt is not a flaskit or plugin command, and no app "
                f"was found to look in: there is no wsgi.py, app.py, manage.py or package "
                f"with create_app() in {info.sources.cwd}, and no app was named. Run "
                f"flaskit from the project's folder, or name the app: flaskit -A SPEC {name}.",
                ctx,
            ) from None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """flaskit's commands, then plugin commands and the app's, each under a heading."""
        limit = formatter.width - 6 - max(len(name) for name in self.commands)
        own = [
            (name, command.get_short_help_str(limit))
            for name, command in self.commands.items()
            if not command.hidden
        ]
        with formatter.section("Commands"):
            formatter.write_dl(own)
        for title, rows in _foreign_sections(ctx, report=True):
            with formatter.section(title):
                formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the subcommand; on a flaskit error, pass ``--verbose`` on to it."""
        try:
            return super().invoke(ctx)
        except FlaskitError as exc:
            exc.verbose = context_of(ctx).verbose
            raise


def _not_loaded(name: str, exc: FlaskitError) -> FlaskitError:
    """The app's import error, said once, with why the app was needed."""
    error = type(exc)(
        f"'{name}' is not a flaskit or plugin command, so it would be one of the app's "
        f"commands, but the app could not be loaded:\n{exc.format_message()}"
    )
    error.__cause__ = exc.__cause__
    return error


def _foreign_sections(ctx: click.Context, report: bool) -> list[tuple[str, list[tuple[str, str]]]]:
    """The help sections for plugin and app commands. Outside a project, plugins are
    named from their metadata without being imported, so ``--help`` stays fast.
    With ``report``, a broken app's error is printed once, to stderr."""
    from flaskit.cli import foreign

    group = ctx.command
    own = group.commands if isinstance(group, FlaskitGroup) else {}
    info = context_of(ctx)
    plugin_title = "Plugin commands (flask.commands entry points)"
    try:
        target = info.find_target()
    except FlaskitError as exc:
        target = None
        if report:
            _report(info, exc)
    elsewhere = _elsewhere_section(info, report) if target is not None else None
    if elsewhere is not None:
        return elsewhere
    if target is None:
        names = foreign.plugin_names()
        rows = [(name, f"from {dist}") for name, dist in sorted(names.items())]
        return [(plugin_title, _mark_shadowed(rows, own))] if rows else []
    sections = []
    try:
        found = foreign.plugins(info)
    except Exception as exc:  # broken metadata must not break --help
        found = None
        if report:
            click.echo(f"Error: plugin commands could not be listed: {exc}", err=True)
    if found is not None:
        rows = [(name, _short_help(cmd)) for name, cmd in sorted(found.commands.items())]
        rows += [(name, f"(broken) {why}") for name, why in sorted(found.errors.items())]
        if rows:
            sections.append((plugin_title, _mark_shadowed(rows, own)))
    title = f"App commands ({target.describe()}, from {target.origin})"
    try:
        commands = foreign.app_commands(ctx, info)
    except FlaskitError as exc:
        if report:
            _report(info, exc)
        sections.append((title, [("", "none listed: the app could not be loaded (see above)")]))
        return sections
    plugin_names = set(found.commands) if found is not None else set()
    rows = [
        (name, _short_help(cmd))
        for name, cmd in sorted(commands.items())
        if name not in plugin_names
    ]
    if rows:
        sections.append((title, _mark_shadowed(rows, own)))
    return sections


def _elsewhere_section(
    info: CliContext, report: bool
) -> list[tuple[str, list[tuple[str, str]]]] | None:
    """From an isolated install the app is imported in the project's interpreter, not by
    ``--help`` here: one line says where its commands are listed. None: the app is here."""
    try:
        python = info.project_python()
    except FlaskitError as exc:  # a project interpreter flaskit cannot use
        if report:
            _report(info, exc)
        return []
    if not python.isolated:
        return None
    note = f"in the project's interpreter, {python.executable}: flaskit app --help lists them"
    return [("App and plugin commands", [("", note)])]


def _short_help(command: click.Command) -> str:
    return command.get_short_help_str(limit=60)


def _mark_shadowed(
    rows: list[tuple[str, str]], own: Mapping[str, click.Command]
) -> list[tuple[str, str]]:
    return [
        (name, f"[shadowed by flaskit's own: run 'flaskit app {name}'] {text}")
        if name in own
        else (name, text)
        for name, text in rows
    ]


def _report(info: CliContext, exc: FlaskitError) -> None:
    if not info.reported_failure:
        info.reported_failure = True
        click.echo(f"Error: {exc.format_message()}\n", err=True)


class AppCommandsGroup(click.Group):
    """``flaskit app NAME``: the app's command NAME (or a plugin's), even where
    flaskit has a command of the same name."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """The app's commands and plugin commands (for shell completion)."""
        return sorted({name for _title, rows in _foreign_sections(ctx, False) for name, _ in rows})

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The plugin and app commands under their headings, as ``flaskit --help`` shows them."""
        sections = _foreign_sections(ctx, report=True)
        if not sections:
            formatter.write_paragraph()
            formatter.write_text("No app or plugin commands here: no app was found.")
        for title, rows in sections:
            with formatter.section(title):
                formatter.write_dl(rows)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The app's command first (that is what was asked for), then a plugin's."""
        from flaskit.cli import foreign

        info = context_of(ctx)
        if info.find_target() is not None:
            command = foreign.app_command(ctx, info, cmd_name)
            if command is not None:
                return command
        return foreign.plugin_command(info, cmd_name)


@click.group(
    "app",
    cls=AppCommandsGroup,
    short_help="Run an app or plugin command that a flaskit command shadows.",
)
def app_group() -> None:
    """Run one of the app's own commands (app.cli), or a plugin command, by name,
    even where flaskit has a command of the same name.

    \b
      flaskit app routes      the app's own 'routes' command, not flaskit's
    """


@click.group(cls=FlaskitGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="flaskit")
@click.option(
    "-e",
    "--env-file",
    type=click.Path(exists=True, dir_okay=False),
    is_eager=True,
    expose_value=False,
    callback=_set_env_file,
    metavar="FILE",
    help=ENV_FILE_HELP,
)
@click.option(
    "-A",
    "--app",
    is_eager=True,  # before --help, so --help can list this app's commands
    expose_value=False,
    callback=_set_app,
    metavar="SPEC",
    help=APP_OPTION_HELP,
)
@click.option(
    "--debug/--no-debug",
    default=None,
    expose_value=False,
    callback=_set_debug,
    help="Debug mode for every command (also FLASK_DEBUG): run's error page and reload, "
    "the app's debug flag.",
)
@click.option(
    "--python",
    is_eager=True,
    expose_value=False,
    callback=_set_python,
    metavar="PATH",
    help="The project's interpreter or virtualenv, where the app runs when flaskit is "
    "installed on its own (pipx, uv tool). Default: VIRTUAL_ENV, else .venv/ or venv/ in "
    "the project. Also FLASKIT_PYTHON.",
)
@click.option(
    "--verbose",
    "-v",
    is_flag=True,
    expose_value=False,
    callback=_set_verbose,
    help="Show Python tracebacks behind errors.",
)
def cli() -> None:
    """The command-line companion for Flask and any WSGI app.

    \b
      flaskit new myapp        create a project that works the moment it exists
      flaskit run --debug      serve with instant reload and a rich error page
      flaskit routes           list every route with its view and file:line
      flaskit shell            a Python shell in the app's context
      flaskit deploy-config    nginx, gunicorn, systemd, Apache, Docker, Kubernetes

    Inside a project, the app's own commands (app.cli, e.g. Flask-Migrate's
    'db') and plugin commands run as they do under 'flask'.
    """


cli.add_command(new_command)
cli.add_command(run_command)
cli.add_command(routes_command)
cli.add_command(shell_command)
cli.add_command(deploy_config_command)
cli.add_command(app_group)


def main() -> None:
    """Entry point of the ``flaskit`` script and ``python -m flaskit``."""
    cli(prog_name="flaskit")
