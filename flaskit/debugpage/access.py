"""Who may see the debug page: loopback clients, and networks named with ``--debug-allow``."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from flaskit.errors import UsageProblem

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
LOOPBACK: tuple[Network, ...] = (
    ipaddress.ip_network("127.0.0.0/8"),
    ipaddress.ip_network("::1/128"),
)


def parse_allow(cidrs: Iterable[str]) -> tuple[Network, ...]:
    """Loopback plus the given networks; raises :class:`UsageProblem` for a malformed one."""
    networks = list(LOOPBACK)
    for cidr in cidrs:
        try:
            networks.append(ipaddress.ip_network(cidr.strip(), strict=False))
        except ValueError as exc:
            raise UsageProblem(
                f"--debug-allow '{cidr}' is not an IP address or network ({exc}). "
                "Use an address like 192.168.1.20 or a network like 192.168.1.0/24."
            ) from exc
    return tuple(networks)


def client_allowed(remote_addr: object, networks: Iterable[Network]) -> bool:
    """Whether the client at ``remote_addr`` (the WSGI ``REMOTE_ADDR``) may see the page."""
    if not isinstance(remote_addr, str) or not remote_addr:
        return False
    try:
        address = ipaddress.ip_address(remote_addr.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return any(address in network for network in networks)
