"""The values of a template's variables: ``--var``, then a prompt, then the default.

Built-in variables come first: ``project_name`` (as typed), ``dist_name``,
``import_name`` and ``flaskit_version``; ``--var import_name=...`` or
``--var dist_name=...`` overrides a derived name (it is checked again).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TextIO

from flaskit import __version__
from flaskit.errors import UsageProblem
from flaskit.scaffold.manifest import Manifest, Value, Variable
from flaskit.scaffold.names import (
    ProjectNames,
    dist_name_of,
    dist_name_problem,
    import_name_problem,
)
from flaskit.scaffold.render import TemplateError, make_environment, render_text

if TYPE_CHECKING:
    from rich.console import Console

MAX_ATTEMPTS = 10
_TRUE = {"y", "yes", "true", "1", "on"}
_FALSE = {"n", "no", "false", "0", "off"}


class Prompter(Protocol):
    """Asks the user for one variable's value."""

    def ask(self, variable: Variable, default: Value) -> Value:
        """Return a valid value for ``variable`` (``default`` when the user just hits Enter)."""


def parse_var_options(items: Sequence[str]) -> dict[str, str]:
    """``--var KEY=VALUE`` options as a dict; a malformed one is a usage error."""
    given: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key.isidentifier():
            raise UsageProblem(
                f"--var {item!r} is not KEY=VALUE. Write it like --var description='My shop'."
            )
        given[key] = value
    return given


def convert(variable: Variable, raw: str) -> Value:
    """Turn typed text into the variable's value; ``ValueError`` says what is wrong."""
    text = raw.strip()
    value: Value
    if variable.type == "bool":
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise ValueError(f"{variable.name} is yes or no, not {raw!r}.")
    if variable.type == "int":
        try:
            value = int(text)
        except ValueError:
            raise ValueError(f"{variable.name} is a whole number, not {raw!r}.") from None
    else:
        value = raw
    problem = value_problem(variable, value)
    if problem:
        raise ValueError(problem)
    return value


def value_problem(variable: Variable, value: Value) -> str | None:
    """Why ``value`` is not allowed for ``variable``, or None."""
    if variable.choices and value not in variable.choices:
        allowed = ", ".join(str(c) for c in variable.choices)
        return f"{variable.name} must be one of: {allowed} (not {value!r})."
    if (
        variable.pattern is not None
        and isinstance(value, str)
        and not re.fullmatch(variable.pattern, value)
    ):
        hint = f" ({variable.help})" if variable.help else ""
        return f"{value!r} is not a valid {variable.name}{hint}: it must match {variable.pattern}."
    return None


@dataclass(frozen=True)
class Answers:
    """Every variable's final value, ready to render with."""

    values: Mapping[str, Value]

    @property
    def names(self) -> ProjectNames:
        """The project names after any ``--var`` override."""
        return ProjectNames(
            str(self.values["project_name"]),
            str(self.values["dist_name"]),
            str(self.values["import_name"]),
        )


def settle(
    manifest: Manifest,
    names: ProjectNames,
    given: Mapping[str, str],
    prompter: Prompter | None,
    search_path: Sequence[str] = (),
    taken: Mapping[str, str] | None = None,
) -> Answers:
    """Every variable's value: ``given`` (from ``--var``), else asked, else the default.

    Nothing is asked when ``prompter`` is None (``--no-input`` or not a terminal).
    ``taken``: module names the template creates itself (see ``plan.own_modules``).
    """
    check_known(manifest, given)
    values: dict[str, Value] = {
        "project_name": names.project_name,
        "dist_name": _override_dist(names, given),
        "import_name": _override_import(names, given, search_path, taken),
        "flaskit_version": __version__,
    }
    environment = make_environment()
    for variable in manifest.variables:
        default = variable.default
        if isinstance(default, str):
            label = f"{manifest.root / 'template.toml'}: default of {variable.name}"
            default = render_text(environment, default, values, label)
        if variable.name in given:
            try:
                values[variable.name] = convert(variable, given[variable.name])
            except ValueError as exc:
                raise UsageProblem(f"--var {variable.name}: {exc}") from None
        elif prompter is not None:
            values[variable.name] = prompter.ask(variable, default)
        else:
            problem = value_problem(variable, default)
            if problem:
                raise TemplateError(
                    f"The template '{manifest.name}' has an invalid default: {problem} "
                    f"Pass --var {variable.name}=VALUE."
                )
            values[variable.name] = default
    return Answers(values)


def check_known(manifest: Manifest, given: Mapping[str, str]) -> None:
    """Refuse ``--var`` names the template does not declare."""
    known = {v.name for v in manifest.variables} | {"dist_name", "import_name"}
    if "project_name" in given:
        raise UsageProblem("project_name is the NAME argument; do not pass it with --var.")
    unknown = sorted(set(given) - known)
    if unknown:
        raise UsageProblem(
            f"The template '{manifest.name}' has no variable {', '.join(unknown)}. "
            f"Its variables: {', '.join(sorted(known))}."
        )


def _override_dist(names: ProjectNames, given: Mapping[str, str]) -> str:
    if "dist_name" not in given:
        return names.dist_name
    problem = dist_name_problem(given["dist_name"].strip())
    if problem:
        raise UsageProblem(f"--var dist_name: {problem}")
    return dist_name_of(given["dist_name"].strip())


def _override_import(
    names: ProjectNames,
    given: Mapping[str, str],
    search_path: Sequence[str],
    taken: Mapping[str, str] | None,
) -> str:
    if "import_name" not in given:
        return names.import_name
    value = given["import_name"].strip()
    problem = import_name_problem(value, search_path, taken=taken)
    if problem:
        raise UsageProblem(f"--var import_name: {problem}")
    return value


class RichPrompter:
    """Asks on the terminal with rich: defaults shown, choices offered, bad answers
    explained and asked again (at most :data:`MAX_ATTEMPTS` times)."""

    def __init__(self, console: Console, stream: TextIO | None = None) -> None:
        self.console = console
        self.stream = stream

    def ask(self, variable: Variable, default: Value) -> Value:
        """Ask until the answer is valid."""
        from rich.markup import escape

        question = f"[bold]{escape(variable.name)}[/bold]"
        if variable.help:
            question += f" [dim]({escape(variable.help)})[/dim]"
        try:
            return self._ask(variable, default, question)
        except EOFError:
            raise UsageProblem(
                f"No answer for {variable.name} (the input ended). Pass it with "
                f"--var {variable.name}=VALUE, or use --no-input for the defaults."
            ) from None

    def _ask(self, variable: Variable, default: Value, question: str) -> Value:
        from rich.markup import escape
        from rich.prompt import Confirm, Prompt

        for _attempt in range(MAX_ATTEMPTS):
            if variable.type == "bool":
                return Confirm.ask(
                    question, default=bool(default), console=self.console, stream=self.stream
                )
            choices = [str(c) for c in variable.choices] or None
            text = Prompt.ask(
                question,
                default=str(default),
                choices=choices,
                console=self.console,
                stream=self.stream,
            )
            try:
                return convert(variable, text)
            except ValueError as exc:
                self.console.print(f"[red]{escape(str(exc))}[/red] Try again.")
        raise UsageProblem(
            f"No valid value for {variable.name} after {MAX_ATTEMPTS} tries. "
            f"Pass it with --var {variable.name}=VALUE."
        )
