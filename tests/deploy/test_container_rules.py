"""Rules every valid docker/kubernetes output keeps, for any spec hypothesis draws,
and the image's three ways of installing the project's packages (issue 14).

The golden scenario ``containers`` pins one output; these tests make sure the files
still agree with each other (one health path, one body limit, a grace period that
outlasts the drain) when the options vary, and that each install branch of the
Dockerfile is what hadolint accepts.
"""

from __future__ import annotations

import ast
import dataclasses
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flaskit.deploy.appinfo import AppInfo
from flaskit.deploy.render import render_all
from flaskit.deploy.spec import DeploySpec
from flaskit.deploy.validate import DeployRequest, ProjectFacts, build_spec
from tests.deploy.test_render import GOLDEN, UPDATE, _target, golden_spec, hostnames
from tests.helpers import require_tool

_health = st.sampled_from([None, "/healthz", "/livez", "/status/ping", "/api/v1/readyz"])
_migrate = st.sampled_from([None, ("flask", "--app", "shop:create_app()", "db", "upgrade")])


@st.composite
def container_specs(draw: st.DrawFn) -> DeploySpec:
    """A valid spec for the container targets, with the options that shape them drawn."""
    targets = draw(
        st.sampled_from([("docker",), ("kubernetes",), ("docker", "kubernetes")])
        | st.just(("nginx", "gunicorn", "docker", "kubernetes"))
    )
    tls = draw(st.sampled_from(["off", "letsencrypt", "files"]))
    app_limit = draw(st.one_of(st.none(), st.integers(1, 2**31 - 1)))
    request = DeployRequest(
        targets=targets,
        domains=tuple(draw(st.lists(hostnames, min_size=1, max_size=3, unique=True))),
        tls=tls,
        cert="/etc/ssl/site.pem" if tls == "files" else None,
        key="/etc/ssl/site.key" if tls == "files" else None,
        workers=draw(st.sampled_from(["auto", "1", "2", "17"])),
        timeout=draw(st.integers(1, 3600)),
        max_body=None
        if app_limit is not None
        else draw(st.sampled_from([None, "1", "512k", "1G"])),
        image=draw(
            st.sampled_from([None, "registry.example.com/team/shop:1.2.3", "shop:latest-build"])
        ),
    )
    static = draw(st.booleans())
    facts = ProjectFacts(
        _target("/srv/site"),
        Path("/srv/site"),
        Path("/srv/site/deploy"),
        AppInfo(
            "create_app()",
            "/static" if static else None,
            Path("/srv/site/shop/static"),
            app_limit,
            framework="flask",
            uses_werkzeug=draw(st.booleans()),
            health_path=draw(_health),
            migrate_command=draw(_migrate),
        ),
        cpu_count=draw(st.integers(1, 64)),
        python_version=draw(st.sampled_from(["3.10", "3.11", "3.12", "3.13"])),
        version="1.0.0",
    )
    return build_spec(request, facts)[0]


