"""The report in the terminal, drawn with rich: the same frames as the page, collapsed the same way.

Text from the report is only ever placed in :class:`rich.text.Text` objects,
never parsed as console markup, so ``[link=...]`` in a message prints as is,
and only after :func:`flaskit.console.printable`: a message, a value or a URL
from the request cannot colour the terminal or move its cursor.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from flaskit.console import printable
from flaskit.debugpage.model import ErrorReport, ExceptionInfo, Frame, SourceLine
from flaskit.debugpage.text import CAUSE, CONTEXT

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.text import Text

# The colours of rich's own "ansi_dark" traceback theme, by token kind.
TOKEN_STYLES = {
    "kw": "bright_blue",
    "const": "bright_blue",
    "bi": "bright_cyan",
    "str": "yellow",
    "com": "dim",
    "num": "bright_blue",
    "fn": "bright_green",
    "cls": "bright_green underline",
    "dec": "bold bright_magenta",
    "tag": "bright_blue",
    "attr": "bright_cyan",
}


def render_terminal(report: ErrorReport, console: Console, *, expand: bool = True) -> None:
    """Print the report on ``console``; ``expand=False`` draws each box only as wide as
    its content (for a console with no real width: a file, a pipe)."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

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
            columns = (
                (error.offset - 1, (error.end_offset or error.offset + 1) - 1)
                if error.offset
                else None
            )
            header = Text.assemble(
                (printable(error.display_path), "bold"), ":", (str(error.lineno), "cyan")
            )
            console.print(
                Panel(
                    Group(header, *_code(error.source, columns)),
                    border_style="red",
                    padding=(0, 1),
                    expand=expand,
                )
            )
        console.print(_headline(exc))
        for note in exc.notes:
            console.print(Text(printable(note, keep="\n"), style="italic"))
        if exc.leads_to is not None:
            console.print(
                Text(f"\n{CAUSE if exc.leads_to == 'cause' else CONTEXT}\n", style="italic")
            )
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
            current = [line for line in frame.source if line.current]
            yield from _code(tuple(current), frame.columns, gutter=False)
            continue
        yield from _code(frame.source, frame.columns)
        for variable in frame.locals:
            value_style = "dim italic" if variable.masked else ""
            yield Text.assemble(
                ("    ", ""),
                (printable(variable.name), "italic"),
                " = ",
                (printable(variable.value), value_style),
            )
        if frame.hidden_locals:
            yield Text(f"    … {frame.hidden_locals} more", style="dim")


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


def _code(
    lines: tuple[SourceLine, ...], columns: tuple[int, int] | None, gutter: bool = True
) -> Iterator[Text]:
    from rich.text import Text

    width = len(str(lines[-1].number)) if lines else 1
    for line in lines:
        text = Text(no_wrap=True, overflow="ellipsis")
        if gutter:
            marker = "❱" if line.current else " "
            style = "bold red" if line.current else "dim"
            text.append(f"{marker} {line.number:>{width}} │ ", style=style)
        else:
            text.append("  ")
        start = len(text)
        for kind, piece in line.tokens:
            text.append(printable(piece), style=TOKEN_STYLES.get(kind, ""))
        if line.current and columns is not None:
            text.stylize("underline bold", start + columns[0], start + columns[1])
        yield text
