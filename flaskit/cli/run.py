"""``flaskit run``."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from flaskit.cli.common import app_option, pass_cli
from flaskit.context import CliContext
from flaskit.serve.reloaders import RELOADERS


@click.command("run")
@click.argument("app", required=False, metavar="[APP]")
@app_option
@click.option("--host", "-h", metavar="HOST", help="Interface to listen on.  [default: 127.0.0.1]")
@click.option("--port", "-p", type=int, metavar="PORT", help="Port to listen on.  [default: 5000]")
@click.option(
    "--debug/--no-debug",
    default=None,
    help="Debug mode: error page, Flask's debug flag, reload on. Also FLASK_DEBUG "
    "(and flaskit --debug run).",
)
@click.option(
    "--reload/--no-reload",
    default=None,
    help="Restart the app when its code changes.  [default: on with --debug]",
)
@click.option(
    "--live-reload/--no-live-reload",
    default=None,
    help="Refresh the browser when templates or static files change.  [default: with --debug]",
)
@click.option(
    "--reloader",
    type=click.Choice(list(RELOADERS)),
    default=None,
    help="How changes are noticed: file-system events, or polling (Docker, WSL, NFS).  "
    "[default: auto]",
)
@click.option(
    "--preload/--no-preload",
    default=None,
    help="Fork workers from a process that keeps libraries imported (fast reloads). "
    "--no-preload for apps with import-time side effects.  [default: on Linux]",
)
@click.option(
    "--watch",
    multiple=True,
    metavar="PATH",
    help="Also watch this file or folder (repeatable).",
)
@click.option(
    "--exclude",
    multiple=True,
    metavar="GLOB",
    help="Ignore changes to files or folders matching this glob pattern (repeatable).",
)
@click.option(
    "--extra-files",
    metavar=f"PATH[{os.pathsep}PATH...]",
    help=f"Flask's spelling of --watch: paths separated by {os.pathsep!r}.",
)
@click.option(
    "--exclude-patterns",
    metavar=f"GLOB[{os.pathsep}GLOB...]",
    help=f"Flask's spelling of --exclude: patterns separated by {os.pathsep!r}.",
)
@click.option(
    "--threads/--no-threads",
    "--with-threads/--without-threads",
    default=None,
    help="Serve each request in its own thread.  [default: threads]",
)
@click.option(
    "--cert",
    metavar="FILE|adhoc",
    help="TLS certificate (PEM) for HTTPS; needs --key. 'adhoc': a self-signed one made "
    "at start-up (pip install 'flaskit[adhoc]').",
)
@click.option("--key", metavar="FILE", help="TLS private key (PEM) for HTTPS.")
@click.option(
    "--request-log/--no-request-log",
    default=None,
    help="Print a line per request: method, path, status, time, size.  [default: on]",
)
@click.option(
    "--editor",
    metavar="NAME|PATTERN",
    help="Open files from the error page in this editor (vscode, pycharm, or a URL pattern).",
)
@click.option(
    "--debug-allow",
    multiple=True,
    metavar="CIDR",
    help="Also show the error page to these clients, e.g. 192.168.1.0/24 (repeatable).",
)
@click.option(
    "--allow-host",
    multiple=True,
    metavar="NAME",
    help="Also give the error page, route list and live reload to pages opened by this host "
    "name (a tunnel, a container, a local name; .example.test for every name under it). "
    "Repeatable. Others get the app's own responses (DNS-rebinding guard).",
)
@click.option(
    "--framework-error-page",
    is_flag=True,
    default=None,
    help="With --debug, leave Django's, Bottle's and Falcon's own error pages in place "
    "instead of flaskit's page.",
)
@click.option(
    "--console/--no-console",
    "--debugger/--no-debugger",
    default=None,
    help="Add the interactive debugger console (PIN-protected) to the error page. "
    "--debugger is Flask's name for it.",
)
@click.option(
    "--console-allow-remote",
    is_flag=True,
    default=None,
    help="Allow --console when the server is reachable from other machines.",
)
@click.option(
    "--verbose",
    "-v",
    is_flag=True,
    default=None,
    help="Print where each reload's time went (event, fork, import, hand-over, first "
    "response), and tracebacks behind errors. Also flaskit --verbose run.",
)
@pass_cli
def run_command(
    info: CliContext,
    /,
    app: str | None,
    app_option: str | None,
    watch: tuple[str, ...],
    exclude: tuple[str, ...],
    extra_files: str | None,
    exclude_patterns: str | None,
    **given: Any,
) -> None:
    """Serve an app with instant reload and a rich error page.

    \b
      flaskit run --debug               127.0.0.1:5000, reload on save
      flaskit run hello:app --port 8000
      flaskit run --reloader poll       in Docker, WSL or on a network drive
    """
    from flaskit.serve.settings import RunOptions
    from flaskit.serve.supervisor import run_server

    info.use_app(app, app_option)  # [APP], --app and the group's -A must agree
    if given.get("verbose"):
        info.verbose = True  # errors show their tracebacks, as with the group's --verbose
    # Every other option has a RunOptions field of its own name: a new option is its
    # decorator above and that field, nothing here.
    options = RunOptions(
        app=app or app_option,
        watch=(*watch, *_split(extra_files)),
        exclude=(*exclude, *_split(exclude_patterns)),
        **given,
    )
    sys.exit(run_server(options, info))


def _split(paths: str | None) -> tuple[str, ...]:
    """Flask's os.pathsep-separated list (``--extra-files a.cfg:b.cfg``)."""
    return tuple(part for part in (paths or "").split(os.pathsep) if part)
