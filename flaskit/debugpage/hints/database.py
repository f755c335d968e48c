"""A query on a table that does not exist: the migration, the app's own setup command
(the Flask tutorial's ``init-db``) or the ``create_all`` that creates it."""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path
from typing import Any

from flaskit.debugpage.hints.context import HintContext
from flaskit.debugpage.model import Hint

# An app's command that sets its database up: init-db, create_tables, initdb, setup-database.
_SETUP_COMMAND = re.compile(r"(?:init|create|setup|reset)[-_]?(?:db|database|tables?|schema)")
# SQLite, PostgreSQL, MySQL/MariaDB.
_MISSING_TABLE = (
    re.compile(r"no such table: (?:\w+\.)?\"?([\w$]+)\"?"),
    re.compile(r"relation \"(?:\w+\.)?([\w$]+)\" does not exist"),
    re.compile(r"Table '(?:\w+\.)?([\w$]+)' doesn't exist"),
)


def no_such_table(exc: BaseException, context: HintContext) -> Hint | None:
    """The table a query needs is not in the database: run (or write) the migration, or
    the app's command that sets the database up.

    For SQLAlchemy's error (its ``orig`` is the driver's) and the driver's own, as
    sqlite3's in the Flask tutorial, whose ``init-db`` command creates the tables.
    """
    orm = getattr(exc, "orig", None)
    message = str(orm or exc)
    table = next((m.group(1) for p in _MISSING_TABLE if (m := p.search(message))), None)
    if table is None:
        return None
    app = context.app
    extensions = getattr(app, "extensions", {}) or {}
    database = _database_name(app, context, orm is not None)
    flask = _app_command(context)
    title = f"The table {table!r} does not exist" + (f" in {database}" if database else "")
    migrate = extensions.get("migrate") if orm is not None else None
    if migrate is not None:
        return _migration_hint(_migrations_folder(migrate, app, context), table, title, context)
    command = _setup_command(app)
    if orm is not None and "sqlalchemy" in extensions:
        name = _db_import(extensions["sqlalchemy"], context)
        own = f", or the app's own {flask} {command} if that is what it does" if command else ""
        return Hint(
            title,
            "The app uses Flask-SQLAlchemy without migrations, so nothing has created the "
            "tables of its models yet.",
            f"Create them once, in an app context: {flask} shell, then: {name}.create_all()"
            f"{own} (or add Flask-Migrate to evolve the schema: pip install Flask-Migrate).",
        )
    if command is not None:
        return Hint(
            title,
            f"The app has a command that sets its database up, {command!r}: it has not been "
            "run for this database (or not since the table was added to it).",
            f"Run it (it may start the database afresh): {flask} {command}",
        )
    return Hint(
        title,
        "The query needs a table the database does not have.",
        "Create it: run your migrations (alembic upgrade head), the script that sets the "
        "database up, or metadata.create_all(engine).",
    )


def _migration_hint(folder: Path, table: str, title: str, context: HintContext) -> Hint:
    """With Flask-Migrate: the migrations to write or apply."""
    flask = _app_command(context)
    if not (folder / "env.py").is_file():
        return Hint(
            title,
            f"Flask-Migrate is set up, but there is no migrations folder yet "
            f"({context.shown(folder)}).",
            f"Create it and the first migration, then apply it: {flask} db init; "
            f'{flask} db migrate -m "create {table}"; {flask} db upgrade',
        )
    if _mentioned(folder / "versions", table):
        return Hint(
            title,
            f"A migration in {context.shown(folder / 'versions')} creates {table!r}, but it "
            "has not been applied to this database.",
            f"Apply the migrations: {flask} db upgrade",
        )
    return Hint(
        title,
        f"No migration in {context.shown(folder / 'versions')} creates {table!r} yet: the "
        "model is newer than the migrations.",
        "Write the migration, check it, then apply it: "
        f'{flask} db migrate -m "create {table}"; {flask} db upgrade',
    )


def _setup_command(app: Any) -> str | None:
    """The name of the app's own command that sets its database up (``@app.cli.command``)."""
    commands = getattr(getattr(app, "cli", None), "commands", None)
    if not isinstance(commands, dict):
        return None
    return next((str(name) for name in sorted(commands) if _SETUP_COMMAND.fullmatch(name)), None)


def _database_name(app: Any, context: HintContext, orm: bool) -> str:
    """Where the database is: for SQLAlchemy's error its URL (no password), for a driver's
    the file of a ``DATABASE`` setting (the Flask tutorial's), if the app has it."""
    config = getattr(app, "config", {}) or {}
    url = config.get("SQLALCHEMY_DATABASE_URI")
    if orm and isinstance(url, str):
        try:
            from sqlalchemy.engine import make_url

            return str(make_url(url).render_as_string(hide_password=True))
        except Exception:
            return ""
    path = config.get("DATABASE")
    return context.shown(path) if not orm and isinstance(path, str) and "://" not in path else ""


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
