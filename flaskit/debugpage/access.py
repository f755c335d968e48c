"""Who gets debug-only answers: which clients, and which names the request gives this server.

Two checks, both needed:

* the client: the socket's peer is loopback or in a network named with
  ``--debug-allow``;
* the name: the ``Host`` header is one of this machine's own names
  (``localhost``, ``*.localhost``, a loopback address, the address the
  connection came in on, the bind address) or a name allowed with
  ``--allow-host``. A web page the developer visits can point its own name at
  127.0.0.1 (DNS rebinding) and would then be same-origin with the server; its
  requests carry its own name in ``Host``, so this check is what keeps it out.

Headers that say a request came through something else can only narrow:
every host in ``X-Forwarded-Host`` and ``Forwarded: host=``, every client in
``X-Forwarded-For``, ``X-Real-IP`` and ``Forwarded: for=``, and the page's
``Origin`` must pass the same checks. A tunnel that rewrites ``Host`` to
``localhost`` still names the public host or client it forwards for.
"""

from __future__ import annotations

import ipaddress
import re
import sys
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any
from urllib.parse import urlsplit

from flaskit.errors import UsageProblem

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address
LOOPBACK: tuple[Network, ...] = (
    ipaddress.ip_network("127.0.0.0/8"),
    ipaddress.ip_network("::1/128"),
)
MAX_EXPLAINED = 50  # distinct refusals explained in the terminal; a scan must not flood it
_REFUSED = "no error page, route list, console or live reload for {subject}."
_LABEL = re.compile(r"[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?")


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
    address = _address(remote_addr.split("%", 1)[0])
    return address is not None and any(address in network for network in networks)


def normal_host(value: str) -> str | None:
    """A ``Host``-style value (``Name.Example:8000``, ``[::1]:5000``) as a bare lower-case
    name or address (``name.example``, ``::1``); ``None`` when it is not one.

    The port is dropped (any port is fine: a rebinding page uses the server's
    own port), and so is the trailing dot of a fully qualified name.
    """
    text = value.strip().lower()
    if text.startswith("["):
        inside, bracket, port = text[1:].partition("]")
        if not bracket or (port and not (port.startswith(":") and port[1:].isdigit())):
            return None
        address = _address(inside) if ":" in inside else None
        return str(address) if address is not None else None
    name, colon, port = text.partition(":")
    if colon and not port.isdigit():
        return None  # a bare IPv6 address, or junk after the name
    name = name[:-1] if name.endswith(".") else name
    address = _address(name)
    if address is not None:
        return str(address) if isinstance(address, ipaddress.IPv4Address) else None
    if not name or len(name) > 253 or not all(_LABEL.fullmatch(p) for p in name.split(".")):
        return None
    return name


@dataclass(frozen=True)
class HostNames:
    """The names allowed besides this machine's own: exact ones and ``.suffix`` ones."""

    exact: frozenset[str] = frozenset()
    suffixes: tuple[str, ...] = ()

    def allows(self, host: str, local_address: str | None = None) -> bool:
        """Whether ``host`` (from :func:`normal_host`) names this server.

        ``local_address`` is the address the connection came in on: a browser
        that asks for that address by number cannot have been rebound.
        """
        if host in self.exact or any(host.endswith(suffix) for suffix in self.suffixes):
            return True
        address = _address(host)
        if address is None:
            # RFC 6761: *.localhost is loopback, resolved by the browser itself, and no
            # one can register it, so no page on the web is ever served from such a name.
            return host == "localhost" or host.endswith(".localhost")
        return address.is_loopback or (local_address is not None and host == local_address)


def parse_hosts(names: Iterable[str], option: str = "--allow-host") -> HostNames:
    """The names of ``--allow-host``; raises :class:`UsageProblem` for one that is not a name."""
    exact: set[str] = set()
    suffixes: list[str] = []
    for given in names:
        for value in filter(None, (part.strip() for part in given.split(","))):
            suffix = value.startswith((".", "*."))
            bare = value.split(".", 1)[1] if suffix else value
            host = normal_host(bare) if "://" not in value and "/" not in value else None
            if host is None or (suffix and _address(host) is not None):
                raise UsageProblem(_bad_host(option, value))
            if suffix:
                suffixes.append("." + host)
            else:
                exact.add(host)
    return HostNames(frozenset(exact), tuple(suffixes))


