"""``flaskit routes``."""

from __future__ import annotations

import click

from flaskit.cli.common import app_option, pass_cli
from flaskit.context import CliContext

SORT_CHOICES = ("match", "rule", "endpoint", "methods")


@click.command("routes")
@click.argument("app", required=False, metavar="[APP]")
@app_option
@click.option(
    "--sort",
    "-s",
    type=click.Choice(SORT_CHOICES),
    help="Order: match is the order requests are dispatched in.  [default: match]",
)
@click.option(
    "--method",
    "-m",
    metavar="METHOD",
    help="Only routes that accept this HTTP method; with --match, the request's method "
    "(default GET).",
)
@click.option(
    "--grep", "-g", metavar="TEXT", help="Only routes whose rule, endpoint or view contains TEXT."
)
@click.option("--all-methods", is_flag=True, help="Also show HEAD and OPTIONS.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option(
    "--match",
    "match_url",
    metavar="PATH",
    help="Show the route that handles this path or URL (e.g. /items/5 or "
    "http://api.example.com/items/5) and its arguments. Exits 1 when no route does.",
)
@click.option(
    "--check",
    is_flag=True,
    help="Look for endpoints without a view, rules that can never match and views "
    "registered under several endpoints. Exits 1 when it finds any.",
)
@pass_cli
@click.pass_context
def routes_command(
    ctx: click.Context,
    info: CliContext,
    app: str | None,
    app_option: str | None,
    sort: str | None,
    method: str | None,
    grep: str | None,
    all_methods: bool,
    as_json: bool,
    match_url: str | None,
    check: bool,
) -> None:
    """List every route with its methods, view and file:line.

    With --match, say which route handles a URL; with --check, look for
    mistakes in the route table.
    """
    _refuse_mixed_options(ctx, match_url, check, grep, method, all_methods)
    target = info.target_for_import(app, app_option)
    settings = info.sources.for_command("routes")  # FLASKIT_ROUTES_SORT, FLASK_ROUTES_SORT
    sort_setting = settings.get_str("sort", sort, "match")
    sort = sort_setting.value
    if sort not in SORT_CHOICES:
        from flaskit.errors import UsageProblem

        raise UsageProblem(
            f"{sort_setting.source} is '{sort}'; use one of {', '.join(SORT_CHOICES)}."
        )
    all_methods = settings.get_bool("all_methods", all_methods or None).value
    cwd = info.sources.cwd
    if match_url is not None:
        from flaskit.routes.match import MatchConfig, show_match

        found = show_match(MatchConfig(target, cwd, match_url, method, all_methods, as_json))
        ctx.exit(0 if found.matched else 1)
    if check:
        from flaskit.routes.check import CheckConfig, show_check

        report = show_check(CheckConfig(target, cwd, as_json))
        ctx.exit(1 if report.problems else 0)

    from flaskit.routes.listing import RoutesConfig, show_routes

    config = RoutesConfig(
        target=target,
        cwd=cwd,
        sort=sort,  # type: ignore[arg-type]
        method=method.upper() if method else None,
        grep=grep,
        all_methods=all_methods,
        as_json=as_json,
    )
    show_routes(config)


def _refuse_mixed_options(
    ctx: click.Context,
    match_url: str | None,
    check: bool,
    grep: str | None,
    method: str | None,
    all_methods: bool,
) -> None:
    """--match and --check answer one question each; list options do not apply to them."""
    if match_url is not None and check:
        raise click.UsageError("--match and --check do different things: use one at a time.")
    mode = "--match" if match_url is not None else "--check" if check else None
    if mode is None:
        return
    sort_given = ctx.params.get("sort") is not None
    unused = [
        name
        for name, given in (
            ("--sort", sort_given),
            ("--grep", grep is not None),
            ("--method", check and method is not None),
            ("--all-methods", check and all_methods),
        )
        if given
    ]
    if unused:
        one = len(unused) == 1
        raise click.UsageError(
            f"{', '.join(unused)} {'applies' if one else 'apply'} to the route list and "
            f"{'has' if one else 'have'} no effect with {mode}: remove {' and '.join(unused)}."
        )
