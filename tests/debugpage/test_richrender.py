"""Code windows and values are rich's rendering, exported by a recording Console."""

from __future__ import annotations

import io
import re
import sys
from typing import Any

import pytest
from rich.console import Console, RenderableType
from rich.segment import Segment
from rich.style import Style
from rich.syntax import Syntax
from rich.text import Text

from flaskit.debugpage.masking import MASK, Masker
from flaskit.debugpage.model import SourceLine, Variable
from flaskit.debugpage.page import render_page
from flaskit.debugpage.report import build_report
from flaskit.debugpage.richrender import (
    DARK,
    LIGHT,
    HtmlRecorder,
    RenderCache,
    code_syntax,
    palette_css,
    palette_hexes,
    recording_console,
    rendered_all,
    terminal_theme,
    value_renderable,
)
from flaskit.debugpage.source import SourceReader
from tests.debugpage.support import (
    HERE,
    assert_no_injection,
    client,
    current_row,
    deferred_frames,
    get,
    local_value,
    styled,
    text_of,
    user_frames,
)


@pytest.mark.parametrize("colours", [LIGHT, DARK], ids=["light", "dark"])
def test_each_colour_of_a_palette_maps_to_one_variable(colours: tuple[object, ...]) -> None:
    """The stylesheet names colours by variable, found by their hex in the light palette:
    two colours (or dim blends) sharing a hex would share a variable."""
    theme = terminal_theme(colours)
    names = palette_hexes(theme)
    assert len(names) == 2 * 17 + 1  # fg, 16 colours, each dimmed, and the background
    assert f"--rich-dim-{12}" in names.values()


def test_both_palettes_define_every_variable_and_dark_follows_the_scheme() -> None:
    css = palette_css()
    light, dark = css.split("@media (prefers-color-scheme: dark)")
    light_names = re.findall(r"(--rich-[\w-]+):", light)
    assert light_names == re.findall(r"(--rich-[\w-]+):", dark)
    assert "--rich-12: #0969da" in light
    assert "--rich-12: #79c0ff" in dark


def test_the_page_shows_riches_own_rendering_of_each_window() -> None:
    page = get(client(), "/fail").get_data(as_text=True)
    helper = user_frames(page)[-1]
    rows = [
        text_of(row)
        for row in re.findall(
            r'<span class="line(?: current)?">(.*?)</span>(?=<span class="line|</pre>)',
            helper,
            re.S,
        )
    ]
    # The same window printed by rich itself, on a plain console.
    exc = _raise_in_helper()
    frame = build_report(exc, phase="request").main.frames[-1]
    out = io.StringIO()
    Console(file=out, width=200, color_system=None).print(
        code_syntax(frame.source, frame.columns), soft_wrap=True
    )
    printed = out.getvalue().splitlines()
    assert [row.rstrip() for row in rows] == [line.rstrip() for line in printed]
    assert any(row.startswith("❱ ") for row in rows)


def _raise_in_helper() -> BaseException:
    from tests.debugpage import sample_app

    try:
        sample_app.helper(42, "t", {}, sample_app.Settings("h", "k"), "m")
    except ZeroDivisionError as exc:
        return exc
    raise AssertionError("helper did not fail")


def test_a_value_cannot_style_link_or_break_the_page() -> None:
    class Sneaky:
        def __repr__(self) -> str:
            return (
                "\x1b]8;;javascript:alert(1)\x1b\\click\x1b]8;;\x1b\\ \x1b[31mred\x1b[0m "
                '"><script>alert(2)</script>\nsecond line'
            )

    page = _page_with_local(Sneaky())
    assert_no_injection(page)
    traceback = page.split('<section id="traceback">')[1].split("</section>")[0]
    links = re.findall(r"<a [^>]*>", traceback)  # the page's own only: to frames left out
    assert all(
        re.fullmatch(r'<a href="/__flaskit/errors/[\w-]+\?open=e\d+f\d+#e\d+f\d+">', a)
        for a in links
    )
    shown = local_value(page, "local_one")
    assert shown is not None
    assert "\\x1b]8;;javascript:alert(1)" in shown
    assert '"><script>alert(2)</script>\\x0asecond line' in shown


def test_a_long_line_stays_one_row_with_the_current_line_marked() -> None:
    line = SourceLine(7, (("", "x = '" + "y" * 5000 + "'"),), current=True)
    recorder = HtmlRecorder()
    index = recorder.add(code_syntax((SourceLine(6, (("kw", "def"),)), line)))
    html = recorder.export().fragments[index]
    rows = html.split("\n")
    assert len(rows) == 2
    assert text_of(rows[1]).startswith("❱ 7 x = 'yyyy")
    assert text_of(rows[1]).endswith("y'")


