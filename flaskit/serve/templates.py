"""Each framework's template folders, and fresh templates after an edit (worker side).

The supervisor calls a change inside the app's template folders a template
change: no restart, the page reloads. For the reloaded page to show the edit,
the worker makes the framework forget the templates it compiled:

* Flask: the folders of the app and of each blueprint; Jinja's cache is
  emptied (auto-reload alone is off when the app sets ``TEMPLATES_AUTO_RELOAD``
  to false, or without ``--debug``).
* Django: every template engine's folders (``TEMPLATES`` ``DIRS``, and each
  installed app's ``templates`` with ``APP_DIRS``) and the folders of its
  loaders; the loaders are reset as Django's own autoreloader does (the cached
  loader is on by default, also with ``DEBUG = True``).
* Bottle: ``bottle.TEMPLATE_PATH`` (``./`` and ``./views/`` by default);
  ``bottle.TEMPLATES`` is emptied.

Only the project's own folders are reported: not the framework's, not an
installed package's.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

Refresh = Callable[[], None]


def app_folders(app: object, roots: Iterable[Path]) -> tuple[list[str], list[str]]:
    """(template folders, static folders) of ``app`` (looking through middleware) that
    belong to the project, in a stable order. Empty for an app of no known framework."""
    from flaskit.debugpage.frameworks import find_framework

    found = find_framework(app) if app is not None else None
    if found is None:
        return [], []
    name, framework_app = found
    templates: list[Path] = []
    static: list[Path] = []
    if name == "flask":
        templates, static = _flask_folders(framework_app)
    elif name == "django":
        templates = _django_folders()
    elif name == "bottle":
        templates = _bottle_folders()
    return _project_folders(templates, roots), _project_folders(static, roots)


def template_refresher(app: object) -> Refresh | None:
    """A function that makes the framework of ``app`` read its templates again; None
    when ``app`` is of no framework that caches templates."""
    from flaskit.debugpage.frameworks import find_framework

    found = find_framework(app) if app is not None else None
    if found is None:
        return None
    name, framework_app = found
    if name == "flask":
        return lambda: _clear_jinja(getattr(framework_app, "jinja_env", None))
    if name == "django":
        return _reset_django
    if name == "bottle":
        return _clear_bottle
    return None


def _flask_folders(app: Any) -> tuple[list[Path], list[Path]]:
    """Read from attributes (a blueprint's ``template_folder`` is relative to its root)."""
    templates: list[Path] = []
    static: list[Path] = []
    blueprints = getattr(app, "iter_blueprints", None)
    owners = [app, *(blueprints() if callable(blueprints) else [])]
    for owner in owners:
        root = getattr(owner, "root_path", None)
        if not isinstance(root, str):
            continue
        folder = getattr(owner, "template_folder", None)
        if isinstance(folder, (str, Path)):
            templates.append(Path(root, folder))
        folder = getattr(owner, "static_folder", None)
        if isinstance(folder, str):
            static.append(Path(folder))
    return templates, static


def _django_folders() -> list[Path]:
    django_settings = sys.modules.get("django.conf")
    if django_settings is None or not django_settings.settings.configured:
        return []
    from django.template import engines  # type: ignore[import-untyped]
    from django.template.autoreload import (  # type: ignore[import-untyped]
        get_template_directories,
    )

    folders = [Path(folder) for folder in get_template_directories()]
    for backend in engines.all():  # other engines too (Django's Jinja2 backend)
        folders.extend(Path(folder) for folder in backend.template_dirs)
    return folders


def _reset_django() -> None:
    from django.template import engines
    from django.template.autoreload import reset_loaders

    reset_loaders()
    for backend in engines.all():
        _clear_jinja(getattr(backend, "env", None))


def _bottle_folders() -> list[Path]:
    bottle = sys.modules.get("bottle")
    paths = getattr(bottle, "TEMPLATE_PATH", None) or []
    return [Path.cwd() / folder for folder in paths if isinstance(folder, str)]


def _clear_bottle() -> None:
    bottle = sys.modules.get("bottle")
    cache = getattr(bottle, "TEMPLATES", None)
    if isinstance(cache, dict):
        cache.clear()


def _clear_jinja(environment: object) -> None:
    cache = getattr(environment, "cache", None)
    if cache is not None:
        with contextlib.suppress(AttributeError):
            cache.clear()


def _project_folders(folders: Iterable[Path], roots: Iterable[Path]) -> list[str]:
    from flaskit.serve.modules import is_project_folder

    roots = tuple(roots)
    found: dict[str, None] = {}
    for folder in folders:
        resolved = folder.resolve()
        if is_project_folder(str(resolved), roots):  # it may not exist yet
            found[str(resolved)] = None
    return list(found)
