"""Syntax highlighting of the few lines shown around each frame.

Tokens are ``(kind, text)`` pairs with a small set of kinds (``kw``, ``str``,
``com``, ...) that the HTML page and the terminal both style.

Python source is lexed here with one regular expression, a window at a time:
pygments (which rich uses) costs about 60 µs a line and is fed the whole file
from its first line, which made a deep stack in a large module take seconds.
A window that starts inside a triple-quoted string is detected by counting the
delimiters above it (:class:`TripleQuotes`). Templates
and other files are rare in a traceback and go to pygments, window only.
"""

from __future__ import annotations

import bisect
import builtins
import keyword
import re
from collections.abc import Iterator, Sequence
from pathlib import PurePath

Token = tuple[str, str]

_CONSTANTS = frozenset({"True", "False", "None", "Ellipsis", "NotImplemented"})
_KEYWORDS = frozenset(keyword.kwlist) - _CONSTANTS
_BUILTINS = (
    frozenset(name for name in dir(builtins) if not name.startswith("_") and name not in _KEYWORDS)
    - _CONSTANTS
)

# Which kind each keyword, constant and builtin name is; other names stay plain.
_WORD_KINDS = {
    **dict.fromkeys(_BUILTINS, "bi"),
    **dict.fromkeys(_KEYWORDS, "kw"),
    **dict.fromkeys(_CONSTANTS, "const"),
}
_PYTHON = re.compile(
    r"""
    (?=[\#"'\w.\n])  # a token starts with one of these: elsewhere the search moves on at once
    (?:
      (?P<com>\#[^\n]*)
    | (?P<str>(?<![\w])[rRbBuUfF]{0,2}
        (?:\"\"\"[\s\S]*?(?:\"\"\"|\Z) | '''[\s\S]*?(?:'''|\Z)
        | "(?:[^"\\\n]|\\.)*"? | '(?:[^'\\\n]|\\.)*'?))
    | \n(?P<dec>[ \t]*@[\w.]+)  # a decorator begins its line (the first: _LEADING_DECORATOR)
    | (?P<defkw>\b(?:def|class)\b)(?P<defsp>[ \t]+)(?P<defname>\w+)
    | (?P<num>(?<![\w.])(?:0[xX][\da-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+
        |\d[\d_]*(?:\.[\d_]*)?(?:[eE][+-]?\d+)?[jJ]?|\.\d[\d_]*(?:[eE][+-]?\d+)?[jJ]?))
    | (?P<word>(?!\d)\w+)
    )
    """,
    re.VERBOSE,
)
_LEADING_DECORATOR = re.compile(r"[ \t]*@[\w.]+")
_TEMPLATE_SUFFIXES = frozenset({".html", ".htm", ".xml", ".jinja", ".jinja2", ".j2", ".txt"})


def lex_python(code: str, open_string: str | None = None) -> list[Token]:
    """Tokens of a piece of Python source; plain text between them is merged into one token.

    ``open_string`` is the delimiter (``'''`` or ``\"\"\"``) of a triple-quoted
    string the piece starts inside of.
    """
    tokens: list[Token] = []
    plain_from = 0  # where the plain text not yet emitted starts
    if open_string:
        end = code.find(open_string)
        plain_from = len(code) if end < 0 else end + len(open_string)
        tokens.append(("str", code[:plain_from]))
    else:
        leading = _LEADING_DECORATOR.match(code)
        if leading:
            tokens.append(("dec", leading.group()))
            plain_from = leading.end()
    word_kinds = _WORD_KINDS
    for match in _PYTHON.finditer(code, plain_from):
        kind = match.lastgroup or ""
        if kind == "word":
            kind = word_kinds.get(match.group(), "")
            if not kind:
                continue
        start = match.start(kind) if kind == "dec" else match.start()  # the newline is plain
        if start > plain_from:
            tokens.append(("", code[plain_from:start]))
        if kind == "defname":
            name_kind = "cls" if match.group("defkw") == "class" else "fn"
            tokens.append(("kw", match.group("defkw")))
            tokens.append(("", match.group("defsp")))
            tokens.append((name_kind, match.group("defname")))
        else:
            tokens.append((kind, match.group(kind) if kind == "dec" else match.group()))
        plain_from = match.end()
    if plain_from < len(code):
        tokens.append(("", code[plain_from:]))
    return tokens


def lex_other(code: str, filename: str) -> list[Token]:
    """Tokens of a template or other non-Python file, by pygments; plain text if unknown."""
    from pygments.lexers import get_lexer_by_name, get_lexer_for_filename  # type: ignore[import-untyped]
    from pygments.util import ClassNotFound  # type: ignore[import-untyped]

    suffix = PurePath(filename).suffix.lower()
    try:
        if suffix in _TEMPLATE_SUFFIXES:
            lexer = get_lexer_by_name("html+jinja" if suffix != ".txt" else "jinja")
        else:
            lexer = get_lexer_for_filename(filename, code)
    except ClassNotFound:
        return [("", code)]
    lexer.stripnl = False
    lexer.ensurenl = False
    return [(_pygments_kind(ttype), text) for ttype, text in lexer.get_tokens(code)]


def _pygments_kind(ttype: object) -> str:
    from pygments import token  # type: ignore[import-untyped]

    kinds = {
        token.Comment.Preproc: "tag",
        token.Comment: "com",
        token.String: "str",
        token.Number: "num",
        token.Keyword.Constant: "const",
        token.Keyword: "kw",
        token.Name.Builtin: "bi",
        token.Name.Function: "fn",
        token.Name.Class: "cls",
        token.Name.Decorator: "dec",
        token.Name.Tag: "tag",
        token.Name.Attribute: "attr",
        token.Name.Variable: "attr",
        token.Operator: "op",
    }
    current = ttype
    while current is not None:
        if current in kinds:
            return kinds[current]
        current = getattr(current, "parent", None)
    return ""


def split_lines(tokens: Sequence[Token]) -> Iterator[list[Token]]:
    """The tokens of each line (tokens that span lines are split, newlines dropped)."""
    line: list[Token] = []
    for kind, text in tokens:
        if "\n" not in text:
            line.append((kind, text))
            continue
        pieces = text.split("\n")
        for index, piece in enumerate(pieces):
            if index:
                yield line
                line = []
            if piece:
                line.append((kind, piece))
    yield line


class TripleQuotes:
    """Where a file's triple-quote delimiters are, to tell whether a line starts inside a string.

    An odd number of a delimiter before an offset means a string is open
    there. Delimiters inside comments or inside the other kind of string fool
    the count; that costs the colours of one window, and one C-level scan per
    file is what keeps frames deep in a large file cheap.
    """

    def __init__(self, code: str) -> None:
        self._positions: dict[str, list[int]] = {}
        for delimiter in ('"""', "'''"):  # str.find: a C scan, several times a regex's speed
            found = self._positions[delimiter] = []
            at = code.find(delimiter)
            while at >= 0:
                found.append(at)
                at = code.find(delimiter, at + 3)

    def open_at(self, offset: int) -> str | None:
        """The delimiter of the string open at ``offset``, if any."""
        for delimiter, positions in self._positions.items():
            if bisect.bisect_left(positions, offset) % 2:
                return delimiter
        return None
