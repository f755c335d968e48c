"""The report as an HTML page: one file, no external resources, readable without JavaScript.

The code windows and the values of the frames are rich's rendering
(:mod:`.richrender`: ``Syntax`` and ``Text``, recorded by one ``Console`` and
exported as HTML with a shared stylesheet whose colours follow the light or
dark scheme); the page lays them out. Every other piece of text from the
report goes through :func:`esc`; nothing from the report is ever placed in
markup unescaped (rich escapes what it exports).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Sequence
from html import escape

from flaskit.debugpage.assets import SCRIPT, STYLE
from flaskit.debugpage.editor import editor_link
from flaskit.debugpage.errorstore import FRAMES
from flaskit.debugpage.model import (
    ErrorReport,
    ExceptionInfo,
    Frame,
    Hint,
    RequestInfo,
    SourceLine,
    SyntaxErrorInfo,
    Variable,
)
from flaskit.debugpage.richrender import (
    ContentKey,
    HtmlRecorder,
    RenderCache,
    RichHtml,
    code_syntax,
    value_renderable,
)
from flaskit.debugpage.text import CAUSE, CONTEXT, render_text

OPEN_FRAMES = 5  # frames of the app's code open on the page, nearest the error first


def esc(text: object) -> str:
    """HTML-escape text for element content and quoted attributes."""
    return escape(str(text), quote=True)


def html_document(title: str, body: str, nonce: str, stylesheet: str = "") -> str:
    """A complete page around ``body``, with the shared style and script (and the
    ``stylesheet`` of rich's exported parts)."""
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="color-scheme" content="light dark">'
        '<meta name="robots" content="noindex">'
        f"<title>{esc(title)}</title><style>{STYLE}{stylesheet}</style></head>\n"
        f"<body><main>{body}</main>"
        f'<script nonce="{esc(nonce)}">{SCRIPT}</script></body></html>\n'
    )


def render_page(
    report: ErrorReport,
    *,
    nonce: str,
    editor: str | None = None,
    console_url: str | None = None,
    cache: RenderCache | None = None,
    stored: str | None = None,
    opened: str | None = None,
) -> str:
    """The full error page; ``cache`` keeps rich's rendering of windows and values
    for the next pages.

    The frames nearest the error are open (:func:`open_frames`), the others are
    one line each. With ``stored``, the path of the error's kept page, the closed
    frames are left out: the page fetches one from there when it is opened
    (:func:`render_frame`), or, without JavaScript, links to the kept page with
    every frame in it and that one ``opened``.
    """
    open_ids = open_frames(report) | ({opened} if opened else set())
    shown = [frame for ident, frame in frame_ids(report) if stored is None or ident in open_ids]
    errors = [exc.syntax_error for exc in report.exceptions if exc.syntax_error is not None]
    rich = RichParts(shown, errors, cache)
    parts = [_header(report, console_url), _hints(report.hints), '<section id="traceback">']
    if report.omitted_exceptions:
        parts.append(
            f'<p class="omitted">{report.omitted_exceptions} older chained exceptions omitted</p>'
        )
    for index, exc in enumerate(report.exceptions):
        parts.append(_exception(exc, index, editor, rich, stored, open_ids))
    parts.append("</section>")
    if report.request is not None:
        parts.append(_request(report.request))
    if report.config:
        parts.append(_config(report.config))
    parts.append(_plain_text(report))
    parts.append(_footer(report))
    title = f"{report.title} · flaskit debug"
    return html_document(title, "".join(parts), nonce, rich.stylesheet)


def render_frame(report: ErrorReport, ident: str, cache: RenderCache | None = None) -> str | None:
    """One frame's code and locals as the page shows them, with the stylesheet of their
    classes (named after the frame, so they cannot clash with the page's): what the
    page fetches for a frame it left out. ``None`` when the report has no such frame."""
    frame = dict(frame_ids(report)).get(ident)
    if frame is None:
        return None
    rich = RichParts([frame], (), cache, scope=ident)
    return f"<style>{rich.stylesheet}</style>{_frame_body(frame, rich)}"


