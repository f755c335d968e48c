"""Frames the page leaves closed are rendered when opened: fetched by the page's script,
or, without JavaScript, on the kept page the frame links to."""

from __future__ import annotations

import re
from html import unescape

import pytest
from werkzeug.test import Client

from flaskit.debugpage.page import OPEN_FRAMES
from tests.debugpage import sample_app
from tests.debugpage.support import (
    LOCAL,
    REMOTE,
    Tags,
    client,
    deferred_frames,
    deferred_sources,
    get,
    local_value,
    rich_rules,
    styled,
    text_of,
)

DEPTH = 8  # descend() frames: 9, with deep() 10 frames of the app's code


def _frames(page: str) -> dict[str, dict[str, str | None]]:
    """Each frame's <details> attributes, by id."""
    return {
        str(attrs["id"]): attrs
        for attrs in Tags(page).named("details")
        if "frame" in (attrs.get("class") or "")
    }


def _body(page: str, ident: str) -> str:
    """The inside of a frame's body on the page."""
    found = re.search(rf'id="{ident}"[^>]*>.*?<div class="body">(.*?)</div></details>', page, re.S)
    assert found is not None, ident
    return found.group(1)


@pytest.fixture
def deep() -> tuple[Client, str]:
    test_client = client()
    response = get(test_client, f"/deep/{DEPTH}")
    assert response.status_code == 500
    return test_client, response.get_data(as_text=True)


def test_the_frames_of_the_app_nearest_the_error_are_open(deep: tuple[Client, str]) -> None:
    _, page = deep
    frames = _frames(page)
    user = [ident for ident, attrs in frames.items() if "user" in str(attrs["class"])]
    library = [ident for ident, attrs in frames.items() if "library" in str(attrs["class"])]
    assert len(user) == DEPTH + 2
    assert library
    opened = [ident for ident in user if "open" in frames[ident]]
    assert opened == user[-OPEN_FRAMES:]
    for ident in opened:  # rendered in the page: code and locals, no fetching
        assert "data-src" not in frames[ident]
        assert '<pre class="code">' in _body(page, ident)
    for ident in [*user[:-OPEN_FRAMES], *library]:  # one line each, the rest left out
        assert "open" not in frames[ident]
        assert str(frames[ident]["data-src"]).endswith(f"/frames/{ident}")
        assert '<pre class="code">' not in _body(page, ident)
        assert text_of(_body(page, ident)) == "Show this frame's code and locals"
    lines = ["return descend(depth, [])"] + ["return descend(depth - 1, path)"] * DEPTH
    for ident, line in zip(user[:-OPEN_FRAMES], lines, strict=False):  # the app's closed ones
        summary = page.split(f'id="{ident}"')[1].split("</summary>")[0]
        assert f'<code class="peek">{line}</code>' in summary  # show their line, as one
    # Each with its own locals: descend() at depth 0 failed, called from depth 1 ...
    shown = [local_value(_body(page, ident), "depth") for ident in opened]
    assert shown == [str(depth) for depth in reversed(range(OPEN_FRAMES))]


def test_a_fetched_frame_is_that_frame_as_the_page_renders_it(deep: tuple[Client, str]) -> None:
    """The fragment shows what the frame shows on a page with every frame in it, in the
    same colours; its classes are its own, so they cannot restyle the page's."""
    test_client, page = deep
    fetched = deferred_frames(test_client, page)
    ident = next(i for i in fetched if "user" in str(_frames(page)[i]["class"]))  # outermost
    link = re.search(r'<a href="([^"]+)">Show', _body(page, ident))
    assert link is not None
    full = get(test_client, unescape(link.group(1))).get_data(as_text=True)
    assert "open" in _frames(full)[ident]
    assert deferred_sources(full) == {}  # every frame is in it
    expected, fragment = _body(full, ident), fetched[ident]
    style, _, shown = fragment.partition("</style>")
    assert text_of(shown) == text_of(expected)
    assert "descend" in text_of(shown) or "deep" in text_of(shown)
    assert local_value(shown, "depth") == local_value(expected, "depth")
    scoped = dict(re.findall(rf"\.{ident}-(r\d+) \{{([^}}]*)\}}", style))
    assert scoped
    assert not rich_rules(style)  # every class of the fragment is scoped
    assert re.findall(r'class="(r\d+)"', shown) == []
    ours = [
        (text, scoped.get(cls, ""))
        for cls, text in re.findall(rf'<span class="{ident}-(r\d+)">([^<]*)</span>', shown)
    ]
    assert [(text_of(text), rule) for text, rule in ours] == styled(expected, full)


def test_every_frame_of_a_library_can_be_fetched_and_is_masked() -> None:
    test_client = client()
    page = get(test_client, "/fail").get_data(as_text=True)
    fetched = deferred_frames(test_client, page)
    assert len(fetched) >= 3  # Flask's frames
    for html in fetched.values():
        assert '<pre class="code">' in html
        for value in (sample_app.LOCAL_SECRET, sample_app.NESTED_SECRET, sample_app.CONFIG_SECRET):
            assert value not in html


def test_only_a_client_allowed_to_see_the_page_gets_a_frame(deep: tuple[Client, str]) -> None:
    test_client, page = deep
    source = next(iter(deferred_sources(page).values()))
    assert get(test_client, source).status_code == 200
    for environ, headers in ((REMOTE, {}), (LOCAL, {"Host": "attacker.example"})):
        response = get(test_client, source, environ, headers=headers)
        assert response.status_code != 200
        assert "<pre" not in response.get_data(as_text=True)


def test_an_unknown_frame_and_a_gone_error_say_so(deep: tuple[Client, str]) -> None:
    test_client, page = deep
    source = next(iter(deferred_sources(page).values()))
    unknown = get(test_client, re.sub(r"/frames/.*", "/frames/e9f99", source))
    assert unknown.status_code == 404
    assert "has no frame 'e9f99'" in unknown.get_data(as_text=True)
    gone = get(test_client, re.sub(r"/errors/[^/]+/", "/errors/nosuchid/", source))
    assert gone.status_code == 404
    assert "Repeat the request" in gone.get_data(as_text=True)


def test_under_a_mount_point_the_frames_are_fetched_below_it() -> None:
    """An app mounted at /shop (DispatcherMiddleware, a proxy's SCRIPT_NAME) gets requests
    for /shop/...: the page's frame links include the mount point, and are answered."""
    from werkzeug.middleware.dispatcher import DispatcherMiddleware
    from werkzeug.wrappers import Response

    inner = client()
    mounted = Client(DispatcherMiddleware(Response("front", 404), {"/shop": inner.application}))
    page = get(mounted, f"/shop/deep/{DEPTH}").get_data(as_text=True)
    sources = list(deferred_sources(page).values())
    assert sources
    assert all(source.startswith("/shop/__flaskit/errors/") for source in sources)
    link = re.search(r'<a href="(/shop/__flaskit/errors/[^"]+)">Show', page)
    assert link is not None
    assert get(mounted, unescape(link.group(1))).status_code == 200
    for source in sources[:3]:
        response = get(mounted, source)
        assert response.status_code == 200
        assert '<pre class="code">' in response.get_data(as_text=True)
