"""The docker and kubernetes targets: the field's linters on the real output, and
the container's own command served for real outside a container (issue 14).

checkov takes seconds to start, so it runs once for the clean files and once for
deliberately broken ones, not per case.
"""

from __future__ import annotations

import dataclasses
import io
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

from flaskit.deploy.checks import check_containers
from flaskit.deploy.generate import DeployConfig, deploy_config
from flaskit.deploy.render import RenderedFile, render_all
from flaskit.deploy.validate import DeployInputError, DeployRequest, build_spec, parse_image
from tests.deploy.client import Reply, request
from tests.deploy.conftest import SITE_SPEC
from tests.deploy.test_render import golden_spec
from tests.helpers import free_port, port_is_listening, require_tool, stop_process, wait_until

LINTERS = ("hadolint", "kubernetes-validate", "checkov", "yamllint")
BODY_LIMIT = 64 * 1024  # deploy_site's MAX_CONTENT_LENGTH


def _require_linters() -> None:
    from flaskit.deploy.checks import tool_path

    for name in LINTERS:
        if tool_path(name) is None:
            require_tool(name)  # fails in CI, skips elsewhere


@pytest.mark.slow
def test_check_is_clean_on_the_sample_app(
    tmp_path: Path, site_project: Path, isolated_imports: None
) -> None:
    _require_linters()
    require_tool("nginx")
    project = tmp_path / "project"
    shutil.copytree(site_project, project)
    out = io.StringIO()
    outcome = deploy_config(
        DeployConfig(
            request=DeployRequest(
                targets=("docker", "kubernetes"),
                domains=("example.test",),
                image="registry.example.test/deploy-site:1.0.0",
            ),
            target=__import__("flaskit.discovery", fromlist=["parse_spec"]).parse_spec(
                SITE_SPEC, project
            ),
            local_root=project,
            output_dir=project / "deploy",
            check=True,
        ),
        out=out,
    )
    results = {c.name: c.status for c in outcome.checks}
    assert results == {
        "nginx -t (compose)": "ok",
        "hadolint": "ok",
        "kubernetes-validate": "ok",
        "checkov": "ok",
        "yamllint": "ok",
    }, out.getvalue()
    checkov = next(c for c in outcome.checks if c.name == "checkov")
    assert any("CKV_K8S_43" in n for n in checkov.notes)  # the one allowed, and said


def _broken(files: dict[str, RenderedFile], path: str, old: str, new: str) -> None:
    file = files[path]
    assert old in file.content, (path, old)
    files[path] = dataclasses.replace(file, content=file.content.replace(old, new, 1))


@pytest.mark.slow
def test_each_linter_catches_what_it_is_for(tmp_path: Path) -> None:
    _require_linters()
    spec = golden_spec("containers")
    files = {str(f.path): f for f in render_all(spec)}
    _broken(files, "Dockerfile", "USER 10001:10001\n", "")  # runs as root
    _broken(files, "Dockerfile", "WORKDIR /app\n", "WORKDIR app\n")  # hadolint DL3000
    _broken(
        files,
        "kubernetes/deployment.yaml",
        "readOnlyRootFilesystem: true",
        "readOnlyRootFilesystem: false",
    )
    _broken(files, "kubernetes/service.yaml", "  selector:\n", "  selektor: {}\n  selector:\n")
    _broken(files, "compose.yaml", "restart: unless-stopped\n", "restart: unless-stopped   \n")
    results = {r.name: r for r in check_containers(spec, files, tmp_path)}
    assert results["hadolint"].status == "failed"
    assert "DL3000" in results["hadolint"].detail
    assert results["kubernetes-validate"].status == "failed"
    assert "selektor" in results["kubernetes-validate"].detail
    assert results["checkov"].status == "failed"
    assert "CKV_DOCKER_3" in results["checkov"].detail  # no USER
    assert "CKV_K8S_22" in results["checkov"].detail  # writable root file system
    assert "CKV_K8S_43" not in results["checkov"].detail
    assert results["yamllint"].status == "failed"
    assert "trailing-spaces" in results["yamllint"].detail


