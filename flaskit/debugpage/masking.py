"""What counts as a secret, and hiding it.

A value is masked when the name it is stored under (a local variable, a
header, a cookie, a form field, a query argument, a config entry, a dict key,
an attribute) looks secret. The values masked that way are also remembered,
so the same text is scrubbed where it shows up unnamed: in an exception
message, inside the repr of another object, in the URL.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

SECRET_NAME = re.compile(
    r"PASS|SECRET|TOKEN|KEY|AUTH|COOKIE|SESSION|SIGNATURE|CSRF|CREDENTIAL", re.IGNORECASE
)
MASK = "********"
# Shorter values are not scrubbed from free text: "1" or "on" would blot out
# unrelated text, and a secret that short is not protected by masking anyway.
MIN_SCRUB_LENGTH = 4


def is_secret_name(name: object) -> bool:
    """Whether a value stored under ``name`` must be masked."""
    if isinstance(name, bytes):
        name = name.decode("latin-1")
    return isinstance(name, str) and SECRET_NAME.search(name) is not None


class Masker:
    """Masks values by name and scrubs the masked values from free text.

    One masker serves one error report: it learns the secret values while
    the report is extracted (:meth:`remember`) and :meth:`scrub` removes them
    from text shown later.
    """

    def __init__(self) -> None:
        self._secrets: set[str] = set()
        self._pattern: re.Pattern[str] | None = None

    def remember(self, value: object) -> None:
        """Note a secret value so :meth:`scrub` hides it in other text."""
        for text in _texts_of(value):
            if len(text) >= MIN_SCRUB_LENGTH and text not in self._secrets:
                self._secrets.add(text)
                self._pattern = None

    def remember_named(self, name: object, value: object) -> bool:
        """Remember ``value`` when ``name`` looks secret; return whether it does."""
        if is_secret_name(name):
            self.remember(value)
            return True
        return False

    @property
    def has_secrets(self) -> bool:
        """Whether any secret value was remembered."""
        return bool(self._secrets)

    def scrub_html(self, html: str) -> str:
        """``html`` with every remembered secret masked, as text and as HTML escapes it."""
        from html import escape

        html = self.scrub(html)
        for secret in sorted(self._secrets, key=len, reverse=True):
            escaped = escape(secret)
            html = html.replace(escaped, MASK).replace(escaped.replace("&#x27;", "&#39;"), MASK)
        return html

    def scrub(self, text: str) -> str:
        """``text`` with every remembered secret replaced by the mask (``text`` itself if none)."""
        if not self._secrets:
            return text
        if self._pattern is None:
            # Longest first, so a secret that contains another is replaced whole.
            ordered = sorted(self._secrets, key=len, reverse=True)
            self._pattern = re.compile("|".join(re.escape(s) for s in ordered))
        return self._pattern.sub(MASK, text)


def _texts_of(value: object) -> Iterable[str]:
    if isinstance(value, str):
        yield value
        yield repr(value)[1:-1]  # how it looks inside the repr of a container
    elif isinstance(value, bytes):
        yield value.decode("utf-8", "replace")
        yield repr(value)[2:-1]
    elif isinstance(value, list | tuple):
        for item in value[:20]:
            if isinstance(item, str | bytes):
                yield from _texts_of(item)
