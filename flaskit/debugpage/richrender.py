"""The report's code windows and values as rich renderables: one look for the terminal and the page.

A frame's window is drawn by rich's :class:`~rich.syntax.Syntax` (its lines only,
numbered from the file, the failing line marked and its failing expression
underlined) in the colours of rich's ``ansi_dark`` traceback theme; a value is
a :class:`~rich.text.Text` in the same colours. The terminal prints them; the
page records them with one :class:`rich.console.Console` and exports them as
HTML (:class:`HtmlRecorder`), taking a short path to the segments rich itself
renders for them (:func:`rendered_all`).

Both are fed from the report, never from live objects: a window's tokens come
from the model (lexed once, a window at a time: see :mod:`.highlight`) and are
replayed to ``Syntax`` by a lexer that only hands them back; a value is the
masked, bounded repr the report holds, escaped for the terminal
(:func:`flaskit.console.printable`) before rich sees it, so neither an escape
sequence nor an OSC 8 link inside a repr can style or link anything.
"""

from __future__ import annotations

import functools
import io
import re
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeGuard

from flaskit.console import printable
from flaskit.debugpage.highlight import lex_python
from flaskit.debugpage.model import SourceLine, Variable

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.segment import Segment
    from rich.style import Style
    from rich.syntax import Syntax
    from rich.terminal_theme import TerminalTheme
    from rich.text import Text

# Syntax's gutter: the pointer of the current line, the gap of the others, the number styles.
Gutter = tuple["Segment", "Segment", "Style", "Style"]
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
ERROR_STYLE = "underline bold"  # the failing expression on the failing line
MASKED_STYLE = "dim italic"
# The page's ANSI palettes, light and dark: (background, foreground, 8 normal, 8 bright).
# Every colour and its dim blend differ, so each exported class maps to one variable.
LIGHT = (
    (255, 255, 255),
    (31, 35, 40),
    ((36, 41, 47), (207, 34, 46), (17, 99, 41), (149, 56, 0),
     (5, 80, 174), (130, 80, 223), (27, 124, 131), (110, 119, 129)),
    ((87, 96, 106), (164, 14, 38), (26, 127, 55), (113, 69, 1),
     (9, 105, 218), (164, 117, 249), (49, 146, 170), (140, 149, 159)),
)  # fmt: skip
DARK = (
    (13, 17, 23),
    (230, 237, 243),
    ((72, 79, 88), (255, 123, 114), (63, 185, 80), (210, 153, 34),
     (88, 166, 255), (188, 140, 255), (57, 197, 207), (177, 186, 196)),
    ((110, 118, 129), (255, 161, 152), (86, 211, 100), (227, 179, 65),
     (121, 192, 255), (210, 168, 255), (86, 212, 221), (240, 246, 252)),
)  # fmt: skip
_HEX = re.compile(r"#[0-9a-f]{6}\b")
_CLASS_RULE = re.compile(r"^\.r(?=\d)", re.MULTILINE)  # a rule of an exported class


def code_syntax(
    lines: Sequence[SourceLine],
    columns: tuple[int, int] | None = None,
    *,
    terminal: bool = False,
    **options: Any,
) -> Syntax:
    """A window of source as rich's ``Syntax``: numbered from the file, the current line
    marked, the failing ``columns`` of it underlined. ``options`` go to ``Syntax``.

    For the ``terminal``, characters a terminal could act on are written as escapes.
    """
    from rich.syntax import Syntax

    # Tokens of one kind next to each other become one (a line's end and the next
    # line's indent are one plain run): rich styles and splits fewer pieces.
    runs: list[list[str]] = []
    current = None
    for row, line in enumerate(lines, 1):
        for kind, text in (*line.tokens, ("", "\n")):
            if runs and runs[-1][0] == kind:
                runs[-1][1] += text
            else:
                runs.append([kind, text])
        if line.current:
            current = (row, line.number)
    # Lines hold no newline of their own, so escaping whole runs escapes no line end.
    shown = functools.partial(printable, keep="\n") if terminal else str
    tokens = [(_token_type(kind), shown(text)) for kind, text in runs]
    code = "".join(text for _, text in tokens)[:-1]
    # Syntax lexes its code plus a final newline, or the code alone when it ends with
    # one (a window whose last line is blank): so must the tokens, or rich numbers one
    # line more than the window has.
    if code.endswith("\n"):
        tokens[-1] = (tokens[-1][0], tokens[-1][1][:-1])
    syntax = Syntax(
        code,
        _replay(tokens),
        theme=_theme(),
        line_numbers=True,
        start_line=lines[0].number if lines else 1,
        highlight_lines={current[1]} if current else set(),
        **options,
    )
    if current is not None and columns is not None:
        syntax.stylize_range(ERROR_STYLE, (current[0], columns[0]), (current[0], columns[1]))
    return syntax


