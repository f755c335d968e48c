"""In a container the host's browser is not a loopback client: one banner line says so."""

from __future__ import annotations

from pathlib import Path

import pytest

from flaskit.context import CliContext
from flaskit.debugpage import container
from flaskit.debugpage.container import container_note, default_gateway, in_container
from flaskit.serve.settings import RunOptions, resolve

# /proc/net/route of a container on Docker's default bridge: default via 172.17.0.1.
ROUTES = (
    "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
    "eth0\t00000000\t010011AC\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
    "eth0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0\n"
)


def fake_root(tmp_path: Path, *, marker: str | None, cgroup: str = "0::/\n") -> Path:
    (tmp_path / "proc" / "1").mkdir(parents=True)
    (tmp_path / "proc" / "net").mkdir()
    (tmp_path / "proc" / "1" / "cgroup").write_text(cgroup)
    (tmp_path / "proc" / "net" / "route").write_text(ROUTES)
    if marker is not None:
        (tmp_path / marker).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / marker).write_text("")
    return tmp_path


@pytest.mark.parametrize(
    ("marker", "cgroup", "inside"),
    [
        (".dockerenv", "0::/\n", True),  # Docker
        ("run/.containerenv", "0::/\n", True),  # Podman
        (None, "12:pids:/kubepods/besteffort/pod1/abc\n", True),  # Kubernetes, cgroup v1
        (None, "1:name=systemd:/docker/0123abcd\n", True),
        (None, "0::/\n", False),  # cgroup v2 on a plain machine
        (None, "0::/user.slice/user-1000.slice/session-2.scope\n", False),
    ],
)
def test_containers_are_recognised(
    tmp_path: Path, marker: str | None, cgroup: str, inside: bool
) -> None:
    assert in_container(fake_root(tmp_path, marker=marker, cgroup=cgroup)) is inside


def test_the_gateway_comes_from_the_default_route(tmp_path: Path) -> None:
    assert default_gateway(fake_root(tmp_path, marker=None)) == "172.17.0.1"
    assert default_gateway(tmp_path / "nowhere") is None


def test_one_line_names_the_option_that_shows_the_page(tmp_path: Path) -> None:
    root = fake_root(tmp_path, marker=".dockerenv")
    note = container_note("0.0.0.0", True, (), root)
    assert note is not None
    assert "\n" not in note
    assert note.startswith("In a container: the browser on the host reaches the app from its ")
    assert note.endswith("To show it: --debug-allow 172.17.0.1")
    # Not needed: on loopback only, without --debug, or when the gateway is allowed already.
    assert container_note("127.0.0.1", True, (), root) is None
    assert container_note("0.0.0.0", False, (), root) is None
    assert container_note("0.0.0.0", True, ("172.17.0.0/16",), root) is None
    assert container_note("::", True, ("10.0.0.0/8",), root) is not None
    assert container_note("0.0.0.0", True, (), fake_root(tmp_path / "plain", marker=None)) is None


def test_without_a_route_the_bridge_network_is_named(tmp_path: Path) -> None:
    (tmp_path / ".dockerenv").write_text("")
    note = container_note("0.0.0.0", True, (), tmp_path)
    assert note is not None
    assert note.endswith("--debug-allow 172.17.0.0/16")


def test_the_run_banner_gets_the_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = fake_root(tmp_path / "root", marker=".dockerenv")
    monkeypatch.setattr(container, "in_container", lambda _root=None: in_container(root))
    monkeypatch.setattr(container, "default_gateway", lambda _root=None: default_gateway(root))
    project = tmp_path / "project"
    project.mkdir()
    (project / "app.py").write_text("def application(environ, start_response):\n    pass\n")
    context = CliContext(cwd=project, environ={"FLASKIT_SKIP_DOTENV": "1"})
    notes = resolve(RunOptions(host="0.0.0.0", debug=True), context).notes
    assert [n for n in notes if n.startswith("In a container")] == [
        container_note("0.0.0.0", True, (), root)
    ]
    context = CliContext(cwd=project, environ={"FLASKIT_SKIP_DOTENV": "1"})
    local = resolve(RunOptions(host="127.0.0.1", debug=True), context).notes
    assert not [n for n in local if n.startswith("In a container")]
