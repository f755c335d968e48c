"""The error report: plain data, extracted once, rendered as HTML, text and terminal output.

Every string in a report is already masked and bounded; renderers only
escape and lay it out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FrameKind = Literal["user", "library", "template"]
Chain = Literal["cause", "context"]


@dataclass(frozen=True)
class SourceLine:
    """One line of source with its highlighting: ``(token kind, text)`` pairs."""

    number: int
    tokens: tuple[tuple[str, str], ...]
    current: bool = False

    @property
    def text(self) -> str:
        """The line without highlighting."""
        return "".join(text for _, text in self.tokens)


@dataclass(frozen=True)
class Variable:
    """A name and its value as shown: a bounded repr, or the mask."""

    name: str
    value: str
    masked: bool = False


@dataclass(frozen=True)
class Frame:
    """One frame of a traceback."""

    filename: str
    display_path: str
    lineno: int
    function: str
    kind: FrameKind
    package: str | None = None  # the library a collapsed frame belongs to
    source: tuple[SourceLine, ...] = ()
    columns: tuple[int, int] | None = None  # the failing expression on the current line
    locals: tuple[Variable, ...] = ()
    hidden_locals: int = 0

    @property
    def collapsed(self) -> bool:
        """Library frames are collapsed to one line by default."""
        return self.kind == "library"

    @property
    def line(self) -> str:
        """The source of the current line, stripped."""
        for source_line in self.source:
            if source_line.current:
                return source_line.text.strip()
        return ""

    @property
    def location(self) -> str:
        """``path:line``."""
        return f"{self.display_path}:{self.lineno}"


@dataclass(frozen=True)
class SyntaxErrorInfo:
    """Where a ``SyntaxError`` points: file, line and the offending columns."""

    filename: str
    display_path: str
    lineno: int
    offset: int | None
    end_offset: int | None
    source: tuple[SourceLine, ...]

    @property
    def columns(self) -> tuple[int, int] | None:
        """The columns pointed at on the line, 0-based, end excluded."""
        if not self.offset:
            return None
        end = self.end_offset if self.end_offset and self.end_offset > self.offset else None
        return (self.offset - 1, (end or self.offset + 1) - 1)


@dataclass(frozen=True)
class ExceptionInfo:
    """One exception of the chain, with its frames (outermost call first)."""

    type_name: str
    message: str
    frames: tuple[Frame, ...]
    omitted_frames: int = 0  # frames left out in the middle of a very deep stack
    omitted_at: int = 0  # the index in ``frames`` where they were left out
    notes: tuple[str, ...] = ()
    syntax_error: SyntaxErrorInfo | None = None
    leads_to: Chain | None = None  # how this exception relates to the next one shown

    @property
    def headline(self) -> str:
        """``Type: message``, as Python prints it."""
        return f"{self.type_name}: {self.message}" if self.message else self.type_name

    @property
    def error_frame(self) -> Frame | None:
        """The frame to point at: the innermost user or template frame, else the last."""
        for frame in reversed(self.frames):
            if not frame.collapsed:
                return frame
        return self.frames[-1] if self.frames else None


@dataclass(frozen=True)
class UploadedFile:
    """A file field of a multipart form: names and size, never the content."""

    field: str
    filename: str
    size: int


@dataclass(frozen=True)
class RequestInfo:
    """The request that failed."""

    method: str
    url: str
    remote_addr: str
    headers: tuple[Variable, ...]
    args: tuple[Variable, ...]
    form: tuple[Variable, ...]
    files: tuple[UploadedFile, ...]
    cookies: tuple[str, ...]  # names only
    body_note: str = ""  # why form fields are missing, when they are


@dataclass(frozen=True)
class Hint:
    """What probably went wrong and how to fix it, worked out from the live app."""

    title: str  # one line: what is wrong
    detail: str = ""  # why, with what the app has (folders searched, fields sent, ...)
    fix: str = ""  # what to do: a command, a line of code


@dataclass(frozen=True)
class ErrorReport:
    """Everything the page, the copy-as-text view and the terminal show."""

    exceptions: tuple[ExceptionInfo, ...]  # root cause first, the exception raised last
    phase: Literal["request", "import"]
    app_spec: str
    versions: tuple[tuple[str, str], ...]
    request: RequestInfo | None = None
    config: tuple[Variable, ...] = ()
    omitted_exceptions: int = 0
    hints: tuple[Hint, ...] = ()
    status: int = 500  # a 405 or a CSRF failure is shown with its own status

    @property
    def main(self) -> ExceptionInfo:
        """The exception that reached the server."""
        return self.exceptions[-1]

    @property
    def title(self) -> str:
        """A one-line title."""
        return self.main.headline.splitlines()[0] if self.main.headline else "Error"
