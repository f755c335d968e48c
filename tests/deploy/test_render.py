"""Golden files for every rendered file, and the rules that hold for any spec.

Each golden file is the rendered file plus ``.golden`` (so linters leave the
generated Python alone). Regenerate them after an intended change with

    FLASKIT_UPDATE_GOLDEN=1 python -m pytest tests/deploy/test_render.py

which rewrites tests/deploy/golden/ and fails, so the diff is reviewed
(``git diff tests/deploy/golden``) before the next, normal run passes.
"""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flaskit.deploy.appinfo import AppInfo
from flaskit.deploy.render import render_all
from flaskit.deploy.spec import DeploySpec
from flaskit.deploy.validate import DeployRequest, ProjectFacts, build_spec
from flaskit.discovery import AppTarget, Call

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("FLASKIT_UPDATE_GOLDEN") == "1"


def _target(root: str, module: str = "shop", attribute: str | None = "create_app") -> AppTarget:
    call = Call() if attribute == "create_app" else None
    return AppTarget(module, attribute, call, Path(root), "test", f"{module}:{attribute}")


SCENARIOS: dict[str, tuple[DeployRequest, ProjectFacts]] = {
    # The default: Let's Encrypt, a unix socket, the app's static folder and body limit.
    "letsencrypt": (
        DeployRequest(domains=("example.com", "www.example.com"), workers="4"),
        ProjectFacts(
            _target("/srv/shop"),
            Path("/srv/shop"),
            Path("/srv/shop/deploy"),
            AppInfo(
                "create_app()",
                "/static",
                Path("/srv/shop/shop/static"),
                16 * 1024 * 1024,
                framework="flask",
                uses_werkzeug=True,
            ),
        ),
    ),
    # Own certificate, TCP to gunicorn, other ports, HSTS preload, auto workers, and a
    # project generated on a laptop for another path on the server.
    "files": (
        DeployRequest(
            domains=("shop.example.org",),
            project_dir="/srv/shop-live",
            venv="/opt/venvs/shop",
            user="shopapp",
            group="www-data",
            bind="127.0.0.1:8000",
            listen="8080",
            tls_listen="8443",
            tls="files",
            cert="/etc/ssl/certs/shop.pem",
            key="/etc/ssl/private/shop.key",
            hsts_preload=True,
            timeout=60,
            max_body="25M",
        ),
        ProjectFacts(
            _target("/home/dev/shop/src", attribute="app"),
            Path("/home/dev/shop"),
            Path("/home/dev/shop/deploy"),
            AppInfo(
                "app",
                "/assets",
                Path("/home/dev/shop/src/shop/assets"),
                None,
                framework="flask",
                uses_werkzeug=True,
                health_path="/status/ping",
            ),
            cpu_count=2,
        ),
    ),
    # Plain HTTP, an app that did not import (so no static location), a custom socket.
    "off": (
        DeployRequest(
            domains=("intranet.example.net",),
            tls="off",
            socket="/run/shop/app.sock",
            name="shop-intranet",
            workers="3",
        ),
        ProjectFacts(
            _target("/srv/intranet", "wsgi", None),
            Path("/srv/intranet"),
            Path("/srv/intranet/deploy"),
        ),
    ),
    # The container targets: a Flask app with Flask-Migrate, its own health route, an image.
    "containers": (
        DeployRequest(
            targets=("docker", "kubernetes"),
            domains=("shop.example.com",),
            image="registry.example.com/shop:2.3.1",
            workers="3",
        ),
        ProjectFacts(
            _target("/srv/shop"),
            Path("/srv/shop"),
            Path("/srv/shop/deploy"),
            AppInfo(
                "create_app()",
                "/static",
                Path("/srv/shop/shop/static"),
                8 * 1024 * 1024,
                framework="flask",
                uses_werkzeug=True,
                health_path="/livez",
                migrate_command=("flask", "--app", "shop:create_app()", "db", "upgrade"),
            ),
            python_version="3.12",
        ),
    ),
}


def golden_spec(scenario: str) -> DeploySpec:
    """The spec of a golden scenario (also used by the checks' tests)."""
    request, facts = SCENARIOS[scenario]
    return build_spec(request, facts)[0]


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_rendered_files_match_golden(scenario: str) -> None:
    files = {str(f.path): f.content for f in render_all(golden_spec(scenario))}
    folder = GOLDEN / scenario
    if UPDATE:
        for path in folder.rglob("*") if folder.exists() else []:
            if path.is_file():
                path.unlink()
        for name, content in files.items():
            golden = folder / f"{name}.golden"
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_text(content, encoding="utf-8")
        pytest.fail(f"rewrote {folder}: review the diff, then run without FLASKIT_UPDATE_GOLDEN")
    expected = {
        str(p.relative_to(folder)).removesuffix(".golden"): p.read_text(encoding="utf-8")
        for p in folder.rglob("*.golden")
    }
    assert sorted(files) == sorted(expected)
    for name, content in files.items():
        assert content == expected[name], f"{scenario}/{name} differs from its golden file"


def test_scenario_notes() -> None:
    request, facts = SCENARIOS["off"]
    _spec, notes = build_spec(request, facts)
    assert any("assumed it is the object 'app'" in n for n in notes)


# -- rules for any valid spec ---------------------------------------------------

