"""``flaskit new``: names, template, answers, plan, then the atomic write."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from flaskit.config import active_virtualenv
from flaskit.errors import FlaskitError, UsageProblem
from flaskit.scaffold import show
from flaskit.scaffold.answers import Prompter, check_known, settle
from flaskit.scaffold.catalog import TemplateSource, find_template, list_templates
from flaskit.scaffold.manifest import Manifest
from flaskit.scaffold.names import derive_names, installed_search_path
from flaskit.scaffold.plan import Plan, PlannedFile, make_plan, own_modules
from flaskit.scaffold.python_env import PythonEnvironment, detect
from flaskit.scaffold.render import TemplateError, render_text
from flaskit.scaffold.writer import write_plan


class ProjectExists(FlaskitError):
    """The target folder is not empty and ``--force`` was not given (exit code 1)."""


class Interrupted(FlaskitError):
    """Ctrl+C or SIGTERM while writing; everything was undone."""

    exit_code = 130


@dataclass(frozen=True)
class NewConfig:
    """What ``flaskit new`` was asked to do."""

    name: str
    output_dir: Path
    cwd: Path
    template: str | None = None
    layout: str | None = None
    variables: Mapping[str, str] = field(default_factory=dict)
    force: bool = False
    dry_run: bool = False
    # Where flaskit runs, for the next steps; None: this process's (python_env.detect).
    environment: PythonEnvironment | None = None

    @property
    def target(self) -> Path:
        """The project folder: ``OUTPUT_DIR/NAME``."""
        return (self.cwd / self.output_dir / self.name.strip()).absolute()


@dataclass(frozen=True)
class Outcome:
    """What happened: the template, the plan, and the files written (none on a dry run)."""

    source: TemplateSource
    plan: Plan
    written: tuple[PlannedFile, ...]


def create_project(config: NewConfig, prompter: Prompter | None, out: IO[str]) -> Outcome:
    """Create the project ``config`` describes, printing progress to ``out``.

    The template's manifest is read first, then the names are checked (also
    against the modules the template creates), then the variables are settled
    (``prompter`` asks, when given), the plan is computed, and only then is
    anything written, all or nothing.
    """
    from flaskit.console import make_console

    search_path = installed_search_path([config.cwd / config.output_dir])
    source = find_template(config.template, config.layout, config.cwd)
    manifest = source.load()
    _check_layout(manifest, config)
    check_known(manifest, config.variables)
    taken = own_modules(manifest)
    names = derive_names(config.name, search_path, taken)
    console = make_console(out)
    target = config.target
    show.header(console, names, manifest, source, target)
    answers = settle(manifest, names, config.variables, prompter, search_path, taken)
    plan = make_plan(manifest, answers.values, target)
    environment = config.environment or detect(active_virtualenv())
    # A broken step must fail before anything is written.
    next_steps = _next_steps(plan, environment)
    if config.dry_run:
        show.plan(console, plan, config.force, dry_run=True)
        return Outcome(source, plan, ())
    _refuse_unsafe(plan, config.force)
    written = _write(plan)
    show.plan(console, plan, config.force, dry_run=False)
    show.done(console, plan, len(written), next_steps, environment.explanation())
    return Outcome(source, plan, tuple(written))


def show_templates(out: IO[str]) -> None:
    """``flaskit new --list-templates``."""
    from flaskit.console import make_console

    show.listing(make_console(out), list_templates())


def _check_layout(manifest: Manifest, config: NewConfig) -> None:
    if config.layout is None or config.template is None or manifest.layout == config.layout:
        return
    kind = f"a {manifest.layout} layout" if manifest.layout else "not a module or package layout"
    raise UsageProblem(
        f"The '{manifest.name}' template is {kind}, so --layout {config.layout} does not apply. "
        f"Drop --layout, or use --layout {config.layout} without --template."
    )


def _refuse_unsafe(plan: Plan, force: bool) -> None:
    if plan.by_action("blocked") or (plan.target_state == "non-empty" and not force):
        raise ProjectExists(show.refusal(plan))


def _write(plan: Plan) -> list[PlannedFile]:
    where = plan.target
    untouched = "nothing was written" if plan.target_state == "missing" else f"{where} is as it was"
    try:
        return write_plan(plan)
    except KeyboardInterrupt:
        raise Interrupted(f"Interrupted: {untouched}.") from None
    except TemplateError as exc:
        raise TemplateError(f"{exc.message}\nNo project was created: {untouched}.") from exc
    except OSError as exc:
        raise FlaskitError(
            f"Could not write the project in {where}: {exc.strerror or exc} "
            f"({exc.filename}). {untouched[0].upper()}{untouched[1:]}. Check the folder's "
            "permissions and "
            "free space, then try again."
        ) from exc


def _next_steps(plan: Plan, environment: PythonEnvironment) -> list[str]:
    """The template's next steps for this machine; a step that renders empty is left out."""
    label = f"{plan.template.root / 'template.toml'}: next_steps"
    context = {**plan.context, **environment.next_step_variables()}
    steps = [
        render_text(plan.environment, step, context, label) for step in plan.template.next_steps
    ]
    return [step.strip() for step in steps if step.strip()]
