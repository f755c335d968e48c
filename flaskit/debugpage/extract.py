"""From an exception to :class:`ExceptionInfo` records: the chain, frames, source, locals."""

from __future__ import annotations

import functools
import itertools
import os
import sysconfig
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any

from flaskit.debugpage.masking import MASK, Masker, is_lookup_key_name, is_secret_value
from flaskit.debugpage.model import (
    Chain,
    ExceptionInfo,
    Frame,
    FrameKind,
    SyntaxErrorInfo,
    Variable,
)
from flaskit.debugpage.saferepr import safe_repr
from flaskit.debugpage.source import SourceReader

# Frames of these packages are collapsed to one line: they are rarely where the bug is.
FRAMEWORK_PACKAGES = frozenset(
    {"werkzeug", "flask", "click", "jinja2", "flaskit", "markupsafe", "itsdangerous", "blinker"}
)
MAX_CHAIN = 10
MAX_FRAMES = 100
FRAMES_KEPT_AT_TOP = 30  # of a stack deeper than MAX_FRAMES; the rest kept are the innermost
MAX_LOCALS = 40
MAX_MESSAGE = 4000
MAX_GROUP_MEMBERS = 10
# Names every template sees (Jinja's defaults, Flask's context processor): noise next to the
# template's own variables. The app config is shown in its own panel.
TEMPLATE_GLOBALS = frozenset(
    {
        "range",
        "dict",
        "lipsum",
        "cycler",
        "joiner",
        "namespace",
        "url_for",
        "get_flashed_messages",
        "config",
        "request",
        "session",
        "g",
    }
)
_OWN_PACKAGE = "flaskit.debugpage"


class FrameClassifier:
    """Tells user frames from library frames and shortens their paths."""

    def __init__(self, root: Path | None) -> None:
        self.root = str(root.resolve()) + os.sep if root else None
        self.library_prefixes = _library_prefixes()

    def classify(
        self, filename: str, module: str, f_globals: Mapping[str, Any], f_locals: Mapping[str, Any]
    ) -> tuple[FrameKind, str | None]:
        """``("template"|"user"|"library", package)`` for one frame."""
        if "__jinja_exception__" in f_globals:
            return "template", None
        top = module.split(".", 1)[0]
        if top in FRAMEWORK_PACKAGES or _hidden(f_locals):
            return "library", top or None
        if filename.startswith("<frozen "):
            return "library", filename[len("<frozen ") : -1].split(".", 1)[0]
        if self.root and filename.startswith(self.root) and "site-packages" not in filename:
            return "user", None
        if any(filename.startswith(prefix) for prefix in self.library_prefixes):
            return "library", top or None
        return "user", None

    def display(self, filename: str, module: str | None = None) -> str:
        """``filename`` relative to the project root or its library folder when inside one.

        A library ``module`` whose file sits where its name says (``flask.app`` in
        ``.../flask/app.py``) is shown from its package, wherever it is installed.
        """
        if module and not filename.startswith("<"):
            stem = module.replace(".", os.sep)
            for tail in (stem + ".py", stem + os.sep + "__init__.py"):
                if filename.endswith(os.sep + tail):
                    return tail.replace(os.sep, "/")
        if self.root and filename.startswith(self.root) and "site-packages" not in filename:
            return filename[len(self.root) :]
        for prefix in self.library_prefixes:
            if filename.startswith(prefix):
                return filename[len(prefix) :]
        return filename


