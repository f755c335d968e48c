"""routes/ stays a tree: the adapters are one family, and no module imports back.

Imports inside functions and under ``TYPE_CHECKING`` count too: a cycle that
only lazy imports hide still makes every module depend on every other.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import REPO

ROUTES = REPO / "flaskit" / "routes"
ADAPTERS = {"werkzeug", "django", "bottle", "falcon", "pyramid"}


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(ROUTES.rglob("*.py"))}


def imported(path: Path) -> set[str]:
    """The routes modules ``path`` imports, wherever the import statement is."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            candidates = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
        elif isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        else:
            continue
        found.update(name for name in candidates if name in MODULES)
    return found


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        stack.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                return [*stack[stack.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        stack.pop()
        state[node] = "done"
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def test_routes_has_no_import_cycle() -> None:
    graph = {name: imported(path) - {name} for name, path in MODULES.items()}
    assert find_cycle(graph) is None


def test_find_cycle_finds_one() -> None:  # the check above can fail
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_the_adapters_are_one_family() -> None:
    family = {path.stem for path in (ROUTES / "adapters").glob("*.py")}
    assert family == ADAPTERS | {"__init__", "base"}
    for name in ADAPTERS:  # each adapter knows the protocol, not the registry
        assert f"flaskit.routes.adapters.{name}" not in imported(ROUTES / "adapters" / "base.py")
        assert "flaskit.routes.adapters" not in imported(ROUTES / "adapters" / f"{name}.py")


@pytest.mark.parametrize("module", sorted(MODULES))
def test_each_module_imports_on_its_own(module: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", f"import {module}"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stderr