def value_renderable(variable: Variable) -> Text:
    """A value as shown: its repr as a rich ``Text`` coloured with the code windows'
    tokens and theme, or the mask.

    What ``Pretty`` would draw for it: the report holds a repr, not the object, so
    there is nothing for ``Pretty`` to lay out, and going through it costs several
    times the ``Text`` it ends up making.
    """
    from rich.text import Span, Text

    if variable.masked:
        return Text(variable.value, style=MASKED_STYLE)
    shown = printable(variable.value)
    styles = _token_styles()
    spans = []
    position = 0
    for kind, piece in lex_python(shown):
        style = styles.get(kind)
        if style is not None:
            spans.append(Span(position, position + len(piece), style))
        position += len(piece)
    return Text(shown, spans=spans)


@dataclass(frozen=True)
class RichHtml:
    """What :meth:`HtmlRecorder.export` gives: each renderable's HTML and their stylesheet."""

    fragments: tuple[str, ...]
    stylesheet: str

    def scoped(self, prefix: str) -> RichHtml:
        """The same HTML with its classes named ``<prefix>-r1``, ``<prefix>-r2`` ...: an
        export numbers its classes from ``r1``, so HTML exported on its own and put into
        a page must not use the page's names.

        rich escapes quotes in text, so ``class="r`` in its HTML only ever opens a class.
        """
        fragments = tuple(part.replace('class="r', f'class="{prefix}-r') for part in self.fragments)
        return RichHtml(fragments, _CLASS_RULE.sub(f".{prefix}-r", self.stylesheet))


class HtmlRecorder:
    """Renders renderables through one recording rich ``Console`` and exports them as HTML.

    All of a page's renderables go through a single ``print`` and a single
    ``export_html``, with a marker line between them that is unguessable (so no
    text of the report can fake one) and then split on. The shared stylesheet
    names colours by CSS variables (``var(--rich-3)``), which the page defines
    for the light and the dark palette: the same classes follow
    ``prefers-color-scheme``.
    """

    WIDTH = 2000  # wide enough that rich never wraps or pads; the browser wraps

    def __init__(self, cache: RenderCache | None = None) -> None:
        self._items: list[tuple[Callable[[], RenderableType], Hashable | None]] = []
        self._cache = cache
        self._marker = "flaskit-" + secrets.token_hex(12)

    def add(self, renderable: RenderableType, key: Hashable = None) -> int:
        """Queue ``renderable``; its HTML will be ``fragments[index]``.

        With a ``key`` that names its content (the window's lines, the value's
        text), its segments are taken from the cache when there, and kept there.
        """
        return self.add_made(functools.partial(_itself, renderable), key)

    def add_made(self, make: Callable[[], RenderableType], key: Hashable = None) -> int:
        """As :meth:`add`, for the renderable ``make()`` returns: made only when the
        cache does not have it."""
        self._items.append((make, key))
        return len(self._items) - 1

    def export(self) -> RichHtml:
        """Render everything queued and return the HTML of each, in order."""
        if not self._items:
            return RichHtml((), "")
        from rich.segment import Segment, Segments

        console = recording_console(self.WIDTH)
        cache = self._cache
        parts: list[list[Segment]] = []
        pending: list[tuple[int, RenderableType, Hashable | None]] = []  # not in the cache
        for make, key in self._items:
            found = None if cache is None or key is None else cache.get(key)
            if found is None:
                pending.append((len(parts), make(), key))
                found = []
            parts.append(found)
        made = [item for _, item, _ in pending]
        for (index, _, key), part in zip(pending, rendered_all(made, console), strict=True):
            parts[index] = part
            if cache is not None and key is not None:
                cache.put(key, part)
        recorded: list[Segment] = []
        marker = Segment(self._marker + "\n")
        for part in parts:
            recorded += part
            recorded.append(marker)
        console.print(Segments(recorded), soft_wrap=True, crop=False)
        split = f"\n{self._marker}\n"
        exported = console.export_html(
            theme=terminal_theme(LIGHT),
            code_format="{stylesheet}" + split + "{code}",
            inline_styles=False,
        )
        stylesheet, _, code = exported.partition(split)
        fragments = code.split(split)[: len(self._items)]
        return RichHtml(tuple(fragments), _to_variables(stylesheet))


class RenderCache:
    """Segments of windows and values rendered for earlier pages, by what they show.

    The key is the content itself (a window's masked lines and marked columns, a
    value's masked text), so an entry can only ever stand for the same text:
    nothing of one error's page, and no secret a later report masks, can show up
    on another's. The frames of the framework are the same for every error of an
    app, so most pages after the first reuse them. Bounded; least recently used
    entries go first. One per middleware; safe across threads.
    """

    def __init__(self, size: int = 1000) -> None:  # some twenty errors of windows and values
        self.size = size
        self._entries: OrderedDict[Hashable, list[Segment]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> list[Segment] | None:
        """The segments kept for ``key``, if any."""
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: Hashable, segments: list[Segment]) -> None:
        """Keep ``segments`` for ``key``."""
        with self._lock:
            self._entries[key] = segments
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)