def _literals(text: str) -> dict[str, object]:
    """Module-level assignments of a generated Python config (it must parse)."""
    values: dict[str, object] = {}
    for node in ast.parse(text).body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            try:
                values[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                values[node.targets[0].id] = ast.unparse(node.value)
    return values


def _yaml(text: str) -> list[dict[str, object]]:
    return [doc for doc in yaml.safe_load_all(text) if doc is not None]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(container_specs())
def test_container_files_agree_with_each_other(spec: DeploySpec) -> None:
    files = {str(f.path): f.content for f in render_all(spec)}
    health = spec.app_facts.health_path
    gunicorn = _literals(files["container/gunicorn.conf.py"])
    timeout, graceful = gunicorn["timeout"], gunicorn["graceful_timeout"]
    assert isinstance(timeout, int)
    assert isinstance(graceful, int)
    assert timeout == spec.timeout
    dockerfile = files["Dockerfile"]
    # One health path: the image's HEALTHCHECK, compose's and both Kubernetes probes.
    assert re.search(rf"HEALTHCHECK .*\n.*'{re.escape(health)}'", dockerfile)
    assert f"FROM python:{spec.python_version}-slim" in dockerfile
    assert re.search(r"^USER (\d+):\d+$", dockerfile, re.MULTILINE)
    assert "USER 0" not in dockerfile
    assert "USER root" not in dockerfile
    compile(files["gunicorn_entry.py"], "gunicorn_entry.py", "exec")
    if "docker" in spec.targets:
        compose = _yaml(files["compose.yaml"])[0]
        services = compose["services"]
        assert isinstance(services, dict)
        app = services["app"]
        assert app["image"] == spec.image
        assert health in " ".join(app["healthcheck"]["test"])
        assert int(app["stop_grace_period"].removesuffix("s")) > graceful
        nginx = files["container/nginx.conf"]
        assert f"client_max_body_size {spec.max_body};" in nginx
        assert int(re.findall(r"proxy_read_timeout (\d+)s;", nginx)[0]) >= timeout
    if "kubernetes" in spec.targets:
        deployment = _yaml(files["kubernetes/deployment.yaml"])[0]
        pod = deployment["spec"]["template"]["spec"]
        (container,) = pod["containers"]
        assert container["image"] == spec.image
        for probe in ("readinessProbe", "livenessProbe"):
            assert container[probe]["httpGet"]["path"] == health
        pause = container["lifecycle"]["preStop"]["sleep"]["seconds"]
        assert pod["terminationGracePeriodSeconds"] > pause + graceful
        assert deployment["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
        security = container["securityContext"]
        assert security["readOnlyRootFilesystem"] is True
        assert security["capabilities"]["drop"] == ["ALL"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["runAsUser"] != 0
        assert pod["automountServiceAccountToken"] is False
        ingress = _yaml(files["kubernetes/ingress.yaml"])[0]
        notes = ingress["metadata"]["annotations"]
        assert notes["nginx.ingress.kubernetes.io/proxy-body-size"] == str(spec.max_body)
        assert int(notes["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= timeout
        hosts = [rule["host"] for rule in ingress["spec"]["rules"]]
        assert hosts == list(spec.domains)
        assert ("tls" in ingress["spec"]) == (spec.tls != "off")
        job = files.get("kubernetes/migrate-job.yaml")
        assert (job is not None) == (spec.app_facts.migrate_command is not None)
        for name, content in files.items():
            if name.startswith("kubernetes/"):
                docs = _yaml(content)
                assert docs, name
                assert all("kind" in doc and "apiVersion" in doc for doc in docs), name
                # Secrets are referenced by name, never written.
                assert all(doc["kind"] != "Secret" for doc in docs), name


# -- how the image installs the project's packages --------------------------------


@pytest.mark.parametrize(
    ("present", "expected"),
    [
        (("pyproject.toml",), "pyproject"),
        (("pyproject.toml", "requirements.txt"), "requirements"),
        (("pyproject.toml", "requirements.txt", "uv.lock"), "uv"),
        (("requirements.txt",), "requirements"),
    ],
)
def test_the_image_installs_what_the_project_has(
    tmp_path: Path, present: tuple[str, ...], expected: str
) -> None:
    for name in present:
        (tmp_path / name).write_text("")
    facts = ProjectFacts(_target(str(tmp_path)), tmp_path, tmp_path / "deploy")
    spec, _notes = build_spec(DeployRequest(targets=("docker",), domains=("a.test",)), facts)
    assert spec.dependencies == expected
    dockerfile = {str(f.path): f.content for f in render_all(spec)}["Dockerfile"]
    copied = {
        "uv": "COPY pyproject.toml uv.lock ./",
        "requirements": "COPY requirements.txt ./",
        "pyproject": "pip install . ",
    }
    assert copied[expected] in dockerfile
    for other, line in copied.items():
        if other != expected:
            assert line not in dockerfile


# pyproject without werkzeug is the golden scenario "containers" itself.
_VARIANTS = [("uv", 0), ("uv", 1), ("requirements", 0), ("requirements", 1), ("pyproject", 1)]


@pytest.mark.parametrize(("dependencies", "werkzeug"), _VARIANTS)
def test_each_install_branch_matches_its_golden_file_and_passes_hadolint(
    tmp_path: Path, dependencies: str, werkzeug: int
) -> None:
    base = golden_spec("containers")
    spec = dataclasses.replace(
        base,
        dependencies=dependencies,  # type: ignore[arg-type]
        app_facts=dataclasses.replace(base.app_facts, needs_werkzeug=bool(werkzeug)),
    )
    dockerfile = {str(f.path): f.content for f in render_all(spec)}["Dockerfile"]
    golden = GOLDEN / "dockerfile-variants" / f"Dockerfile.{dependencies}-{werkzeug}.golden"
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(dockerfile, encoding="utf-8")
        pytest.fail(f"rewrote {golden}: review the diff, then run without FLASKIT_UPDATE_GOLDEN")
    assert dockerfile == golden.read_text(encoding="utf-8")
    assert ("werkzeug" in dockerfile.split("FROM python")[1]) == bool(werkzeug)
    hadolint = require_tool("hadolint")
    path = tmp_path / "Dockerfile"
    path.write_text(dockerfile)
    result = subprocess.run(
        [hadolint, "--no-color", str(path)], check=False, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr
