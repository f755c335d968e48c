"""Hints: for errors whose fix is knowable, a short explanation and the fix, from the live app.

Each hint is a function of the exception and a :class:`HintContext` (the app,
the request, the project folder) returning a :class:`~flaskit.debugpage.model.Hint`
or ``None``. :data:`REGISTRY` maps exception classes, named by their qualified
name so nothing is imported for an error that is not theirs (``jinja2``,
``sqlalchemy``, ``flask_wtf``), to the hints that know them; a class matches
its subclasses too. A hint that fails is left out: a hint must never hide the
error it is about.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from flaskit.debugpage.hints import database, forms, imports, routing, secret_key, templates
from flaskit.debugpage.hints.context import HintContext
from flaskit.debugpage.model import Hint

MAX_HINTS = 3


HintFunction = Callable[[BaseException, HintContext], Hint | None]

REGISTRY: tuple[tuple[str, HintFunction], ...] = (
    ("jinja2.exceptions.TemplateNotFound", templates.template_not_found),
    ("jinja2.exceptions.UndefinedError", templates.undefined),
    ("werkzeug.routing.exceptions.BuildError", routing.build_error),
    ("werkzeug.exceptions.MethodNotAllowed", routing.method_not_allowed),
    ("builtins.ModuleNotFoundError", imports.module_not_found),
    ("builtins.RuntimeError", secret_key.missing_secret_key),
    ("werkzeug.exceptions.BadRequestKeyError", forms.missing_field),
    ("flask.debughelpers.DebugFilesKeyError", forms.missing_file),
    ("flask_wtf.csrf.CSRFError", forms.csrf_failure),
    ("sqlalchemy.exc.DBAPIError", database.no_such_table),
    ("sqlite3.OperationalError", database.no_such_table),
)


def may_have_hints(exc: BaseException) -> bool:
    """Whether a hint knows ``exc``'s class (cheap: no hint is worked out)."""
    names = _names(exc)
    return any(name in names for name, _ in REGISTRY)


def find_hints(exc: BaseException, context: HintContext) -> tuple[Hint, ...]:
    """The hints for ``exc`` and the exceptions behind it (newest first), at most a few.

    Each hint speaks once, for the newest exception it knows: SQLAlchemy's error and
    the driver's error behind it are one missing table.
    """
    found: list[Hint] = []
    spoke: set[HintFunction] = set()
    for linked in _chain(exc):
        names = _names(linked)
        for name, hint_for in REGISTRY:
            if name not in names or hint_for in spoke:
                continue
            try:
                hint = hint_for(linked, context)
            except Exception:  # a bug in a hint must not hide the error
                hint = None
            if hint is not None and hint not in found:
                found.append(hint)
                spoke.add(hint_for)
    return tuple(found[:MAX_HINTS])


def _names(exc: BaseException) -> set[str]:
    return {f"{cls.__module__}.{cls.__qualname__}" for cls in type(exc).__mro__}


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen and len(seen) < 10:
        seen.add(id(current))
        yield current
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )


__all__ = ["REGISTRY", "HintContext", "find_hints", "may_have_hints"]
