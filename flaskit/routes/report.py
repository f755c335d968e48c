"""``--match`` and ``--check`` results for people (a rich panel, plain text when
piped) and for tools (JSON). The words are built once, here, for every form."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from flaskit.routes.model import Match, Miss, Route

if TYPE_CHECKING:
    from rich.console import Console

    from flaskit.routes.findings import CheckReport, MatchReport, Note, Problem


# ---------------------------------------------------------------------------
# --match


def match_fields(report: MatchReport, cwd: Path, all_methods: bool) -> list[tuple[str, str]]:
    """(label, text) lines describing the matched route."""
    outcome = report.outcome
    assert isinstance(outcome, Match)
    route = outcome.route
    fields = [
        ("rule", route.rule),
        ("endpoint", route.endpoint),
        ("view", route.view or "-"),
        ("location", route.location(cwd) or "-"),
        ("methods", _methods(route, all_methods)),
        ("args", ", ".join(f"{k}={v!r}" for k, v in outcome.args.items()) or "-"),
    ]
    if outcome.redirect:
        fields.append(("redirect", f"first redirected to {outcome.redirect}"))
    return fields


def miss_message(report: MatchReport, all_methods: bool) -> str:
    """Why no route handles the request, in one sentence (plus the framework's note)."""
    outcome = report.outcome
    assert isinstance(outcome, Miss)
    request = report.request
    what = f"No route handles {request.method} {request.path}"
    rules = ", ".join(route.rule for route in _unique_rules(outcome.routes))
    if outcome.reason == "method-not-allowed":
        allowed = [m for m in outcome.allowed if all_methods or m not in {"HEAD", "OPTIONS"}]
        text = (
            f"{what}: {rules or 'a rule'} matches the path but does not accept "
            f"{request.method} (it accepts {', '.join(allowed or outcome.allowed) or 'nothing'})."
        )
    elif outcome.reason == "no-view":
        text = f"{what}: {rules or 'a rule'} matches the path but has no view."
    elif outcome.reason == "bad-argument":
        text = f"{what}: {rules or 'a rule'} matches the path but rejects its arguments."
    else:
        text = f"{what}: no rule matches this path."
    if outcome.detail:
        text += f" Note: {outcome.detail}."
    return text


def match_json(report: MatchReport, cwd: Path, all_methods: bool, out: IO[str]) -> None:
    """One JSON object: the route and its arguments, or the reason and the closest rules."""
    outcome = report.outcome
    data: dict[str, Any]
    if isinstance(outcome, Match):
        route = outcome.route.to_json(cwd, all_methods)
        data = {key: route[key] for key in ("rule", "endpoint", "view", "file", "line", "methods")}
        data["args"] = outcome.args
        if outcome.redirect:
            data["redirect"] = outcome.redirect
    else:
        data = {
            "error": outcome.reason,
            "message": miss_message(report, all_methods),
            "method": report.request.method,
            "path": report.request.path,
            "allowed": list(outcome.allowed),
            "closest": [route.to_json(cwd, all_methods) for route in report.closest],
        }
    json.dump(data, out, indent=2, default=str)
    out.write("\n")


def match_text(report: MatchReport, cwd: Path, all_methods: bool) -> str:
    """Plain text for pipes."""
    request = report.request
    if isinstance(report.outcome, Match):
        lines = [f"{request.method} {request.path} -> {report.outcome.route.endpoint}"]
        lines += [f"  {label:<9} {text}" for label, text in match_fields(report, cwd, all_methods)]
        return "\n".join(lines) + "\n"
    lines = [miss_message(report, all_methods)]
    if report.closest:
        lines.append(_closest_title(report))
        lines += _route_lines(report.closest, cwd, all_methods)
    return "\n".join(lines) + "\n"


def match_rich(report: MatchReport, cwd: Path, all_methods: bool, console: Console) -> None:
    """A short panel on a terminal."""
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    request = report.request
    if isinstance(report.outcome, Match):
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="dim")
        grid.add_column()
        for label, text in match_fields(report, cwd, all_methods):
            cell = Text(text)
            if label == "rule":
                cell.highlight_regex(r"<[^>]+>|\{[^}]+\}", "bold cyan")
            grid.add_row(label, cell)
        title = (
            f"[green]{request.method}[/] {request.path} [dim]->[/] {report.outcome.route.endpoint}"
        )
        console.print(Panel(grid, title=title, title_align="left", expand=False))
        return
    body = Text(miss_message(report, all_methods))
    if report.closest:
        body.append("\n\n" + _closest_title(report) + "\n", style="bold")
        body.append("\n".join(_route_lines(report.closest, cwd, all_methods)))
    console.print(Panel(body, title="[red]no match[/]", title_align="left", expand=False))


def _closest_title(report: MatchReport) -> str:
    outcome = report.outcome
    if isinstance(outcome, Miss) and outcome.routes:
        return "Rules for this path:"
    return "Closest rules:"


# ---------------------------------------------------------------------------
# --check

_TITLES = {
    "no-view": "Endpoint without a view",
    "shadowed": "Rule that can never match",
    "view-under-several-endpoints": "View under several endpoints",
}