def open_frames(report: ErrorReport) -> set[str]:
    """The ids of the frames the page shows open: in each exception, the last
    :data:`OPEN_FRAMES` frames of the app's own code (not a library's), the ones
    nearest the error. A deep stack stays a list of one-line frames to scan, as
    the libraries' frames are."""
    found: set[str] = set()
    for index, exc in enumerate(report.exceptions):
        own = [position for position, frame in enumerate(exc.frames) if not frame.collapsed]
        found.update(_frame_id(index, position) for position in own[-OPEN_FRAMES:])
    return found


def frame_ids(report: ErrorReport) -> Iterator[tuple[str, Frame]]:
    """Each frame of the report with its id on the page (``e<exception>f<position>``)."""
    for index, exc in enumerate(report.exceptions):
        for position, frame in enumerate(exc.frames):
            yield _frame_id(index, position), frame


def _frame_id(exception: int, position: int) -> str:
    return f"e{exception}f{position}"


class RichParts:
    """The code windows and values of some frames, rendered by rich in one go.

    The same window (a recursive function fails many times on one line) and
    the same value (the app, the environ, in frame after frame) are rendered
    once and shown wherever they appear. With a ``scope``, the classes are
    named after it (:meth:`RichHtml.scoped`).
    """

    def __init__(
        self,
        frames: Iterable[Frame],
        syntax_errors: Iterable[SyntaxErrorInfo],
        cache: RenderCache | None = None,
        scope: str | None = None,
    ) -> None:
        recorder = HtmlRecorder(cache)
        self._windows: dict[ContentKey, int] = {}
        self._values: dict[str, int] = {}
        for frame in frames:
            self._queue_window(recorder, frame.source, frame.columns)
            for variable in frame.locals:
                if not variable.masked and variable.value not in self._values:
                    self._values[variable.value] = recorder.add_made(
                        functools.partial(value_renderable, variable), ("value", variable.value)
                    )
        for error in syntax_errors:
            self._queue_window(recorder, error.source, error.columns)
        exported = recorder.export()
        self._html: RichHtml = exported if scope is None else exported.scoped(scope)

    @property
    def stylesheet(self) -> str:
        """The classes of the exported HTML."""
        return self._html.stylesheet

    def code(self, lines: Sequence[SourceLine], columns: tuple[int, int] | None) -> str:
        """The window as a ``<pre>``, one block per line, the current one marked."""
        index = self._windows.get(_window_key(lines, columns))
        if index is None:
            return ""
        fragment = self._html.fragments[index]
        rows = fragment.split("\n")
        if len(rows) != len(lines):  # not one row per line after all: shown as rendered
            return f'<pre class="code">{fragment}</pre>'
        rendered = (
            f'<span class="{"line current" if line.current else "line"}">{row or " "}</span>'
            for line, row in zip(lines, rows, strict=True)
        )
        return f'<pre class="code">{"".join(rendered)}</pre>'

    def value(self, variable: Variable) -> str:
        """A value's HTML (escaped by rich)."""
        index = self._values.get(variable.value)
        return esc(variable.value) if index is None else self._html.fragments[index]

    def _queue_window(
        self,
        recorder: HtmlRecorder,
        lines: Sequence[SourceLine],
        columns: tuple[int, int] | None,
    ) -> None:
        key = _window_key(lines, columns)
        if lines and key not in self._windows:
            self._windows[key] = recorder.add_made(
                functools.partial(code_syntax, lines, columns), key
            )


def _window_key(lines: Sequence[SourceLine], columns: tuple[int, int] | None) -> ContentKey:
    return ContentKey("window", tuple(lines), columns)


