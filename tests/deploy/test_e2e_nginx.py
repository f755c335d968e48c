"""End to end on loopback: the generated files, served for real.

gunicorn runs with the generated gunicorn.conf.py and takes its listening unix
socket from systemd-socket-activate, as the generated NAME.socket unit would
hand it over; nginx runs the generated site file in a throw-away prefix.
Both listen on 127.0.0.1 only, on ports picked free, and are stopped by pid.
"""

from __future__ import annotations

import grp
import http.client
import io
import os
import re
import ssl
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from flaskit.deploy.checks import nginx_command, prepare_nginx
from flaskit.deploy.generate import DeployConfig, deploy_config
from flaskit.deploy.validate import DeployRequest
from flaskit.discovery import parse_spec
from tests.deploy.client import Reply, request
from tests.deploy.conftest import DOMAINS, SITE_SPEC
from tests.helpers import free_port, port_is_listening, require_tool, stop_process, wait_until

BODY_LIMIT = 64 * 1024  # deploy_site's MAX_CONTENT_LENGTH
NAME = "deploy_site"


@dataclass(frozen=True)
class Site:
    """The running stack and what the tests need to talk to it."""

    http_port: int
    https_port: int
    ca_file: Path
    project: Path
    output_dir: Path
    socket_path: Path
    socket_inode: int  # before the first request started gunicorn
    gunicorn_log: Path

    def get(self, path: str, host: str = DOMAINS[0], **kwargs: object) -> Reply:
        """A request over HTTPS, verified against the test certificate."""
        return request(self.https_port, path, host=host, ca_file=self.ca_file, **kwargs)  # type: ignore[arg-type]


def _unit_setting(unit: str, key: str) -> str:
    found = re.search(rf"^{key}=(.+)$", unit, re.MULTILINE)
    assert found, f"{key}= missing from the socket unit"
    return found.group(1).strip()


