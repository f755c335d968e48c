"""Code windows and values are rich's rendering, exported by a recording Console."""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console

from flaskit.debugpage.masking import MASK
from flaskit.debugpage.model import SourceLine, Variable
from flaskit.debugpage.report import build_report
from flaskit.debugpage.richrender import (
    DARK,
    LIGHT,
    HtmlRecorder,
    code_syntax,
    palette_css,
    palette_hexes,
    terminal_theme,
    value_renderable,
)
from tests.debugpage.support import (
    assert_no_injection,
    client,
    current_row,
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
    assert "<a " not in page.split('<section id="traceback">')[1].split("</section>")[0]
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