def _header(report: ErrorReport, console_url: str | None) -> str:
    main = report.main
    if report.phase == "import":
        eyebrow = "The app failed to load" + (
            f" · {esc(report.app_spec)}" if report.app_spec else ""
        )
    elif report.request is not None:
        eyebrow = (
            f"{esc(_status_line(report.status))} · {esc(report.request.method)} "
            f"{esc(report.request.url)}"
        )
    else:
        eyebrow = esc(_status_line(report.status))
    where = ""
    frame = main.error_frame
    if main.syntax_error is not None:
        error = main.syntax_error
        where = f'<p class="where">at <code>{esc(error.display_path)}:{error.lineno}</code></p>'
    elif frame is not None:
        where = (
            f'<p class="where">in <code>{esc(frame.function)}</code> at '
            f"<code>{esc(frame.location)}</code></p>"
        )
    links = ['<a href="#hints">Hint</a>'] if report.hints else []
    links.append('<a href="#traceback">Traceback</a>')
    if report.request is not None:
        links.append('<a href="#request">Request</a>')
    if report.config:
        links.append('<a href="#config">App config</a>')
    links += ['<a href="#text">Copy as text</a>', '<a href="#versions">Versions</a>']
    if console_url:
        links.append(
            f'<a href="{esc(console_url)}">Interactive debugger</a> <small>(werkzeug, PIN)</small>'
        )
    return (
        f'<header><p class="eyebrow">{eyebrow}</p><h1>{esc(main.type_name)}</h1>'
        f'<p class="message">{esc(main.message)}</p>{where}<nav>{" ".join(links)}</nav></header>'
    )


def _status_line(status: int) -> str:
    from http import HTTPStatus

    try:
        return f"{status} {HTTPStatus(status).phrase}" if status != 500 else "Internal Server Error"
    except ValueError:
        return str(status)


def _hints(hints: Sequence[Hint]) -> str:
    """What probably went wrong and the fix, above the traceback."""
    if not hints:
        return ""
    shown = "".join(
        f'<div class="hint"><h2><span class="hint-tag">Hint</span> {esc(hint.title)}</h2>'
        + (f'<p class="hint-detail">{esc(hint.detail)}</p>' if hint.detail else "")
        + (f'<p class="hint-fix"><b>Fix:</b> {esc(hint.fix)}</p>' if hint.fix else "")
        + "</div>"
        for hint in hints
    )
    return f'<section id="hints">{shown}</section>'


def _exception(
    exc: ExceptionInfo,
    index: int,
    editor: str | None,
    rich: RichParts,
    stored: str | None,
    open_ids: set[str],
) -> str:
    parts = [f'<div class="exception" id="exception-{index}">']
    if exc.frames:
        parts.append("<h2>Traceback <small>(most recent call last)</small></h2>")
    for position, frame in enumerate(exc.frames):
        if exc.omitted_frames and position == exc.omitted_at:
            parts.append(f'<p class="omitted">… {exc.omitted_frames} frames omitted …</p>')
        ident = _frame_id(index, position)
        parts.append(_frame(frame, ident, editor, rich, stored, ident in open_ids))
    if exc.syntax_error is not None:
        parts.append(_syntax_error(exc.syntax_error, editor, rich))
    parts.append(
        f'<p class="exc-line"><b>{esc(exc.type_name)}</b>'
        f"{': ' + esc(exc.message) if exc.message else ''}</p>"
    )
    parts.extend(f'<p class="note">{esc(note)}</p>' for note in exc.notes)
    parts.append("</div>")
    if exc.leads_to is not None:
        parts.append(f'<p class="chain">{esc(CAUSE if exc.leads_to == "cause" else CONTEXT)}</p>')
    return "".join(parts)


def _frame(
    frame: Frame,
    ident: str,
    editor: str | None,
    rich: RichParts,
    stored: str | None,
    opened: bool,
) -> str:
    kind = frame.kind
    tag = ""
    if frame.package:
        tag = f'<span class="tag">{esc(frame.package)}</span>'
    elif kind == "template":
        tag = '<span class="tag template">template</span>'
    link = ""
    if editor and not frame.filename.startswith("<"):
        href = editor_link(editor, frame.filename, frame.lineno, (frame.columns or (0, 0))[0] + 1)
        link = f'<a class="editor" href="{esc(href)}">open in editor</a>'
    peek = ""
    if not opened and not frame.collapsed and frame.line:  # its line, as the terminal shows
        peek = f'<code class="peek">{esc(frame.line)}</code>'
    summary = (
        f'<summary><span class="path" title="{esc(frame.filename)}">'
        f"{esc(frame.display_path)}</span>"
        f':<span class="lineno">{frame.lineno}</span> in <code class="fn">{esc(frame.function)}'
        f"</code>{tag}{link}{peek}</summary>"
    )
    attributes = " open" if opened else ""
    if stored is not None and not opened:  # fetched when opened (render_frame)
        attributes += f' data-src="{esc(stored + FRAMES + ident)}"'
        body = (
            f'<p class="deferred"><a href="{esc(stored)}?open={ident}#{ident}">'
            "Show this frame's code and locals</a></p>"
        )
    else:
        body = _frame_body(frame, rich)
    return (
        f'<details class="frame {kind}" id="{ident}"{attributes}>{summary}'
        f'<div class="body">{body}</div></details>'
    )


