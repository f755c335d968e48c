"""A repr that cannot break or slow the page.

Containers are walked here rather than by their own ``repr`` so that the
output stays bounded (characters, items, depth), cycles end, and entries
stored under secret-looking names are masked at any depth. Other objects use
their own ``repr``, guarded: one that raises is shown as unrepresentable, one
that returns megabytes is cut.
"""

from __future__ import annotations

import dataclasses
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flaskit.debugpage.masking import MASK, Masker

ELLIPSIS = "…"


@dataclass(frozen=True)
class ReprLimits:
    """Bounds on one value's repr."""

    max_chars: int = 400
    max_depth: int = 3
    max_items: int = 12
    max_string: int = 160
    max_int_bits: int = 4096


DEFAULT_LIMITS = ReprLimits()


class _Budget(Exception):
    """The character budget is spent."""


def safe_repr(value: object, masker: Masker, limits: ReprLimits = DEFAULT_LIMITS) -> str:
    """A bounded, masked repr of ``value``; never raises."""
    writer = _Writer(masker, limits)
    try:
        writer.value(value, 0)
    except _Budget:
        writer.parts.append(ELLIPSIS)
    except RecursionError:
        return f"<{_type_name(value)} too deeply nested to show>"
    return masker.scrub("".join(writer.parts))


class _Writer:
    def __init__(self, masker: Masker, limits: ReprLimits) -> None:
        self.masker = masker
        self.limits = limits
        self.parts: list[str] = []
        self.remaining = limits.max_chars
        self.active: set[int] = set()  # containers being written: a repeat is a cycle

    def write(self, text: str) -> None:
        if len(text) > self.remaining:
            self.parts.append(text[: max(self.remaining, 0)])
            raise _Budget
        self.remaining -= len(text)
        self.parts.append(text)

    def value(self, obj: object, depth: int) -> None:
        # The common exact types first, each to the branch the checks below would take:
        # the ABC checks (``Mapping``) cost more than the writing.
        if type(obj) is str:
            self._string(obj)
        elif type(obj) is int:
            self.write(self._int(obj))
        elif type(obj) is dict:
            self._container(obj, depth, self._mapping)
        elif type(obj) is list or type(obj) is tuple:
            self._container(obj, depth, self._sequence)
        else:
            self._any(obj, depth)

    def _any(self, obj: object, depth: int) -> None:
        if obj is None or isinstance(obj, bool | float | complex):
            self.write(repr(obj))
        elif isinstance(obj, int):
            self.write(self._int(obj))
        elif isinstance(obj, str):
            self._string(obj)
        elif isinstance(obj, bytes | bytearray):
            self._bytes(obj)
        elif isinstance(obj, Mapping) or _is_header_map(obj):
            self._container(obj, depth, self._mapping)
        elif isinstance(obj, tuple) and hasattr(obj, "_fields"):
            self._container(obj, depth, self._namedtuple)
        elif isinstance(obj, list | tuple | set | frozenset | deque):
            self._container(obj, depth, self._sequence)
        elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            self._container(obj, depth, self._dataclass)
        else:
            self.write(self._foreign(obj))

    def _container(self, obj: Any, depth: int, write_items: Any) -> None:
        if id(obj) in self.active:
            self.write("<cycle>" if depth else "[...]")
            return
        if depth >= self.limits.max_depth:
            self.write(f"<{_type_name(obj)} …>")
            return
        self.active.add(id(obj))
        try:
            write_items(obj, depth + 1)
        finally:
            self.active.discard(id(obj))

    def _mapping(self, obj: Any, depth: int) -> None:
        plain = type(obj) is dict
        self.write("{" if plain else f"{_type_name(obj)}({{")
        try:
            items: Iterable[tuple[object, object]] = list(_limited(obj.items(), self.limits))
            total = len(obj)
        except Exception:  # a broken mapping is shown as such, never raised
            self.write(f"<{_type_name(obj)} whose items cannot be listed>")
            items, total = [], 0
        count = 0
        for key, item in items:
            if count:
                self.write(", ")
            self.value(key, depth)
            self.write(": ")
            if self.masker.remember_named(key, item):
                self.write(MASK)
            else:
                self.value(item, depth)
            count += 1
        if total > count and count:
            self.write(f", {ELLIPSIS} {total - count} more")
        self.write("}" if plain else "})")

    def _sequence(self, obj: Any, depth: int) -> None:
        opening, closing = _brackets(obj)
        self.write(opening)
        count = 0
        for item in _limited(obj, self.limits):
            if count:
                self.write(", ")
            self.value(item, depth)
            count += 1
        if len(obj) > count:
            self.write(f", {ELLIPSIS} {len(obj) - count} more")
        elif isinstance(obj, tuple) and count == 1:
            self.write(",")
        self.write(closing)

    def _namedtuple(self, obj: Any, depth: int) -> None:
        self._fields(obj, zip(obj._fields, obj, strict=False), depth)

    def _dataclass(self, obj: Any, depth: int) -> None:
        fields = [f.name for f in dataclasses.fields(obj) if f.repr]
        self._fields(obj, ((name, getattr(obj, name, None)) for name in fields), depth)

    def _fields(self, obj: object, pairs: Iterable[tuple[str, object]], depth: int) -> None:
        self.write(f"{_type_name(obj)}(")
        for index, (name, item) in enumerate(pairs):
            if index >= self.limits.max_items:
                self.write(f", {ELLIPSIS}")
                break
            self.write(f"{', ' if index else ''}{name}=")
            if self.masker.remember_named(name, item):
                self.write(MASK)
            else:
                self.value(item, depth)
        self.write(")")

    def _string(self, text: str) -> None:
        limit = self.limits.max_string
        if len(text) <= limit:
            self.write(repr(text))
        else:
            self.write(f"{text[:limit]!r}{ELLIPSIS} ({len(text):,} characters)")

    def _bytes(self, data: bytes | bytearray) -> None:
        limit = self.limits.max_string
        shown = bytes(data[:limit])
        prefix = "bytearray(" if isinstance(data, bytearray) else ""
        suffix = ")" if prefix else ""
        more = f"{ELLIPSIS} ({len(data):,} bytes)" if len(data) > limit else ""
        self.write(f"{prefix}{shown!r}{suffix}{more}")

    def _int(self, number: int) -> str:
        if number.bit_length() > self.limits.max_int_bits:
            return f"<int of {number.bit_length():,} bits>"
        return repr(number)

    def _foreign(self, obj: object) -> str:
        try:
            text = repr(obj)
        except Exception as exc:  # a broken __repr__ must not break the page
            return f"<{_type_name(obj)} object; repr() raised {_describe(exc)}>"
        if len(text) > self.remaining:
            return text[: max(self.remaining - 1, 0)] + ELLIPSIS
        return text