def test_root_is_never_the_container_user() -> None:
    spec = golden_spec("containers")
    files = {str(f.path): f.content for f in render_all(spec)}
    dockerfile = files["Dockerfile"]
    users = re.findall(r"^USER (.+)$", dockerfile, re.MULTILINE)
    assert users == ["10001:10001"]
    for name, text in files.items():
        if name.startswith("kubernetes/") and "containers:" in text:
            assert "runAsNonRoot: true" in text
            assert "runAsUser: 10001" in text
            assert "runAsUser: 0" not in text


@pytest.mark.parametrize(
    "image",
    ["shop", "shop:latest", "Shop:1", "shop:1 ", "shop:1;rm", "registry.example.com/shop:$TAG"],
)
def test_bad_images_are_refused(image: str) -> None:
    with pytest.raises(DeployInputError, match="--image"):
        parse_image(image)


@pytest.mark.parametrize(
    "image",
    [
        "shop:1.0.0",
        "registry.example.com:5000/team/shop:2024-01-02",
        "ghcr.io/o/shop@sha256:" + "a" * 64,
    ],
)
def test_good_images(image: str) -> None:
    assert parse_image(image) == image


def test_the_numbers_agree_with_gunicorn() -> None:
    spec = golden_spec("containers")
    files = {str(f.path): f.content for f in render_all(spec)}
    deployment = files["kubernetes/deployment.yaml"]
    grace = int(re.search(r"terminationGracePeriodSeconds: (\d+)", deployment)[1])  # type: ignore[index]
    pause = int(re.search(r"seconds: (\d+)", deployment)[1])  # type: ignore[index]
    assert grace > pause + spec.graceful_timeout
    assert "maxUnavailable: 0" in deployment
    assert deployment.count(f"path: {spec.app_facts.health_path}") == 2  # both probes
    assert f"{spec.app_facts.health_path}'" in files["Dockerfile"]
    assert f"{spec.app_facts.health_path}'" in files["compose.yaml"]
    ingress = files["kubernetes/ingress.yaml"]
    assert f'proxy-body-size: "{spec.max_body}"' in ingress
    assert f'proxy-read-timeout: "{spec.proxy_timeout}"' in ingress
    assert "cert-manager.io/cluster-issuer" in ingress
    manifests = "".join(v for k, v in files.items() if k.startswith("kubernetes/"))
    # Secrets are referenced, never written: no Secret object, no data.
    assert "kind: Secret" not in manifests
    assert "stringData" not in manifests
    assert "secretName: shop-secrets" in manifests


# -- the container's own command, outside a container -----------------------------


