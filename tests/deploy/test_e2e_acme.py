"""Let's Encrypt mode on loopback: the bootstrap files answer only the ACME
challenge, and the real sites keep answering it over plain HTTP while every
other URL is redirected to HTTPS with 308.

certbot's paths (/etc/letsencrypt, /var/www/letsencrypt) are the server's, so
the spec is rendered with the test certificate and a webroot in the sandbox in
their place, as ``--check`` does; everything else is the generated file.
"""

from __future__ import annotations

import dataclasses
import http.client
import io
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path, PurePosixPath

import pytest

from flaskit.deploy.checks import (
    apache_module_dir,
    nginx_command,
    prepare_apache,
    prepare_nginx,
)
from flaskit.deploy.generate import DeployConfig, deploy_config
from flaskit.deploy.render import render_all
from flaskit.deploy.spec import DeploySpec
from flaskit.deploy.validate import DeployRequest
from flaskit.discovery import parse_spec
from tests.deploy.client import request
from tests.deploy.conftest import DOMAINS, SITE_SPEC
from tests.helpers import (
    IN_CI,
    free_port,
    port_is_listening,
    require_tool,
    stop_process,
    wait_until,
)

TOKEN = "3q2-token_for-the-test"


@pytest.fixture(scope="module")
def acme_spec(
    sandbox: Path, site_project: Path, tls_pair: tuple[Path, Path], mod_wsgi_venv: Path
) -> DeploySpec:
    http_port, https_port = free_port(), free_port()
    config = DeployConfig(
        request=DeployRequest(
            domains=DOMAINS,
            listen=f"127.0.0.1:{http_port}",
            tls_listen=f"127.0.0.1:{https_port}",
            venv=str(mod_wsgi_venv),
            user="www-data",
            group="www-data",
            socket="/run/flaskit-test-unused.sock",
        ),
        target=parse_spec(SITE_SPEC, site_project),
        local_root=site_project,
        output_dir=sandbox / "acme-e2e" / "deploy",
        dry_run=True,
    )
    saved_path, saved_modules = list(sys.path), set(sys.modules)
    try:
        spec = deploy_config(config, out=io.StringIO()).spec
    finally:
        sys.path[:] = saved_path
        for module in set(sys.modules) - saved_modules:
            del sys.modules[module]
    assert spec.tls == "letsencrypt"
    webroot = sandbox / "acme-e2e" / "webroot"
    challenge = webroot / ".well-known" / "acme-challenge"
    challenge.mkdir(parents=True)
    (challenge / TOKEN).write_text("the key authorization\n")
    for path in [webroot, *webroot.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    cert, key = tls_pair
    return dataclasses.replace(
        spec,
        cert=PurePosixPath(cert.as_posix()),
        key=PurePosixPath(key.as_posix()),
        acme_webroot=PurePosixPath(webroot.as_posix()),
    )


@contextmanager
def _running(command: list[str], port: int, log: Path) -> Iterator[None]:
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        started = wait_until(lambda: port_is_listening(port), timeout=15)
        assert started, log.read_text() if log.exists() else "the server did not start"
        yield
    finally:
        stop_process(proc, timeout=15)
    assert not port_is_listening(port)


def _nginx(spec: DeploySpec, file: str, prefix: Path) -> Callable[[], AbstractContextManager[None]]:
    nginx = require_tool("nginx")
    text = {str(f.path): f.content for f in render_all(spec)}[file]
    prepare_nginx(prefix, text, "site.conf")
    return lambda: _running(
        nginx_command(nginx, prefix, "-g", "daemon off;"),
        spec.listen.port,
        prefix / "error.log",
    )


def _apache(
    spec: DeploySpec, file: str, prefix: Path
) -> Callable[[], AbstractContextManager[None]]:
    apache = require_tool("apache2")
    module_dir = apache_module_dir()
    if module_dir is None or os.geteuid() != 0:
        message = "Apache with mod_wsgi, started as root, is needed"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    text = {str(f.path): f.content for f in render_all(spec)}[file]
    conf = prepare_apache(
        prefix, text, "site.conf", module_dir, tls=spec.uses_tls, debian_ports=False
    )
    return lambda: _running(
        [apache, "-f", str(conf), "-DFOREGROUND"], spec.listen.port, prefix / "error.log"
    )


SERVERS = {"nginx": _nginx, "apache": _apache}


@pytest.mark.slow
@pytest.mark.parametrize("server", list(SERVERS))
def test_bootstrap_answers_the_challenge_and_nothing_else(
    server: str, acme_spec: DeploySpec, sandbox: Path
) -> None:
    start = SERVERS[server](
        acme_spec, f"{server}/{acme_spec.name}-bootstrap.conf", sandbox / f"boot-{server}"
    )
    with start():
        for host in DOMAINS:
            reply = request(
                acme_spec.listen.port, f"/.well-known/acme-challenge/{TOKEN}", host=host
            )
            assert reply.status == 200
            assert reply.text == "the key authorization\n"
            assert reply.headers["X-Content-Type-Options"] == "nosniff"
        assert request(acme_spec.listen.port, "/", host=DOMAINS[0]).status == 404
        assert request(acme_spec.listen.port, "/static/style.css", host=DOMAINS[0]).status == 404
        if server == "nginx":
            with pytest.raises(http.client.RemoteDisconnected):
                request(acme_spec.listen.port, "/", host="evil.test")
        else:
            assert request(acme_spec.listen.port, "/", host="evil.test").status == 421


@pytest.mark.slow
@pytest.mark.parametrize("server", list(SERVERS))
def test_site_keeps_the_challenge_on_http_and_redirects_the_rest(
    server: str, acme_spec: DeploySpec, sandbox: Path
) -> None:
    start = SERVERS[server](
        acme_spec, f"{server}/{acme_spec.name}.conf", sandbox / f"site-{server}"
    )
    with start():
        reply = request(
            acme_spec.listen.port, f"/.well-known/acme-challenge/{TOKEN}", host=DOMAINS[1]
        )
        assert reply.status == 200
        assert reply.text == "the key authorization\n"
        port = acme_spec.tls_listen.port
        for path in ("/", "/account?next=/cart", "/.well-known/other"):
            reply = request(acme_spec.listen.port, path, host=DOMAINS[0])
            assert reply.status == 308
            assert reply.headers["Location"] == f"https://{DOMAINS[0]}:{port}{path}"
