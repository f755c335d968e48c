"""Words for how a process ended, and the state of one that does not answer.

The supervisor never imports the app, so when a worker dies while importing it
(``os._exit``, a segmentation fault in a C extension, a signal) all it has is
the exit status; this turns it into a sentence for the terminal and for the
error page that a worker then serves in its place.
"""

from __future__ import annotations

import signal
from pathlib import Path


def describe_exit(code: int | None) -> str:
    """``exited with code 3``, ``was killed by SIGSEGV (segmentation fault)``, or
    ``exited`` when the status is unknown (a forked worker is reaped by the zygote)."""
    if code is None:
        return "exited"
    if code >= 0:
        return f"exited with code {code}"
    try:
        name = signal.Signals(-code).name
    except ValueError:
        return f"was killed by signal {-code}"
    meaning = signal.strsignal(-code) or ""
    return f"was killed by {name} ({meaning.lower()})" if meaning else f"was killed by {name}"


def crash_message(code: int | None) -> str:
    """What the error page says when the worker died importing the app."""
    return (
        f"The worker importing the app {describe_exit(code)} before it could serve "
        "(os._exit(), a crash in a C extension, a signal). Its output is in flaskit's "
        "terminal. Fix the problem and save a file: this page reloads by itself."
    )


def is_stopped(pid: int) -> bool:
    """Whether process ``pid`` is stopped (SIGSTOP, SIGTSTP, a debugger); False when
    it is not, or when the system cannot tell (no ``/proc``)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    fields = stat.rsplit(")", 1)[-1].split()
    return bool(fields) and fields[0] in ("T", "t")


class WorkerDied(RuntimeError):
    """Shown on the error page in place of an import that killed its worker."""
