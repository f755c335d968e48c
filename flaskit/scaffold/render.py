"""Jinja for templates: file contents, file names and ``when`` conditions.

The environment is sandboxed (a template from a folder someone sent you cannot
reach into Python), strict about undefined variables (a typo is an error, not
an empty string) and keeps files' trailing newlines.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import jinja2
import jinja2.sandbox

from flaskit.errors import FlaskitError


class TemplateError(FlaskitError):
    """A template is broken: its manifest, a file name or a file's Jinja (exit code 1)."""


def make_environment() -> jinja2.Environment:
    """The Jinja environment every template is rendered with."""
    return jinja2.sandbox.SandboxedEnvironment(
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )


def compile_condition(
    expression: str, label: str, environment: jinja2.Environment | None = None
) -> Callable[..., Any]:
    """Compile a ``when`` expression; a syntax error names where it is."""
    environment = environment or make_environment()
    try:
        return environment.compile_expression(expression, undefined_to_none=False)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"{label}: the condition {expression!r} is not a valid Jinja expression ({exc})."
        ) from exc


def evaluate_condition(
    condition: Callable[..., Any], expression: str, context: Mapping[str, object], label: str
) -> bool:
    """Whether a compiled ``when`` expression is true for these variables."""
    try:
        return bool(condition(**context))
    except jinja2.UndefinedError as exc:
        raise TemplateError(
            f"{label}: the condition {expression!r} uses an unknown variable ({exc.message}). "
            "Declare it under [variables] or fix the name."
        ) from exc
    except Exception as exc:
        raise TemplateError(f"{label}: the condition {expression!r} failed: {exc}.") from exc


def render_text(
    environment: jinja2.Environment, source: str, context: Mapping[str, object], label: str
) -> str:
    """Render one template string; any error names the file (and line) it came from."""
    try:
        return environment.from_string(source).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"{label}, line {exc.lineno}: {exc.message}. Fix the template."
        ) from exc
    except jinja2.UndefinedError as exc:
        raise TemplateError(
            f"{label}: {exc.message}. Declare the variable in template.toml or fix its name."
        ) from exc
    except Exception as exc:
        raise TemplateError(f"{label}: rendering failed: {type(exc).__name__}: {exc}.") from exc
