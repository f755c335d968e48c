"""The report in the terminal, drawn with rich: the same frames as the page, collapsed the same way.

Code windows and values are the same rich renderables the page exports
(:mod:`.richrender`). Text from the report is only ever placed in
:class:`rich.text.Text` objects, never parsed as console markup, so
``[link=...]`` in a message prints as is, and only after
:func:`flaskit.console.printable`: a message, a value or a URL from the request
cannot colour the terminal or move its cursor.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from flaskit.console import printable
from flaskit.debugpage.model import ErrorReport, ExceptionInfo, Frame, Hint
from flaskit.debugpage.richrender import code_syntax, value_renderable
from flaskit.debugpage.text import CAUSE, CONTEXT

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.text import Text


def render_terminal(report: ErrorReport, console: Console, *, expand: bool = True) -> None:
    """Print the report on ``console``; ``expand=False`` draws each box only as wide as
    its content (for a console with no real width: a file, a pipe)."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    if report.status != 500:  # an HTTP error the framework answered: what and the hint
        console.print(_headline(report.main))
        for hint in report.hints:
            console.print(_hint(hint))
        return
    for exc in report.exceptions:
        if exc.frames:
            console.print(
                Panel(
                    Group(*_frames(exc)),
                    title="[bold]Traceback[/] [dim](most recent call last)",
                    border_style="red",
                    expand=expand,
                    padding=(0, 1),
                )
            )
        if exc.syntax_error is not None:
            error = exc.syntax_error
            header = Text.assemble(
                (printable(error.display_path), "bold"), ":", (str(error.lineno), "cyan")
            )
            window = code_syntax(error.source, error.columns, terminal=True)
            console.print(
                Panel(Group(header, window), border_style="red", padding=(0, 1), expand=expand)
            )
        console.print(_headline(exc))
        for note in exc.notes:
            console.print(Text(printable(note, keep="\n"), style="italic"))
        if exc.leads_to is not None:
            console.print(
                Text(f"\n{CAUSE if exc.leads_to == 'cause' else CONTEXT}\n", style="italic")
            )
    for hint in report.hints:
        console.print(_hint(hint))
    footer = []
    if report.request is not None:
        footer.append(f"{report.request.method} {report.request.url}")
    if report.app_spec:
        footer.append(f"app {report.app_spec}")
    if footer:
        console.print(Text(printable(" · ".join(footer)), style="dim"))


def _headline(exc: ExceptionInfo) -> Text:
    from rich.text import Text

    if not exc.message:
        return Text(printable(exc.type_name), style="bold red")
    return Text.assemble(
        (printable(exc.type_name), "bold red"), ": ", printable(exc.message, keep="\n")
    )


def _hint(hint: Hint) -> Text:
    from rich.text import Text

    text = Text.assemble(("Hint: ", "bold yellow"), (printable(hint.title), "bold"))
    if hint.detail:
        text.append("\n" + printable(hint.detail, keep="\n"))
    if hint.fix:
        text.append("\nFix: ", style="bold green")
        text.append(printable(hint.fix, keep="\n"))
    return text


def _frames(exc: ExceptionInfo) -> Iterator[RenderableType]:
    """Library frames on one dim line; user frames with their line; the error frame in full."""
    from rich.text import Text

    error_frame = exc.error_frame
    for index, frame in enumerate(exc.frames):
        if exc.omitted_frames and index == exc.omitted_at:
            yield Text(f"… {exc.omitted_frames} frames omitted …", style="red", justify="center")
        if frame.collapsed:
            line = Text.assemble(
                ("  ", ""),
                (printable(f"{frame.location} in {frame.function}"), "dim"),
                (f"  {frame.package}" if frame.package else "", "dim italic"),
            )
            line.no_wrap, line.overflow = True, "ellipsis"
            yield line
            continue
        yield _frame_header(frame)
        if frame is not error_frame:
            current = tuple(line for line in frame.source if line.current)
            if current:
                yield code_syntax(current, frame.columns, terminal=True)
            continue
        if frame.source:
            yield code_syntax(frame.source, frame.columns, terminal=True)
        if frame.locals:
            yield _locals(frame)


def _locals(frame: Frame) -> RenderableType:
    """``name = value`` rows, the values as rich ``Text`` (or the mask)."""
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column()
    for variable in frame.locals:
        grid.add_row(
            Text.assemble((printable(variable.name), "italic"), " ="),
            value_renderable(variable),
        )
    if frame.hidden_locals:
        grid.add_row(Text(f"… {frame.hidden_locals} more", style="dim"), "")
    return Padding(grid, (0, 0, 0, 4))


def _frame_header(frame: Frame) -> Text:
    from rich.text import Text

    folder, _, name = printable(frame.display_path).rpartition("/")
    tag = "  template" if frame.kind == "template" else ""
    return Text.assemble(
        (folder + "/" if folder else "", "dim"),
        (name, "bold"),
        ":",
        (str(frame.lineno), "cyan"),
        " in ",
        (printable(frame.function), "green"),
        (tag, "magenta"),
    )
