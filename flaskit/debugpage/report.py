"""Assemble an :class:`ErrorReport`: exception chain, request, app config, versions."""

from __future__ import annotations

import functools
import platform
import sys
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal, TypeVar

from flaskit.debugpage.extract import ExceptionExtractor, FrameClassifier
from flaskit.debugpage.masking import MASK, Masker
from flaskit.debugpage.model import (
    ErrorReport,
    ExceptionInfo,
    Frame,
    Hint,
    RequestInfo,
    SourceLine,
    Variable,
)
from flaskit.debugpage.request import BodyRecorder, request_info
from flaskit.debugpage.saferepr import safe_repr

MAX_CONFIG = 200


def build_report(
    exc: BaseException,
    *,
    phase: Literal["request", "import"],
    app_spec: str = "",
    root: Path | None = None,
    versions: tuple[tuple[str, str], ...] = (),
    environ: dict[str, Any] | None = None,
    recorder: BodyRecorder | None = None,
    app: object = None,
    masker: Masker | None = None,
    status: int = 500,
) -> ErrorReport:
    """Extract everything the page shows about ``exc``, masked and bounded.

    ``app`` is the Flask app (see :func:`routed_app`) whose config is shown.
    ``masker`` is given when the caller needs the secrets found, to scrub other output.
    ``status`` is the response's: 500, or the status of an HTTP error shown with its hints.
    """
    masker = Masker() if masker is None else masker
    request = request_info(environ, masker, recorder) if environ is not None else None
    config = app_config(app, masker)
    extractor = ExceptionExtractor(masker, FrameClassifier(root))
    exceptions, omitted = extractor.chain(exc)
    report = ErrorReport(
        exceptions=exceptions,
        phase=phase,
        app_spec=app_spec,
        versions=versions or collect_versions(),
        request=request,
        config=config,
        omitted_exceptions=omitted,
        hints=hints_for(exc, app, environ, request, root, app_spec),
        status=status,
    )
    return scrub_report(report, masker)


def hints_for(
    exc: BaseException,
    app: object,
    environ: dict[str, Any] | None,
    request: RequestInfo | None,
    root: Path | None,
    app_spec: str,
) -> tuple[Hint, ...]:
    """What the hints (:mod:`.hints`) can tell about ``exc`` from the live app."""
    from flaskit.debugpage.hints import HintContext, find_hints

    context = HintContext(app=app, environ=environ, request=request, root=root, app_spec=app_spec)
    return find_hints(exc, context)


def routed_app(app: object) -> object | None:
    """The Flask or werkzeug-``Map`` app inside ``app`` (looking through middleware), if any."""
    from flaskit.routes.adapters import find_adapter
    from flaskit.routes.adapters.werkzeug import WerkzeugMapAdapter

    found = find_adapter(app, [WerkzeugMapAdapter()])
    return found[1] if found else None


def app_config(app: object, masker: Masker) -> tuple[Variable, ...]:
    """A Flask-style app's ``config`` entries, masked; empty for other apps."""
    config = getattr(app, "config", None)
    if not isinstance(config, Mapping):
        return ()
    entries: list[Variable] = []
    for key in sorted(config, key=str)[:MAX_CONFIG]:
        value = config[key]
        if masker.remember_named(key, value):
            entries.append(Variable(str(key), MASK, masked=True))
        else:
            entries.append(Variable(str(key), safe_repr(value, masker)))
    return tuple(entries)


def collect_versions() -> tuple[tuple[str, str], ...]:
    """Python, flaskit, werkzeug and (when imported) Flask versions."""
    return _versions(with_flask="flask" in sys.modules)


