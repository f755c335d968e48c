"""The terminal traceback: the page's frames, collapsed the same way, drawn by rich."""

from __future__ import annotations

import io
import re

from rich.console import Console
from werkzeug.test import EnvironBuilder

from flaskit.debugpage.model import ErrorReport
from flaskit.debugpage.report import build_report
from flaskit.debugpage.terminal import render_terminal
from tests.debugpage import sample_app


def report_for(path: str) -> ErrorReport:
    app = sample_app.create_app()
    app.config["PROPAGATE_EXCEPTIONS"] = True
    environ = EnvironBuilder(path).get_environ()
    try:
        app(environ, lambda *args: None)
    except Exception as exc:
        return build_report(exc, phase="request", app=app, environ=environ)
    raise AssertionError(f"{path} did not fail")


def printed(report: ErrorReport, width: int = 100) -> str:
    out = io.StringIO()
    render_terminal(report, Console(file=out, width=width, color_system=None))
    return out.getvalue()


def test_same_frames_collapsed_as_on_the_page() -> None:
    report = report_for("/fail")
    text = printed(report)
    for frame in report.main.frames:
        if frame.collapsed:
            line = next(
                line
                for line in text.splitlines()
                if f"{frame.location} in {frame.function}" in line
            )
            assert frame.package in line
            assert "│ ❱" not in line
        else:
            assert (
                f"{frame.display_path.rpartition('/')[2]}:{frame.lineno} in {frame.function}"
                in text
            )
    library = [f for f in report.main.frames if f.collapsed]
    assert library
    assert all(f.package == "flask" for f in library)


def test_error_frame_in_full_other_user_frames_as_one_line() -> None:
    text = printed(report_for("/fail"))
    assert re.search(r"❱ \d+     return str\(total / \(number - 42\)\)", text)
    assert re.search(r"total = +84", text)
    assert "      return helper(visible_number, api_token, settings, config, marker)" in text
    assert not re.search(r"visible_number = +42", text)  # fail()'s locals are on the page only
    assert text.rstrip().splitlines()[-1].startswith("GET http://localhost/fail")
    assert "ZeroDivisionError: division by zero" in text


def test_chain_is_printed_in_order() -> None:
    text = printed(report_for("/chained"))
    assert (
        text.index("KeyError: 'missing-key'")
        < text.index("direct cause")
        < text.index("RuntimeError: lookup failed")
    )


def test_narrow_terminal_keeps_collapsed_frames_on_one_line() -> None:
    report = report_for("/fail")
    text = printed(report, width=50)
    collapsed = [f for f in report.main.frames if f.collapsed]
    assert len([line for line in text.splitlines() if "flask/app.py" in line]) == len(collapsed)
    assert not [line for line in text.splitlines() if line.strip("│ ").startswith("flask ")]


def test_text_from_the_request_cannot_drive_the_terminal() -> None:
    report = report_for("/message?text=%1b%5d0%3bpwned%07%1b%5b2J%0dover%e2%80%aeevil")
    text = printed(report)
    assert "ValueError: \\x1b]0;pwned\\x07\\x1b[2J\\x0dover\\u202eevil" in text
    for control in ("\x1b", "\x07", "\r", "\u202e"):
        assert control not in text


def long_line_report() -> ErrorReport:
    def failing() -> float:
        numerator_with_a_long_name, denominator_with_a_long_name = 1, 0; return numerator_with_a_long_name / denominator_with_a_long_name  # noqa: E501, E702 # fmt: skip

    try:
        failing()
    except ZeroDivisionError as exc:
        return build_report(exc, phase="request")
    raise AssertionError("did not fail")


def test_piped_output_keeps_whole_lines(monkeypatch) -> None:
    from flaskit.debugpage.middleware import print_report

    monkeypatch.delenv("COLUMNS", raising=False)
    out = io.StringIO()
    print_report(long_line_report(), None, out)
    assert "return numerator_with_a_long_name / denominator_with_a_long_name  # noqa" in (
        out.getvalue()
    )
    assert "…" not in out.getvalue()
    # Boxes only as wide as their content: no line of padding to 100,000 columns.
    assert max(len(line) for line in out.getvalue().splitlines()) < 250


def test_piped_output_follows_columns(monkeypatch) -> None:
    from flaskit.debugpage.middleware import print_report

    monkeypatch.setenv("COLUMNS", "70")
    out = io.StringIO()
    print_report(long_line_report(), None, out)
    lines = out.getvalue().splitlines()
    assert max(len(line) for line in lines) == 70
