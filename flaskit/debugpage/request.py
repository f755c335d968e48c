"""The request panel: what the failing request was, masked.

Form fields come from the body the app read. :class:`BodyRecorder` wraps
``wsgi.input`` of form posts and keeps a bounded copy of what the app reads,
so the fields can be shown after the app consumed the stream.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

from flaskit.debugpage.masking import MASK, Masker
from flaskit.debugpage.model import RequestInfo, UploadedFile, Variable

MAX_BODY = 1024 * 1024  # form bodies larger than this are not recorded
MAX_FIELDS = 60
MAX_VALUE = 300
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class BodyRecorder:
    """A ``wsgi.input`` that keeps a copy of what is read from it."""

    def __init__(self, stream: Any, limit: int) -> None:
        self._stream = stream
        self._limit = limit
        self._copy = io.BytesIO()

    def _keep(self, data: bytes) -> bytes:
        if self._copy.tell() < self._limit:
            self._copy.write(data[: self._limit - self._copy.tell()])
        return data

    def read(self, size: int = -1) -> bytes:
        """Read like the wrapped stream, keeping a copy."""
        return self._keep(
            self._stream.read() if size is None or size < 0 else self._stream.read(size)
        )

    def readline(self, size: int = -1) -> bytes:
        """Read a line like the wrapped stream, keeping a copy."""
        return self._keep(self._stream.readline(size))

    def readlines(self, hint: int = -1) -> list[bytes]:
        """Read lines like the wrapped stream, keeping a copy."""
        return [self._keep(line) for line in self._stream.readlines(hint)]

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.readline, b"")

    @property
    def recorded(self) -> bytes:
        """What the app read so far (up to the limit)."""
        return self._copy.getvalue()

    def rest(self, length: int) -> bytes:
        """Everything up to ``length`` bytes: what was read plus what the app left unread."""
        missing = length - self._copy.tell()
        if missing > 0:
            # A broken connection leaves the fields incomplete; the note says so.
            with contextlib.suppress(Exception):
                self.read(missing)
        return self.recorded


def record_body(environ: dict[str, Any]) -> BodyRecorder | None:
    """Wrap ``wsgi.input`` of a form post of known, bounded size; ``None`` for other requests."""
    content_type = environ.get("CONTENT_TYPE", "")
    if not content_type.startswith(_FORM_TYPES):
        return None
    length = _content_length(environ)
    if length is None or length > MAX_BODY or "wsgi.input" not in environ:
        return None
    recorder = BodyRecorder(environ["wsgi.input"], length)
    environ["wsgi.input"] = recorder
    return recorder


def request_info(
    environ: dict[str, Any], masker: Masker, recorder: BodyRecorder | None = None
) -> RequestInfo:
    """The request panel's data; remembers secret values in ``masker``."""
    from werkzeug.http import parse_cookie
    from werkzeug.wsgi import get_current_url

    headers = tuple(_masked(name, value, masker) for name, value in _headers(environ))
    args_pairs = parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    args = tuple(_masked(name, value, masker) for name, value in args_pairs[:MAX_FIELDS])
    cookies = parse_cookie(environ.get("HTTP_COOKIE", ""))
    for name, value in cookies.items(multi=True):
        masker.remember_named(name, value)
    form, files, note = _form(environ, masker, recorder)
    url = get_current_url(environ, strip_querystring=True)
    if args_pairs:
        shown = [
            (v.name, MASK if v.masked else value)
            for v, (_, value) in zip(args, args_pairs, strict=False)
        ]
        url += "?" + urlencode(shown, quote_via=quote, safe="*")
    return RequestInfo(
        method=str(environ.get("REQUEST_METHOD", "GET")),
        url=url,
        remote_addr=str(environ.get("REMOTE_ADDR", "")),
        headers=headers,
        args=args,
        form=form,
        files=files,
        cookies=tuple(list(cookies.keys())[:MAX_FIELDS]),
        body_note=note,
    )


def _headers(environ: dict[str, Any]) -> list[tuple[str, str]]:
    pairs = []
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            name = key[5:]
        elif key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            name = key
        else:
            continue
        pairs.append(("-".join(part.capitalize() for part in name.split("_")), str(value)))
    return pairs[:MAX_FIELDS]


def _masked(name: str, value: str, masker: Masker) -> Variable:
    if masker.remember_named(name, value):
        return Variable(name, MASK, masked=True)
    if len(value) > MAX_VALUE:
        value = f"{value[:MAX_VALUE]}… ({len(value):,} characters)"
    return Variable(name, value)


def _form(
    environ: dict[str, Any], masker: Masker, recorder: BodyRecorder | None
) -> tuple[tuple[Variable, ...], tuple[UploadedFile, ...], str]:
    content_type = str(environ.get("CONTENT_TYPE", ""))
    if not content_type.startswith(_FORM_TYPES):
        return (), (), ""
    length = _content_length(environ)
    if recorder is None or length is None:
        size = f"{length:,} bytes" if length is not None else "of unknown length"
        return (
            (),
            (),
            f"The form body ({size}) was not recorded: bodies up to {MAX_BODY:,} bytes are.",
        )
    from werkzeug.formparser import parse_form_data

    body = recorder.rest(length)
    replay = {
        "REQUEST_METHOD": "POST",
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
    }
    try:
        _, fields, uploads = parse_form_data(replay, silent=False)
    except Exception as exc:
        return (), (), f"The form body could not be parsed: {type(exc).__name__}."
    form = tuple(_masked(k, v, masker) for k, v in list(fields.items(multi=True))[:MAX_FIELDS])
    files = tuple(
        UploadedFile(field, upload.filename or "", _size(upload.stream))
        for field, upload in list(uploads.items(multi=True))[:MAX_FIELDS]
    )
    for _, upload in uploads.items(multi=True):
        upload.close()
    note = "" if len(body) >= length else f"Only {len(body):,} of {length:,} bytes were received."
    return form, files, note


def _size(stream: Any) -> int:
    try:
        stream.seek(0, io.SEEK_END)
        return int(stream.tell())
    except Exception:
        return 0


def _content_length(environ: dict[str, Any]) -> int | None:
    try:
        length = int(environ.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None
    return length if length >= 0 else None
