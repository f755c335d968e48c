"""What counts as a secret, and hiding it.

A value is masked when the name it is stored under (a local variable, a
header, a cookie, a form field, a query argument, a config entry, a dict key,
an attribute) looks secret. The values masked that way are also remembered,
so the same text is scrubbed where it shows up unnamed: in an exception
message, inside the repr of another object, in the URL, in werkzeug's page.

A name looks secret when one of its words is a secret word (``password``,
``secret``, ``token``, ``key``, ``auth``, ``cookie``, ``session``, ``csrf``,
...; words are split at ``_``, ``-``, ``.`` and camelCase, and compounds such
as ``apikey`` or ``csrftoken`` count), unless its last word says the value
describes the secret rather than holds it: ``SESSION_COOKIE_NAME``,
``SESSION_COOKIE_HTTPONLY``, ``PERMANENT_SESSION_LIFETIME``,
``MAX_COOKIE_SIZE``, ``WTF_CSRF_ENABLED``. ``True``, ``False`` and ``None`` are
never secret, whatever their name.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable

MASK = "********"
# Shorter values are not scrubbed from free text: "1" or "on" would blot out
# unrelated text, and a secret that short is not protected by masking anyway.
MIN_SCRUB_LENGTH = 4

# Contained anywhere in a word: "accesstoken", "clientsecret", "csrftoken", "sessionid".
_SECRET_STEMS = (
    "passw",
    "passphrase",
    "secret",
    "token",
    "csrf",
    "xsrf",
    "credential",
    "signature",
    "cookie",
    "session",
    "apikey",
    "privatekey",
    "bearer",
)
# Whole words only: "pass" but not "compass", "key" but not "monkey".
_SECRET_WORDS = frozenset(
    {"pass", "pwd", "key", "keys", "pin", "otp", "salt", "sig", "dsn", "jwt", "hmac"}
)
# Words that make a "key" a credential: api_key, private_key, client_key, ...
_KEY_OWNERS = frozenset(
    {"api", "access", "private", "secret", "signing", "encryption", "client", "master",
     "license", "ssh", "gpg", "pgp", "aws", "auth", "session", "hmac", "jwt", "crypt"}
)  # fmt: skip
_KEY_COMPOUNDS = ("secretkey", "accesskey", "authkey", "signingkey", "encryptionkey", "sshkey")
# A last word that makes the value a setting about the secret, not the secret itself.
_DESCRIBING = frozenset(
    {
        "name", "names", "httponly", "secure", "samesite", "partitioned", "domain", "path",
        "dir", "lifetime", "duration", "age", "expires", "expiry", "expiration", "timeout",
        "limit", "size", "length", "len", "count", "threshold", "enabled", "disabled",
        "type", "class", "engine", "backend", "backends", "serializer", "interface",
        "model", "protection", "prefix", "table", "origins", "methods", "view", "validators",
        "hashers", "location", "locations", "algorithm", "algorithms", "scheme", "format",
        "version", "mode", "strict", "required", "default", "header", "headers", "field",
        "fields",
    }
)  # fmt: skip
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
# How HTML escapers (html.escape, markupsafe, hand-written) can write these characters.
_HTML_FORMS = {
    "&": ("amp", 38),
    "<": ("lt", 60),
    ">": ("gt", 62),
    '"': ("quot", 34),
    "'": ("apos", 39),
}


def name_words(name: str) -> list[str]:
    """``name``'s words, lower-case: ``X-CSRFToken`` -> ``["x", "csrf", "token"]``."""
    return [word.lower() for word in _WORD.findall(name)]


def is_secret_name(name: object) -> bool:
    """Whether a value stored under ``name`` must be masked."""
    if isinstance(name, bytes):
        name = name.decode("latin-1")
    if not isinstance(name, str):
        return False
    return _is_secret_str(name)


@functools.lru_cache(maxsize=4096)  # the same names (self, environ, key) come up again and again
def _is_secret_str(name: str) -> bool:
    words = name_words(name)
    secret = [i for i, word in enumerate(words) if _is_secret_word(word)]
    if not secret:
        return False
    # "SESSION_COOKIE_NAME": the last word describes; "NAME_TOKEN": the secret comes last.
    return not (words[-1] in _DESCRIBING and secret[-1] < len(words) - 1)


def is_lookup_key_name(name: object) -> bool:
    """Whether ``name`` is secret only for its word ``key`` with nothing saying whose key
    (``key``, ``cache_key``, ``sort_key``), unlike ``api_key`` or ``secret_key``."""
    if not isinstance(name, str):
        return False
    words = name_words(name)
    secret = [word for word in words if _is_secret_word(word)]
    return bool(secret) and set(secret) <= {"key", "keys"} and not set(words) & _KEY_OWNERS


