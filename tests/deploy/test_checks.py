"""--check: the real validators on every target x TLS mode, and proof that each
of them can fail."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path, PurePosixPath

import pytest

from flaskit.deploy.appinfo import read_app
from flaskit.deploy.checks import (
    check_apache,
    check_gunicorn,
    check_nginx,
    check_systemd,
    run_checks,
)
from flaskit.deploy.render import RenderedFile, render_all
from flaskit.deploy.spec import TLS_MODES, DeploySpec
from flaskit.deploy.validate import DeployRequest, ProjectFacts, build_spec
from flaskit.discovery import parse_spec
from tests.deploy.conftest import DOMAINS, SITE_SPEC
from tests.helpers import require_tool

VALIDATORS = {
    "nginx": "nginx -t",
    "apache": "apache2 -t",
    "gunicorn": "gunicorn --check-config",
    "systemd": "systemd-analyze verify",
}
TOOLS = ("nginx", "apache2", "systemd-analyze", "openssl")


def _spec(project: Path, tmp: Path, **options: object) -> DeploySpec:
    target = parse_spec(SITE_SPEC, project)
    facts = ProjectFacts(target, project, tmp / "deploy", read_app(target).info, None, 2)
    defaults: dict[str, object] = {"domains": DOMAINS, "venv": sys.prefix, "user": "www-data"}
    request = DeployRequest(**{**defaults, **options})  # type: ignore[arg-type]
    return build_spec(request, facts)[0]


def _files(spec: DeploySpec) -> dict[str, RenderedFile]:
    return {str(f.path): f for f in render_all(spec)}


def _broken(
    files: dict[str, RenderedFile], path: str, old: str, new: str
) -> dict[str, RenderedFile]:
    file = files[path]
    assert old in file.content, f"{old!r} not in {path}"
    changed = dataclasses.replace(file, content=file.content.replace(old, new, 1))
    return {**files, path: changed}


@pytest.mark.slow
@pytest.mark.parametrize("tls", TLS_MODES)
@pytest.mark.parametrize("target", list(VALIDATORS))
def test_every_target_passes_its_real_validator(
    target: str, tls: str, tmp_path: Path, site_project: Path, isolated_imports: None
) -> None:
    for tool in TOOLS:
        require_tool(tool)
    cert = {"cert": "/etc/ssl/certs/example.pem", "key": "/etc/ssl/private/example.key"}
    spec = _spec(
        site_project, tmp_path, targets=(target,), tls=tls, **(cert if tls == "files" else {})
    )
    results = run_checks(spec, tmp_path / "work")
    assert [r.name for r in results] == [VALIDATORS[target]]
    [result] = results
    assert result.status == "ok", f"{result.detail}\n{result.notes}"
    if tls != "off" and target in ("nginx", "apache"):
        assert any("self-signed" in note for note in result.notes)  # said, not hidden


@pytest.mark.slow
def test_all_targets_at_once_with_a_tcp_bind_and_stand_in_user(
    tmp_path: Path, site_project: Path, isolated_imports: None
) -> None:
    for tool in TOOLS:
        require_tool(tool)
    spec = _spec(site_project, tmp_path, bind="127.0.0.1:8000", user="nosuchuser-flaskit")
    results = {r.name: r for r in run_checks(spec, tmp_path / "work")}
    assert {name: r.status for name, r in results.items()} == dict.fromkeys(
        VALIDATORS.values(), "ok"
    )
    assert any("'nosuchuser-flaskit'" in n for n in results["apache2 -t"].notes)


@pytest.mark.slow
def test_nginx_check_fails_on_a_bad_directive(tmp_path: Path) -> None:
    require_tool("nginx")
    spec = _fixed_spec(tmp_path)
    files = _broken(_files(spec), "nginx/shop.conf", "server_tokens off;", "server_tokens maybe;")
    result = check_nginx(spec, files, tmp_path / "nginx", ())
    assert result.status == "failed"
    assert '"maybe"' in result.detail


@pytest.mark.slow
def test_apache_check_fails_on_a_bad_directive(tmp_path: Path) -> None:
    require_tool("apache2")
    spec = _fixed_spec(tmp_path)
    files = _broken(_files(spec), "apache/shop.conf", "LimitRequestBody", "LimitRequestBodyy")
    result = check_apache(spec, files, tmp_path / "apache", ())
    assert result.status == "failed"
    assert "LimitRequestBodyy" in result.detail


@pytest.mark.slow
def test_apache_check_fails_when_the_venv_python_is_not_mod_wsgis(tmp_path: Path) -> None:
    require_tool("apache2")
    venv = tmp_path / "venv"
    venv.mkdir()
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\nversion = 3.2.0\n")
    spec = dataclasses.replace(_fixed_spec(tmp_path), venv=PurePosixPath(venv.as_posix()))
    result = check_apache(spec, _files(spec), tmp_path / "apache", ())
    assert result.status == "failed"
    assert "Python 3.2" in result.detail
    assert "-m venv" in result.detail


@pytest.mark.slow
def test_systemd_check_fails_on_a_key_systemd_would_ignore(tmp_path: Path) -> None:
    require_tool("systemd-analyze")
    spec = _fixed_spec(tmp_path)
    files = _broken(
        _files(spec), "systemd/shop.service", "KillMode=mixed", "KillMode=mixed\nBogus=1"
    )
    result = check_systemd(spec, files, tmp_path / "systemd")
    # systemd-analyze exits 0 here; the check must still call it a failure.
    assert result.status == "failed"
    assert "Bogus" in result.detail


@pytest.mark.slow
def test_gunicorn_check_fails_when_the_app_does_not_load(
    tmp_path: Path, site_project: Path, isolated_imports: None
) -> None:
    spec = _spec(site_project, tmp_path, targets=("gunicorn",), tls="off")
    spec = dataclasses.replace(
        spec, app=dataclasses.replace(spec.app, expression="no_such_factory()")
    )
    result = check_gunicorn(spec, tmp_path / "gunicorn")
    assert result.status == "failed"
    assert "no_such_factory" in result.detail


def test_checks_that_cannot_run_here_say_so(tmp_path: Path) -> None:
    spec = _fixed_spec(tmp_path)  # /srv/intranet is not on this machine
    result = check_gunicorn(spec, tmp_path / "gunicorn")
    assert result.status == "not run"
    assert "/srv/intranet" in result.detail
    assert "on the server" in result.detail


def _fixed_spec(tmp: Path) -> DeploySpec:
    """A plain-HTTP spec whose files pass as they are: no certificate or user to stand in."""
    from tests.deploy.test_render import golden_spec

    return dataclasses.replace(golden_spec("off"), name="shop", user="www-data", group="www-data")
