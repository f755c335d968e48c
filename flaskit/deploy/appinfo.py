"""What deploy-config reads from the app itself, when it imports.

Where static files are served from and where they live (Flask's
``static_url_path``/``static_folder``, Django's ``STATIC_URL``/``STATIC_ROOT``),
the body limit (``MAX_CONTENT_LENGTH``), the host names Django accepts
(``ALLOWED_HOSTS``), whether the secret key is a development placeholder, a
health route of the app's own, whether it already applies ``ProxyFix``, and
whether it has database migrations to run before a rollout. Any WSGI app is
accepted; one that is neither Flask nor Django simply has fewer facts.
"""

from __future__ import annotations

import importlib.util
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from flaskit.discovery import AppTarget, load
from flaskit.errors import FlaskitError

Framework = Literal["flask", "django", "other"]
HEALTH_NAMES = ("health", "healthz", "healthcheck", "livez", "readyz", "ping")
# Placeholders from tutorials, docs and templates: fine for `flask run`, not for a site.
DEV_SECRET_KEYS = frozenset(
    {
        "dev",
        "development",
        "secret",
        "secret-key",
        "secret_key",
        "secretkey",
        "my-secret-key",
        "mysecret",
        "super-secret",
        "supersecret",
        "super-secret-key",
        "your-secret-key",
        "your_secret_key",
        "your-secret-key-here",
        "changeme",
        "change-me",
        "change_me",
        "change-this",
        "default",
        "test",
        "testing",
        "password",
        "key",
        "flask",
        "s3cr3t",
    }
)
_QUICKSTART_BYTES = b'_5#y2L"F4Q8z\n\xec]/'


@dataclass(frozen=True)
class ProxyCounts:
    """The counts of a ``ProxyFix`` the app already applies."""

    x_for: int
    x_proto: int
    x_host: int
    x_port: int
    x_prefix: int


@dataclass(frozen=True)
class AppInfo:
    """Facts read from the imported app."""

    found_as: str  # "app", "create_app()": how gunicorn and wsgi.py reach it
    static_url_path: str | None = None
    static_folder: Path | None = None  # absolute; exists unless collectstatic makes it
    max_content_length: int | None = None
    framework: Framework = "other"
    uses_werkzeug: bool = False  # werkzeug is installed with the app (Flask depends on it)
    allowed_hosts: tuple[str, ...] | None = None  # Django's ALLOWED_HOSTS
    debug: bool = False  # Django's DEBUG / Flask's app.debug at import
    collectstatic: bool = False  # Django: static files are gathered by collectstatic
    secret_key_problem: str | None = None
    health_path: str | None = None  # the app's own health route
    proxy_fix: ProxyCounts | None = None
    migrate_command: tuple[str, ...] | None = None
    migrate_env: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class AppReading:
    """The outcome of trying to import the app: facts, or why there are none."""

    info: AppInfo | None
    problem: str | None = None


def read_app(target: AppTarget, local_root: Path | None = None) -> AppReading:
    """Import the app and read what the configs depend on.

    A failed import is not an error for deploy-config: the configs can still
    be written, without a static location, and the caller says why.
    """
    try:
        loaded = load(target)
    except FlaskitError as exc:
        # The message's first lines say what failed and where; the rest is advice.
        lines = [line.strip() for line in exc.format_message().splitlines()]
        return AppReading(None, " ".join(lines[:2]))
    roots = [target.search_path, *([local_root] if local_root is not None else [])]
    spec = loaded.spec
    app = loaded.app
    inner = _framework_object(app)
    modules = _type_modules(inner)
    if "flask" in modules:
        return AppReading(_flask_info(loaded.found_as, app, inner, spec))
    if "django" in modules:
        return AppReading(_django_info(loaded.found_as, app, inner, roots))
    return AppReading(
        AppInfo(
            found_as=loaded.found_as,
            static_url_path=_static_url_path(inner),
            static_folder=_static_folder(inner),
            max_content_length=_max_content_length(inner),
            uses_werkzeug="werkzeug" in modules,
            health_path=_health_path(app),
            proxy_fix=_proxy_fix(app),
        )
    )


def _flask_info(found_as: str, app: object, flask_app: Any, spec: str) -> AppInfo:
    migrate = None
    if "migrate" in (getattr(flask_app, "extensions", None) or {}):
        migrate = ("flask", "--app", spec, "db", "upgrade")
    return AppInfo(
        found_as=found_as,
        static_url_path=_static_url_path(flask_app),
        static_folder=_static_folder(flask_app),
        max_content_length=_max_content_length(flask_app),
        framework="flask",
        uses_werkzeug=True,
        debug=bool(getattr(flask_app, "debug", False)),
        secret_key_problem=_secret_key_problem(flask_app.config.get("SECRET_KEY"), "flask"),
        health_path=_health_path(app),
        proxy_fix=_proxy_fix(app) or _proxy_fix(getattr(flask_app, "wsgi_app", None)),
        migrate_command=migrate,
    )


