"""The listening socket: bound once by the supervisor, inherited by every worker."""

from __future__ import annotations

import errno
import socket
import sys

from flaskit.errors import FlaskitError

BACKLOG = 1024  # requests that arrive during a reload wait here


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port``, or an error that says what to do."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise FlaskitError(
            f"Cannot listen on '{host}': it is not an address or a name this machine can "
            f"resolve ({exc.strerror}). Use --host 127.0.0.1, or --host 0.0.0.0 for every "
            "network interface."
        ) from None
    family, kind, proto, _name, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        if sys.platform != "win32":
            # Restarting right after a stop must not fail on connections in TIME_WAIT.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6 and host in ("::", ""):
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        sock.bind(address)
        sock.listen(BACKLOG)
    except OSError as exc:
        sock.close()
        raise _bind_error(exc, host, port) from None
    sock.set_inheritable(True)
    return sock


def _bind_error(exc: OSError, host: str, port: int) -> FlaskitError:
    if exc.errno == errno.EADDRINUSE:
        hint = ""
        if sys.platform == "darwin" and port == 5000:
            hint = " On macOS, AirPlay Receiver uses port 5000: turn it off in System Settings."
        return FlaskitError(
            f"Port {port} on {host} is already in use by another program. Stop that program, "
            f"or choose another port: flaskit run --port {suggest_port(host, port)}.{hint}"
        )
    if exc.errno == errno.EACCES:
        return FlaskitError(
            f"Permission denied to listen on port {port}: ports below 1024 need administrator "
            f"rights. Use a higher port such as --port 8000 (and a reverse proxy for port "
            f"{port} in production)."
        )
    if exc.errno == errno.EADDRNOTAVAIL:
        return FlaskitError(
            f"Cannot listen on {host}: no network interface of this machine has that address. "
            "Use --host 127.0.0.1, or --host 0.0.0.0 for every interface."
        )
    return FlaskitError(f"Cannot listen on {host}:{port}: {exc.strerror}.")


def suggest_port(host: str, port: int) -> int:
    """A free port near ``port`` to suggest, else the next number."""
    probe_host = host if ":" not in host and host != "localhost" else "127.0.0.1"
    for candidate in range(port + 1, min(port + 20, 65536)):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind((probe_host, candidate))
            except OSError:
                continue
            return candidate
    return port + 1


def urls(sock: socket.socket, host: str, tls: bool) -> tuple[str, list[str]]:
    """(the local URL, the URLs on other interfaces when bound to every interface)."""
    scheme = "https" if tls else "http"
    port = sock.getsockname()[1]
    if host in ("0.0.0.0", "::", ""):  # noqa: S104 - naming them, not binding
        local = f"{scheme}://127.0.0.1:{port}/"
        return local, [f"{scheme}://{_bracket(a)}:{port}/" for a in network_addresses(host)]
    shown = sock.getsockname()[0] if host != "localhost" else host
    return f"{scheme}://{_bracket(shown)}:{port}/", []


def network_addresses(host: str) -> list[str]:
    """This machine's non-loopback addresses (best effort, no network traffic)."""
    found: list[str] = []
    everywhere_v4 = host == "0.0.0.0"  # noqa: S104 - naming it, not binding
    families = [socket.AF_INET] if everywhere_v4 else [socket.AF_INET, socket.AF_INET6]
    for family in families:
        try:
            infos = socket.getaddrinfo(socket.gethostname(), None, family, socket.SOCK_STREAM)
        except OSError:
            infos = []
        candidates = [str(info[4][0]) for info in infos]
        # The address of the default route; connect() on UDP sends nothing.
        probe_target = ("192.0.2.1", 9) if family == socket.AF_INET else ("2001:db8::1", 9)
        try:
            with socket.socket(family, socket.SOCK_DGRAM) as probe:
                probe.connect(probe_target)
                candidates.append(str(probe.getsockname()[0]))
        except OSError:
            pass
        for address in candidates:
            if address not in found and not address.startswith(("127.", "::1", "fe80")):
                found.append(address)
    return found


def _bracket(address: str) -> str:
    return f"[{address}]" if ":" in address else address