def problem_text(problem: Problem, cwd: Path) -> tuple[str, str]:
    """(headline, explanation with the fix) for one problem."""
    first = problem.routes[0]
    others = problem.routes[1:]
    if problem.kind == "no-view":
        return (
            f"{_TITLES[problem.kind]}: {first.rule} (endpoint '{first.endpoint}')",
            f"Nothing handles endpoint '{first.endpoint}' (no view function, or a resource "
            "without responders), so every request the rule matches fails. Register a view "
            "for it, or remove the rule.",
        )
    if problem.kind == "shadowed":
        where = "; ".join(_describe(other, cwd) for other in others)
        if all(other.order > first.order for other in others):
            why = (
                f"{where} was registered later for the same rule and method and replaced it. "
                "Remove one of them."
            )
        else:
            why = (
                f"Every request this rule matches is taken by {where}, which the app tries "
                "first. Remove one of them, or make the rules differ (where order decides, "
                "register the more specific rule first)."
            )
        return (f"{_TITLES[problem.kind]}: {first.rule} ({_describe(first, cwd, rule=False)})", why)
    names = " and ".join(f"'{route.endpoint}' ({route.rule})" for route in problem.routes)
    return (
        f"{_TITLES[problem.kind]}: {first.view} ({first.location(cwd) or '-'})",
        f"The same view is registered as {names}, so links reach it under "
        f"{len(problem.routes)} names. If that is not on purpose, register its rules under "
        "one endpoint (one name), or remove the extra registration.",
    )


def note_text(note: Note, cwd: Path) -> tuple[str, str]:
    """(headline, explanation) for one note; a note needs no fix."""
    first = note.routes[0]
    where = "; ".join(_describe(other, cwd) for other in note.routes[1:])
    return (
        f"Note: {first.rule} (endpoint '{first.endpoint}') only names a URL for url_for",
        f"It has no view, but dispatch never reaches it: every request it matches goes to "
        f"{where} first. That is the alias idiom of the Flask tutorial "
        '(app.add_url_rule("/", endpoint="index")); it is not counted as a problem.',
    )


def check_text(report: CheckReport, cwd: Path) -> str:
    """Plain text for pipes."""
    lines = [_summary(report)]
    for problem in report.problems:
        headline, explanation = problem_text(problem, cwd)
        lines += ["", headline, f"  {explanation}"]
    for note in report.notes:
        headline, explanation = note_text(note, cwd)
        lines += ["", headline, f"  {explanation}"]
    lines += [f"Not checked: {what}." for what in report.skipped]
    return "\n".join(lines) + "\n"


def check_rich(report: CheckReport, cwd: Path, console: Console) -> None:
    """Problems in red, an all-clear in green."""
    from rich.padding import Padding
    from rich.text import Text

    style = "bold red" if report.problems else "bold green"
    console.print(Text(_summary(report), style=style))
    for problem in report.problems:
        headline, explanation = problem_text(problem, cwd)
        console.print()
        console.print(Text(headline, style="bold"))
        console.print(Padding(Text(explanation), (0, 0, 0, 2)))
    for note in report.notes:
        headline, explanation = note_text(note, cwd)
        console.print()
        console.print(Text(headline, style="bold cyan"))
        console.print(Padding(Text(explanation, style="dim"), (0, 0, 0, 2)))
    for what in report.skipped:
        console.print(Text(f"Not checked: {what}.", style="dim"))


def check_json(report: CheckReport, cwd: Path, out: IO[str]) -> None:
    """``{"routes": N, "problems": [{"kind", "message", "routes"}], "notes": [...],
    "not_checked": [...]}``; notes have the problems' shape."""
    texts: list[tuple[Problem | Note, tuple[str, str], str]] = [
        (p, problem_text(p, cwd), "problems") for p in report.problems
    ]
    texts += [(n, note_text(n, cwd), "notes") for n in report.notes]
    findings: dict[str, list[dict[str, Any]]] = {"problems": [], "notes": []}
    for finding, (headline, explanation), key in texts:
        findings[key].append(
            {
                "kind": finding.kind,
                "message": f"{headline}. {explanation}",
                "routes": [route.to_json(cwd, all_methods=False) for route in finding.routes],
            }
        )
    data = {
        "routes": report.route_count,
        **findings,
        "not_checked": list(report.skipped),
    }
    json.dump(data, out, indent=2)
    out.write("\n")


def _summary(report: CheckReport) -> str:
    count = len(report.problems)
    routes = f"{report.route_count} route{'s' if report.route_count != 1 else ''}"
    if not count:
        return f"No problems in {routes}."
    return f"{count} problem{'s' if count != 1 else ''} in {routes}:"


# ---------------------------------------------------------------------------


def _describe(route: Route, cwd: Path, rule: bool = True) -> str:
    parts = [route.rule] if rule else []
    parts.append(f"endpoint '{route.endpoint}'")
    location = route.location(cwd)
    if route.view:
        parts.append(f"view {route.view}" + (f" at {location}" if location else ""))
    return ", ".join(parts)


def _methods(route: Route, all_methods: bool) -> str:
    methods = route.shown_methods(all_methods)
    return ", ".join(methods) if methods is not None else "any"


def _route_lines(routes: Sequence[Route], cwd: Path, all_methods: bool) -> list[str]:
    rows = [
        (_methods(route, all_methods), route.rule, route.endpoint, route.location(cwd) or "-")
        for route in routes
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    return [
        "  "
        + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


def _unique_rules(routes: Sequence[Route]) -> list[Route]:
    unique: list[Route] = []
    for route in routes:
        if all(route.rule != seen.rule for seen in unique):
            unique.append(route)
    return unique
