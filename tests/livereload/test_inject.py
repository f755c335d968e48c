"""Which responses get the script, where it goes, and which nonce it carries."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flaskit.livereload.inject import can_inject, csp_nonce, for_page, insert, script_tag

HTML = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", "10")]


def test_a_complete_html_page_can_take_the_script() -> None:
    assert can_inject("GET", "200 OK", HTML)
    assert can_inject("POST", "500 INTERNAL SERVER ERROR", HTML)
    assert can_inject(
        "GET", "404 NOT FOUND", [("content-type", "TEXT/HTML"), ("content-length", "3")]
    )


@pytest.mark.parametrize(
    ("method", "status", "headers", "why"),
    [
        ("GET", "200 OK", [("Content-Type", "text/html")], "streamed: no Content-Length"),
        ("GET", "200 OK", [("Content-Type", "application/json"), ("Content-Length", "2")], "JSON"),
        ("GET", "200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")], "text"),
        ("GET", "200 OK", [*HTML, ("Content-Encoding", "gzip")], "compressed"),
        ("GET", "200 OK", [*HTML, ("Accept-Ranges", "bytes")], "a file served with byte ranges"),
        ("GET", "206 PARTIAL CONTENT", [*HTML, ("Content-Range", "bytes 0-9/20")], "a range"),
        ("GET", "304 NOT MODIFIED", HTML, "no body"),
        ("GET", "204 NO CONTENT", HTML, "no body"),
        ("GET", "302 FOUND", HTML, "a redirect is never shown"),
        ("HEAD", "200 OK", HTML, "HEAD has no body"),
        (
            "GET",
            "200 OK",
            [("Content-Type", "text/html"), ("Content-Length", "99999999999")],
            "huge",
        ),
        ("GET", "200 OK", [("Content-Type", "text/html"), ("Content-Length", "ten")], "bad length"),
    ],
)
def test_everything_else_passes_through(
    method: str, status: str, headers: list[tuple[str, str]], why: str
) -> None:
    assert not can_inject(method, status, headers), why


def test_the_script_goes_before_the_last_end_of_body() -> None:
    page = b"<body><pre>&lt;/body&gt; </body> in text</pre>\n</BODY >\n</html>"
    assert (
        insert(page, b"<s>")
        == b"<body><pre>&lt;/body&gt; </body> in text</pre>\n<s></BODY >\n</html>"
    )


def test_without_end_of_body_before_end_of_html_else_at_the_end() -> None:
    assert insert(b"<html><p>x</p></HTML >\n", b"<s>") == b"<html><p>x</p><s></HTML >\n"
    assert insert(b"<p>fragment</p>", b"<s>") == b"<p>fragment</p><s>"
    assert insert(b"<bodytext></bodytext>", b"<s>") == b"<bodytext></bodytext><s>"
    assert insert(b"<p></htmlx>", b"<s>") == b"<p></htmlx><s>"
    # Not known to be a document a browser shows: only before an end tag.
    assert insert(b"<p>fragment</p>", b"<s>", at_end=False) is None
    assert insert(b"<html><p>x</html>", b"<s>", at_end=False) == b"<html><p>x<s></html>"


@given(
    st.binary(max_size=200).filter(lambda b: b"</body" not in b.lower()),
    st.binary(max_size=200).filter(lambda b: b"</body" not in b.lower()),
)
def test_insertion_only_adds_the_tag(before: bytes, after: bytes) -> None:
    page = before + b"</body>" + after
    result = insert(page, b"<script></script>")
    assert result == before + b"<script></script></body>" + after


@pytest.mark.parametrize(
    ("policy", "nonce"),
    [
        ("default-src 'self'; script-src 'self' 'nonce-abc+/='", "abc+/="),
        ("default-src 'nonce-fromdefault'", "fromdefault"),
        ("script-src-elem 'nonce-elem'; script-src 'nonce-other'", "elem"),
        ("script-src 'self'; default-src 'nonce-ignored'", None),
        ("img-src 'none'", None),
    ],
)
def test_the_nonce_of_the_policy_that_governs_scripts(policy: str, nonce: str | None) -> None:
    assert csp_nonce([("Content-Security-Policy", policy)]) == nonce


def test_an_enforced_policy_wins_over_report_only() -> None:
    headers = [
        ("Content-Security-Policy-Report-Only", "script-src 'nonce-report'"),
        ("Content-Security-Policy", "script-src 'nonce-enforced'"),
    ]
    assert csp_nonce(headers) == "enforced"
    assert csp_nonce(headers[:1]) == "report"


def test_the_tag_is_escaped_and_carries_the_page_state() -> None:
    tag = script_tag('/mount"x', "3-abcd", 7, "n0nce")
    assert tag == (
        b'<script src="/mount%22x/__flaskit/livereload.js" data-generation="3-abcd" '
        b'data-seq="7" nonce="n0nce" defer></script>'
    )
    assert b"nonce" not in script_tag("", "1-a", 0, None)


def test_a_page_that_answered_another_method_than_get_is_marked() -> None:
    # The client cannot fetch such a page again to morph it: it reloads instead.
    assert b'data-method="POST"' in script_tag("", "1-a", 0, None, "POST")
    assert b"data-method" not in script_tag("", "1-a", 0, None, "GET")


def test_content_length_is_replaced_in_place_and_validators_dropped() -> None:
    headers = [
        ("X-A", "1"),
        ("content-length", "10"),
        ("ETag", '"abc"'),
        ("Last-Modified", "Sun, 22 Nov 2026 05:00:00 GMT"),
        ("X-B", "2"),
    ]
    assert for_page(headers, 99) == [("X-A", "1"), ("content-length", "99"), ("X-B", "2")]
