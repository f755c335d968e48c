"""What a hint may look at, and helpers to read the traceback."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from flaskit.debugpage.model import RequestInfo


@dataclass(frozen=True)
class HintContext:
    """What a hint may look at besides the exception."""

    app: object = None  # the Flask (or werkzeug-Map) app, if there is one
    environ: dict[str, Any] | None = None
    request: RequestInfo | None = None  # the request as the report shows it (masked)
    root: Path | None = None  # the project folder
    app_spec: str = ""  # how flaskit found the app: ``hello:create_app()``

    def shown(self, path: str | Path) -> str:
        """``path`` relative to the project folder when it is inside it."""
        text = str(path)
        if self.root is not None:
            root = str(self.root.resolve())
            if text == root:
                return "."
            if text.startswith(root + "/"):
                return text[len(root) + 1 :]
        return text


def frame_locals(exc: BaseException) -> Iterator[tuple[TracebackType, dict[str, Any]]]:
    """Each traceback entry of ``exc`` with its frame's locals, innermost first."""
    entries: list[TracebackType] = []
    entry = exc.__traceback__
    while entry is not None and len(entries) < 200:
        entries.append(entry)
        entry = entry.tb_next
    for entry in reversed(entries):
        f_locals = _locals(entry)
        if f_locals is not None:  # a frame whose locals cannot be read has nothing to tell
            yield entry, f_locals


def local_of_type(exc: BaseException, cls: type[Any]) -> Any:
    """The first local (innermost frame first) that is a ``cls``.

    The type is checked with ``type()``: ``isinstance`` would ask a werkzeug
    ``LocalProxy`` (Flask's ``request`` in a closure) for its class, which raises
    outside a request.
    """
    for _, f_locals in frame_locals(exc):
        for value in f_locals.values():
            if issubclass(type(value), cls):
                return value
    return None


def _locals(entry: TracebackType) -> dict[str, Any] | None:
    try:
        return dict(entry.tb_frame.f_locals)
    except Exception:
        return None


def user_frame(exc: BaseException, context: HintContext) -> TracebackType | None:
    """The innermost traceback entry in the project's own code (not a library's)."""
    from flaskit.debugpage.extract import FrameClassifier

    classifier = FrameClassifier(context.root)
    for entry, f_locals in frame_locals(exc):
        frame = entry.tb_frame
        module = frame.f_globals.get("__name__", "")
        kind, _ = classifier.classify(
            frame.f_code.co_filename,
            module if isinstance(module, str) else "",
            frame.f_globals,
            f_locals,
        )
        if kind == "user":
            return entry
    return None


def where(entry: TracebackType | None, context: HintContext) -> str:
    """``views.py:12`` for a traceback entry."""
    if entry is None:
        return ""
    return f"{context.shown(entry.tb_frame.f_code.co_filename)}:{entry.tb_lineno}"