def _frame_body(frame: Frame, rich: RichParts) -> str:
    code = rich.code(frame.source, frame.columns) or '<p class="masked">No source available.</p>'
    return code + _variables(frame.locals, frame.hidden_locals, rich)


def _syntax_error(error: SyntaxErrorInfo, editor: str | None, rich: RichParts) -> str:
    link = ""
    if editor:
        href = editor_link(editor, error.filename, error.lineno, error.offset or 1)
        link = f'<a class="editor" href="{esc(href)}">open in editor</a>'
    return (
        '<details class="frame user" open><summary>'
        f'<span class="path" title="{esc(error.filename)}">'
        f'{esc(error.display_path)}</span>:<span class="lineno">{error.lineno}</span>'
        f'<span class="tag">syntax error</span>{link}</summary>'
        f'<div class="body">{rich.code(error.source, error.columns)}</div></details>'
    )


def _variables(items: Sequence[Variable], hidden: int = 0, rich: RichParts | None = None) -> str:
    if not items:
        return ""
    rows = "".join(f"<tr><th>{esc(v.name)}</th>{_value(v, rich)}</tr>" for v in items)
    if hidden:
        rows += f'<tr><th></th><td class="masked">… {hidden} more</td></tr>'
    return f'<table class="vars">{rows}</table>'


def _value(variable: Variable, rich: RichParts | None) -> str:
    if variable.masked:
        return (
            f'<td class="masked" title="masked: the name looks secret">{esc(variable.value)}</td>'
        )
    if rich is None:
        return f"<td><code>{esc(variable.value)}</code></td>"
    return f'<td><code class="value">{rich.value(variable)}</code></td>'


def _request(request: RequestInfo) -> str:
    overview = _variables(
        [
            Variable("Method", request.method),
            Variable("URL", request.url),
            Variable("Remote address", request.remote_addr),
        ]
    )
    parts = ['<section id="request"><h2>Request</h2><div class="panel">', overview]
    sections: list[tuple[str, str]] = [
        ("Query arguments", _variables(request.args)),
        ("Form fields", _variables(request.form)),
        (
            "Files",
            _variables(
                [Variable(f.field, f"{f.filename} ({f.size:,} bytes)") for f in request.files]
            ),
        ),
        ("Headers", _variables(request.headers)),
        (
            "Cookies",
            _variables([Variable(name, "value hidden", masked=True) for name in request.cookies]),
        ),
    ]
    for title, table in sections:
        if table:
            parts.append(f"<h3>{esc(title)}</h3>{table}")
    if request.body_note:
        parts.append(f'<p class="masked">{esc(request.body_note)}</p>')
    parts.append("</div></section>")
    return "".join(parts)


def _config(config: Sequence[Variable]) -> str:
    return (
        f'<section id="config"><h2>App config</h2><details><summary>{len(config)} entries '
        f"(secret-looking values masked)</summary>{_variables(config)}</details></section>"
    )


def _plain_text(report: ErrorReport) -> str:
    return (
        '<section id="text"><h2>Copy as text</h2>'
        "<p>The traceback as plain text, ready for a bug report; secrets are masked here too. "
        '<button type="button" id="copy-text" hidden>Copy</button></p>'
        '<textarea id="plain-text" readonly spellcheck="false">'
        f"{esc(render_text(report))}</textarea>"
        "</section>"
    )


def _footer(report: ErrorReport) -> str:
    items = []
    if report.app_spec:
        items.append(f"<span>App <code>{esc(report.app_spec)}</code></span>")
    items += [f"<span>{esc(name)} {esc(version)}</span>" for name, version in report.versions]
    return (
        f'<footer id="versions">{"".join(items)}<p>This page is shown because the server runs '
        "with <code>--debug</code>, and only to this machine under its own names (or "
        "clients allowed with <code>--debug-allow</code>, names allowed with "
        "<code>--allow-host</code>). Never use debug mode in production.</p></footer>"
    )
