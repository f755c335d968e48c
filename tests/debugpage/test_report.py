"""Extraction: the chain, deep stacks, odd exceptions."""

from __future__ import annotations

import sys

import pytest

from flaskit.debugpage.extract import MAX_FRAMES, MAX_MESSAGE
from flaskit.debugpage.page import render_page
from flaskit.debugpage.report import build_report
from flaskit.debugpage.text import render_text


def caught(function: object) -> BaseException:
    try:
        function()  # type: ignore[operator]
    except BaseException as exc:
        return exc
    raise AssertionError("no exception")


def recurse(n: int) -> int:
    return recurse(n + 1) + 1


def test_recursion_error_keeps_both_ends_of_the_stack() -> None:
    report = build_report(caught(lambda: recurse(0)), phase="request")
    main = report.main
    assert main.type_name == "RecursionError"
    assert len(main.frames) == MAX_FRAMES
    assert main.omitted_frames > 500
    assert main.frames[0].function == "caught"
    assert main.frames[1].function.endswith("<lambda>")
    assert main.frames[-1].function == "recurse"
    assert f"[... {main.omitted_frames} frames omitted ...]" in render_text(report)
    assert f"… {main.omitted_frames} frames omitted …" in render_page(report, nonce="n")


def test_suppressed_context_is_not_shown() -> None:
    def fail() -> None:
        try:
            raise KeyError("hidden")
        except KeyError:
            raise ValueError("shown") from None

    report = build_report(caught(fail), phase="request")
    assert [e.type_name for e in report.exceptions] == ["ValueError"]


def test_cyclic_chain_ends() -> None:
    first, second = ValueError("a"), TypeError("b")
    first.__context__, second.__context__ = second, first
    report = build_report(first, phase="request")
    assert [e.type_name for e in report.exceptions] == ["TypeError", "ValueError"]


def test_long_chain_is_bounded() -> None:
    error: BaseException = ValueError("0")
    for index in range(1, 30):
        newer = ValueError(str(index))
        newer.__cause__ = error
        error = newer
    report = build_report(error, phase="request")
    assert len(report.exceptions) == 10
    assert report.omitted_exceptions == 20
    assert report.main.message == "29"


def test_broken_str_and_huge_message() -> None:
    class Broken(Exception):
        def __str__(self) -> str:
            raise RuntimeError("no")

    assert (
        build_report(Broken(), phase="request").main.message
        == "<exception str() failed: RuntimeError>"
    )
    huge = build_report(ValueError("m" * 1_000_000), phase="request").main.message
    assert len(huge) < MAX_MESSAGE + 40
    assert huge.endswith("(1,000,000 characters)")


@pytest.mark.skipif(sys.version_info < (3, 11), reason="exception notes are new in 3.11")
def test_notes_are_shown() -> None:
    def fail() -> None:
        error = ValueError("with a note")
        error.add_note("while loading <settings>")
        raise error

    report = build_report(caught(fail), phase="request")
    assert report.main.notes == ("while loading <settings>",)
    assert '<p class="note">while loading &lt;settings&gt;</p>' in render_page(report, nonce="n")


@pytest.mark.skipif(sys.version_info < (3, 11), reason="exception groups are new in 3.11")
def test_exception_group_lists_its_members() -> None:
    def fail() -> None:
        errors: list[Exception] = []
        for value in ("a", "b"):
            try:
                int(value)
            except ValueError as exc:
                errors.append(exc)
        raise ExceptionGroup("two bad values", errors)  # noqa: F821 - a builtin from 3.11

    notes = build_report(caught(fail), phase="request").main.notes
    assert len(notes) == 2
    assert notes[0].startswith(
        "sub-exception 1: ValueError: invalid literal for int() with base 10: 'a' (at "
    )
    assert "test_report.py:" in notes[1]


def test_exception_without_traceback() -> None:
    report = build_report(ValueError("never raised"), phase="import")
    assert report.main.frames == ()
    assert "never raised" in render_page(report, nonce="n")
    assert render_text(report).startswith("ValueError: never raised")


def test_frames_of_the_debug_page_itself_are_left_out() -> None:
    from werkzeug.test import Client

    from flaskit.debugpage import DebugPageConfig, wrap
    from tests.debugpage.support import LOCAL, Tags, get

    def app(environ: object, start_response: object) -> list[bytes]:
        raise LookupError("from the app")

    page = get(Client(wrap(app, DebugPageConfig())), "/", LOCAL).get_data(as_text=True)
    paths = [
        str(attrs["title"]) for attrs in Tags(page).named("span") if attrs.get("class") == "path"
    ]
    assert len(paths) == 1
    assert paths[0].endswith("test_report.py")