def _limited(items: Iterable[Any], limits: ReprLimits) -> Iterable[Any]:
    for index, item in enumerate(items):
        if index >= limits.max_items:
            return
        yield item


def _brackets(obj: object) -> tuple[str, str]:
    if isinstance(obj, list):
        pair = ("[", "]")
    elif isinstance(obj, tuple):
        pair = ("(", ")")
    elif isinstance(obj, deque):
        return ("deque([", "])")
    elif isinstance(obj, set | frozenset) and not obj:
        return (f"{_type_name(obj)}(", ")")
    else:
        pair = ("{", "}")
    if type(obj) in (list, tuple, set):
        return pair
    return (f"{_type_name(obj)}({pair[0]}", f"{pair[1]})")


def _is_header_map(obj: object) -> bool:
    """werkzeug's Headers and EnvironHeaders: mappings in all but ABC registration."""
    module = type(obj).__module__ or ""
    return module.startswith("werkzeug.datastructures") and callable(getattr(obj, "items", None))


def _describe(exc: BaseException) -> str:
    try:
        message = str(exc)
    except Exception:
        message = ""
    name = _type_name(exc)
    text = f"{name}: {message}" if message else name
    return text if len(text) <= 120 else text[:119] + ELLIPSIS


def _type_name(obj: object) -> str:
    try:
        return type(obj).__qualname__
    except Exception:
        return "object"
