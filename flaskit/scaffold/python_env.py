"""Which Python environment flaskit runs in, for next steps that fit it.

``flaskit new`` used to tell everyone to make a virtualenv in the project,
even people already working in one. What fits depends on where flaskit runs:

* a virtualenv is active (``VIRTUAL_ENV``): install the project into it. When
  flaskit itself runs elsewhere, the project's environment needs flaskit too,
  since ``flaskit run`` imports the app with the Python it runs on;
* flaskit runs in a virtualenv that is not active (``.venv/bin/flaskit new``):
  activate that one;
* flaskit runs in an environment of its own (pipx, ``uv tool``), or in no
  virtualenv at all: make one in the project, and install flaskit into it.
"""

from __future__ import annotations

import enum
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath

# pipx and uv leave these in every environment they manage.
_TOOL_MARKERS = {"pipx_metadata.json": "pipx", "uv-receipt.toml": "uv tool"}
# Their homes, for an environment without a marker file: installed tools, and the
# throw-away environments of `pipx run` and `uvx`.
_TOOL_HOMES = {
    "pipx/venvs/": "pipx",
    "pipx/.cache/": "pipx run",
    "uv/tools/": "uv tool",
    "uv/archive-v": "uvx",
}


class Install(enum.Enum):
    """Where flaskit runs, as far as the project's next steps care."""

    ACTIVE = "active"  # a virtualenv is active: the project goes there
    INACTIVE = "inactive"  # flaskit runs in a virtualenv that is not active
    TOOL = "tool"  # pipx / uv tool: flaskit's own environment, not for projects
    NONE = "none"  # no virtualenv


@dataclass(frozen=True)
class PythonEnvironment:
    """The facts the next steps depend on."""

    install: Install
    prefix: Path  # where flaskit runs (sys.prefix)
    active: Path | None = None  # the active virtualenv, if any
    tool: str | None = None  # "pipx" or "uv tool"
    windows: bool = False

    @property
    def flaskit_elsewhere(self) -> bool:
        """Whether the project's environment lacks this flaskit and needs its own."""
        if self.install is Install.ACTIVE:
            return self.active is None or not _same(self.active, self.prefix)
        return self.install in (Install.TOOL, Install.NONE)

    def setup_step(self) -> str:
        """The command that makes the project's environment ready: activate, create
        and activate, or nothing (already active)."""
        if self.install is Install.ACTIVE:
            return ""
        if self.install is Install.INACTIVE:
            return self._activate(self.prefix)
        make = "py -m venv .venv" if self.windows else "python3 -m venv .venv"
        return f"{make} && {self._activate(Path('.venv'))}"

    def explanation(self) -> str:
        """One sentence on why the steps look the way they do."""
        if self.install is Install.ACTIVE:
            where = f"the active virtualenv {self.active or self.prefix}"
            if self.flaskit_elsewhere:
                return (
                    f"The steps install the project into {where}; flaskit, installed "
                    "elsewhere, runs the app with that environment's Python."
                )
            return f"flaskit runs in {where}: the steps install the project there."
        if self.install is Install.INACTIVE:
            return (
                f"flaskit runs in the virtualenv {self.prefix}, which is not active: the "
                "steps activate it and install the project there."
            )
        if self.install is Install.TOOL:
            return (
                f"flaskit runs in its own {self.tool} environment, which is not for "
                "projects: the steps make one in the project (.venv), where flaskit finds "
                "it and runs the app."
            )
        return (
            "No virtualenv is active: the steps make one in the project (.venv) and "
            "install the project in it; flaskit finds it there and runs the app with it."
        )

    def next_step_variables(self) -> dict[str, str | bool]:
        """What a template's ``next_steps`` can use (``manifest.NEXT_STEP_VARIABLES``): they
        describe this machine, so the project's files must not depend on them."""
        return {
            "virtualenv": self.install.value,
            "setup_step": self.setup_step(),
        }

    def _activate(self, venv: Path) -> str:
        if self.windows:
            script = str(PureWindowsPath(str(venv)) / "Scripts" / "activate")
            return f'"{script}"' if " " in script else script
        return f". {shlex.quote(str(venv / 'bin' / 'activate'))}"


def detect(
    active: Path | None,
    prefix: str = sys.prefix,
    base_prefix: str = sys.base_prefix,
    windows: bool = sys.platform == "win32",
) -> PythonEnvironment:
    """Where flaskit runs; ``active`` is ``config.active_virtualenv()``."""
    here = Path(prefix)
    if active is not None:
        return PythonEnvironment(Install.ACTIVE, here, active, windows=windows)
    if prefix == base_prefix:
        return PythonEnvironment(Install.NONE, here, windows=windows)
    tool = tool_of(here)
    if tool:
        return PythonEnvironment(Install.TOOL, here, tool=tool, windows=windows)
    return PythonEnvironment(Install.INACTIVE, here, windows=windows)


def tool_of(prefix: Path) -> str | None:
    """``pipx`` or ``uv tool`` when that tool made the environment at ``prefix``."""
    for marker, tool in _TOOL_MARKERS.items():
        if (prefix / marker).is_file():
            return tool
    posix = prefix.as_posix() + "/"
    return next((tool for home, tool in _TOOL_HOMES.items() if home in posix), None)


def _same(first: Path, second: Path) -> bool:
    try:
        return first.resolve() == second.resolve()
    except OSError:
        return first == second
