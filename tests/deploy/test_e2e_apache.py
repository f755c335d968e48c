"""End to end on loopback: Apache + mod_wsgi in daemon mode serves the same app.

The venv is made with /usr/bin/python3.11, the interpreter Debian's mod_wsgi
embeds, and lives where the daemon's user (www-data) can read it. Apache runs
the generated site file from a throw-away ServerRoot, on 127.0.0.1 and ports
picked free, and is stopped by pid.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from flaskit.deploy.checks import apache_module_dir, prepare_apache
from flaskit.deploy.generate import DeployConfig, deploy_config
from flaskit.deploy.validate import DeployRequest
from flaskit.discovery import parse_spec
from tests.deploy.client import Reply, request
from tests.deploy.conftest import DOMAINS, SITE_SPEC
from tests.helpers import (
    IN_CI,
    free_port,
    port_is_listening,
    require_tool,
    stop_process,
    wait_until,
)

BODY_LIMIT = 64 * 1024
NAME = "deploy_site"
# mod_wsgi will not run the app as root; www-data is the account Debian's Apache uses.
APP_USER = "www-data"


@dataclass(frozen=True)
class Site:
    """The running Apache and what the tests need to talk to it."""

    http_port: int
    https_port: int
    ca_file: Path
    project: Path
    error_log: Path

    def get(self, path: str, host: str = DOMAINS[0], **kwargs: object) -> Reply:
        """A request over HTTPS, verified against the test certificate."""
        return request(self.https_port, path, host=host, ca_file=self.ca_file, **kwargs)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def site(
    sandbox: Path, site_project: Path, tls_pair: tuple[Path, Path], mod_wsgi_venv: Path
) -> Iterator[Site]:
    apache = require_tool("apache2")
    module_dir = apache_module_dir()
    if module_dir is None:
        message = "mod_wsgi is not installed (libapache2-mod-wsgi-py3)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    if os.geteuid() != 0:
        message = "Apache must start as root to run mod_wsgi's daemon as www-data"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    cert, key = tls_pair
    http_port, https_port = free_port(), free_port()
    output_dir = sandbox / "apache-e2e" / "deploy"
    config = DeployConfig(
        request=DeployRequest(
            targets=("apache",),
            domains=DOMAINS,
            listen=f"127.0.0.1:{http_port}",
            tls_listen=f"127.0.0.1:{https_port}",
            tls="files",
            cert=str(cert),
            key=str(key),
            workers="2",
            venv=str(mod_wsgi_venv),
            user=APP_USER,
            group=APP_USER,
        ),
        target=parse_spec(SITE_SPEC, site_project),
        local_root=site_project,
        output_dir=output_dir,
    )
    saved_path, saved_modules = list(sys.path), set(sys.modules)
    try:
        deploy_config(config, out=io.StringIO())
    finally:
        sys.path[:] = saved_path
        for module in set(sys.modules) - saved_modules:
            del sys.modules[module]
    for path in [output_dir, *output_dir.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)

    prefix = sandbox / "apache-e2e" / "server-root"
    conf = prepare_apache(
        prefix,
        (output_dir / "apache" / f"{NAME}.conf").read_text(),
        f"{NAME}.conf",
        module_dir,
        tls=True,
        debian_ports=False,
    )
    proc = subprocess.Popen(
        [apache, "-f", str(conf), "-DFOREGROUND"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    error_log = prefix / "error.log"
    try:
        up = wait_until(
            lambda: port_is_listening(https_port) and port_is_listening(http_port), timeout=15
        )
        assert up, error_log.read_text() if error_log.exists() else "Apache did not start"
        yield Site(http_port, https_port, cert, site_project, error_log)
    finally:
        stop_process(proc, timeout=15)
    assert not port_is_listening(https_port)
    assert not port_is_listening(http_port)


SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "SAMEORIGIN",
    "Content-Security-Policy": "frame-ancestors 'self'",
    "Strict-Transport-Security": "max-age=63072000",
}


def _assert_security_headers(reply: Reply) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert reply.headers.get_all(name) == [value], name
    assert reply.headers.get("X-XSS-Protection") is None
    assert reply.headers.get("Server") == "Apache"  # ServerTokens Prod: no version


@pytest.mark.slow
def test_dynamic_page_from_the_mod_wsgi_daemon(site: Site) -> None:
    reply = site.get("/")
    assert reply.status == 200, site.error_log.read_text()
    assert "dynamic page" in reply.text
    _assert_security_headers(reply)


@pytest.mark.slow
def test_app_runs_in_the_python_3_11_venv_as_the_app_user(site: Site) -> None:
    reply = site.get("/runtime")
    assert reply.status == 200, site.error_log.read_text()
    info = reply.text.split()
    assert info[0].startswith("3.11.")
    assert info[1].endswith("venv311")  # sys.prefix: python-home is the venv
    assert info[2] == APP_USER


@pytest.mark.slow
def test_static_file_from_disk_with_cache_and_security_headers(site: Site) -> None:
    reply = site.get("/static/style.css")
    assert reply.status == 200
    assert reply.body == (site.project / "deploy_site" / "static" / "style.css").read_bytes()
    assert reply.headers["Cache-Control"] == "max-age=2592000"
    _assert_security_headers(reply)


@pytest.mark.slow
def test_body_limit_matches_the_app(site: Site) -> None:
    at_limit = site.get("/upload", method="POST", body=b"x" * BODY_LIMIT)
    assert at_limit.status == 200
    assert at_limit.text == f"received {BODY_LIMIT} bytes"
    above = site.get("/upload", method="POST", body=b"x" * (BODY_LIMIT + 1))
    assert above.status == 413
    assert "Request Entity Too Large" in above.text  # Apache's page, not the app's
    _assert_security_headers(above)


@pytest.mark.slow
@pytest.mark.parametrize("path", ["/static../app.py", "/static/../app.py", "/static..%2fapp.py"])
def test_no_path_outside_the_static_folder(site: Site, path: str) -> None:
    reply = site.get(path)
    assert reply.status == 404
    assert "create_app" not in reply.text


@pytest.mark.slow
def test_unknown_host_never_reaches_the_app(site: Site) -> None:
    plain = request(site.http_port, "/", host="evil.test")
    assert plain.status == 421
    assert "dynamic page" not in plain.text
    tls = site.get("/", host="evil.test", sni=DOMAINS[0])
    assert tls.status in (400, 421)  # mod_ssl itself refuses an SNI/Host mismatch with 421
    assert "dynamic page" not in tls.text


@pytest.mark.slow
@pytest.mark.parametrize("host", DOMAINS)
def test_external_urls_use_the_request_scheme_host_and_port(site: Site, host: str) -> None:
    reply = site.get("/external", host=host)
    assert reply.text == f"https://{host}:{site.https_port}/"


@pytest.mark.slow
def test_forwarded_headers_are_ignored_without_a_proxy(site: Site) -> None:
    spoofed = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "http"}
    reply = site.get("/scheme", headers=spoofed)
    assert reply.status == 200
    assert '"remote":"127.0.0.1"' in reply.text
    assert '"scheme":"https"' in reply.text


@pytest.mark.slow
def test_plain_http_redirects_to_https(site: Site) -> None:
    reply = request(site.http_port, "/some/page?q=1", host=DOMAINS[1])
    assert reply.status == 308
    assert reply.headers["Location"] == f"https://{DOMAINS[1]}:{site.https_port}/some/page?q=1"