# Looked up once per process (a metadata lookup costs a good part of a page): an
# install into the environment rebuilds the workers' fork server anyway.
@functools.cache
def _versions(with_flask: bool) -> tuple[tuple[str, str], ...]:
    from importlib.metadata import PackageNotFoundError, version

    from flaskit import __version__

    found = [("Python", platform.python_version()), ("flaskit", __version__)]
    for label, distribution in (("Werkzeug", "werkzeug"), ("Flask", "flask")):
        if distribution == "flask" and not with_flask:
            continue
        try:
            found.append((label, version(distribution)))
        except PackageNotFoundError:
            continue
    found.append(("Platform", f"{platform.system()} {platform.machine()}".strip()))
    return tuple(found)


def scrub_report(report: ErrorReport, masker: Masker) -> ErrorReport:
    """Replace every remembered secret wherever it shows: values, messages, URL, source lines.

    Source lines too, because the copy-as-text view ends up in bug reports.
    Records that contain no secret are kept as they are. The texts are first
    searched for a secret all at once (one regular-expression search instead of
    one per text), and rewritten only when one shows up.
    """
    if not masker.has_secrets:
        return report
    texts: list[str] = []

    def collect(text: str) -> str:
        texts.append(text)
        return text

    # The same walk collects what the scrubbing walk would scrub: nothing is left out.
    _rewrite_texts(report, collect)
    if not masker.found_in(texts):
        return report
    return _rewrite_texts(report, masker.scrub)


def _rewrite_texts(report: ErrorReport, rewrite: Callable[[str], str]) -> ErrorReport:
    """``report`` with ``rewrite`` applied to each of its free texts; each record that
    ``rewrite`` leaves unchanged is kept as it is (the report itself, when all are)."""

    def variables(items: tuple[Variable, ...]) -> tuple[Variable, ...]:
        shown = tuple(v if v.masked else _changed(v, value=rewrite(v.value)) for v in items)
        return items if _same(shown, items) else shown

    def line(item: SourceLine) -> SourceLine:
        text = item.text
        if rewrite(text) is text:
            return item
        tokens = tuple((kind, rewrite(piece)) for kind, piece in item.tokens)
        joined = "".join(piece for _, piece in tokens)
        if rewrite(joined) is not joined:  # a secret across tokens: the line unhighlighted
            tokens = (("", rewrite(text)),)
        return replace(item, tokens=tokens)

    def source(lines: tuple[SourceLine, ...]) -> tuple[SourceLine, ...]:
        shown = tuple(line(item) for item in lines)
        return lines if _same(shown, lines) else shown

    def frame(item: Frame) -> Frame:
        return _changed(item, locals=variables(item.locals), source=source(item.source))

    def exception(item: ExceptionInfo) -> ExceptionInfo:
        error = item.syntax_error
        frames = tuple(frame(f) for f in item.frames)
        notes = tuple(rewrite(n) for n in item.notes)
        return _changed(
            item,
            message=rewrite(item.message),
            notes=item.notes if _same(notes, item.notes) else notes,
            frames=item.frames if _same(frames, item.frames) else frames,
            syntax_error=error and _changed(error, source=source(error.source)),
        )

    request = report.request
    if request is not None:
        request = _changed(
            request,
            url=rewrite(request.url),
            headers=variables(request.headers),
            args=variables(request.args),
            form=variables(request.form),
        )
    exceptions = tuple(exception(e) for e in report.exceptions)
    hints = tuple(
        _changed(h, title=rewrite(h.title), detail=rewrite(h.detail), fix=rewrite(h.fix))
        for h in report.hints
    )
    return _changed(
        report,
        exceptions=report.exceptions if _same(exceptions, report.exceptions) else exceptions,
        request=request,
        config=variables(report.config),
        hints=report.hints if _same(hints, report.hints) else hints,
    )


_Record = TypeVar("_Record")


def _changed(record: _Record, **fields: object) -> _Record:
    """``record`` with ``fields``, or ``record`` itself when each field is the object it has."""
    if all(getattr(record, name) is value for name, value in fields.items()):
        return record
    return replace(record, **fields)  # type: ignore[type-var]


def _same(new: tuple[object, ...], old: tuple[object, ...]) -> bool:
    return all(a is b for a, b in zip(new, old, strict=True))