def test_fragments_come_back_in_order_one_per_renderable() -> None:
    recorder = HtmlRecorder()
    values = [f"value {n} <{n}>" for n in range(30)]
    indexes = [recorder.add(value_renderable(Variable("v", value))) for value in values]
    exported = recorder.export()
    assert [text_of(exported.fragments[i]) for i in indexes] == values
    assert "&lt;" in exported.fragments[0]  # rich escaped it
    assert "#" not in exported.stylesheet  # every colour is a variable of the palette
    assert "var(--rich-" in exported.stylesheet


def test_masked_values_are_the_mask_alone() -> None:
    page = get(client(), "/fail").get_data(as_text=True)
    helper = user_frames(page)[-1]
    cells = re.findall(r"<th>(\w+)</th><td class=\"masked\"[^>]*>(.*?)</td>", helper)
    assert dict(cells) == {"token": MASK}


def test_the_failing_line_in_the_terminal_theme() -> None:
    page = get(client(), "/fail").get_data(as_text=True)
    marked = styled(current_row(user_frames(page)[-1]), page)
    kinds = dict(marked)
    assert "var(--rich-12)" in kinds["return"]  # keywords: bright_blue
    assert "var(--rich-14)" in kinds["str"]  # builtins: bright_cyan


def _page_with_local(value: object) -> str:
    from flask import Flask

    app = Flask(__name__)

    @app.route("/")
    def index() -> str:
        local_one = value  # noqa: F841 - a local for the page
        raise RuntimeError("look at the local")

    return get(client(app), "/").get_data(as_text=True)


def test_a_window_ending_in_a_blank_line_has_one_row_per_line() -> None:
    """rich numbers no extra blank line after the window (the page would then show the
    fragment without its per-line rows)."""
    lines = (SourceLine(4, (("kw", "pass"),), current=True), SourceLine(5, ()))
    recorder = HtmlRecorder()
    index = recorder.add(code_syntax(lines))
    rows = recorder.export().fragments[index].split("\n")
    assert [text_of(row).rstrip() for row in rows] == ["❱ 4 pass", "  5"]


def _styled_text(segments: object) -> list[tuple[str, Style | None]]:
    """Segments as runs of text in one style (a null style is no style), so two ways of
    cutting the same styled text compare equal."""
    runs: list[tuple[str, Style | None]] = []
    for segment in segments:  # type: ignore[attr-defined]
        assert isinstance(segment, Segment)
        style = segment.style or None
        if runs and runs[-1][1] == style:
            runs[-1] = (runs[-1][0] + segment.text, style)
        elif segment.text:
            runs.append((segment.text, style))
    return runs


def _as_rich_prints_it(item: RenderableType) -> list[tuple[str, Style | None]]:
    console = recording_console(HtmlRecorder.WIDTH)
    options = console.options.update(no_wrap=True, overflow="ignore")
    return _styled_text(console.render(item, options))


def _as_recorded(item: RenderableType) -> list[tuple[str, Style | None]]:
    return _styled_text(rendered_all([item], recording_console(HtmlRecorder.WIDTH))[0])


def _windows_of_real_errors() -> list[tuple[tuple[SourceLine, ...], tuple[int, int] | None]]:
    """The windows of the sample app's errors: user, Flask, werkzeug and template frames."""
    from tests.debugpage import sample_app

    app = sample_app.create_app(template_folder=str(HERE / "templates"))
    app.config["PROPAGATE_EXCEPTIONS"] = True
    windows = []
    for path in ("/fail", "/chained", "/template", "/template-syntax", "/broken-repr"):
        try:
            app.test_client().get(path)
        except Exception as exc:
            for info in build_report(exc, phase="request").exceptions:
                windows += [(frame.source, frame.columns) for frame in info.frames]
                if info.syntax_error is not None:
                    windows.append((info.syntax_error.source, info.syntax_error.columns))
    return windows


def _edge_windows() -> list[tuple[tuple[SourceLine, ...], tuple[int, int] | None]]:
    def line(number: int, *tokens: tuple[str, str], current: bool = False) -> SourceLine:
        return SourceLine(number, tokens, current)

    docstring = SourceReader(before=2, after=6).window(__file__, 1)  # opens inside a string
    return [
        ((), None),
        ((line(1, current=True),), None),
        ((line(3, ("kw", "pass"), current=True), line(4)), None),  # ends on a blank line
        ((line(8, ("", "a = 1")), line(9), line(10, ("kw", "return"), current=True)), (0, 6)),
        ((line(99, ("str", "'" + "y" * 3000 + "'"), current=True),), (0, 3001)),
        ((line(5, ("", "x  "), ("com", "# trailing  ")), line(6, ("", "   "))), None),
        ((line(7, ("", "<b>&amp;</b>"), current=True),), None),
        (docstring, None),
    ]


