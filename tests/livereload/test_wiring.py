"""When live reload is on, and how the worker puts it around the app."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from flaskit.context import CliContext
from flaskit.livereload.middleware import LiveReloadMiddleware
from flaskit.serve.settings import RunOptions, resolve
from flaskit.serve.worker import WorkerConfig, wrap_live_reload
from tests.livereload.fakes import FakeWorker, call, html

PAGE = b"<html><body>page</body></html>"


def sources(tmp_path: Path, pyproject: str = "", **environ: str) -> CliContext:
    (tmp_path / "app.py").write_text("def application(environ, start_response):\n    pass\n")
    if pyproject:
        (tmp_path / "pyproject.toml").write_text(f"[tool.flaskit]\n{pyproject}\n")
    return CliContext(cwd=tmp_path, environ={"FLASKIT_SKIP_DOTENV": "1", **environ})


@pytest.mark.parametrize(
    ("options", "environ", "pyproject", "on"),
    [
        ({"debug": True}, {}, "", True),
        ({}, {"FLASK_DEBUG": "1"}, "", True),
        ({}, {}, "", False),
        ({"debug": True, "live_reload": False}, {}, "", False),
        ({"debug": True}, {"FLASKIT_LIVE_RELOAD": "0"}, "", False),
        ({"debug": True}, {}, "live-reload = false", False),
        ({"live_reload": True}, {}, "", False),  # never without debug mode
    ],
)
def test_on_by_default_with_debug_and_never_without(
    tmp_path: Path, options: dict[str, Any], environ: dict[str, str], pyproject: str, on: bool
) -> None:
    config = resolve(RunOptions(**options), sources(tmp_path, pyproject, **environ))
    assert config.live_reload is on


def test_asking_for_it_without_debug_says_why_it_stays_off(tmp_path: Path) -> None:
    config = resolve(RunOptions(live_reload=True), sources(tmp_path))
    assert any("--live-reload" in note and "--debug" in note for note in config.notes)
    quiet = resolve(RunOptions(), sources(tmp_path))
    assert not any("Live reload" in note for note in quiet.notes)


def worker_config(tmp_path: Path, debug: bool, live_reload: bool) -> WorkerConfig:
    target = sources(tmp_path).target()
    return WorkerConfig(
        target, "127.0.0.1", 5000, (tmp_path,), debug=debug, live_reload=live_reload
    )


@pytest.mark.parametrize(("debug", "live_reload"), [(False, True), (True, False), (False, False)])
def test_the_worker_leaves_the_app_alone_when_it_is_off(
    tmp_path: Path, debug: bool, live_reload: bool
) -> None:
    app = html(PAGE)
    worker = FakeWorker()
    assert wrap_live_reload(app, worker_config(tmp_path, debug, live_reload), worker) is app  # type: ignore[arg-type]
    assert (worker.listeners, worker.drains) == ([], [])


def test_the_worker_hooks_the_hub_to_its_messages_and_drain(tmp_path: Path) -> None:
    worker = FakeWorker(generation=7)
    wrapped = wrap_live_reload(html(PAGE), worker_config(tmp_path, True, True), worker)  # type: ignore[arg-type]
    assert isinstance(wrapped, LiveReloadMiddleware)
    assert wrapped.hub.generation_id.startswith("7-")
    worker.send("template", str(tmp_path / "templates" / "index.html"))
    assert wrapped.hub.seq == 1
    worker.drain()
    assert wrapped.hub.closed
    assert b"__flaskit/livereload.js" in b"".join(call(wrapped)[2])
