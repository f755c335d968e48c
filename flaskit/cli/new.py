"""``flaskit new``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

LAYOUTS = ("module", "package")


@click.command("new")
@click.argument("name", required=False)
@click.option(
    "--layout",
    type=click.Choice(LAYOUTS),
    help="module: a single app.py; package: a package with create_app(). [default: package]",
)
@click.option(
    "--template",
    "-t",
    metavar="NAME|PATH",
    help="A template name (see --list-templates) or a folder holding a template.toml.",
)
@click.option(
    "--output-dir",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path(),
    show_default=True,
    help="Create the project folder NAME inside this folder.",
)
@click.option("--no-input", is_flag=True, help="Ask nothing: use --var values and defaults.")
@click.option(
    "--force",
    is_flag=True,
    help="Write into a non-empty folder, overwriting only files the template produces "
    "(nothing is ever deleted).",
)
@click.option(
    "--dry-run", is_flag=True, help="Print the plan (every path and action); write nothing."
)
@click.option(
    "--var",
    "variables",
    multiple=True,
    metavar="KEY=VALUE",
    help="Set a template variable (repeatable); it is not asked.",
)
@click.option(
    "--list-templates", is_flag=True, help="List built-in and installed templates, then exit."
)
def new_command(
    name: str | None,
    layout: str | None,
    template: str | None,
    output_dir: Path,
    no_input: bool,
    force: bool,
    dry_run: bool,
    variables: tuple[str, ...],
    list_templates: bool,
) -> None:
    """Create a project that installs, passes its tests and serves.

    \b
      flaskit new my-shop                  package layout: my_shop/ with create_app()
      flaskit new hello --layout module    one app.py with templates/ and static/
      flaskit new learn --template tutorial
    """
    from flaskit.console import is_terminal
    from flaskit.scaffold.answers import RichPrompter, parse_var_options
    from flaskit.scaffold.create import NewConfig, create_project, show_templates

    if list_templates:
        show_templates(sys.stdout)
        return
    if name is None:
        raise click.UsageError(
            "Missing argument 'NAME': the project's name, e.g. flaskit new my-shop"
        )
    config = NewConfig(
        name=name,
        output_dir=output_dir,
        cwd=Path.cwd().resolve(),
        template=template,
        layout=layout,
        variables=parse_var_options(variables),
        force=force,
        dry_run=dry_run,
    )
    prompter = None
    if not no_input and is_terminal(sys.stdin) and is_terminal(sys.stdout):
        from flaskit.console import make_console

        prompter = RichPrompter(make_console(sys.stdout))
    create_project(config, prompter, sys.stdout)