@pytest.mark.parametrize("source", ["real", "edge"])
def test_a_window_is_recorded_as_riches_syntax_renders_it(source: str) -> None:
    """The page's short path for a code window yields what ``Syntax`` yields itself:
    the same text in the same styles, gutter included, line for line."""
    windows = _windows_of_real_errors() if source == "real" else _edge_windows()
    assert len(windows) >= 8
    for lines, columns in windows:
        expected = _as_rich_prints_it(code_syntax(lines, columns))
        assert _as_recorded(code_syntax(lines, columns)) == expected, lines
    if source == "real":  # the windows had colours, marks and underlines to compare
        styles = {
            style
            for lines, columns in windows
            for _, style in _as_rich_prints_it(code_syntax(lines, columns))
        }
        assert Style(color="red") in styles  # the marker of the failing line
        if sys.version_info >= (3, 11):  # the failing expression's columns are 3.11's
            assert Style(bold=True, underline=True) in styles


def test_a_value_is_recorded_as_rich_prints_it() -> None:
    values = [
        "{'user': {'id': 7, 'name': 'Ada', 'roles': ['admin', 'dev']}}",
        "<Flask 'bench'>",
        "'\\x1b[31mred' \\x0a",
        "'" + "z" * 5000 + "'",
        "",
    ]
    for value in values:
        text = value_renderable(Variable("v", value))
        assert _as_recorded(text) == _as_rich_prints_it(text)
    masked = value_renderable(Variable("token", MASK, masked=True))
    assert _as_recorded(masked) == _as_rich_prints_it(masked)
    assert "".join(text for text, _ in _as_recorded(masked)) == MASK + "\n"


@pytest.mark.parametrize("source", ["real", "edge"])
def test_windows_and_values_rendered_together_are_each_as_rich_prints_it(source: str) -> None:
    """The page renders all its windows and values in one go and splits them after:
    each comes out as rich prints it alone (an empty value or window too, first, last
    or between), whatever it sits next to."""
    values = [
        "",
        "{'user': {'id': 7, 'roles': ['admin']}}",
        "<Flask 'bench'>",
        "",
        "42",
        "'a' 'b' None True 0x1F",
        "",
    ]
    windows = _windows_of_real_errors() if source == "real" else _edge_windows()
    items: list[RenderableType] = [value_renderable(Variable("v", value)) for value in values]
    for position, (lines, columns) in enumerate(windows):
        items.insert(2 * position % (len(items) + 1), code_syntax(lines, columns))
    items.append(Text("neither a window\nnor one line", style="bold"))  # through console.render
    together = rendered_all(items, recording_console(HtmlRecorder.WIDTH))
    assert len(together) == len(items)
    for item, segments in zip(items, together, strict=True):
        assert _styled_text(segments) == _as_rich_prints_it(item), item
    assert rendered_all([], recording_console(HtmlRecorder.WIDTH)) == []


def test_a_page_from_the_render_cache_is_the_page_rendered_afresh() -> None:
    exc = _raise_in_helper()
    report = build_report(exc, phase="request")
    cache = RenderCache()
    fresh = render_page(report, nonce="n")
    first = render_page(report, nonce="n", cache=cache)
    assert len(cache) > 0
    again = render_page(report, nonce="n", cache=cache)
    assert fresh == first == again


def test_the_render_cache_cannot_show_what_a_later_report_masks() -> None:
    """Entries are found by what they show: a value shown plainly on one page is not
    what a page that masks it looks up."""
    shown = "abcd-later-known-secret"
    cache = RenderCache()
    plain = HtmlRecorder(cache)
    plain.add(value_renderable(Variable("v", shown)), ("value", shown))
    assert shown in text_of(plain.export().fragments[0])
    masker = Masker()
    masker.remember(shown)
    scrubbed = masker.scrub(f"{shown!r}")
    masked = HtmlRecorder(cache)
    masked.add(value_renderable(Variable("v", scrubbed)), ("value", scrubbed))
    assert text_of(masked.export().fragments[0]) == f"'{MASK}'"


def test_the_render_cache_keeps_the_most_recently_used() -> None:
    cache = RenderCache(size=2)
    for key in ("a", "b"):
        cache.put(key, [Segment(key)])
    assert cache.get("a") == [Segment("a")]  # now "b" is the oldest
    cache.put("c", [Segment("c")])
    assert len(cache) == 2
    assert cache.get("b") is None
    assert cache.get("a") is not None
    assert cache.get("c") is not None


def test_a_new_error_reuses_the_frameworks_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Flask frames of two different errors are the same windows: opening them on the
    second error's page renders nothing new."""
    import flaskit.debugpage.richrender as richrender

    calls: list[object] = []
    real = richrender.rendered_all

    def counted(items: list[RenderableType], *args: Any) -> list[list[Segment]]:
        calls.extend(items)
        return real(items, *args)

    monkeypatch.setattr(richrender, "rendered_all", counted)
    test_client = client()
    first = deferred_frames(test_client, get(test_client, "/fail").get_data(as_text=True))
    assert calls
    calls.clear()
    page = get(test_client, "/chained").get_data(as_text=True)
    assert calls  # its own frames
    calls.clear()
    second = deferred_frames(test_client, page)
    assert len(second) == len(first)  # Flask's frames, the same lines of the same files
    assert not any(isinstance(item, Syntax) for item in calls)  # their windows: all kept
