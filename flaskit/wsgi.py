"""The one name for a WSGI callable, for every module that loads, wraps or serves one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# ``app(environ, start_response) -> iterable of bytes``; Callable[..., Any] because
# apps, middleware and frameworks spell the signature in many compatible ways.
WSGIApp = Callable[..., Any]