def _django_info(found_as: str, app: object, handler: object, roots: list[Path]) -> AppInfo:
    from django.conf import settings  # type: ignore[import-untyped]

    static_url = str(getattr(settings, "STATIC_URL", "") or "")
    static_root = getattr(settings, "STATIC_ROOT", None)
    url_path: str | None = None
    folder: Path | None = None
    if static_url and not re.match(r"^[a-z][a-z0-9+.-]*://|^//", static_url):
        url_path = "/" + static_url.strip("/")
        if static_root:
            folder = Path(str(static_root)).resolve()
    migrate, env = _django_migrations(settings, roots)
    return AppInfo(
        found_as=found_as,
        static_url_path=url_path,
        static_folder=folder,
        framework="django",
        # werkzeug may be here but not in the project's own requirements: install it.
        uses_werkzeug=False,
        allowed_hosts=tuple(str(h) for h in getattr(settings, "ALLOWED_HOSTS", ())),
        debug=bool(getattr(settings, "DEBUG", False)),
        collectstatic=url_path is not None,
        secret_key_problem=_secret_key_problem(getattr(settings, "SECRET_KEY", None), "django"),
        health_path=_health_path(app),
        proxy_fix=_proxy_fix(app),
        migrate_command=migrate,
        migrate_env=env,
    )


def _django_migrations(
    settings: Any, roots: list[Path]
) -> tuple[tuple[str, ...] | None, tuple[tuple[str, str], ...]]:
    """``manage.py migrate`` when an installed app has migrations."""
    from django.apps import apps  # type: ignore[import-untyped]

    has_migrations = bool(getattr(settings, "MIGRATION_MODULES", None))
    for config in apps.get_app_configs():
        try:
            if importlib.util.find_spec(f"{config.name}.migrations") is not None:
                has_migrations = True
                break
        except (ImportError, ValueError):
            continue
    if not has_migrations:
        return None, ()
    if any((root / "manage.py").is_file() for root in roots):
        return ("python", "manage.py", "migrate", "--noinput"), ()
    module = os.environ.get("DJANGO_SETTINGS_MODULE")
    env = (("DJANGO_SETTINGS_MODULE", module),) if module else ()
    return ("python", "-m", "django", "migrate", "--noinput"), env


def _secret_key_problem(value: object, framework: str) -> str | None:
    if value is None:
        return None
    if value == _QUICKSTART_BYTES:
        return "is the example from Flask's quickstart"
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    if framework == "django" and text.startswith("django-insecure-"):
        return "is the one startproject wrote ('django-insecure-...')"
    if text.strip().lower() in DEV_SECRET_KEYS:
        return f"is {text!r}, a well-known development value"
    return None


def _framework_object(app: object) -> object:
    """The Flask/Django object inside middleware, as ``flaskit routes`` finds it."""
    from flaskit.routes.adapters import find_adapter

    found = find_adapter(app)
    return found[1] if found is not None else app


def _type_modules(obj: object) -> set[str]:
    from flaskit.routes.adapters import type_modules

    return type_modules(obj)


def _health_path(app: object) -> str | None:
    """A rule without variables, for GET, named like a health check."""
    from flaskit.routes.adapters import find_adapter

    try:
        found = find_adapter(app)
        routes = found[0].routes(found[1]) if found is not None else []
    except Exception:  # a route table that cannot be read has no health route we know
        return None
    for route in routes:
        rule = route.rule if route.rule.startswith("/") else "/" + route.rule
        if any(c in rule for c in "<>{}:()[]*^$\\?"):
            continue
        last = rule.rstrip("/").rsplit("/", 1)[-1].lower()
        endpoint = route.endpoint.rsplit(".", 1)[-1].lower()
        if route.accepts("GET") and (last in HEALTH_NAMES or endpoint in HEALTH_NAMES):
            return rule
    return None


def _proxy_fix(obj: object) -> ProxyCounts | None:
    if type(obj).__name__ != "ProxyFix" or "werkzeug" not in _type_modules(obj):
        return None
    counts = [getattr(obj, f"x_{n}", 0) for n in ("for", "proto", "host", "port", "prefix")]
    return ProxyCounts(*(int(c) for c in counts))


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
