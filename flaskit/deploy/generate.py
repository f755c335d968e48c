"""``flaskit deploy-config``: read the app, validate, render, write, check, report."""

from __future__ import annotations

import os
import re
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from flaskit.deploy.appinfo import read_app
from flaskit.deploy.checks import CheckResult, run_checks
from flaskit.deploy.render import render_all
from flaskit.deploy.spec import DeploySpec
from flaskit.deploy.validate import DeployRequest, ProjectFacts, app_warnings, build_spec
from flaskit.deploy.write import PlannedFile, plan_files, refuse_overwrites, write_files
from flaskit.discovery import AppTarget, parse_spec
from flaskit.errors import FlaskitError


@dataclass(frozen=True)
class DeployConfig:
    """What ``flaskit deploy-config`` was asked to do."""

    request: DeployRequest
    target: AppTarget
    local_root: Path  # the project directory on this machine
    output_dir: Path  # absolute
    default_venv: str | None = None
    app_source: str = "option --app"  # where the app setting came from (Setting.source)
    app_base_dir: Path | None = None  # the folder that setting belongs to (.flaskenv's)
    force: bool = False
    dry_run: bool = False
    check: bool = False


class Interrupted(FlaskitError):
    """Ctrl+C or SIGTERM while writing; everything was undone."""

    exit_code = 130


class ChecksFailed(FlaskitError):
    """A server's validator rejected a generated file (exit code 1)."""


@dataclass(frozen=True)
class Outcome:
    """What deploy-config did, for callers and tests."""

    spec: DeploySpec
    plan: list[PlannedFile]
    notes: list[str]
    checks: list[CheckResult]


def deploy_config(config: DeployConfig, out: IO[str] | None = None) -> Outcome:
    """Generate the files ``config`` asks for; raise before writing when input is bad."""
    out = sys.stdout if out is None else out
    folders = [f for f in (config.app_base_dir, config.local_root) if f is not None]
    target, app_note = choose_app(config.target, config.app_source, folders)
    reading = read_app(target, config.local_root)
    facts = ProjectFacts(
        target=target,
        local_root=config.local_root,
        output_dir=config.output_dir,
        app_info=reading.info,
        default_venv=config.default_venv,
        cpu_count=os.cpu_count() or 1,
        interpreter_venv=interpreter_venv(),
        python_version=project_python(config.local_root),
        version=_project_version(config.local_root),
    )
    spec, notes = build_spec(config.request, facts)
    notes.insert(0, app_note)
    warnings = app_warnings(spec, reading.info)
    if reading.problem is not None:
        notes.insert(
            0,
            f"The app could not be imported ({reading.problem}), so its static folder and "
            f"MAX_CONTENT_LENGTH were not read: no static location, body limit "
            f"{spec.max_body} bytes. Run deploy-config where the app imports to include them.",
        )
    if spec.bind is not None and spec.bind.host not in ("127.0.0.1", "::1"):
        notes.append(
            f"gunicorn listens on {spec.bind.apache()}: it trusts X-Forwarded-Proto only from "
            "127.0.0.1 and ::1, so set forwarded_allow_ips in gunicorn.conf.py to nginx's "
            "address, and firewall the port."
        )
    plan = plan_files(config.output_dir, render_all(spec))
    if not config.force and not config.dry_run:
        refuse_overwrites(plan)
    if config.dry_run:
        _print_dry_run(plan, out)
    else:
        _write(plan, config.output_dir)
        _print_written(plan, out)
    for note in notes:
        out.write(f"note: {note}\n")
    for warning in warnings:
        out.write(f"WARNING: {warning}\n")
    checks: list[CheckResult] = []
    if config.check:
        with tempfile.TemporaryDirectory(prefix="flaskit-check-") as workdir:
            checks = run_checks(spec, Path(workdir))
        _print_checks(checks, out)
    if not config.dry_run:
        readme = config.output_dir / "README.md"
        out.write(f"Next: follow {_shown(readme)}, which installs the files in order.\n")
    failed = [c.name for c in checks if c.status == "failed"]
    if failed:
        raise ChecksFailed(
            f"{', '.join(failed)} rejected the generated files (output above). "
            + ("They were written anyway, so you can look at them. " if not config.dry_run else "")
            + "Fix the option that produced the bad value and run deploy-config again."
        )
    return Outcome(spec, plan, notes, checks)