def _bad_host(option: str, value: str) -> str:
    if value.strip() in ("*", "*.*", "."):
        return (
            f"{option} '{value}' would let every web page you visit read the debug page "
            "(DNS rebinding). Name the hosts instead; a leading dot allows every name under "
            "one domain: .example.test"
        )
    split = urlsplit(value if "://" in value else f"//{value}")
    hint = f" Give the host name alone: {option} {split.hostname}." if split.hostname else ""
    return (
        f"{option} '{value}' is not a host name or IP address.{hint} "
        "Examples: myapp.test, abc123.ngrok-free.app, .dev.test (every name under dev.test)."
    )


@dataclass(frozen=True)
class Refusal:
    """Why a request gets no debug-only answer; ``subject`` is explained once."""

    subject: str
    advice: str


class AccessGuard:
    """Decides, per request, whether debug-only answers may be sent, and explains refusals.

    Each refused host or client is explained once in the terminal, with the
    option that allows it.
    """

    def __init__(
        self, networks: tuple[Network, ...], hosts: HostNames, stream: IO[str] | None = None
    ) -> None:
        self.networks = networks
        self.hosts = hosts
        self._stream = stream
        self._explained: set[str] = set()
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any]) -> bool:
        """Whether this request may get the debug page, the route list, the console and
        live reload."""
        refusal = self.refusal(environ)
        if refusal is None:
            return True
        self._explain(refusal)
        return False

    def explain_hidden_error(self, environ: dict[str, Any]) -> None:
        """Say once per refused client (or host) that it got a plain 500 for an error whose
        page it was not shown, and which option shows it there."""
        refusal = self.refusal(environ)
        if refusal is not None:
            self._explain(
                refusal,
                "{subject} got a plain 500 for the error printed above, not the error page.",
                key=f"500 for {refusal.subject}",
            )

    def host_trusted(self, environ: dict[str, Any]) -> bool:
        """Whether the request's names pass (the client is not checked)."""
        return next(self._host_refusals(environ), None) is None

    def refusal(self, environ: dict[str, Any]) -> Refusal | None:
        """The first reason this request must not get debug-only answers, if any."""
        return next(self._client_refusals(environ), None) or next(
            self._host_refusals(environ), None
        )

    def _client_refusals(self, environ: dict[str, Any]) -> Iterator[Refusal]:
        remote = environ.get("REMOTE_ADDR")
        if not client_allowed(remote, self.networks):
            yield _client_refusal(str(remote or "(unknown)"), "")
        for header, client in _forwarded_clients(environ):
            if not client_allowed(client, self.networks):
                yield _client_refusal(client, f" (from {header})")

    def _host_refusals(self, environ: dict[str, Any]) -> Iterator[Refusal]:
        local = _local_address(environ)
        host = environ.get("HTTP_HOST")
        if not isinstance(host, str) or not host.strip():
            yield Refusal(
                "a request without a Host header",
                "Browsers always send one; send Host: localhost from other tools.",
            )
            return
        names = [("Host", host, local)]
        names += [(header, value, None) for header, value in _forwarded_hosts(environ)]
        for header, value, local_address in names:
            normal = normal_host(value)
            if normal is None or not self.hosts.allows(normal, local_address):
                yield _host_refusal(header, value, normal)
        origin = environ.get("HTTP_ORIGIN")
        if isinstance(origin, str) and origin.strip():
            split = urlsplit(origin.strip())
            normal = normal_host(split.netloc) if split.scheme and split.netloc else None
            if normal is None or not self.hosts.allows(normal, local):
                yield _origin_refusal(origin, normal)

    def _explain(self, refusal: Refusal, lead: str = _REFUSED, key: str | None = None) -> None:
        """Print ``lead`` and the advice, once per ``key`` (the refusal's subject)."""
        from flaskit.console import printable

        key = refusal.subject if key is None else key
        with self._lock:
            if key in self._explained or len(self._explained) >= MAX_EXPLAINED:
                return
            self._explained.add(key)
            last = len(self._explained) == MAX_EXPLAINED
        said = lead.format(subject=printable(refusal.subject))
        text = f" * Debug mode: {said} {printable(refusal.advice)}"
        if last:
            text += f"\n * Debug mode: {MAX_EXPLAINED} refusals explained; further ones are not."
        out = sys.stderr if self._stream is None else self._stream
        try:
            out.write(text + "\n")
            out.flush()
        except (OSError, ValueError):  # a closed terminal
            pass


