"""Highlighting of source windows: lossless, right kinds, and only a window is read."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from flaskit.debugpage.highlight import TripleQuotes, lex_other, lex_python, split_lines
from flaskit.debugpage.source import SourceReader


def kinds(code: str) -> dict[str, str]:
    return {text: kind for kind, text in lex_python(code) if kind}


@given(st.text())
def test_lexing_loses_nothing(code: str) -> None:
    assert "".join(text for _, text in lex_python(code)) == code
    assert "".join(text for _, text in lex_python(code, '"""')) == code


@given(st.text(alphabet="ab\n\"'#x=()"))
def test_split_lines_matches_the_lines(code: str) -> None:
    rows = list(split_lines(lex_python(code)))
    assert ["".join(t for _, t in row) for row in rows] == code.split("\n")


def test_python_token_kinds() -> None:
    found = kinds(
        '@app.route("/")\n'
        "def index(x=1.5e3, y=0x1F):  # a comment\n"
        "    return len(x) if x is not None else True\n"
        "class Model(Base):\n"
        "    note = rb'raw' + f\"{x}\"\n"
    )
    assert found["@app.route"] == "dec"
    assert found['"/"'] == "str"
    assert found["def"] == "kw"
    assert found["index"] == "fn"
    assert found["1.5e3"] == "num"
    assert found["0x1F"] == "num"
    assert found["# a comment"] == "com"
    assert found["return"] == "kw"
    assert found["len"] == "bi"
    assert found["None"] == "const"
    assert found["True"] == "const"
    assert found["Model"] == "cls"
    assert found["rb'raw'"] == "str"
    assert found['f"{x}"'] == "str"
    assert "x" not in found  # plain names stay plain text
    assert "note" not in found


def test_decorators_begin_their_line_and_at_is_otherwise_an_operator() -> None:
    tokens = lex_python("class A:\n    @property\n    def m(self):\n        return a @ b\n")
    assert ("dec", "    @property") in tokens
    assert ("dec", "@ b") not in tokens
    assert lex_python("  @cache\ndef f(): pass")[0] == ("dec", "  @cache")
    assert lex_python("  @cache", '"""')[0] == ("str", "  @cache")  # inside a docstring


def test_window_starting_inside_a_docstring() -> None:
    tokens = lex_python('    still docstring text\n    """\n    return 1\n', '"""')
    assert tokens[0] == ("str", '    still docstring text\n    """')
    assert ("kw", "return") in tokens


def test_triple_quotes_tell_where_a_string_is_open() -> None:
    code = 'x = 1\n"""doc\nstring"""\ny = 2\n'
    quotes = TripleQuotes(code)
    assert quotes.open_at(code.index("string")) == '"""'
    assert quotes.open_at(code.index("y = 2")) is None
    assert quotes.open_at(0) is None


def test_templates_are_lexed_with_jinja_rules() -> None:
    code = "<li>{{ item.name }}</li>\n{% if x %}y{% endif %}"
    tokens = lex_other(code, "page.html")
    assert "".join(t for _, t in tokens) == code
    assert ("tag", "{{") in tokens
    assert ("tag", "li") in tokens
    assert ("kw", "endif") in tokens
    assert lex_other("plain", "data.unknownext") == [("", "plain")]


def test_source_window_deep_in_a_large_file(tmp_path: Path) -> None:
    lines = ['"""Module docstring."""']
    lines += [f"VALUE_{i} = {i}" for i in range(4000)]
    lines += ['TEXT = """', "inside a string", "at the end", '"""', "def last():", "    return 1"]
    path = tmp_path / "big.py"
    path.write_text("\n".join(lines) + "\n")
    reader = SourceReader(before=2, after=1)
    window = reader.window(str(path), len(lines) - 3)  # "at the end"
    assert [line.number for line in window] == [
        len(lines) - 5,
        len(lines) - 4,
        len(lines) - 3,
        len(lines) - 2,
    ]
    current = next(line for line in window if line.current)
    assert current.text == "at the end"
    assert current.tokens == (("str", "at the end"),)  # known to be inside the string
    assert reader.window(str(path), len(lines) + 10) == ()
    assert reader.window(str(tmp_path / "missing.py"), 3) == ()


def test_a_window_repeated_by_a_recursion_is_lexed_once(monkeypatch) -> None:
    """Frame after frame of a recursion fails on one line: one window, lexed once per
    report (and each report reads afresh: the file may have changed)."""
    import flaskit.debugpage.source as source
    from flaskit.debugpage.report import build_report
    from tests.debugpage import sample_app

    lexed: list[str] = []

    def counted(code: str, open_string: str | None = None) -> list[tuple[str, str]]:
        lexed.append(code)
        return lex_python(code, open_string)

    monkeypatch.setattr(source, "lex_python", counted)
    try:
        sample_app.descend(6, [])
    except LookupError as exc:
        report = build_report(exc, phase="request")
    windows = {(f.filename, f.lineno) for f in report.main.frames}
    assert len(report.main.frames) == 8  # this test, then descend() 7 times, on 2 lines
    assert len(lexed) == len(windows) == 3
    assert [f.source for f in report.main.frames[1:-1]] == [report.main.frames[1].source] * 6