class ContentKey:
    """A cache key for what a renderable shows (a window: its lines and marked columns),
    hashed once: the lines' records would be hashed again at every lookup."""

    __slots__ = ("_hash", "_value")

    def __init__(self, *value: Hashable) -> None:
        self._value = value
        self._hash = hash(value)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, ContentKey)
            and self._hash == other._hash
            and self._value == other._value
        )


def _itself(renderable: RenderableType) -> RenderableType:
    return renderable


def recording_console(width: int) -> Console:
    """The ``Console`` a page's renderables are recorded by: no colour codes written
    (the styles stay in the recording), no markup, emoji or highlighting of its own."""
    from rich.console import Console

    return Console(
        record=True,
        file=io.StringIO(),  # the recording is what is exported
        width=width,
        color_system=None,
        force_terminal=False,
        force_jupyter=False,
        legacy_windows=False,
        highlight=False,
        markup=False,
        emoji=False,
    )


def rendered_all(items: Sequence[RenderableType], console: Console) -> list[list[Segment]]:
    """What ``console.print(item, soft_wrap=True)`` records for each of ``items``: its
    segments, the last one ending its last line.

    The code windows (:func:`code_syntax`) and the one-line texts (values) among them
    are drawn in one ``Text.render`` and split into lines after: rendered one by one,
    they cost more in setting up (a span table and a style cache per text) than in
    rendering. A window's text is the one ``Syntax`` highlights, and its gutter the
    one ``Syntax`` draws, from its own styles; tests hold each item's segments to
    rich's own rendering of it alone. Anything else goes through ``console.render``.
    """
    from rich.segment import Segment
    from rich.syntax import Syntax
    from rich.text import Text

    texts: list[Text] = []
    shapes: list[tuple[int, int, Syntax | None]] = []  # item, its line count, its window
    for index, item in enumerate(items):
        if isinstance(item, Syntax) and _plain_window(item):
            ends_on_newline, code = item._process_code(item.code)
            text = item.highlight(code)
            # Syntax splits on each newline, keeping the blank line after the last one
            # only when the code itself ends with one; here the text's final newline goes
            # (the texts are joined by newlines) and that blank line is added back below.
            count = text.plain.count("\n") + (1 if ends_on_newline else 0)
            if text.plain.endswith("\n"):
                text.right_crop(1)
            texts.append(text)
            shapes.append((index, count, item))
        elif _one_line(item):
            texts.append(item)
            shapes.append((index, 1, None))
    results: list[list[Segment] | None] = [None] * len(items)
    if texts:
        lines = list(Segment.split_lines(Text("\n").join(texts).render(console)))
        newline = Segment("\n")
        gutters: dict[object, Gutter] = {}
        position = 0
        for (index, count, window), text in zip(shapes, texts, strict=True):
            own = text.plain.count("\n") + 1  # the lines it takes in the joined text
            taken = lines[position : position + own]
            position += own
            taken += [[] for _ in range(count - len(taken))]  # blank lines split_lines left out
            if window is None:
                results[index] = [*taken[0], newline]
            else:
                results[index] = _numbered(window, taken, console, gutters)
    options = console.options.update(no_wrap=True, overflow="ignore")  # as soft_wrap
    return [
        list(console.render(item, options)) if found is None else found
        for item, found in zip(items, results, strict=True)
    ]


def _one_line(item: RenderableType) -> TypeGuard[Text]:
    """Whether ``item`` is a ``Text`` that rich would print as it is, on one line
    (``Text.render`` leaves a text's own style to the caller: it has none)."""
    from rich.text import Text

    return (
        isinstance(item, Text)
        and not item.style
        and item.end == "\n"
        and item.justify in (None, "default")
        and "\n" not in item.plain
        and "\t" not in item.plain
    )


def _plain_window(syntax: Syntax) -> bool:
    """Whether ``syntax`` is set up as :func:`code_syntax` sets up a window: numbered,
    unwrapped, unpadded, whole (the shape :func:`rendered_all` draws itself)."""
    from rich.padding import Padding

    return bool(
        syntax.line_numbers
        and not syntax.word_wrap
        and not syntax.indent_guides
        and not syntax.line_range
        and not syntax.dedent
        and not any(Padding.unpack(syntax.padding))  # rich 13 keeps an int as given
    )


