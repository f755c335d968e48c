"""SQLAlchemy's "no such table": the migration (or ``create_all``) that creates it."""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path
from typing import Any

from flaskit.debugpage.hints.context import HintContext
from flaskit.debugpage.model import Hint

# SQLite, PostgreSQL, MySQL/MariaDB.
_MISSING_TABLE = (
    re.compile(r"no such table: (?:\w+\.)?\"?([\w$]+)\"?"),
    re.compile(r"relation \"(?:\w+\.)?([\w$]+)\" does not exist"),
    re.compile(r"Table '(?:\w+\.)?([\w$]+)' doesn't exist"),
)


def no_such_table(exc: BaseException, context: HintContext) -> Hint | None:
    """The table a query needs is not in the database: run (or write) the migration."""
    message = str(getattr(exc, "orig", None) or exc)
    table = next((m.group(1) for p in _MISSING_TABLE if (m := p.search(message))), None)
    if table is None:
        return None
    app = context.app
    extensions = getattr(app, "extensions", {}) or {}
    database = _database_url(app)
    flask = _app_command(context)
    on = f" in {database}" if database else ""
    migrate = extensions.get("migrate")
    if migrate is not None:
        folder = _migrations_folder(migrate, app, context)
        shown = context.shown(folder)
        if not (folder / "env.py").is_file():
            return Hint(
                f"The table {table!r} does not exist{on}",
                f"Flask-Migrate is set up, but there is no migrations folder yet ({shown}).",
                f"Create it and the first migration, then apply it: {flask} db init; "
                f'{flask} db migrate -m "create {table}"; {flask} db upgrade',
            )
        if _mentioned(folder / "versions", table):
            return Hint(
                f"The table {table!r} does not exist{on}",
                f"A migration in {context.shown(folder / 'versions')} creates {table!r}, but it "
                "has not been applied to this database.",
                f"Apply the migrations: {flask} db upgrade",
            )
        return Hint(
            f"The table {table!r} does not exist{on}",
            f"No migration in {context.shown(folder / 'versions')} creates {table!r} yet: the "
            "model is newer than the migrations.",
            "Write the migration, check it, then apply it: "
            f'{flask} db migrate -m "create {table}"; {flask} db upgrade',
        )
    if "sqlalchemy" in extensions:
        name = _db_import(extensions["sqlalchemy"], context)
        return Hint(
            f"The table {table!r} does not exist{on}",
            "The app uses Flask-SQLAlchemy without migrations, so nothing has created the "
            "tables of its models yet.",
            f"Create them once, in an app context: {flask} shell, then: {name}.create_all() "
            "(or add Flask-Migrate to evolve the schema: pip install Flask-Migrate).",
        )
    return Hint(
        f"The table {table!r} does not exist{on}",
        "The query needs a table the database does not have.",
        "Create it: run your migrations (alembic upgrade head), or metadata.create_all(engine).",
    )


def _database_url(app: Any) -> str:
    config = getattr(app, "config", {}) or {}
    url = config.get("SQLALCHEMY_DATABASE_URI")
    if not isinstance(url, str):
        return ""
    try:
        from sqlalchemy.engine import make_url

        return str(make_url(url).render_as_string(hide_password=True))
    except Exception:
        return ""


def _app_command(context: HintContext) -> str:
    """``flaskit -A 'hello:create_app()'``: the app's commands (Flask-Migrate's ``db``) and
    ``shell`` run under flaskit as under ``flask``, for the app the server runs."""
    return f"flaskit -A {shlex.quote(context.app_spec)}" if context.app_spec else "flaskit"


def _migrations_folder(migrate: Any, app: Any, context: HintContext) -> Path:
    folder = Path(str(getattr(migrate, "directory", "migrations") or "migrations"))
    if folder.is_absolute():
        return folder
    base = context.root or Path(getattr(app, "root_path", ".") or ".")
    return base / folder


def _mentioned(versions: Path, table: str) -> bool:
    """Whether a migration script names the table (``op.create_table('user', ...)``)."""
    if not versions.is_dir():
        return False
    quoted = (f"'{table}'", f'"{table}"')
    for script in sorted(versions.glob("*.py"))[:500]:
        try:
            text = script.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if any(q in text for q in quoted):
            return True
    return False


def _db_import(db: Any, context: HintContext) -> str:
    """How the shell reaches the SQLAlchemy object: ``db`` after ``from app.models import db``."""
    for module_name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None)
        if not file or context.root is None or not str(file).startswith(str(context.root)):
            continue
        for name, value in list(vars(module).items()):
            if value is db:
                return f"from {module_name} import {name}; {name}"
    return "db"