def choose_app(target: AppTarget, source: str, folders: Sequence[Path]) -> tuple[AppTarget, str]:
    """The app to deploy, and a note saying which it is and why.

    ``FLASK_APP`` (usually from ``.flaskenv``) and the other settings name the app
    for development; a project's own ``wsgi.py`` is its production entry point,
    often with set-up of its own (loading ``.env``, production settings). So
    unless the app was named on the command line, ``wsgi.py`` wins.
    """
    described = target.describe()
    wsgi = next((f / "wsgi.py" for f in folders if (f / "wsgi.py").is_file()), None)
    named_here = source.startswith("option") or source == "default"
    if named_here or wsgi is None or _same_file(target.module_file, wsgi):
        return target, f"app: {described} (from {source})."
    chosen = parse_spec(str(wsgi), wsgi.parent, origin="the project's wsgi.py")
    return chosen, (
        f"app: the project's wsgi.py, its production entry point, rather than {described} "
        f"from {source}, which is for development. Pass --app {described} to deploy that "
        "instead."
    )


def project_python(root: Path) -> str:
    """The Python ``X.Y`` the project asks for: ``.python-version``, ``runtime.txt``,
    ``requires-python`` (the running one when it qualifies, else the lowest), else ours."""
    running = (sys.version_info.major, sys.version_info.minor)
    for name, pattern in (
        (".python-version", r"^\s*(\d+)\.(\d+)"),
        ("runtime.txt", r"(\d+)\.(\d+)"),
    ):
        path = root / name
        found = re.search(pattern, path.read_text(errors="replace")) if path.is_file() else None
        if found:
            return f"{found.group(1)}.{found.group(2)}"
    requires = _pyproject(root).get("project", {}).get("requires-python", "")
    lower = re.search(r">=\s*(\d+)\.(\d+)", str(requires))
    upper = re.search(r"<\s*(\d+)\.(\d+)", str(requires))
    chosen = running
    if lower and running < (int(lower.group(1)), int(lower.group(2))):
        chosen = (int(lower.group(1)), int(lower.group(2)))
    if upper and chosen >= (int(upper.group(1)), int(upper.group(2))) and lower:
        chosen = (int(lower.group(1)), int(lower.group(2)))
    return f"{chosen[0]}.{chosen[1]}"


def _project_version(root: Path) -> str:
    version = _pyproject(root).get("project", {}).get("version", "")
    return version if isinstance(version, str) else ""


def _pyproject(root: Path) -> dict[str, Any]:
    path = root / "pyproject.toml"
    if not path.is_file():
        return {}
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return {}


def _same_file(first: Path | None, second: Path) -> bool:
    return first is not None and first.resolve() == second.resolve()


def interpreter_venv() -> Path | None:
    """The virtualenv flaskit runs in, when it is one and not flaskit's own tool env."""
    from flaskit.scaffold.python_env import tool_of

    prefix = Path(sys.prefix)
    if sys.prefix == sys.base_prefix:
        return None
    # pipx and uv install flaskit in an environment of its own, without the app's packages.
    return None if tool_of(prefix) else prefix


def _write(plan: list[PlannedFile], output_dir: Path) -> None:
    untouched = (
        "Nothing was written"
        if all(item.action == "create" for item in plan)
        else f"Nothing in {output_dir} was changed"
    )
    try:
        write_files(plan)
    except KeyboardInterrupt:
        raise Interrupted(f"Interrupted: {untouched}.") from None
    except OSError as exc:
        raise FlaskitError(
            f"Could not write the files in {output_dir}: {exc.strerror or exc} "
            f"({exc.filename}). {untouched}: every file is as it was. Check the folder's "
            "permissions and free space, then run the command again."
        ) from exc


def _print_dry_run(plan: list[PlannedFile], out: IO[str]) -> None:
    out.write("Dry run: nothing is written.\n")
    for item in plan:
        verb = {"create": "would create", "overwrite": "would replace", "unchanged": "unchanged"}
        out.write(f"\n==> {_shown(item.path)} ({verb[item.action]})\n")
        out.write(item.file.content)
    out.write("\n")


def _print_written(plan: list[PlannedFile], out: IO[str]) -> None:
    verb = {"create": "wrote", "overwrite": "replaced", "unchanged": "unchanged"}
    for item in plan:
        out.write(f"{verb[item.action]:>9}  {_shown(item.path)}\n")


def _print_checks(checks: list[CheckResult], out: IO[str]) -> None:
    if not checks:
        return
    out.write("Checks:\n")
    for check in checks:
        label = {"ok": "ok", "failed": "FAILED", "not run": "not run"}[check.status]
        line = f"  {label:<8} {check.name}"
        if check.status == "not run":
            line += f": {check.detail}"
        out.write(line + "\n")
        for note in check.notes:
            out.write(f"           ({note})\n")
        if check.status == "failed":
            for detail in check.detail.splitlines():
                out.write(f"           | {detail}\n")


def _shown(path: Path) -> str:
    """A path relative to the working directory when it is below it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
