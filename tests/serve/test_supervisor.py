"""The supervisor's own checks, in process."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from flaskit.errors import FlaskitError
from flaskit.serve.settings import RunOptions
from tests.serve.server import sources_for


def test_a_system_that_cannot_pass_sockets_is_refused_with_the_way_out(tmp_path, monkeypatch):
    from flaskit.serve.supervisor import run_server

    monkeypatch.delattr(socket, "send_fds")  # as on Windows
    with pytest.raises(FlaskitError, match="WSL"):
        run_server(RunOptions(), sources_for(tmp_path))


def test_a_changed_modules_bytecode_goes_for_every_python(tmp_path: Path) -> None:
    # From an isolated install the workers may run Python 3.10 while the supervisor
    # runs 3.11: a same-size rewrite in the same second must not be served from
    # either interpreter's stale .pyc.
    from flaskit.serve.supervisor import _forget_bytecode

    source = tmp_path / "app.py"
    source.write_text("VERSION = 1\n")
    cache = tmp_path / "__pycache__"
    cache.mkdir()
    names = ["app.cpython-310.pyc", "app.cpython-311.pyc", "app.cpython-311.opt-1.pyc"]
    kept = ["app2.cpython-311.pyc", "other.cpython-310.pyc"]
    for name in [*names, *kept]:
        (cache / name).write_bytes(b"")
    _forget_bytecode([source])
    assert sorted(p.name for p in cache.iterdir()) == sorted(kept)
