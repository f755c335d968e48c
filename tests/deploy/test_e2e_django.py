"""A Django project served for real through the generated nginx site and gunicorn
entry point (issue 12.7): static files from STATIC_ROOT after collectstatic, the
proxy headers applied, and a --domain that ALLOWED_HOSTS refuses caught by
--check before the site answers 400 to it."""

from __future__ import annotations

import grp
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from flaskit.deploy.checks import nginx_command, prepare_nginx
from tests.deploy.client import Reply, request
from tests.helpers import (
    APPS,
    clean_env,
    flaskit_command,
    free_port,
    port_is_listening,
    require_tool,
    stop_process,
    wait_until,
)

pytestmark = pytest.mark.slow
DOMAINS = ("example.test", "www.example.test")
# The production environment of this test: only the first domain is allowed.
PRODUCTION_HOSTS = "example.test"


@dataclass(frozen=True)
class DjangoSite:
    port: int
    project: Path
    check_output: str
    check_code: int

    def get(self, path: str, host: str = DOMAINS[0]) -> Reply:
        return request(self.port, path, host=host)


def _unit_setting(unit: str, key: str) -> str:
    found = re.search(rf"^{key}=(.+)$", unit, re.MULTILINE)
    assert found, key
    return found.group(1).strip()


@pytest.fixture(scope="module")
def django_site(sandbox: Path, run_dir: Path) -> Iterator[DjangoSite]:
    nginx = require_tool("nginx")
    activate = require_tool("systemd-socket-activate")
    project = sandbox / "django-project"
    shutil.copytree(APPS / "deploy_django", project, ignore=shutil.ignore_patterns("__pycache__"))
    for path in [project, *project.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    port = free_port()
    socket_path = run_dir / "djsite.sock"
    env = {**clean_env(), "DJSITE_ALLOWED_HOSTS": PRODUCTION_HOSTS}
    env.pop("VIRTUAL_ENV", None)
    args = [
        *("deploy-config", "nginx", "gunicorn", "systemd", "djsite.wsgi:application"),
        *("--domain", DOMAINS[0], "--domain", DOMAINS[1], "--name", "djsite", "--tls", "off"),
        *("--listen", f"127.0.0.1:{port}", "--socket", str(socket_path), "--workers", "1"),
        *("--venv", sys.prefix, "-o", str(project / "deploy"), "--check"),
    ]
    done = subprocess.run(
        flaskit_command(*args),
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    check_output = done.stdout + done.stderr
    # The step the generated README asks for.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=project,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    log = sandbox / "django-gunicorn.log"
    with log.open("wb") as log_stream:
        gunicorn = subprocess.Popen(
            [
                *(activate, "--listen", str(socket_path)),
                f"--setenv=DJSITE_ALLOWED_HOSTS={PRODUCTION_HOSTS}",
                *(sys.executable, "-m", "gunicorn"),
                *("--config", str(project / "deploy" / "gunicorn.conf.py")),
                *("--control-socket", str(run_dir / "djsite.ctl")),
            ],
            stdout=log_stream,
            stderr=subprocess.STDOUT,
        )
    nginx_proc = None
    try:
        assert wait_until(socket_path.exists, timeout=10), "the socket was not created"
        unit = (project / "deploy" / "systemd" / "djsite.socket").read_text()
        if os.geteuid() == 0:
            os.chown(socket_path, -1, grp.getgrnam(_unit_setting(unit, "SocketGroup")).gr_gid)
        socket_path.chmod(int(_unit_setting(unit, "SocketMode"), 8))
        prefix = sandbox / "django-nginx"
        site = (project / "deploy" / "nginx" / "djsite.conf").read_text()
        prepare_nginx(prefix, site, "djsite.conf")
        nginx_proc = subprocess.Popen(
            nginx_command(nginx, prefix, "-g", "daemon off;"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert wait_until(lambda: port_is_listening(port), timeout=10)
        yield DjangoSite(port, project, check_output, done.returncode)
    finally:
        if nginx_proc is not None:
            stop_process(nginx_proc)
        stop_process(gunicorn, timeout=15)
    assert not port_is_listening(port)


def test_check_fails_for_a_domain_allowed_hosts_refuses(django_site: DjangoSite) -> None:
    output = django_site.check_output
    assert django_site.check_code == 1, output
    assert "FAILED   Django ALLOWED_HOSTS" in output
    assert "does not accept www.example.test" in output
    assert "ok       nginx -t" in output
    assert "ok       gunicorn --check-config" in output


def test_the_refused_domain_really_gets_400(django_site: DjangoSite) -> None:
    # What --check predicted: Django's DisallowedHost, through nginx and gunicorn.
    assert django_site.get("/", host=DOMAINS[1]).status == 400


def test_the_allowed_domain_is_served_through_the_proxy(django_site: DjangoSite) -> None:
    reply = django_site.get("/")
    assert reply.status == 200, reply.text
    assert "django page" in reply.text
    scheme = json.loads(django_site.get("/scheme").text)
    # gunicorn_entry.py's ProxyFix: the client's host and port, nginx's view of the client.
    assert scheme == {
        "scheme": "http",
        "host": f"{DOMAINS[0]}:{django_site.port}",
        "remote": "127.0.0.1",
    }


def test_collected_static_files_come_from_static_root_with_a_cache_header(
    django_site: DjangoSite,
) -> None:
    reply = django_site.get("/static/djsite/site.css")
    assert reply.status == 200
    assert reply.body == (django_site.project / "staticfiles/djsite/site.css").read_bytes()
    assert reply.headers["Cache-Control"] == "max-age=2592000"
    assert reply.headers["Content-Type"].startswith("text/css")
    # Served by nginx from STATIC_ROOT: Django (DEBUG off) serves no static files itself.
    assert django_site.get("/static/djsite/missing.css").headers.get("Server") == "nginx"