_label = st.from_regex(r"\A[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?\Z")
hostnames = st.builds(
    lambda labels, tld: ".".join([*labels, tld]),
    st.lists(_label, min_size=1, max_size=3),
    st.sampled_from(["com", "org", "test", "example"]),
)
_ports = st.integers(1, 65535)


@st.composite
def specs(draw: st.DrawFn) -> DeploySpec:
    tls = draw(st.sampled_from(["off", "letsencrypt", "files"]))
    listen, tls_listen = draw(st.lists(_ports, min_size=2, max_size=2, unique=True))
    use_bind = draw(st.booleans())
    app_limit = draw(st.one_of(st.none(), st.integers(1, 2**31 - 1)))
    request = DeployRequest(
        domains=tuple(draw(st.lists(hostnames, min_size=1, max_size=3))),
        tls=tls,
        cert="/etc/ssl/site.pem" if tls == "files" else None,
        key="/etc/ssl/site.key" if tls == "files" else None,
        listen=f"127.0.0.1:{listen}" if draw(st.booleans()) else str(listen),
        tls_listen=str(tls_listen),
        bind=f"127.0.0.1:{draw(_ports)}" if use_bind else None,
        workers=draw(st.sampled_from(["auto", "1", "2", "17"])),
        timeout=draw(st.integers(1, 3600)),
        max_body=None
        if app_limit is not None
        else draw(st.sampled_from([None, "1", "512k", "1G"])),
        hsts=draw(st.booleans()),
    )
    static = draw(st.booleans())
    facts = ProjectFacts(
        _target("/srv/site"),
        Path("/srv/site"),
        Path("/srv/site/deploy"),
        AppInfo(
            "create_app()", "/static" if static else None, Path("/srv/site/shop/static"), app_limit
        ),
        cpu_count=draw(st.integers(1, 64)),
    )
    return build_spec(request, facts)[0]


def _one(pattern: str, text: str) -> str:
    found = re.findall(pattern, text, re.MULTILINE)
    assert len(set(found)) == 1, (pattern, found)
    return str(found[0])


def _gunicorn_settings(text: str) -> dict[str, object]:
    """The module-level literals of gunicorn.conf.py (it must be valid Python)."""
    tree = ast.parse(text)
    values: dict[str, object] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            try:
                values[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                values[node.targets[0].id] = ast.unparse(node.value)
    return values


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs())
def test_files_agree_with_each_other(spec: DeploySpec) -> None:
    files = {str(f.path): f.content for f in render_all(spec)}
    nginx = files[f"nginx/{spec.name}.conf"]
    apache = files[f"apache/{spec.name}.conf"]
    gunicorn = _gunicorn_settings(files["gunicorn.conf.py"])
    service = files[f"systemd/{spec.name}.service"]
    socket = files[f"systemd/{spec.name}.socket"]

    # One body limit everywhere.
    body = int(_one(r"client_max_body_size (\d+);", nginx))
    assert body == int(_one(r"LimitRequestBody (\d+)", apache)) == spec.max_body
    # Timeouts: the proxy waits at least as long as gunicorn; systemd waits out the
    # graceful shutdown; mod_wsgi's request timeout is gunicorn's.
    timeout = gunicorn["timeout"]
    assert isinstance(timeout, int)
    assert int(_one(r"proxy_read_timeout (\d+)s;", nginx)) >= timeout
    stop = int(_one(r"^TimeoutStopSec=(\d+)$", service))
    graceful = gunicorn["graceful_timeout"]
    assert isinstance(graceful, int)
    assert stop > graceful
    assert int(_one(r"request-timeout=(\d+)", apache)) == timeout
    assert int(_one(r"socket-timeout=(\d+)", apache)) >= timeout
    # gunicorn, its socket unit and nginx's upstream name the same address.
    listen = _one(r"^ListenStream=(.+)$", socket)
    upstream = _one(r"^\s+server (\S+) fail_timeout=0;", nginx)
    assert gunicorn["bind"] == [f"unix:{listen}" if listen.startswith("/") else listen]
    assert upstream in (f"unix:{listen}", listen)
    # Files point at each other by absolute paths in the output directory.
    assert f"--config {spec.output_dir}/gunicorn.conf.py" in service
    assert f"WSGIScriptAlias / {spec.output_dir}/wsgi.py " in apache
    # Proxy trust: every forwarded header is set by nginx, never passed through.
    for header, value in [
        ("X-Forwarded-For", "$remote_addr"),
        ("X-Forwarded-Proto", "$scheme"),
        ("X-Forwarded-Host", "$host"),
        ("X-Forwarded-Port", "$server_port"),
        ("X-Forwarded-Ssl", '""'),
        ("X-Forwarded-Protocol", '""'),
    ]:
        assert f"proxy_set_header {header} {value};" in nginx
    assert gunicorn["secure_scheme_headers"] == {"X-FORWARDED-PROTO": "https"}
    # Every file says where it goes and how to enable it, in its first lines.
    for name, content in files.items():
        head = "\n".join(content.splitlines()[:3])
        assert re.match(r"(#|<!--) ", content), name
        assert "Goes in:" in head, name
    # Hardening that must never regress.
    assert "server_tokens off;" in nginx
    assert "ServerTokens Prod" in apache
    for content in files.values():
        assert "X-XSS-Protection" not in content
        assert "0777" not in content
        assert "/tmp/" not in content
    assert ("Strict-Transport-Security" in nginx) == spec.hsts
    compile(files["wsgi.py"], "wsgi.py", "exec")
