"""Route tables for people (rich on a terminal, aligned text when piped) and JSON for tools."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from flaskit.routes.model import Route

if TYPE_CHECKING:
    from rich.console import Console

_METHOD_STYLES = {
    "GET": "green",
    "HEAD": "green",
    "POST": "yellow",
    "PUT": "blue",
    "PATCH": "blue",
    "DELETE": "red",
    "OPTIONS": "dim",
}


@dataclass(frozen=True)
class Row:
    """One route as the table shows it: every cell already text."""

    methods: str
    rule: str
    endpoint: str
    view: str
    location: str
    host: str
    subdomain: str


@dataclass(frozen=True)
class Table:
    """Rows plus the optional columns some apps need."""

    rows: list[Row]
    show_host: bool
    show_subdomain: bool

    def columns(self) -> list[tuple[str, str]]:
        """(title, Row attribute) of each column, in display order."""
        columns = [("Methods", "methods")]
        if self.show_host:
            columns.append(("Host", "host"))
        if self.show_subdomain:
            columns.append(("Subdomain", "subdomain"))
        columns += [
            ("Rule", "rule"),
            ("Endpoint", "endpoint"),
            ("View", "view"),
            ("Location", "location"),
        ]
        return columns

    def header(self) -> list[str]:
        """The column titles, in display order."""
        return [title for title, _ in self.columns()]

    def cells(self, row: Row) -> list[str]:
        """The cells of ``row``, matching :meth:`header`."""
        return [str(getattr(row, attribute)) for _, attribute in self.columns()]

    def widths(self) -> list[int]:
        """The width of each column: its longest cell or title."""
        lines = [self.header(), *(self.cells(row) for row in self.rows)]
        return [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]


def build_table(routes: Sequence[Route], cwd: Path, all_methods: bool) -> Table:
    """Turn routes into display rows."""
    rows = []
    for route in routes:
        methods = route.shown_methods(all_methods)
        rows.append(
            Row(
                methods=", ".join(methods) if methods is not None else "*",
                rule=route.rule,
                endpoint=route.endpoint,
                view=route.view or "-",
                location=route.location(cwd) or "-",
                host=route.host or "",
                subdomain=route.subdomain or "",
            )
        )
    return Table(
        rows,
        show_host=any(r.host for r in routes),
        show_subdomain=any(r.subdomain for r in routes),
    )


def render_plain(table: Table, out: IO[str]) -> None:
    """Aligned columns without colour, for pipes and files."""
    lines = [table.header(), *(table.cells(row) for row in table.rows)]
    widths = table.widths()
    rule_line = ["-" * width for width in widths]
    for cells in [lines[0], rule_line, *lines[1:]]:
        text = "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))
        out.write(text.rstrip() + "\n")


def render_rich(table: Table, console: Console) -> None:
    """A rich table: methods coloured, converters highlighted. Location is a column
    of its own when the table fits the terminal; on a narrow one each view's
    file:line goes beneath the view instead of folding every cell."""
    from rich import box
    from rich.table import Table as RichTable
    from rich.text import Text

    columns = table.columns()
    widths = table.widths()
    stacked = sum(widths) + 2 * (len(widths) - 1) > console.width
    grid = RichTable(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False)
    for title, _ in columns:
        if title == "Location" and stacked:
            continue
        grid.add_column(title, overflow="fold", no_wrap=title in {"Methods", "Rule"})
    for row in table.rows:
        cells: list[Text] = []
        for title, attribute in columns:
            cell = str(getattr(row, attribute))
            if title == "Methods":
                cells.append(
                    Text(", ").join(
                        Text(m, style=_METHOD_STYLES.get(m, "")) for m in cell.split(", ")
                    )
                )
            elif title == "Rule":
                text = Text(cell)
                text.highlight_regex(r"<[^>]+>", "bold cyan")
                cells.append(text)
            elif title == "View" and stacked:
                cells.append(Text.assemble(cell, "\n", (row.location, "dim")))
            elif title == "Location":
                if not stacked:
                    cells.append(Text(cell, style="dim"))
            else:
                cells.append(Text(cell))
        grid.add_row(*cells)
    console.print(grid)


def render_json(routes: Sequence[Route], cwd: Path, all_methods: bool, out: IO[str]) -> None:
    """A JSON list with one object per route."""
    json.dump([r.to_json(cwd, all_methods) for r in routes], out, indent=2)
    out.write("\n")
