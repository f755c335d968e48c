"""Which responses get the live-reload script, and where it goes.

Only a complete HTML document may change: ``text/html`` whose length is known
up front (a ``Content-Length``; werkzeug sets one for every body that is not
streamed), not content-encoded, not a byte range or a file served with byte
ranges (the ranges refer to the file's own bytes), not a redirect and not a
response without a body, and only for a request that loads a document (a
navigation or a frame, not a ``fetch()``: htmx and Turbo swap such HTML into
a page that already has the script). Everything else passes through untouched.

The script goes before the last ``</body>``, else before the last ``</html>``,
else at the end: HTML5 lets a document leave both out (Flask's tutorial does).
The end is used only when a browser says it is loading the document
(``Sec-Fetch-Dest: document``): a script or ``curl`` asking for text that Flask
labels ``text/html`` (``return "ok"``) gets it as the app sent it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from urllib.parse import quote

Headers = Sequence[tuple[str, str]]

MAX_BODY = 8 * 1024 * 1024  # larger pages are passed through rather than held in memory
SCRIPT_PATH = "/__flaskit/livereload.js"
_NO_BODY = frozenset({204, 206, 304})
_NONCE = re.compile(r"'nonce-([A-Za-z0-9+/_=-]+)'")
_END_TAGS = (b"</body", b"</html")
# Sec-Fetch-Dest of requests that load a document a browser shows; other browser
# requests (fetch, XHR, htmx, an <img>, ...) say "empty", "image", ...
_DOCUMENT_DESTINATIONS = frozenset({"document", "iframe", "frame", "embed", "object"})
_TAG_ENDS = frozenset({b">", b" ", b"\t", b"\n", b"\r", b"\f", b"/"})


def header(headers: Headers, name: str) -> str | None:
    """The value of the first header called ``name`` (case-insensitive)."""
    name = name.lower()
    for key, value in headers:
        if key.lower() == name:
            return value
    return None


def loads_document(destination: str | None) -> bool:
    """Whether a request whose ``Sec-Fetch-Dest`` is ``destination`` may load a document
    (no header: an older browser or another client, which may be one)."""
    return destination is None or shows_document(destination)


def shows_document(destination: str | None) -> bool:
    """Whether a browser said (``Sec-Fetch-Dest``) that it loads the response as a
    document it will show."""
    return destination is not None and destination.strip().lower() in _DOCUMENT_DESTINATIONS


def can_inject(method: str, status: str, headers: Headers) -> bool:
    """Whether a response may be held back to receive the script."""
    code = int(status.split(None, 1)[0])
    if method == "HEAD" or code < 200 or 300 <= code < 400 or code in _NO_BODY:
        return False
    media = (header(headers, "Content-Type") or "").split(";", 1)[0].strip().lower()
    if media != "text/html":
        return False
    encoding = (header(headers, "Content-Encoding") or "identity").strip().lower()
    if encoding != "identity" or header(headers, "Content-Range") is not None:
        return False
    if (header(headers, "Accept-Ranges") or "none").strip().lower() != "none":
        return False
    length = header(headers, "Content-Length")
    return length is not None and length.strip().isdigit() and int(length) <= MAX_BODY


def csp_nonce(headers: Headers) -> str | None:
    """The nonce scripts need under the response's Content-Security-Policy, if any.

    An enforced policy wins over a report-only one; within a policy the directive
    that governs ``<script>`` elements is the first present of ``script-src-elem``,
    ``script-src`` and ``default-src``.
    """
    for name in ("content-security-policy", "content-security-policy-report-only"):
        for key, value in headers:
            if key.lower() != name:
                continue
            directives: dict[str, str] = {}
            for directive in value.split(";"):
                words = directive.split(None, 1)
                if words:
                    directives.setdefault(words[0].lower(), directive)
            for governing in ("script-src-elem", "script-src", "default-src"):
                if governing in directives:
                    found = _NONCE.search(directives[governing])
                    if found:
                        return found.group(1)
                    break
    return None


def script_tag(
    script_name: str,
    generation: str,
    seq: int,
    nonce: str | None,
    method: str = "GET",
    version: str = "",
) -> bytes:
    """The ``<script>`` element for a page rendered at ``seq`` by ``generation``.

    ``script_name`` is the WSGI ``SCRIPT_NAME`` (the app's mount point). A page that
    answered another ``method`` than GET is marked: the client cannot fetch it again
    to follow a template edit in place, so it reloads instead. ``version`` (a hash of
    the script) goes in the URL, so the browser may cache the script for good.
    """
    src = quote(script_name.encode("latin-1"), safe="/") + SCRIPT_PATH
    if version:
        src += f"?v={quote(version)}"
    attributes = [
        f'src="{html.escape(src)}"',
        f'data-generation="{html.escape(generation)}"',
        f'data-seq="{seq}"',
    ]
    if method != "GET":
        attributes.append(f'data-method="{html.escape(method)}"')
    if nonce is not None:
        attributes.append(f'nonce="{html.escape(nonce)}"')
    return f"<script {' '.join(attributes)} defer></script>".encode("ascii")


def insert(body: bytes, tag: bytes, at_end: bool = True) -> bytes | None:
    """``body`` with ``tag`` before its last ``</body>``, else its last ``</html>``, else
    at its end (``None`` there when not ``at_end``)."""
    lowered = body.lower()
    for end_tag in _END_TAGS:
        at = len(body)
        while (at := lowered.rfind(end_tag, 0, at)) >= 0:
            # "</body>", "</body >", but not "</bodytext>"
            if lowered[at + len(end_tag) : at + len(end_tag) + 1] in _TAG_ENDS:
                return body[:at] + tag + body[at:]
    return body + tag if at_end else None


def for_page(headers: Headers, length: int) -> list[tuple[str, str]]:
    """The headers of a page that received the script: ``Content-Length`` replaced
    (header order kept), validators dropped.

    The page differs from the app's document (it names the worker that served it),
    so the app's ``ETag`` and ``Last-Modified`` must not revalidate it: after a
    reload the app would answer 304, the browser would show its cached copy naming
    the old worker, and the script would reload it again and again.
    """
    dropped = {"etag", "last-modified"}
    return [
        (key, str(length) if key.lower() == "content-length" else value)
        for key, value in headers
        if key.lower() not in dropped
    ]
