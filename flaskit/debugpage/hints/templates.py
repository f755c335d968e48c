"""Template hints: a template that is not found, a variable the template did not get."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from flaskit.debugpage.hints.context import (
    HintContext,
    frame_locals,
    local_of_type,
    user_frame,
    where,
)
from flaskit.debugpage.model import Hint

MAX_TEMPLATES = 500  # templates listed to find a close name
# What Flask and Jinja give every template: not what the view passed.
SHARED_NAMES = frozenset(
    {"g", "request", "session", "config", "url_for", "get_flashed_messages"}
    | {"range", "dict", "lipsum", "cycler", "joiner", "namespace"}
)
_UNDEFINED_NAME = re.compile(r"^'([^']+)' is undefined$")
_NO_ATTRIBUTE = re.compile(r"^'(.+)' has no attribute '([^']+)'$")


def template_not_found(exc: BaseException, context: HintContext) -> Hint | None:
    """``TemplateNotFound``: the folders searched, in order, and templates with a close name."""
    names = [str(n) for n in getattr(exc, "templates", None) or [getattr(exc, "name", "")]]
    names = [n for n in names if n]
    if not names:
        return None
    folders = list(_folders(exc, context))
    available = _available(exc, context)
    close = difflib.get_close_matches(names[0], available, n=3, cutoff=0.6)
    listed = " or ".join(repr(n) for n in names)
    if folders:
        searched = "\n".join(
            f"  {context.shown(folder)}  ({owner})"
            + ("" if folder.is_dir() else "  - this folder does not exist")
            for owner, folder in folders
        )
        detail = f"Jinja looked for {listed} in these folders, in this order:\n{searched}"
    else:
        detail = f"Jinja looked for {listed}, but the app has no template folder."
    if close:
        detail += "\nTemplates with a close name: " + ", ".join(close)
    create = (
        f"create {context.shown(folders[0][1] / names[0])}"
        if folders
        else "give the app a template folder (Flask(__name__) uses templates/ next to the "
        "module) and create the template there"
    )
    fix = (
        f"Use {close[0]!r} if you meant it, or {create}."
        if close
        else create[0].upper() + create[1:] + "."
    )
    return Hint(f"No template named {names[0]!r} in the folders searched", detail, fix)


def undefined(exc: BaseException, context: HintContext) -> Hint | None:
    """Jinja's ``UndefinedError``: the variables the template received, the closest name."""
    message = str(exc)
    received = _received(exc)
    template, line = _template_line(exc)
    shown = ", ".join(sorted(received)) if received else "(none)"
    named = f" in {template}" if template else ""
    missing = _UNDEFINED_NAME.match(message)
    if missing:
        name = missing.group(1)
        close = difflib.get_close_matches(name, list(received), n=1, cutoff=0.6)
        detail = (
            f"The template{named} uses {name!r}, but the view did not pass it. "
            f"It received: {shown}."
        )
        view = user_frame(exc, context)
        call = (
            f"render_template({template!r}, {name}=...)"
            if template
            else f"{name}=... to render_template()"
        )
        at = f" at {where(view, context)}" if view is not None else ""
        fix = f"Pass it: {call}{at}"
        if close:
            fix = f"Use {{{{ {close[0]} }}}} if you meant it, or pass {name!r}: {call}{at}."
        else:
            fix += "."
        return Hint(f"The template has no variable {name!r}", detail, fix)
    attribute = _NO_ATTRIBUTE.match(message)
    if attribute is None:
        return None
    owner, name = attribute.groups()
    detail = f"{owner} has no attribute or key {name!r}."
    fix = "Check the name in the template" + (f": {line.strip()}" if line else "") + "."
    value_name = _owner_in_line(line, name)
    if value_name is not None and value_name in received:
        options = _members(received[value_name])
        close = difflib.get_close_matches(name, options, n=1, cutoff=0.6)
        detail += f" {value_name} has: {', '.join(options[:20]) or '(nothing)'}."
        if close:
            fix = f"Use {value_name}.{close[0]}, not {value_name}.{name}."
    detail += f" The template{named} received: {shown}."
    return Hint(f"{owner} has no {name!r}", detail, fix)


def _folders(exc: BaseException, context: HintContext) -> Iterator[tuple[str, Path]]:
    """(whose, folder) of every folder searched, in the order Flask and Jinja search them."""
    app = context.app
    if app is not None and hasattr(app, "iter_blueprints"):
        yield from _loader_folders(getattr(app, "jinja_loader", None), "the app")
        for blueprint in app.iter_blueprints():
            yield from _loader_folders(
                getattr(blueprint, "jinja_loader", None), f"blueprint {blueprint.name}"
            )
        return
    environment = _environment(exc)
    if environment is not None:
        yield from _loader_folders(environment.loader, "the Jinja environment")


def _loader_folders(loader: Any, owner: str) -> Iterator[tuple[str, Path]]:
    if loader is None:
        return
    for folder in getattr(loader, "searchpath", None) or ():  # FileSystemLoader
        yield owner, Path(folder)
    root = getattr(loader, "_template_root", None)  # PackageLoader
    if isinstance(root, str):
        yield owner, Path(root)
    for inner in getattr(loader, "loaders", None) or ():  # ChoiceLoader
        yield from _loader_folders(inner, owner)
    mapping = getattr(loader, "mapping", None)  # PrefixLoader
    if isinstance(mapping, dict):
        for prefix, inner in mapping.items():
            yield from _loader_folders(inner, f"{owner}, prefix {prefix}/")


def _available(exc: BaseException, context: HintContext) -> list[str]:
    environment = getattr(context.app, "jinja_env", None) or _environment(exc)
    try:
        names = environment.list_templates() if environment is not None else []
    except Exception:
        return []
    return [str(name) for name in names[:MAX_TEMPLATES]]


def _environment(exc: BaseException) -> Any:
    from jinja2 import Environment

    return local_of_type(exc, Environment)


def _received(exc: BaseException) -> dict[str, Any]:
    """The variables the failing template was rendered with (its Jinja context's), minus
    what every template gets."""
    context = _render_context(exc)
    if context is None:
        return {}
    # What render() was given sits in the context's parent, with the environment's globals.
    given = {**context.parent, **context.vars}
    hidden = SHARED_NAMES | set(getattr(context, "globals_keys", ()))
    return {k: v for k, v in given.items() if k not in hidden}


def _render_context(exc: BaseException) -> Any:
    from jinja2.runtime import Context

    return local_of_type(exc, Context)


def _template_line(exc: BaseException) -> tuple[str, str]:
    """The failing template's name and the source of its failing line."""
    import linecache

    context = _render_context(exc)
    name = str(getattr(context, "name", None) or "")
    for entry, _ in frame_locals(exc):
        frame = entry.tb_frame
        if "__jinja_exception__" in frame.f_globals:  # Jinja's frame for the template line
            filename = frame.f_code.co_filename
            return name or Path(filename).name, linecache.getline(filename, entry.tb_lineno)
    return name, ""


def _owner_in_line(line: str, name: str) -> str | None:
    """In ``{{ user.nme }}``, the variable whose member ``nme`` is read: ``user``."""
    found = re.search(
        rf"\b([A-Za-z_]\w*)\s*(?:\.\s*{re.escape(name)}\b|\[\s*['\"]{re.escape(name)}['\"]\s*\])",
        line,
    )
    return found.group(1) if found else None


def _members(value: object) -> list[str]:
    if isinstance(value, dict):
        return sorted(str(key) for key in list(value)[:50])
    return sorted(name for name in dir(value) if not name.startswith("_"))[:50]