def _is_secret_word(word: str) -> bool:
    if word in _SECRET_WORDS or word.endswith(_KEY_COMPOUNDS):
        return True
    if any(stem in word for stem in _SECRET_STEMS):
        return True
    # "auth", "oauth", "authorization", "authtoken", but not "author" or "authority".
    at = word.find("auth")
    return at >= 0 and (word.startswith("authoriz", at) or not word.startswith("author", at))


def is_secret_value(value: object) -> bool:
    """Whether ``value`` can hold a secret at all (a flag or ``None`` cannot)."""
    return not (value is None or isinstance(value, bool))


class Masker:
    """Masks values by name and scrubs the masked values from free text.

    One masker serves one error report: it learns the secret values while
    the report is extracted (:meth:`remember`) and :meth:`scrub` removes them
    from text shown later.
    """

    def __init__(self) -> None:
        self._secrets: set[str] = set()
        self._pattern: re.Pattern[str] | None = None
        self._html_pattern: re.Pattern[str] | None = None

    def remember(self, value: object) -> None:
        """Note a secret value so :meth:`scrub` hides it in other text."""
        for text in _texts_of(value):
            if len(text) >= MIN_SCRUB_LENGTH and text not in self._secrets:
                self._secrets.add(text)
                self._pattern = self._html_pattern = None

    def remember_named(self, name: object, value: object) -> bool:
        """Remember ``value`` when ``name`` looks secret; return whether it is masked."""
        if is_secret_value(value) and is_secret_name(name):
            self.remember(value)
            return True
        return False

    @property
    def has_secrets(self) -> bool:
        """Whether any secret value was remembered."""
        return bool(self._secrets)

    def scrub_html(self, html: str) -> str:
        """``html`` with every remembered secret masked, as text and in any HTML escaping
        of it (``&quot;``, markupsafe's ``&#34;``, ``&#x22;``, ...)."""
        if not self._secrets:
            return html
        if self._html_pattern is None:
            ordered = sorted(self._secrets, key=len, reverse=True)
            self._html_pattern = re.compile("|".join(_html_escaped(s) for s in ordered))
        return self._html_pattern.sub(MASK, html)

    def scrub(self, text: str) -> str:
        """``text`` with every remembered secret replaced by the mask (``text`` itself if none)."""
        if not self._secrets:
            return text
        return self._secret_pattern().sub(MASK, text)

    def found_in(self, texts: Iterable[str]) -> bool:
        """Whether any remembered secret shows in any of ``texts`` (one search for all)."""
        if not self._secrets:
            return False
        # A secret holding the separator could match across two texts: a false alarm,
        # never a miss (each text is searched whole).
        return self._secret_pattern().search("\x00".join(texts)) is not None

    def _secret_pattern(self) -> re.Pattern[str]:
        if self._pattern is None:
            # Longest first, so a secret that contains another is replaced whole.
            ordered = sorted(self._secrets, key=len, reverse=True)
            self._pattern = re.compile("|".join(re.escape(s) for s in ordered))
        return self._pattern


REPR_DEPTH = 3  # a repr inside a repr inside a repr: an exception's repr of a message's repr


def _quoted_forms(text: str) -> set[str]:
    """``text`` as it shows inside reprs, nested up to :data:`REPR_DEPTH` deep.

    ``repr`` escapes differently by context: ``it's`` alone is ``"it's"``, but
    inside a string that also holds a ``"`` it is ``it\\'s``, and one more repr
    doubles every backslash.
    """
    forms = {text}
    level = {text}
    for _ in range(REPR_DEPTH):
        level = {repr(t)[1:-1] for t in level} | {repr('"' + t)[2:-1] for t in level}
        forms |= level
    return forms


def _html_escaped(text: str) -> str:
    """A pattern matching ``text`` with any of its special characters HTML-escaped."""
    parts = []
    for char in text:
        form = _HTML_FORMS.get(char)
        if form is None:
            parts.append(re.escape(char))
        else:
            name, code = form
            parts.append(f"(?:{re.escape(char)}|(?i:&{name};|&#0*{code};|&#x0*{code:x};))")
    return "".join(parts)


def _texts_of(value: object) -> Iterable[str]:
    if isinstance(value, str):
        yield from _quoted_forms(value)
        yield json.dumps(value)[1:-1]  # inside JSON text
        yield json.dumps(value, ensure_ascii=False)[1:-1]
    elif isinstance(value, bytes):
        yield value.decode("utf-8", "replace")
        yield repr(value)[2:-1]
    elif isinstance(value, list | tuple):
        for item in value[:20]:
            if isinstance(item, str | bytes):
                yield from _texts_of(item)