@dataclass(frozen=True)
class Container:
    port: int
    app_root: Path
    env: dict[str, str]
    healthcheck: list[str]

    def get(self, path: str, **kwargs: object) -> Reply:
        return request(self.port, path, host="example.test", **kwargs)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def container(sandbox: Path, site_project: Path) -> Iterator[Container]:
    # /app of the image is a temporary folder here; the generated files go in as in the image.
    app_root = sandbox / "image" / "app"
    shutil.copytree(site_project, app_root)
    facts = __import__("flaskit.deploy.validate", fromlist=["ProjectFacts"]).ProjectFacts
    from flaskit.deploy.appinfo import read_app
    from flaskit.discovery import parse_spec

    target = parse_spec(SITE_SPEC, app_root)
    saved_path, saved_modules = list(sys.path), set(sys.modules)
    try:
        info = read_app(target, app_root).info
    finally:
        sys.path[:] = saved_path
        for module in set(sys.modules) - saved_modules:
            del sys.modules[module]
    spec, _ = build_spec(
        DeployRequest(targets=("docker",), domains=("example.test",)),
        facts(target, app_root, app_root / "deploy", info),
    )
    for file in render_all(spec):
        path = app_root / "deploy" / file.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(file.content)
    dockerfile = (app_root / "deploy" / "Dockerfile").read_text()
    env_line = re.search(r"^ENV PYTHONUNBUFFERED=1 \\\n(.*?)\n(?=\S)", dockerfile, re.S | re.M)
    assert env_line
    cmd = json.loads(re.search(r"^CMD (\[.*\])$", dockerfile, re.M)[1])  # type: ignore[index]
    health = json.loads(re.search(r"CMD (\[\"python\".*\])$", dockerfile, re.M)[1])  # type: ignore[index]
    assert cmd[:2] == ["gunicorn", "--config"]
    conf = app_root / Path(cmd[2]).relative_to("/app")
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("FLASK", "VIRTUAL_ENV"))},
        "PYTHONUNBUFFERED": "1",
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
    }
    log = sandbox / "image" / "gunicorn.log"
    with log.open("wb") as stream:
        proc = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "--config", str(conf)),
                # The image's paths, mapped; 127.0.0.1 instead of the container's 0.0.0.0.
                *("--pythonpath", str(app_root / "deploy")),
                *("--bind", f"127.0.0.1:{port}"),
                *("--control-socket", str(sandbox / "image" / "gunicorn.ctl")),
            ],
            env=env,
            cwd=app_root,
            stdout=stream,
            stderr=subprocess.STDOUT,
        )
    try:
        assert wait_until(lambda: port_is_listening(port), timeout=15), log.read_text()
        yield Container(port, app_root, env, health)
    finally:
        stop_process(proc, timeout=40)
    assert not port_is_listening(port)


@pytest.mark.slow
def test_the_container_command_serves_the_app_and_its_health_path(container: Container) -> None:
    assert container.get("/").status == 200
    health = container.get("/healthz")
    assert (health.status, health.body) == (200, b"ok\n")
    # The image's HEALTHCHECK, as Docker would run it.
    done = subprocess.run(
        [sys.executable, *container.healthcheck[1:]], env=container.env, timeout=20, check=False
    )
    assert done.returncode == 0


@pytest.mark.slow
def test_the_container_serves_static_files_with_their_cache_header(container: Container) -> None:
    reply = container.get("/static/style.css")
    assert reply.status == 200
    assert reply.body == (container.app_root / "deploy_site/static/style.css").read_bytes()
    assert reply.headers["Cache-Control"] == "max-age=2592000, public"


@pytest.mark.slow
def test_the_container_refuses_a_body_over_the_limit(container: Container) -> None:
    at_limit = container.get("/upload", method="POST", body=b"x" * BODY_LIMIT)
    assert at_limit.text == f"received {BODY_LIMIT} bytes"
    above = container.get("/upload", method="POST", body=b"x" * (BODY_LIMIT + 1))
    assert above.status == 413
    assert "limit is 65536 bytes" in above.text
    # Chunked, so no Content-Length tells: still refused, and still served at the limit.
    chunked = {"Transfer-Encoding": "chunked"}
    above = container.get(
        "/upload", method="POST", body=_chunked(b"x" * 40000, b"y" * 30000), headers=chunked
    )
    assert above.status == 413
    ok = container.get(
        "/upload", method="POST", body=_chunked(b"x" * 1000, b"x" * 24), headers=chunked
    )
    assert ok.text == "received 1024 bytes"


def _chunked(*parts: bytes) -> bytes:
    """A chunked request body, encoded by hand (http.client only sends what it is given)."""
    return b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in parts) + b"0\r\n\r\n"


@pytest.mark.slow
def test_proxy_headers_from_the_one_proxy_are_applied(container: Container) -> None:
    reply = container.get(
        "/scheme",
        headers={
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "203.0.113.7",
            "X-Forwarded-Host": "shop.example",
        },
    )
    assert json.loads(reply.text) == {
        "host": "shop.example",
        "remote": "203.0.113.7",
        "scheme": "https",
    }
