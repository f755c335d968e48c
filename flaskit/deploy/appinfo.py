"""What deploy-config reads from the app itself, when it imports.

Only three facts: where static files are served from (``static_url_path``),
where they live (``static_folder``), and the body limit
(``MAX_CONTENT_LENGTH``). Any WSGI app is accepted; one that is not a Flask
app simply has no static folder or limit to read.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flaskit.discovery import AppTarget, load
from flaskit.errors import FlaskitError


@dataclass(frozen=True)
class AppInfo:
    """Facts read from the imported app."""

    found_as: str  # "app", "create_app()": how gunicorn and wsgi.py reach it
    static_url_path: str | None = None
    static_folder: Path | None = None  # an existing directory, absolute
    max_content_length: int | None = None


@dataclass(frozen=True)
class AppReading:
    """The outcome of trying to import the app: facts, or why there are none."""

    info: AppInfo | None
    problem: str | None = None


def read_app(target: AppTarget) -> AppReading:
    """Import the app and read its static mount and body limit.

    A failed import is not an error for deploy-config: the configs can still
    be written, without a static location, and the caller says why.
    """
    try:
        loaded = load(target)
    except FlaskitError as exc:
        # The message's first lines say what failed and where; the rest is advice.
        lines = [line.strip() for line in exc.format_message().splitlines()]
        return AppReading(None, " ".join(lines[:2]))
    app = loaded.app
    return AppReading(
        AppInfo(
            found_as=loaded.found_as,
            static_url_path=_static_url_path(app),
            static_folder=_static_folder(app),
            max_content_length=_max_content_length(app),
        )
    )


def _static_url_path(app: object) -> str | None:
    value = getattr(app, "static_url_path", None)
    return value if isinstance(value, str) else None


def _static_folder(app: object) -> Path | None:
    folder = getattr(app, "static_folder", None)
    if not isinstance(folder, str | Path):
        return None
    path = Path(folder)
    return path.resolve() if path.is_dir() else None


def _max_content_length(app: object) -> int | None:
    config = getattr(app, "config", None)
    value = config.get("MAX_CONTENT_LENGTH") if isinstance(config, dict) else None
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    return None
