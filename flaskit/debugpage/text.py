"""The report as plain text: the "copy as text" view, ready to paste into a bug report.

It follows Python's own traceback format, so tools that read tracebacks read
it too, and adds the locals of the user's frames (masked) and a short footer.
"""

from __future__ import annotations

from flaskit.debugpage.model import ErrorReport, ExceptionInfo, Frame, Hint

CAUSE = "The above exception was the direct cause of the following exception:"
CONTEXT = "During handling of the above exception, another exception occurred:"


def render_text(report: ErrorReport) -> str:
    """The whole report as text."""
    parts: list[str] = []
    if report.omitted_exceptions:
        parts.append(f"[{report.omitted_exceptions} older chained exceptions omitted]\n\n")
    for exc in report.exceptions:
        parts.append(exception_text(exc))
        if exc.leads_to is not None:
            parts.append(f"\n{CAUSE if exc.leads_to == 'cause' else CONTEXT}\n\n")
    parts.append("\n")
    for hint in report.hints:
        parts.append(hint_text(hint))
    if report.request is not None:
        parts.append(f"Request: {report.request.method} {report.request.url}\n")
    if report.app_spec:
        parts.append(f"App: {report.app_spec}\n")
    parts.append("Versions: " + ", ".join(f"{name} {v}" for name, v in report.versions) + "\n")
    return "".join(parts)


def hint_text(hint: Hint) -> str:
    """A hint as a few indented lines."""
    lines = [f"Hint: {hint.title}"]
    lines += [f"  {line}" for line in hint.detail.splitlines()]
    if hint.fix:
        lines.append(f"  Fix: {hint.fix}")
    return "\n".join(lines) + "\n\n"


def exception_text(exc: ExceptionInfo) -> str:
    """One exception: its frames and its ``Type: message`` line."""
    lines: list[str] = []
    if exc.frames:
        lines.append("Traceback (most recent call last):")
    for index, frame in enumerate(exc.frames):
        if exc.omitted_frames and index == exc.omitted_at:
            lines.append(f"  [... {exc.omitted_frames} frames omitted ...]")
        lines.extend(frame_text(frame))
    if exc.syntax_error is not None:
        error = exc.syntax_error
        lines.append(f'  File "{error.filename}", line {error.lineno}')
        current = next((s.text for s in error.source if s.current), "")
        if current.strip():
            indent = len(current) - len(current.lstrip())
            lines.append(f"    {current.strip()}")
            if error.offset:
                width = max(1, (error.end_offset or error.offset + 1) - error.offset)
                lines.append("    " + " " * max(0, error.offset - 1 - indent) + "^" * width)
    lines.append(exc.headline)
    lines.extend(exc.notes)
    return "\n".join(lines) + "\n"


def frame_text(frame: Frame) -> list[str]:
    """A frame the way Python prints it, plus the locals of a user frame."""
    lines = [f'  File "{frame.filename}", line {frame.lineno}, in {frame.function}']
    current = next((s.text for s in frame.source if s.current), "")
    if current.strip():
        stripped = current.strip()
        lines.append(f"    {stripped}")
        if frame.columns is not None:
            indent = len(current) - len(current.lstrip())
            begin, end = frame.columns
            lines.append("    " + " " * (begin - indent) + "^" * max(1, end - begin))
    if not frame.collapsed and frame.locals:
        lines.append("    Locals:")
        lines.extend(f"      {v.name} = {v.value}" for v in frame.locals)
        if frame.hidden_locals:
            lines.append(f"      ... {frame.hidden_locals} more")
    return lines