class ExceptionExtractor:
    """Turns exceptions into records; one extractor per report (it shares file reads)."""

    def __init__(self, masker: Masker, classifier: FrameClassifier) -> None:
        self.masker = masker
        self.classifier = classifier
        self.source = SourceReader()
        # The same object (the app, environ, the request) shows up in many frames: one repr.
        # The object is kept with its repr, so its id cannot be reused while the report is built.
        self._reprs: dict[int, tuple[object, str]] = {}

    def chain(self, exc: BaseException) -> tuple[tuple[ExceptionInfo, ...], int]:
        """The chain of ``exc``, root cause first, and how many older ones were left out."""
        links = list(_walk_chain(exc))
        omitted = max(0, len(links) - MAX_CHAIN)
        links = links[:MAX_CHAIN]
        for linked, _ in links:
            self._remember_secret_locals(linked.__traceback__)
        infos = [self.exception(linked, relation) for linked, relation in links]
        return tuple(reversed(infos)), omitted

    def exception(self, exc: BaseException, leads_to: Chain | None = None) -> ExceptionInfo:
        """One exception and its frames."""
        tracebacks = list(_own_frames_skipped(_walk_tb(exc.__traceback__)))
        omitted = max(0, len(tracebacks) - MAX_FRAMES)
        if omitted:
            kept_at_bottom = MAX_FRAMES - FRAMES_KEPT_AT_TOP
            tracebacks = tracebacks[:FRAMES_KEPT_AT_TOP] + tracebacks[-kept_at_bottom:]
        notes = getattr(exc, "__notes__", None)
        notes = [_bounded(str(n)) for n in notes[:20]] if isinstance(notes, list) else []
        return ExceptionInfo(
            type_name=_type_name(type(exc)),
            message=_message(exc),
            frames=tuple(self.frame(tb) for tb in tracebacks),
            omitted_frames=omitted,
            omitted_at=FRAMES_KEPT_AT_TOP if omitted else 0,
            notes=(*notes, *self._group_members(exc)),
            syntax_error=self._syntax_error(exc) if isinstance(exc, SyntaxError) else None,
            leads_to=leads_to,
        )

    def frame(self, tb: TracebackType) -> Frame:
        """One traceback entry."""
        frame = tb.tb_frame
        code = frame.f_code
        filename = code.co_filename
        lineno = tb.tb_lineno or frame.f_lineno or 0
        f_globals = frame.f_globals
        f_locals = _locals_of(frame)
        module = f_globals.get("__name__")
        kind, package = self.classifier.classify(
            filename, module if isinstance(module, str) else "", f_globals, f_locals
        )
        source = self.source.window(
            filename, lineno, python=kind != "template", module_globals=f_globals
        )
        current = next((line.text for line in source if line.current), "")
        if kind == "template":
            f_locals = {k: v for k, v in f_locals.items() if k not in TEMPLATE_GLOBALS}
        variables, hidden = self.variables(f_locals, library=kind == "library")
        return Frame(
            filename=filename,
            display_path=self.classifier.display(
                filename, module if kind == "library" and isinstance(module, str) else None
            ),
            lineno=lineno,
            function=getattr(code, "co_qualname", code.co_name),
            kind=kind,
            package=package if kind == "library" else None,
            source=source,
            columns=_columns(tb, current) if kind != "template" else None,
            locals=variables,
            hidden_locals=hidden,
        )

    def variables(
        self, namespace: Mapping[str, Any], library: bool = False
    ) -> tuple[tuple[Variable, ...], int]:
        """Masked, bounded variables of a namespace, and how many were left out.

        In a ``library`` frame a ``key`` is the key of a lookup (``MultiDict.__getitem__``,
        a cache), not a secret: it is masked, but not scrubbed from the rest of the page.
        """
        shown: list[Variable] = []
        names = [n for n in namespace if not (n.startswith("__") and n.endswith("__"))]
        for name in names[:MAX_LOCALS]:
            value = namespace[name]
            if self._secret(name, value, library):
                shown.append(Variable(name, MASK, masked=True))
            else:
                shown.append(Variable(name, self._repr(value)))
        return tuple(shown), max(0, len(names) - MAX_LOCALS)

    def _secret(self, name: str, value: object, library: bool) -> bool:
        """Whether a local is masked; remembers its value to scrub it elsewhere, unless it
        is a library's lookup key."""
        if library and is_lookup_key_name(name):
            return is_secret_value(value)
        return self.masker.remember_named(name, value)

    def _repr(self, value: object) -> str:
        known = self._reprs.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        text = safe_repr(value, self.masker)
        self._reprs[id(value)] = (value, text)
        return text

    def _group_members(self, exc: BaseException) -> list[str]:
        """One line per exception of an exception group: what and where."""
        members = getattr(exc, "exceptions", None)
        if not isinstance(members, tuple) or not hasattr(exc, "derive"):
            return []
        lines = []
        for index, member in enumerate(members[:MAX_GROUP_MEMBERS], 1):
            message = _message(member)
            text = f"{_type_name(type(member))}: {message}" if message else _type_name(type(member))
            last = list(_walk_tb(member.__traceback__))[-1:]
            if last:
                where = self.classifier.display(last[0].tb_frame.f_code.co_filename)
                text += f" (at {where}:{last[0].tb_lineno})"
            lines.append(f"sub-exception {index}: {text}")
        if len(members) > MAX_GROUP_MEMBERS:
            lines.append(f"… {len(members) - MAX_GROUP_MEMBERS} more sub-exceptions")
        return lines

    def _remember_secret_locals(self, tb: TracebackType | None) -> None:
        """Learn secret-named locals first, so other values can be scrubbed of them."""
        for entry in itertools.islice(_walk_tb(tb), 2 * MAX_FRAMES):
            frame = entry.tb_frame
            f_locals = _locals_of(frame)
            module = frame.f_globals.get("__name__")
            kind, _ = self.classifier.classify(
                frame.f_code.co_filename,
                module if isinstance(module, str) else "",
                frame.f_globals,
                f_locals,
            )
            for name, value in f_locals.items():
                self._secret(name, value, kind == "library")

    def _syntax_error(self, exc: SyntaxError) -> SyntaxErrorInfo | None:
        if not exc.filename or not exc.lineno:
            return None
        filename = exc.filename
        return SyntaxErrorInfo(
            filename=filename,
            display_path=self.classifier.display(filename),
            lineno=exc.lineno,
            offset=exc.offset,
            end_offset=getattr(exc, "end_offset", None),
            source=self.source.window(filename, exc.lineno),
        )