def _client_refusal(client: str, via: str) -> Refusal:
    return Refusal(
        f"client {client}{via}",
        "They are sent to loopback clients only. If that client is yours, allow it: "
        f"--debug-allow {client} (or a network: --debug-allow 192.168.1.0/24; "
        "also FLASKIT_DEBUG_ALLOW).",
    )


def _host_refusal(header: str, value: str, normal: str | None) -> Refusal:
    where = "Host" if header == "Host" else f"the host in {header}"
    if normal is None:
        return Refusal(f"{where} '{value.strip()}'", "That is not a host name.")
    shown = f"[{normal}]" if ":" in normal else normal
    return Refusal(f"{where} '{shown}'", _rebinding_advice(shown))


def _origin_refusal(origin: str, normal: str | None) -> Refusal:
    subject = f"a page at Origin '{origin.strip()}'"
    if normal is None:
        return Refusal(
            subject,
            "Pages without an origin of their own (sandboxed frames, file: pages) never get them.",
        )
    return Refusal(subject, _rebinding_advice(normal))


def _rebinding_advice(host: str) -> str:
    shown = f"[{host}]" if ":" in host else host
    return (
        "Only this machine's own names get them (localhost, 127.0.0.1, [::1], the --host "
        "address), so a web page cannot read them by pointing its own name at this server "
        f"(DNS rebinding). If you opened the app as {shown} on purpose (a tunnel, a "
        f"container, a local name), allow it: --allow-host {shown} "
        f"(or FLASKIT_ALLOW_HOST={shown})."
    )


def _forwarded_hosts(environ: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for value in _header_list(environ, "HTTP_X_FORWARDED_HOST"):
        yield "X-Forwarded-Host", value
    for key, value in _forwarded_pairs(environ):
        if key == "host":
            yield "Forwarded", value


def _forwarded_clients(environ: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for header, key in (
        ("X-Forwarded-For", "HTTP_X_FORWARDED_FOR"),
        ("X-Real-IP", "HTTP_X_REAL_IP"),
    ):
        for value in _header_list(environ, key):
            yield header, _node_address(value)
    for key, value in _forwarded_pairs(environ):
        if key == "for":
            yield "Forwarded", _node_address(value)


def _header_list(environ: dict[str, Any], key: str) -> list[str]:
    value = environ.get(key)
    if not isinstance(value, str):
        return []
    return [part.strip() for part in value.split(",")]


def _forwarded_pairs(environ: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """``(key, value)`` of every element of RFC 7239 ``Forwarded`` headers, quotes removed."""
    value = environ.get("HTTP_FORWARDED")
    if not isinstance(value, str):
        return
    pattern = r'\s*([^=;,\s]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;,]*)'
    for match in re.finditer(pattern, value):
        key, raw = match.group(1).lower(), match.group(2).strip()
        if raw.startswith('"'):
            raw = re.sub(r"\\(.)", r"\1", raw[1:-1])
        yield key, raw


def _node_address(node: str) -> str:
    """The address of a forwarded node (``192.0.2.1:4711``, ``[2001:db8::1]:80``), port dropped."""
    node = node.strip()
    if node.startswith("["):
        return node[1:].split("]", 1)[0]
    if node.count(":") == 1:
        return node.split(":", 1)[0]
    return node


def _local_address(environ: dict[str, Any]) -> str | None:
    """The address the connection came in on (werkzeug's server exposes its socket)."""
    sock = environ.get("werkzeug.socket")
    try:
        address = _address(str(sock.getsockname()[0])) if sock is not None else None
    except (OSError, AttributeError, IndexError, TypeError):
        return None
    return str(address) if address is not None else None


def _address(text: str) -> Address | None:
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address
