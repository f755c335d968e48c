"""The command: what it passes to deploy_config, what it prints and writes, and
that bad input stops it before anything is written."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from flaskit.cli import cli
from flaskit.deploy import generate
from flaskit.deploy.generate import DeployConfig, deploy_config
from flaskit.deploy.validate import DeployRequest
from flaskit.discovery import parse_spec
from tests.deploy.conftest import SITE_APP, SITE_SPEC
from tests.helpers import run_flaskit


@pytest.fixture
def captured(monkeypatch: pytest.MonkeyPatch) -> list[DeployConfig]:
    calls: list[DeployConfig] = []
    monkeypatch.setattr(generate, "deploy_config", calls.append)
    monkeypatch.chdir(SITE_APP)
    return calls


def test_options_become_the_request(captured: list[DeployConfig]) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "deploy-config",
            "nginx",
            "systemd",
            SITE_SPEC,
            "--domain",
            "example.com",
            "--domain",
            "www.example.com",
            "-o",
            "out",
            "--name",
            "site",
            "--project-dir",
            "/srv/site",
            "--venv",
            "/srv/site/venv",
            "--user",
            "web",
            "--group",
            "web",
            "--socket",
            "/run/site.sock",
            "--listen",
            "8080",
            "--tls-listen",
            "8443",
            "--workers",
            "3",
            "--timeout",
            "45",
            "--max-body",
            "1M",
            "--tls",
            "files",
            "--cert",
            "/etc/ssl/c.pem",
            "--key",
            "/etc/ssl/k.pem",
            "--no-hsts",
            "--check",
            "--force",
            "--dry-run",
        ],
    )
    assert result.exit_code == 0, result.output
    [config] = captured
    assert config.request == DeployRequest(
        targets=("nginx", "systemd"),
        domains=("example.com", "www.example.com"),
        name="site",
        project_dir="/srv/site",
        venv="/srv/site/venv",
        user="web",
        group="web",
        socket="/run/site.sock",
        bind=None,
        listen="8080",
        tls_listen="8443",
        workers="3",
        timeout=45,
        max_body="1M",
        tls="files",
        cert="/etc/ssl/c.pem",
        key="/etc/ssl/k.pem",
        hsts=False,
        hsts_preload=False,
    )
    assert config.target.describe() == SITE_SPEC
    assert config.output_dir == (SITE_APP / "out").resolve()
    assert (config.check, config.force, config.dry_run) == (True, True, True)


def test_defaults(captured: list[DeployConfig], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VIRTUAL_ENV", "/opt/venvs/site")
    result = CliRunner().invoke(cli, ["deploy-config", "--app", SITE_SPEC, "--domain", "a.com"])
    assert result.exit_code == 0, result.output
    [config] = captured
    assert config.request == DeployRequest(domains=("a.com",))
    assert config.output_dir == (SITE_APP / "deploy").resolve()
    assert config.default_venv == "/opt/venvs/site"
    assert (config.check, config.force, config.dry_run) == (False, False, False)


def test_a_typo_in_a_target_is_not_taken_for_the_app(captured: list[DeployConfig]) -> None:
    result = CliRunner().invoke(cli, ["deploy-config", "ngnix", "--domain", "a.com"])
    assert result.exit_code == 2
    assert "Unknown target 'ngnix'" in result.output
    assert "Did you mean nginx?" in result.output
    assert not captured


# -- real runs of the command ----------------------------------------------------


def _run(tmp_path: Path, *args: str) -> tuple[int, str, Path]:
    out = tmp_path / "deploy"
    done = run_flaskit(
        ["deploy-config", "--app", SITE_SPEC, "-o", str(out), "--venv", "/srv/site/venv", *args],
        cwd=SITE_APP,
    )
    return done.returncode, done.stdout + done.stderr, out


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (
            ["--domain", "evil.com;\n    include /etc/passwd"],
            "'evil.com;\\n    include /etc/passwd'",
        ),
        (["--domain", "example.com", "--venv", "/srv/x y"], "'/srv/x y'"),
        (["--domain", "example.com", "--name", "a{b}"], "'a{b}'"),
        (["--domain", "example.com", "--socket", "run/site.sock"], "relative path"),
        (["--domain", "example.com", "--cert", "/etc/ssl/c.pem"], "--cert was given without --key"),
        (["--domain", "not_a_host"], "'not_a_host'"),
        (["--domain", "example.com", "--user", "$(reboot)"], "'$(reboot)'"),
        (["apache", "ngnix", "--domain", "example.com"], "Unknown target 'ngnix'"),
        (["--domain", "example.com", "--name", "root"], "comes from --name root"),
        (["--domain", "example.com", "--socket", "/var/lock/s.sock"], "world-writable"),
        (["--domain", "example.com", "--socket", "/run"], "is a directory"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(
    tmp_path: Path,
    args: list[str],
    shown: str,
    monkeypatch: pytest.MonkeyPatch,
    isolated_imports: None,
) -> None:
    monkeypatch.chdir(SITE_APP)
    out = tmp_path / "deploy"
    result = CliRunner().invoke(
        cli, ["deploy-config", "--app", SITE_SPEC, "-o", str(out), "--venv", "/srv/v", *args]
    )
    assert result.exit_code == 2, result.output
    assert shown in result.output
    assert result.output.startswith("Error: ")
    assert not out.exists()


@pytest.mark.slow
def test_writes_every_file_then_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    code, output, out = _run(tmp_path, "--domain", "example.com", "--tls", "off")
    assert code == 0, output
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert written == [
        "README.md",
        "apache/deploy_site.conf",
        "gunicorn.conf.py",
        "gunicorn_entry.py",
        "nginx/deploy_site.conf",
        "systemd/deploy_site.service",
        "systemd/deploy_site.socket",
        "wsgi.py",
    ]
    assert "client_max_body_size 65536;" in (out / "nginx/deploy_site.conf").read_text()
    # Same options again: nothing changes, nothing to refuse.
    code, output, _ = _run(tmp_path, "--domain", "example.com", "--tls", "off")
    assert code == 0
    assert "unchanged" in output
    # A change to a file the user may have edited: refused, every file left as it was.
    site = out / "nginx/deploy_site.conf"
    site.write_text("# my edits\n")
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    code, output, _ = _run(tmp_path, "--domain", "example.org", "--tls", "off")
    assert code == 2
    assert str(site) in output
    assert "--force" in output
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    code, output, _ = _run(tmp_path, "--domain", "example.org", "--tls", "off", "--force")
    assert code == 0, output
    assert "server_name example.org;" in site.read_text()


def test_dry_run_prints_the_files_and_writes_nothing(
    tmp_path: Path, isolated_imports: None
) -> None:
    out = tmp_path / "deploy"
    stream = io.StringIO()
    config = DeployConfig(
        request=DeployRequest(targets=("systemd",), domains=("example.com",), venv="/srv/v"),
        target=parse_spec(SITE_SPEC, SITE_APP),
        local_root=SITE_APP,
        output_dir=out,
        dry_run=True,
    )
    outcome = deploy_config(config, out=stream)
    assert not out.exists()
    text = stream.getvalue()
    assert "Dry run: nothing is written." in text
    assert f"==> {out / 'systemd/deploy_site.service'} (would create)" in text
    assert "ExecStart=/srv/v/bin/gunicorn --config" in text
    assert [p.action for p in outcome.plan] == ["create"] * 3


def test_an_app_that_does_not_import_still_gets_configs_with_a_note(
    tmp_path: Path, isolated_imports: None
) -> None:
    broken = tmp_path / "project"
    broken.mkdir()
    (broken / "brokenapp.py").write_text("import no_such_module_anywhere\n")
    stream = io.StringIO()
    config = DeployConfig(
        request=DeployRequest(domains=("example.com",), tls="off", venv="/srv/v"),
        target=parse_spec("brokenapp", broken),
        local_root=broken,
        output_dir=broken / "deploy",
    )
    outcome = deploy_config(config, out=stream)
    assert outcome.spec.static is None
    assert outcome.spec.app.gunicorn == "brokenapp:app"
    text = stream.getvalue()
    assert "could not be imported" in text
    assert "no_such_module_anywhere" in text
    assert "assumed it is the object 'app'" in text
    assert (broken / "deploy" / "wsgi.py").read_text().endswith("application = app\n")


@pytest.mark.parametrize("layout", ["package", "folder"])
def test_a_project_called_root_never_gets_a_root_service(
    tmp_path: Path, layout: str, monkeypatch: pytest.MonkeyPatch, isolated_imports: None
) -> None:
    # Issue 13.2: a package named root, or an app.py in a folder named root.
    project = tmp_path / ("root" if layout == "folder" else "project")
    code = "def application(environ, start_response):\n    return []\n"
    if layout == "package":
        (project / "root").mkdir(parents=True)
        (project / "root" / "__init__.py").write_text(code)
        spec = "root:application"
    else:
        project.mkdir()
        (project / "app.py").write_text(code)
        spec = "app:application"
    monkeypatch.chdir(project)
    result = CliRunner().invoke(
        cli, ["deploy-config", "--app", spec, "--domain", "example.com", "--venv", "/srv/v"]
    )
    assert result.exit_code == 2, result.output
    assert "The app would run as user 'root'" in result.output
    assert "--user NAME" in result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in project.rglob("*") if "__pycache__" not in p.parts) == (
        ["__init__.py", "root"] if layout == "package" else ["app.py"]
    )
