"""Inside a container the developer's browser is not a loopback client: say so at start-up.

A port published by Docker or Podman reaches the app from the container's
gateway (``172.17.0.1`` on Docker's default bridge), not from ``127.0.0.1``, so
the debug page, the route list and live reload are withheld and every error is
a plain 500. When flaskit runs in a container and listens on every address,
the banner says which ``--debug-allow`` shows them to the host.

Only files are read (``/.dockerenv``, ``/run/.containerenv``, the cgroups of
PID 1, the routing table), from ``root`` so tests can point at a fake one.
"""

from __future__ import annotations

import ipaddress
import socket
import struct
from pathlib import Path

ANY_ADDRESS = frozenset({"0.0.0.0", "::", ""})  # noqa: S104 - names to compare, not to bind
_CGROUP_MARKERS = ("docker", "kubepods", "containerd", "libpod", "lxc", "buildkit")


def in_container(root: Path = Path("/")) -> bool:
    """Whether this process runs in a container (Docker, Podman, Kubernetes, LXC)."""
    if (root / ".dockerenv").exists() or (root / "run" / ".containerenv").exists():
        return True
    for cgroup in (root / "proc" / "1" / "cgroup", root / "proc" / "self" / "cgroup"):
        try:
            text = cgroup.read_text(errors="replace")
        except OSError:
            continue
        if any(marker in text for marker in _CGROUP_MARKERS):
            return True
    return False


def default_gateway(root: Path = Path("/")) -> str | None:
    """The IPv4 gateway of the default route (``/proc/net/route``), if there is one."""
    try:
        lines = (root / "proc" / "net" / "route").read_text().splitlines()[1:]
    except OSError:
        return None
    for line in lines:
        fields = line.split()
        if len(fields) >= 3 and fields[1] == "00000000" and fields[2] != "00000000":
            try:
                packed = struct.pack("<L", int(fields[2], 16))
            except (ValueError, struct.error):
                continue
            return socket.inet_ntoa(packed)
    return None


def container_note(
    host: str, debug: bool, allowed: tuple[str, ...], root: Path = Path("/")
) -> str | None:
    """The banner line for a debug server in a container on every address, unless
    ``--debug-allow`` already covers the container's gateway."""
    if not debug or host not in ANY_ADDRESS or not in_container(root):
        return None
    gateway = default_gateway(root)
    if gateway is not None and _covered(gateway, allowed):
        return None
    value = gateway or "172.17.0.0/16"
    where = f"from its gateway, {gateway}" if gateway else "from the container's gateway"
    return (
        f"In a container: the browser on the host reaches the app {where}, not from "
        "127.0.0.1, so errors there are a plain 500 without the debug page. To show it: "
        f"--debug-allow {value}"
    )


def _covered(address: str, allowed: tuple[str, ...]) -> bool:
    ip = ipaddress.ip_address(address)
    for cidr in allowed:
        try:
            if ip in ipaddress.ip_network(cidr.strip(), strict=False):
                return True
        except ValueError:
            continue
    return False
