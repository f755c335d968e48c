"""``ModuleNotFoundError``: the interpreter that looked, and the exact install command for it."""

from __future__ import annotations

import importlib.util
import shlex
import sys
from pathlib import Path

from flaskit.debugpage.hints.context import HintContext
from flaskit.debugpage.model import Hint

# Import names whose distribution on PyPI is called something else.
DISTRIBUTIONS = {
    "yaml": "PyYAML",
    "PIL": "Pillow",
    "cv2": "opencv-python",
    "sklearn": "scikit-learn",
    "bs4": "beautifulsoup4",
    "dotenv": "python-dotenv",
    "jwt": "PyJWT",
    "jose": "python-jose",
    "dateutil": "python-dateutil",
    "magic": "python-magic",
    "Crypto": "pycryptodome",
    "OpenSSL": "pyOpenSSL",
    "git": "GitPython",
    "serial": "pyserial",
    "attr": "attrs",
    "psycopg2": "psycopg2-binary",
    "MySQLdb": "mysqlclient",
    "ldap": "python-ldap",
    "docx": "python-docx",
    "slugify": "python-slugify",
    "multipart": "python-multipart",
    "socks": "PySocks",
    "zmq": "pyzmq",
    "usb": "pyusb",
    "markdown": "Markdown",
    "wtforms": "WTForms",
}


def module_not_found(exc: BaseException, context: HintContext) -> Hint | None:
    """What to install, with which interpreter; or the module of the project that is missing."""
    name = getattr(exc, "name", None)
    if not isinstance(name, str) or not name or name.startswith("."):
        return None
    top, _, rest = name.partition(".")
    python = sys.executable or "python"
    if rest and _importable(top):
        package = sys.modules.get(top)
        folder = Path(getattr(package, "__file__", "") or "").parent
        shown = context.shown(folder) if str(folder) not in ("", ".") else top
        return Hint(
            f"The package {top} has no module {rest}",
            f"{top} is found ({shown}), but not {name} inside it.",
            f"Check the name, or create {context.shown(folder / rest.replace('.', '/'))}.py.",
        )
    if top in sys.stdlib_module_names:
        return Hint(
            f"{name} is part of Python's standard library, but this Python lacks it",
            f"The interpreter {python} was built without {top} (common for _sqlite3, _tkinter, "
            "_ssl, _lzma and _ctypes when their system libraries were missing at build time).",
            "Install the system package it needs (e.g. libsqlite3-dev) and rebuild or reinstall "
            "this Python, or use another interpreter.",
        )
    local = _in_project(top, context.root)
    if local is not None:
        return Hint(
            f"{top} is in the project but not importable from here",
            f"{context.shown(local)} exists, but Python looks for modules in: "
            + ", ".join(context.shown(p) or "." for p in sys.path[:4])
            + ".",
            f"Run flaskit from the folder that contains {local.name} (or name the app with "
            "--app), or make the import relative to your package.",
        )
    distribution = DISTRIBUTIONS.get(top, top.replace("_", "-"))
    detail = f"No module {name!r} for the interpreter that looked: {python}"
    if sys.prefix != sys.base_prefix:
        detail += f" (the virtual environment {sys.prefix})."
    else:
        detail += " (no virtual environment: packages go to this Python's own site-packages)."
    project_venv = _project_venv(context.root)
    if project_venv is not None and Path(sys.prefix).resolve() != project_venv.resolve():
        detail += (
            f" The project has its own environment, {context.shown(project_venv)}, which "
            "flaskit does not run in."
        )
    command = f"{shlex.quote(python)} -m pip install {shlex.quote(distribution)}"
    return Hint(
        f"The module {name} is not installed", detail, f"Install it for that interpreter: {command}"
    )


def _importable(name: str) -> bool:
    if name in sys.modules:
        return True
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def _in_project(top: str, root: Path | None) -> Path | None:
    if root is None:
        return None
    for candidate in (root / top, root / f"{top}.py", root / "src" / top):
        if candidate.exists():
            return candidate
    return None


def _project_venv(root: Path | None) -> Path | None:
    if root is None:
        return None
    for name in (".venv", "venv", "env"):
        if (root / name / "pyvenv.cfg").is_file():
            return root / name
    return None
