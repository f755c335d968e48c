"""``flaskit routes``."""

from __future__ import annotations

import click

from flaskit.cli.common import app_option, pick_app

SORT_CHOICES = ("match", "rule", "endpoint", "methods")


@click.command("routes")
@click.argument("app", required=False, metavar="[APP]")
@app_option
@click.option(
    "--sort",
    "-s",
    type=click.Choice(SORT_CHOICES),
    default="match",
    show_default=True,
    help="Order: match is the order requests are dispatched in.",
)
@click.option("--method", "-m", metavar="METHOD", help="Only routes that accept this HTTP method.")
@click.option(
    "--grep", "-g", metavar="TEXT", help="Only routes whose rule, endpoint or view contains TEXT."
)
@click.option("--all-methods", is_flag=True, help="Also show HEAD and OPTIONS.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
def routes_command(
    app: str | None,
    app_option: str | None,
    sort: str,
    method: str | None,
    grep: str | None,
    all_methods: bool,
    as_json: bool,
) -> None:
    """List every route with its methods, view and file:line."""
    from pathlib import Path

    from flaskit.config import Sources
    from flaskit.discovery import locate
    from flaskit.routes.listing import RoutesConfig, show_routes

    sources = Sources.load()
    target = locate(sources.app(pick_app(app, app_option)), sources.cwd)
    sources.export_dotenv()
    config = RoutesConfig(
        target=target,
        cwd=Path.cwd().resolve(),
        sort=sort,  # type: ignore[arg-type]
        method=method.upper() if method else None,
        grep=grep,
        all_methods=all_methods,
        as_json=as_json,
    )
    show_routes(config)
