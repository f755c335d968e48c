"""Locals that are broken, huge or deeply nested cannot break or slow the page."""

from __future__ import annotations

from collections import OrderedDict, deque, namedtuple
from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from flaskit.debugpage.masking import MASK, Masker
from flaskit.debugpage.saferepr import DEFAULT_LIMITS, ReprLimits, safe_repr
from tests.debugpage.support import client, get, local_value, text_of, user_frames

# The longest repr can be: the budget, the ellipsis, and one "… N more" note.
BOUND = DEFAULT_LIMITS.max_chars + 40


def show(value: object, limits: ReprLimits = DEFAULT_LIMITS) -> str:
    return safe_repr(value, Masker(), limits)


class RaisingRepr:
    def __repr__(self) -> str:
        raise RuntimeError("nope")


class RaisingTwice:
    class Error(Exception):
        def __str__(self) -> str:
            raise ValueError("even str fails")

    def __repr__(self) -> str:
        raise self.Error


class NotAString:
    def __repr__(self) -> str:
        return 42  # type: ignore[return-value]


class Recursive:
    def __repr__(self) -> str:
        return repr(self)


class Huge:
    def __repr__(self) -> str:
        return "H" * 1_000_000


def test_plain_values_look_like_repr() -> None:
    for value in (None, True, 3, 2.5, "text", b"bytes", [1, "a"], (1,), {"a": 1}, {1}, frozenset()):
        assert show(value) == repr(value)


def test_broken_reprs_are_reported_not_raised() -> None:
    assert show(RaisingRepr()) == "<RaisingRepr object; repr() raised RuntimeError: nope>"
    assert show(RaisingTwice()) == "<RaisingTwice object; repr() raised RaisingTwice.Error>"
    assert show(NotAString()).startswith("<NotAString object; repr() raised TypeError: __repr__")
    assert show(Recursive()).startswith("<Recursive object; repr() raised RecursionError")


def test_huge_values_are_cut() -> None:
    assert len(show("x" * 10_000_000)) < BOUND
    assert "10,000,000 characters" in show("x" * 10_000_000)
    assert "5,000,000 bytes" in show(b"y" * 5_000_000)
    assert len(show(list(range(1_000_000)))) < BOUND
    assert "… 999988 more" in show(list(range(1_000_000)))
    assert len(show(Huge())) < BOUND
    assert show(10**5000) == "<int of 16,610 bits>"
    assert len(show(dict.fromkeys(range(10000), "v" * 100))) < BOUND


def test_deep_nesting_and_cycles_end() -> None:
    nested: list[object] = []
    for _ in range(100_000):
        nested = [nested]
    assert show(nested) == "[[[<list …>]]]"
    cycle: list[object] = [1]
    cycle.append(cycle)
    assert show(cycle) == "[1, <cycle>]"
    mapping: dict[str, object] = {}
    mapping["self"] = mapping
    assert show(mapping) == "{'self': <cycle>}"


def test_secret_keys_and_fields_are_masked_at_any_depth() -> None:
    @dataclass
    class Creds:
        user: str
        password: str

    Pair = namedtuple("Pair", "name api_key")
    value = {
        "outer": [{"token": "t0k3n-value"}],
        "creds": Creds("ada", "pa55word"),
        "pair": Pair("x", "k3y-value"),
        "plain": OrderedDict(session="s3ss10n"),
        "queue": deque([{"csrf": "c5rf"}]),
    }
    masker = Masker()
    text = safe_repr(value, masker, ReprLimits(max_depth=5, max_chars=2000))
    for secret in ("t0k3n-value", "pa55word", "k3y-value", "s3ss10n", "c5rf"):
        assert secret not in text
    assert f"{{'token': {MASK}}}" in text
    assert f"Creds(user='ada', password={MASK})" in text
    assert masker.scrub("said pa55word") == f"said {MASK}"


def test_werkzeug_headers_are_walked_and_masked() -> None:
    from werkzeug.datastructures import Headers

    headers = Headers([("Cookie", "session=abcdef"), ("Accept", "text/html")])
    text = show(headers)
    assert "abcdef" not in text
    assert f"'Cookie': {MASK}" in text
    assert "'Accept': 'text/html'" in text


values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text() | st.binary(),
    lambda children: (
        st.lists(children)
        | st.tuples(children, children)
        | st.dictionaries(st.text(max_size=20), children)
    ),
    max_leaves=200,
)


@given(values, st.integers(min_value=20, max_value=500))
def test_any_value_gives_a_bounded_string(value: object, max_chars: int) -> None:
    text = show(value, ReprLimits(max_chars=max_chars))
    assert isinstance(text, str)
    assert len(text) <= max_chars + 40


def test_page_survives_broken_huge_and_deep_locals() -> None:
    response = get(client(), "/broken-repr")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert response.mimetype == "text/html"
    frame = user_frames(page)[-1]
    shown = text_of(frame)
    assert "repr() raised RuntimeError: repr exploded" in shown
    assert "(5,000,000 characters)" in shown
    assert "… 999988 more" in shown
    assert local_value(frame, "nested") == "[[[<list …>]]]"
    assert len(page) < 200_000
