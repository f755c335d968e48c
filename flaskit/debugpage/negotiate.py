"""Whether an error goes to the client as the HTML page or as ``application/problem+json``.

JSON when the request's ``Accept`` prefers JSON to HTML (``application/json``,
``application/problem+json`` or any ``+json`` type, with a higher quality than
``text/html``, or as high and named first), or when it names neither and the
request is clearly a script's: a browser's ``fetch()``/XHR (``Sec-Fetch-Dest:
empty``), jQuery and friends (``X-Requested-With``), htmx (``HX-Request``).
A browser loading a page sends ``Accept: text/html,...`` and gets the page;
``curl`` (``Accept: */*``, none of those headers) gets the page too.
"""

from __future__ import annotations

from typing import Any

_JSON = ("application/json", "application/problem+json")
_HTML = ("text/html", "application/xhtml+xml")


def wants_json(environ: dict[str, Any]) -> bool:
    """Whether the client that sent ``environ`` should get the error as JSON."""
    json_rank = html_rank = None
    for position, (media, quality) in enumerate(_accepted(str(environ.get("HTTP_ACCEPT", "")))):
        rank = (quality, -position)
        if media in _JSON or (media.startswith("application/") and media.endswith("+json")):
            json_rank = max(json_rank or rank, rank)
        elif media in _HTML:
            html_rank = max(html_rank or rank, rank)
    if json_rank is not None and json_rank[0] > 0:
        return html_rank is None or json_rank > html_rank
    if html_rank is not None:
        return False
    return is_programmatic(environ)


def is_programmatic(environ: dict[str, Any]) -> bool:
    """Whether the request comes from a script rather than from loading a page."""
    destination = str(environ.get("HTTP_SEC_FETCH_DEST", "")).strip().lower()
    return (
        destination == "empty"
        or bool(environ.get("HTTP_X_REQUESTED_WITH"))
        or bool(environ.get("HTTP_HX_REQUEST"))
    )


def _accepted(header: str) -> list[tuple[str, float]]:
    """``(media type, quality)`` of each range in an ``Accept`` header, in order."""
    found = []
    for part in header.split(","):
        media, *params = (piece.strip() for piece in part.split(";"))
        if not media:
            continue
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    quality = 0.0
        found.append((media.lower(), quality))
    return found