def _numbered(
    syntax: Syntax, lines: list[list[Segment]], console: Console, gutters: dict[object, Gutter]
) -> list[Segment]:
    """A window's rendered lines behind the gutter ``Syntax`` draws: the pointer or the
    gap, then the line number."""
    from rich.segment import Segment

    width = syntax._numbers_column_width
    pointer, gap, number_style, current_style = _gutter(syntax, console, gutters)
    newline = Segment("\n")
    current = syntax.highlight_lines
    segments: list[Segment] = []
    for number, line in enumerate(lines, syntax.start_line):
        column = str(number).rjust(width - 2) + " "
        if number in current:
            segments += (pointer, Segment(column, current_style))
        else:
            segments += (gap, Segment(column, number_style))
        segments += line
        segments.append(newline)
    return segments


def _gutter(syntax: Syntax, console: Console, memo: dict[object, Gutter]) -> Gutter:
    """The pointer and the gap of ``Syntax``'s gutter, and the styles of its numbers:
    the same for every window of one theme on one console, so worked out once for a
    page (``memo``)."""
    from rich.segment import Segment
    from rich.style import Style

    key = (syntax._theme, syntax.background_style)
    found = memo.get(key)
    if found is None:
        _, number_style, current_style = syntax._get_number_styles(console)
        pointer = Segment("❱ " if not console.legacy_windows else "> ", Style(color="red"))
        found = memo[key] = (pointer, Segment("  ", current_style), number_style, current_style)
    return found


def palette_css() -> str:
    """The CSS variables of the exported classes: the light palette, and the dark one
    under ``prefers-color-scheme: dark``."""
    light = "; ".join(f"{name}: {value}" for name, value in _palette(terminal_theme(LIGHT)))
    dark = "; ".join(f"{name}: {value}" for name, value in _palette(terminal_theme(DARK)))
    return f":root {{ {light}; }}\n@media (prefers-color-scheme: dark) {{ :root {{ {dark}; }} }}\n"


@functools.cache
def terminal_theme(colours: tuple[Any, ...]) -> TerminalTheme:
    """A rich ``TerminalTheme`` from one of the palettes above: one object per palette,
    because rich keeps each style's CSS by (style, theme), and a theme by identity."""
    from rich.terminal_theme import TerminalTheme

    background, foreground, normal, bright = colours
    return TerminalTheme(background, foreground, list(normal), list(bright))


def palette_hexes(theme: TerminalTheme) -> dict[str, str]:
    """Each colour rich can export with ``theme`` (plain and dim) -> its CSS variable name."""
    return {value: name for name, value in _palette(theme)}


def _palette(theme: TerminalTheme) -> Iterable[tuple[str, str]]:
    from rich.color import blend_rgb

    background = theme.background_color
    named = [("fg", theme.foreground_color), ("bg", background)]
    named += [(str(number), theme.ansi_colors[number]) for number in range(16)]
    for name, colour in named:
        yield f"--rich-{name}", colour.hex
        if name != "bg":
            yield f"--rich-dim-{name}", blend_rgb(colour, background, 0.5).hex


def _to_variables(stylesheet: str) -> str:
    names = palette_hexes(terminal_theme(LIGHT))
    return _HEX.sub(
        lambda m: f"var({names[m.group()]})" if m.group() in names else m.group(), stylesheet
    )


# Built once each (functools.cache): pygments token types, rich themes and classes are
# costly to make and read-only here.
@functools.cache
def _theme() -> Any:
    from rich.syntax import ANSISyntaxTheme

    return ANSISyntaxTheme({_token_type(kind): style for kind, style in _token_styles().items()})


@functools.cache
def _token_types() -> dict[str, Any]:
    from pygments import token  # type: ignore[import-untyped]

    return {
        "": token.Text,
        "kw": token.Keyword,
        "const": token.Keyword.Constant,
        "bi": token.Name.Builtin,
        "str": token.String,
        "com": token.Comment,
        "num": token.Number,
        "fn": token.Name.Function,
        "cls": token.Name.Class,
        "dec": token.Name.Decorator,
        "tag": token.Name.Tag,
        "attr": token.Name.Attribute,
        "op": token.Operator,
    }


def _token_type(kind: str) -> Any:
    types = _token_types()
    return types.get(kind, types[""])


@functools.cache
def _token_styles() -> dict[str, Style]:
    from rich.style import Style

    return {kind: Style.parse(style) for kind, style in TOKEN_STYLES.items()}


@functools.cache
def _replay_class() -> Any:
    from pygments.lexer import Lexer  # type: ignore[import-untyped]

    class Replay(Lexer):  # type: ignore[misc]
        """A pygments lexer that hands back tokens lexed before (the report's)."""

        name = "flaskit-replay"

        def __init__(self, tokens: list[tuple[Any, str]]) -> None:
            super().__init__()
            self.tokens = tokens

        def get_tokens(self, text: str, unfiltered: bool = False) -> Any:
            return iter(self.tokens)

    return Replay


def _replay(tokens: list[tuple[Any, str]]) -> Any:
    return _replay_class()(tokens)
