"""Printing what ``flaskit new`` decided and did (rich on a terminal, plain when piped)."""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from flaskit.scaffold.catalog import Listing, TemplateSource
from flaskit.scaffold.manifest import Manifest
from flaskit.scaffold.names import ProjectNames
from flaskit.scaffold.plan import Plan, printable

if TYPE_CHECKING:
    from rich.console import Console

OVERWRITE = "overwrite"
ACTION_STYLES: dict[str, str] = {
    "create": "green",
    "identical": "dim",
    "conflict": "yellow",
    OVERWRITE: "yellow",
    "blocked": "red",
}


def header(
    console: Console, names: ProjectNames, manifest: Manifest, source: TemplateSource, target: Path
) -> None:
    """The project's names and where it goes, shown before any question."""
    console.print(
        f"Creating [bold]{_shown(names.project_name)}[/bold] from the "
        f"'{_shown(manifest.name)}' template ({_shown(source.origin)})",
        soft_wrap=True,
    )
    rows = [
        ("distribution name", names.dist_name),
        ("import name", names.import_name),
        ("folder", _shown_path(target)),
    ]
    for label, value in rows:
        console.print(f"  {label:<18} {_shown(value)}", soft_wrap=True)


def plan_lines(plan: Plan, force: bool) -> list[tuple[str, str]]:
    """(action, path) for every planned file; a conflict reads ``overwrite`` when forced."""
    lines = []
    for item in plan.files:
        action = OVERWRITE if force and item.action == "conflict" else item.action
        lines.append((action, str(item.path)))
    return lines


def plan(console: Console, plan: Plan, force: bool, dry_run: bool) -> None:
    """Every destination path with its action."""
    console.print()
    for action, path in plan_lines(plan, force):
        style = ACTION_STYLES[action]
        console.print(f"  [{style}]{action:<10}[/{style}] {_shown(path)}", soft_wrap=True)
    if plan.others:
        console.print(f"  {plan.others} other file(s) already in the folder are kept as they are.")
    if dry_run:
        console.print()
        console.print(
            f"Dry run: nothing was written. {_dry_run_verdict(plan, force)}", soft_wrap=True
        )


def done(
    console: Console, plan: Plan, written: int, next_steps: Sequence[str], why: str = ""
) -> None:
    """The closing summary and the next steps (``why``: what they are chosen for)."""
    console.print()
    kept = len(plan.by_action("identical"))
    extra = f", {kept} already identical" if kept else ""
    console.print(
        f"[green]Done:[/green] wrote {written} file(s) in {_shown(_shown_path(plan.target))}"
        f"{extra}.",
        soft_wrap=True,
    )
    if why and next_steps:
        console.print(_shown(why), soft_wrap=True)
    console.print("Next steps:")
    for step in [f"cd {shlex.quote(_shown_path(plan.target))}", *next_steps]:
        console.print(f"  {_shown(step)}", soft_wrap=True)


def listing(console: Console, listings: Sequence[Listing]) -> None:
    """``--list-templates``: name, where it comes from, description."""
    width = max((len(printable(item.name)) for item in listings), default=0)
    for item in listings:
        text = item.description if item.problem is None else f"BROKEN: {item.problem}"
        name = f"[bold]{_shown(printable(item.name).ljust(width))}[/bold]"
        origin = f"[dim]({_shown(item.origin)})[/dim]"
        console.print(f"{name}  {_shown(text)}  {origin}", soft_wrap=True)


def refusal(plan: Plan) -> str:
    """Why writing into an existing, non-empty folder is refused, and what to do."""
    conflicts = [str(f.path) for f in plan.by_action("conflict")]
    blocked = [str(f.path) for f in plan.by_action("blocked")]
    lines = [f"{_shown_path(plan.target)} already exists and is not empty: nothing was written."]
    if blocked:
        lines.append(
            "A folder or link stands where a file goes (or a file where a folder goes), and "
            f"flaskit never deletes: {_some(blocked)}. Move them away, or choose another name."
        )
    if conflicts:
        lines.append(f"These files differ from the template's: {_some(conflicts)}.")
    if not blocked:
        lines.append(
            "Re-run with --force to write the template's files (overwriting only the ones "
            "listed; nothing is deleted), use --dry-run to see the whole plan, or choose "
            "another name or --output-dir."
        )
    return "\n".join(lines)


def _dry_run_verdict(plan: Plan, force: bool) -> str:
    if plan.by_action("blocked"):
        return "Writing would be refused: something stands where a file goes."
    if plan.target_state == "non-empty" and not force:
        return "Without --force, writing would be refused: the folder is not empty."
    count = len(plan.to_write)
    return f"{count} file(s) would be written."


def _shown(text: str) -> str:
    """Text from a template or the user, safe for rich markup and for the terminal."""
    from rich.markup import escape

    return escape(printable(text))


def _some(paths: Sequence[str], limit: int = 10) -> str:
    shown = ", ".join(paths[:limit])
    return shown + (f" and {len(paths) - limit} more" if len(paths) > limit else "")


def _shown_path(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd())) or "."
    except ValueError:
        return str(path)
