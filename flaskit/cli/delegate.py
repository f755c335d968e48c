"""Hand a command to the project's interpreter when flaskit is installed on its own.

``flaskit routes``, ``shell``, ``deploy-config`` and the app's own commands import
the app, so from an isolated install (pipx, ``uv tool``) the whole invocation runs
again in the project's interpreter, with flaskit's install after the project's
paths (:mod:`flaskit.interpreter`). ``new`` imports nothing of the project, and
``run`` keeps its supervisor here and starts only its workers there.
"""

from __future__ import annotations

import os
import subprocess
import sys

from flaskit.config import DELEGATED_FROM
from flaskit.context import CliContext

IN_PLACE = frozenset({"new", "run"})


def hand_over(info: CliContext, command: str) -> None:
    """Run this invocation in the project's interpreter when the app lives there;
    returns only when it runs here."""
    if command in IN_PLACE or info.argv is None:
        return
    project = info.project_python()
    if not project.isolated:
        return
    argv = project.module_command("flaskit", *info.argv)
    environ = project.app_environ(dict(info.sources.environ))
    environ[DELEGATED_FROM] = sys.executable
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    if os.name == "posix":
        # In place: the terminal, signals and the exit code are the project's command's.
        os.execve(argv[0], argv, environ)  # noqa: S606 - the project's interpreter, by path
    sys.exit(subprocess.call(argv, env=environ))