@functools.cache  # the interpreter's folders: the same for every report
def _library_prefixes() -> tuple[str, ...]:
    paths = sysconfig.get_paths()
    folders = {paths[k] for k in ("stdlib", "platstdlib", "purelib", "platlib") if k in paths}
    # Both the folders as configured and as resolved: a venv links to the real stdlib.
    prefixes = {_with_sep(f) for f in folders} | {_with_sep(os.path.realpath(f)) for f in folders}
    # Longest first, so site-packages wins over the stdlib folder that contains it.
    return tuple(sorted(prefixes, key=len, reverse=True))


def _with_sep(folder: str) -> str:
    return folder if folder.endswith(os.sep) else folder + os.sep


def _walk_chain(exc: BaseException) -> Iterator[tuple[BaseException, Chain | None]]:
    """``exc`` and the exceptions behind it, newest first, with how each leads to the newer."""
    seen: set[int] = set()
    current: BaseException | None = exc
    relation: Chain | None = None
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current, relation
        if current.__cause__ is not None:
            current, relation = current.__cause__, "cause"
        elif current.__context__ is not None and not current.__suppress_context__:
            current, relation = current.__context__, "context"
        else:
            current = None


def _walk_tb(tb: TracebackType | None) -> Iterator[TracebackType]:
    while tb is not None:
        yield tb
        tb = tb.tb_next


def _own_frames_skipped(entries: Iterator[TracebackType]) -> Iterator[TracebackType]:
    """Leave out the debug page's own frames at the top: the middleware calling the app."""
    skipping = True
    for entry in entries:
        if skipping:
            module = entry.tb_frame.f_globals.get("__name__", "")
            if isinstance(module, str) and module.startswith(_OWN_PACKAGE):
                continue
            skipping = False
        yield entry


def _locals_of(frame: FrameType) -> Mapping[str, Any]:
    try:
        return frame.f_locals
    except Exception:
        return {}


def _hidden(f_locals: Mapping[str, Any]) -> bool:
    try:
        return bool(f_locals.get("__traceback_hide__", False))
    except Exception:
        return False


def _columns(tb: TracebackType, line: str) -> tuple[int, int] | None:
    """The failing expression's columns on the current line (Python 3.11+)."""
    positions = getattr(tb.tb_frame.f_code, "co_positions", None)
    if positions is None or tb.tb_lasti < 0 or not line:
        return None
    try:
        start, end, first, last = next(itertools.islice(positions(), tb.tb_lasti // 2, None))
    except (StopIteration, ValueError):
        return None
    if start != end or start != tb.tb_lineno or first is None or last is None:
        return None
    # co_positions counts UTF-8 bytes; the page counts characters. The window
    # was expanded with expandtabs, so measure against the raw line's prefix.
    raw = line.encode()
    indent = len(line) - len(line.lstrip())
    begin = len(raw[:first].decode("utf-8", "replace"))
    finish = len(raw[:last].decode("utf-8", "replace"))
    if begin <= indent and finish >= len(line.rstrip()):
        return None  # the whole line: nothing to point at
    return begin, finish


def _type_name(cls: type[BaseException]) -> str:
    module = getattr(cls, "__module__", None)
    name = getattr(cls, "__qualname__", cls.__name__)
    if module in (None, "builtins", "__main__"):
        return name
    return f"{module}.{name}"


def _message(exc: BaseException) -> str:
    if isinstance(exc, SyntaxError) and exc.msg:
        return _bounded(str(exc.msg))
    try:
        return _bounded(str(exc))
    except Exception as inner:
        return f"<exception str() failed: {type(inner).__name__}>"


def _bounded(text: str) -> str:
    if len(text) <= MAX_MESSAGE:
        return text
    return f"{text[:MAX_MESSAGE]}… ({len(text):,} characters)"