@pytest.fixture(scope="module")
def site(
    sandbox: Path, run_dir: Path, site_project: Path, tls_pair: tuple[Path, Path]
) -> Iterator[Site]:
    nginx = require_tool("nginx")
    activate = require_tool("systemd-socket-activate")
    cert, key = tls_pair
    http_port, https_port = free_port(), free_port()
    socket_path = run_dir / f"{NAME}.sock"
    output_dir = sandbox / "nginx-e2e" / "deploy"
    config = DeployConfig(
        request=DeployRequest(
            targets=("nginx", "gunicorn", "systemd"),
            domains=DOMAINS,
            socket=str(socket_path),
            listen=f"127.0.0.1:{http_port}",
            tls_listen=f"127.0.0.1:{https_port}",
            tls="files",
            cert=str(cert),
            key=str(key),
            workers="2",
            venv=sys.prefix,
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

    # gunicorn with the generated settings; its control socket is moved from
    # /run/deploy_site (which systemd would create) into the test's run folder.
    log = sandbox / "nginx-e2e" / "gunicorn.log"
    with log.open("wb") as log_stream:
        gunicorn = subprocess.Popen(
            [
                activate,
                "--listen",
                str(socket_path),
                sys.executable,
                "-m",
                "gunicorn",
                "--config",
                str(output_dir / "gunicorn.conf.py"),
                "--control-socket",
                str(run_dir / "gunicorn.ctl"),
            ],
            stdout=log_stream,
            stderr=subprocess.STDOUT,
        )
    nginx_proc = None
    try:
        assert wait_until(socket_path.exists, timeout=10), "the socket was not created"
        # What systemd does with SocketGroup= and SocketMode= of the generated unit.
        unit = (output_dir / "systemd" / f"{NAME}.socket").read_text()
        group = _unit_setting(unit, "SocketGroup")
        if os.geteuid() == 0:
            os.chown(socket_path, -1, grp.getgrnam(group).gr_gid)
        socket_path.chmod(int(_unit_setting(unit, "SocketMode"), 8))

        prefix = sandbox / "nginx-e2e" / "prefix"
        site_text = (output_dir / "nginx" / f"{NAME}.conf").read_text()
        prepare_nginx(prefix, site_text, f"{NAME}.conf")
        nginx_proc = subprocess.Popen(
            nginx_command(nginx, prefix, "-g", "daemon off;"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        up = wait_until(
            lambda: port_is_listening(https_port) and port_is_listening(http_port), timeout=10
        )
        assert up, (prefix / "error.log").read_text() if (prefix / "error.log").exists() else ""
        yield Site(
            http_port,
            https_port,
            cert,
            site_project,
            output_dir,
            socket_path,
            socket_path.stat().st_ino,
            log,
        )
    finally:
        if nginx_proc is not None:
            stop_process(nginx_proc)
        stop_process(gunicorn, timeout=15)
    assert not port_is_listening(https_port)
    assert not port_is_listening(http_port)


@pytest.mark.slow
def test_gunicorn_takes_the_socket_systemd_would_hand_over(site: Site) -> None:
    assert site.get("/").status == 200
    log = site.gunicorn_log.read_text()
    # systemd-socket-activate started gunicorn on the first connection, with fd 3...
    assert "Communication attempt on fd 3" in log
    assert f"Listening at: unix:{site.socket_path}" in log
    # ...and gunicorn used it instead of binding its own: same socket, same mode.
    info = site.socket_path.stat()
    assert info.st_ino == site.socket_inode
    assert oct(info.st_mode & 0o777) == "0o660"


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
    assert reply.headers.get("Server") == "nginx"  # server_tokens off: no version


@pytest.mark.slow
def test_dynamic_page_through_nginx_and_gunicorn(site: Site) -> None:
    reply = site.get("/")
    assert reply.status == 200
    assert "dynamic page" in reply.text
    _assert_security_headers(reply)


@pytest.mark.slow
def test_static_file_from_disk_with_cache_and_security_headers(site: Site) -> None:
    reply = site.get("/static/style.css")
    assert reply.status == 200
    assert reply.body == (site.project / "deploy_site" / "static" / "style.css").read_bytes()
    assert reply.headers["Cache-Control"] == "max-age=2592000"
    assert reply.headers["Content-Type"].startswith("text/css")
    # The static location sets caching; it must not lose the server's security headers.
    _assert_security_headers(reply)


@pytest.mark.slow
def test_body_limit_is_the_apps_max_content_length(site: Site) -> None:
    at_limit = site.get("/upload", method="POST", body=b"x" * BODY_LIMIT)
    assert at_limit.status == 200
    assert at_limit.text == f"received {BODY_LIMIT} bytes"
    above = site.get("/upload", method="POST", body=b"x" * (BODY_LIMIT + 1))
    assert above.status == 413
    assert "nginx" in above.text  # refused by nginx, before gunicorn reads the body
    _assert_security_headers(above)


@pytest.mark.slow
@pytest.mark.parametrize("path", ["/static../app.py", "/static/../app.py", "/static..%2fapp.py"])
def test_no_path_outside_the_static_folder(site: Site, path: str) -> None:
    source = (site.project / "deploy_site" / "app.py").read_text()
    assert "def create_app" in source
    reply = site.get(path)
    assert reply.status == 404
    assert "create_app" not in reply.text


@pytest.mark.slow
def test_unknown_host_gets_no_answer(site: Site) -> None:
    # Plain HTTP: the default server closes the connection without a response (444).
    with pytest.raises(http.client.RemoteDisconnected):
        request(site.http_port, "/", host="evil.test")
    # TLS to another name: the handshake is refused.
    with pytest.raises(ssl.SSLError):
        request(site.https_port, "/", host="evil.test", ca_file=site.ca_file)
    # The right name in TLS but another Host header: still nothing.
    with pytest.raises(http.client.RemoteDisconnected):
        site.get("/", host="evil.test", sni=DOMAINS[0])


@pytest.mark.slow
@pytest.mark.parametrize("host", DOMAINS)
def test_external_urls_carry_forwarded_scheme_host_and_port(site: Site, host: str) -> None:
    reply = site.get("/external", host=host)
    assert reply.status == 200
    assert reply.text == f"https://{host}:{site.https_port}/"


@pytest.mark.slow
def test_client_cannot_spoof_forwarded_headers(site: Site) -> None:
    spoofed = {
        "X-Forwarded-For": "203.0.113.9",
        "X-Forwarded-Proto": "http",
        "X-Forwarded-Host": "evil.test",
        "X-Forwarded-Port": "1",
        "X-Forwarded-Ssl": "off",
        "X-Forwarded-Protocol": "http",
    }
    reply = site.get("/scheme", headers=spoofed)
    assert reply.status == 200  # gunicorn did not see contradictory scheme headers
    assert reply.text.strip() == (
        f'{{"host":"{DOMAINS[0]}:{site.https_port}","remote":"127.0.0.1","scheme":"https"}}'
    )


@pytest.mark.slow
def test_plain_http_redirects_to_https_keeping_path_and_query(site: Site) -> None:
    reply = request(site.http_port, "/some/page?q=1", host=DOMAINS[1])
    assert reply.status == 308
    assert reply.headers["Location"] == f"https://{DOMAINS[1]}:{site.https_port}/some/page?q=1"
    assert reply.headers.get("Strict-Transport-Security") is None  # only sent over HTTPS
