"""Fixtures for deploy-config's tests: a world-readable copy of the sample app,
a certificate for it, a run directory outside /tmp for sockets, and (once per
session) a venv made with the Python that Debian's mod_wsgi embeds."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import APPS, IN_CI, require_tool

SITE_APP = APPS / "deploy_site"
SITE_SPEC = "deploy_site.app:create_app()"
DOMAINS = ("example.test", "www.example.test")
MOD_WSGI_PYTHON = "/usr/bin/python3.11"


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Path]:
    """A temporary folder the web servers' user (www-data) can read."""
    root = Path(tempfile.mkdtemp(prefix="flaskit-deploy-"))
    root.chmod(0o755)
    try:
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def run_dir() -> Iterator[Path]:
    """A folder for unix sockets outside /tmp, which deploy-config refuses for them."""
    candidates = [Path("/run"), Path(os.environ.get("XDG_RUNTIME_DIR") or "/nonexistent")]
    base = next((c for c in candidates if c.is_dir() and os.access(c, os.W_OK)), None)
    if base is None:
        message = "no writable /run or XDG_RUNTIME_DIR for the test's unix sockets"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    folder = Path(tempfile.mkdtemp(prefix="flaskit-", dir=base))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def site_project(sandbox: Path) -> Path:
    """A world-readable copy of tests/apps/deploy_site."""
    project = sandbox / "project"
    shutil.copytree(SITE_APP, project, ignore=shutil.ignore_patterns("__pycache__"))
    for path in [project, *project.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return project


@pytest.fixture(scope="session")
def tls_pair(sandbox: Path) -> tuple[Path, Path]:
    """A self-signed certificate for the test domains, and its key."""
    require_tool("openssl")
    from flaskit.deploy.checks import make_self_signed

    cert, key = sandbox / "tls" / "cert.pem", sandbox / "tls" / "key.pem"
    error = make_self_signed(cert, key, DOMAINS)
    assert error is None, error
    return cert, key


@pytest.fixture(scope="session")
def mod_wsgi_venv(sandbox: Path) -> Path:
    """A venv of Debian's /usr/bin/python3.11 with Flask, readable by www-data."""
    python = require_tool(MOD_WSGI_PYTHON)
    venv = sandbox / "venv311"
    subprocess.run([python, "-m", "venv", str(venv)], check=True, timeout=120)
    subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "flask>=3.0"],
        check=True,
        timeout=300,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )
    return venv
