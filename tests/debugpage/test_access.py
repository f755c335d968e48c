"""Only loopback clients (and --debug-allow networks) using this machine's own names (and
--allow-host names) get debug-only answers."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from flaskit.debugpage import DebugPageConfig, check_config
from flaskit.debugpage.access import (
    MAX_EXPLAINED,
    AccessGuard,
    HostNames,
    client_allowed,
    normal_host,
    parse_allow,
    parse_hosts,
)
from flaskit.errors import UsageProblem
from tests.debugpage import sample_app
from tests.debugpage.support import REMOTE, client, get


@pytest.mark.parametrize(
    "address", ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1", "0:0:0:0:0:0:0:1"]
)
def test_loopback_addresses_are_allowed(address: str) -> None:
    assert client_allowed(address, parse_allow(()))


@pytest.mark.parametrize(
    "address", ["203.0.113.9", "10.0.0.1", "192.168.1.20", "::2", "fe80::1%eth0", "", "bogus", None]
)
def test_other_addresses_are_refused(address: object) -> None:
    assert not client_allowed(address, parse_allow(()))


def test_debug_allow_adds_networks() -> None:
    networks = parse_allow(["192.168.1.0/24", "2001:db8::/32", "10.1.2.3"])
    assert client_allowed("192.168.1.20", networks)
    assert client_allowed("2001:db8::5", networks)
    assert client_allowed("10.1.2.3", networks)
    assert not client_allowed("10.1.2.4", networks)
    assert client_allowed("127.0.0.1", networks)


def test_malformed_network_is_a_usage_error() -> None:
    with pytest.raises(UsageProblem, match=r"--debug-allow '192\.168\.1/33'.*192\.168\.1\.0/24"):
        parse_allow(["192.168.1/33"])
    with pytest.raises(UsageProblem, match=r"192\.168\.1/33"):
        check_config(DebugPageConfig(allow=("192.168.1/33",)))


def test_server_ignores_a_malformed_network(capsys: pytest.CaptureFixture[str]) -> None:
    test_client = client(allow=("10.9.0.0/16", "not-a-network"))
    assert "Debug page: ignored: --debug-allow 'not-a-network'" in capsys.readouterr().err
    assert get(test_client, "/fail", remote={"REMOTE_ADDR": "10.9.1.1"}).mimetype == "text/html"
    assert get(test_client, "/fail", remote=REMOTE).mimetype == "text/plain"


@pytest.mark.parametrize(
    "environ",
    [
        REMOTE,
        {"REMOTE_ADDR": "192.168.1.20"},
        {},  # no REMOTE_ADDR at all (a Unix socket, an odd server)
        {"REMOTE_ADDR": "203.0.113.9", "HTTP_X_FORWARDED_FOR": "127.0.0.1"},  # spoofing try
    ],
)
def test_other_clients_get_a_plain_500_without_detail(
    environ: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    response = get(client(), "/fail", remote=environ)
    assert response.status_code == 500
    assert response.mimetype == "text/plain"
    assert response.get_data() == b"Internal Server Error\n"
    assert "Content-Security-Policy" not in response.headers
    # The developer still sees the traceback in the terminal.
    assert "ZeroDivisionError" in capsys.readouterr().err


def test_allowed_network_sees_the_page() -> None:
    response = get(
        client(allow=("192.168.1.0/24",)), "/fail", remote={"REMOTE_ADDR": "192.168.1.20"}
    )
    assert response.status_code == 500
    assert response.mimetype == "text/html"
    assert "ZeroDivisionError" in response.get_data(as_text=True)


def test_other_clients_get_the_apps_own_404_not_the_route_list() -> None:
    app = sample_app.create_app()
    expected = app.test_client().get("/nowhere").get_data()
    response = get(client(app), "/nowhere", remote=REMOTE)
    assert response.status_code == 404
    assert response.get_data() == expected


# --- The Host check (DNS rebinding) -------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "normal"),
    [
        ("localhost", "localhost"),
        ("LocalHost:5000", "localhost"),
        ("localhost.", "localhost"),
        ("127.0.0.1:5000", "127.0.0.1"),
        ("[::1]:5000", "::1"),
        ("[0:0:0:0:0:0:0:1]", "::1"),
        ("[::ffff:127.0.0.1]", "127.0.0.1"),
        ("App.Example.Test:443", "app.example.test"),
        ("xn--bcher-kva.example", "xn--bcher-kva.example"),
        ("", None),
        ("::1", None),  # IPv6 needs brackets in Host
        ("[::1", None),
        ("[127.0.0.1]", None),
        ("localhost:port", None),
        ("localhost@evil.example", None),
        ("evil.example/x", None),
        ("evil..example", None),
        ("-evil.example", None),
        ("evil\x1b[31m.example", None),
    ],
)
def test_host_values_are_normalised(value: str, normal: str | None) -> None:
    assert normal_host(value) == normal


ALLOWED = HostNames(frozenset({"tunnel.example", "10.0.0.5"}), (".dev.test",))


@pytest.mark.parametrize(
    ("host", "local", "allowed"),
    [
        ("localhost", None, True),
        ("app.localhost", None, True),  # RFC 6761: never served from the web
        ("127.0.0.1", None, True),
        ("127.3.4.5", None, True),
        ("::1", None, True),
        ("tunnel.example", None, True),
        ("10.0.0.5", None, True),
        ("shop.dev.test", None, True),
        ("a.b.dev.test", None, True),
        ("192.168.1.5", "192.168.1.5", True),  # the address the connection came in on
        ("192.168.1.5", "192.168.1.6", False),
        ("192.168.1.5", None, False),
        ("dev.test", None, False),  # ".dev.test" means the names under it
        ("evildev.test", None, False),
        ("localhost.evil.example", None, False),
        ("127.0.0.1.evil.example", None, False),
        ("localhostevil", None, False),
        ("evil.example", None, False),
        ("10.0.0.6", None, False),
    ],
)
def test_which_names_get_debug_answers(host: str, local: str | None, allowed: bool) -> None:
    assert ALLOWED.allows(host, local) is allowed


def test_allow_host_values_are_checked() -> None:
    hosts = parse_hosts(["Tunnel.Example:8443", "a.test,b.test", ".dev.test", "*.box.test"])
    assert hosts.exact == frozenset({"tunnel.example", "a.test", "b.test"})
    assert hosts.suffixes == (".dev.test", ".box.test")
    with pytest.raises(UsageProblem, match=r"--allow-host abc\.ngrok\.io\."):
        parse_hosts(["https://abc.ngrok.io/"])
    with pytest.raises(UsageProblem, match="every web page you visit"):
        parse_hosts(["*"])
    for bad in ("bad host", "a/b", ".10.0.0.1", "x@y"):
        with pytest.raises(UsageProblem, match="not a host name"):
            parse_hosts([bad])
    with pytest.raises(UsageProblem, match="--allow-host 'bad host'"):
        check_config(DebugPageConfig(trusted_hosts=("bad host",)))


def guard(stream: io.StringIO | None = None) -> AccessGuard:
    return AccessGuard(parse_allow(["192.168.1.0/24"]), parse_hosts(["tunnel.example"]), stream)


def environ(**headers: str) -> dict[str, str]:
    base = {"REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": "localhost:5000"}
    base.update(headers)
    return base


@pytest.mark.parametrize(
    ("headers", "allowed"),
    [
        ({}, True),
        ({"HTTP_HOST": "tunnel.example"}, True),
        ({"REMOTE_ADDR": "192.168.1.20", "HTTP_HOST": "tunnel.example"}, True),
        ({"REMOTE_ADDR": "192.168.2.20"}, False),
        ({"HTTP_HOST": "evil.example"}, False),
        ({"HTTP_HOST": ""}, False),
        ({"HTTP_X_FORWARDED_HOST": "tunnel.example"}, True),
        ({"HTTP_X_FORWARDED_HOST": "localhost, evil.example"}, False),
        ({"HTTP_FORWARDED": 'for=192.168.1.9;host="tunnel.example:443", for=127.0.0.1'}, True),
        ({"HTTP_FORWARDED": 'for="_hidden"'}, False),
        ({"HTTP_FORWARDED": "for=unknown"}, False),
        ({"HTTP_FORWARDED": 'host="evil.example"'}, False),
        ({"HTTP_FORWARDED": 'for="[2001:db8::1]:4711"'}, False),
        ({"HTTP_X_FORWARDED_FOR": "127.0.0.1, 192.168.1.3"}, True),
        ({"HTTP_X_FORWARDED_FOR": "203.0.113.9"}, False),
        ({"HTTP_X_REAL_IP": "203.0.113.9"}, False),
        ({"HTTP_ORIGIN": "http://localhost:5000"}, True),
        ({"HTTP_ORIGIN": "https://tunnel.example"}, True),
        ({"HTTP_ORIGIN": "http://evil.example"}, False),
        ({"HTTP_ORIGIN": "null"}, False),
        # Spoofing only narrows: a forwarded loopback address does not let a remote client in.
        ({"REMOTE_ADDR": "203.0.113.9", "HTTP_X_FORWARDED_FOR": "127.0.0.1"}, False),
    ],
)
def test_the_guard_checks_client_host_forwarding_and_origin(
    headers: dict[str, str], allowed: bool
) -> None:
    assert guard(io.StringIO())(environ(**headers)) is allowed


def test_each_refusal_is_explained_once_with_the_option_and_safely() -> None:
    out = io.StringIO()
    check = guard(out)
    for port in (1, 2, 3):
        check(environ(HTTP_HOST=f"evil.example:{port}"))
    check(environ(REMOTE_ADDR="10.9.9.9"))
    check(environ(HTTP_HOST="bad\x1b]0;pwned\x07host"))
    lines = out.getvalue().splitlines()
    assert len(lines) == 3, lines
    assert "Host 'evil.example'" in lines[0]
    assert "--allow-host evil.example" in lines[0]
    assert "client 10.9.9.9" in lines[1]
    assert "--debug-allow 10.9.9.9" in lines[1]
    assert "\x1b" not in out.getvalue()
    assert "\x07" not in out.getvalue()
    assert "bad\\x1b]0;pwned\\x07host" in lines[2]


def test_explanations_stop_at_a_limit() -> None:
    out = io.StringIO()
    check = guard(out)
    for n in range(MAX_EXPLAINED + 30):
        check(environ(HTTP_HOST=f"scan{n}.example"))
    lines = out.getvalue().splitlines()
    assert len(lines) == MAX_EXPLAINED + 1
    assert "further ones are not" in lines[-1]


def test_the_page_uses_the_guard(capsys: pytest.CaptureFixture[str]) -> None:
    rebound = {"Host": "rebound.example"}
    response = get(client(), "/fail", headers=rebound)
    assert response.get_data() == b"Internal Server Error\n"
    assert "Host 'rebound.example'" in capsys.readouterr().err
    allowed = get(client(trusted_hosts=("rebound.example",)), "/fail", headers=rebound)
    assert allowed.mimetype == "text/html"


def test_the_address_a_connection_came_in_on_names_this_machine() -> None:
    """``--host 0.0.0.0 --debug-allow 192.168.1.0/24``: a phone opens http://192.168.1.5:5000/."""

    class Socket:
        def __init__(self, address: str) -> None:
            self.address = address

        def getsockname(self) -> tuple[str, int]:
            return (self.address, 5000)

    phone = {"REMOTE_ADDR": "192.168.1.20", "HTTP_HOST": "192.168.1.5:5000"}
    check = guard(io.StringIO())
    assert check({**phone, "werkzeug.socket": Socket("192.168.1.5")})
    assert check({**phone, "werkzeug.socket": Socket("::ffff:192.168.1.5")})  # dual-stack
    # A tunnel ends on loopback: the public address it was opened by is not ours.
    assert not check({**phone, "werkzeug.socket": Socket("127.0.0.1")})
    assert not check(phone)


def test_a_client_that_gets_the_plain_500_is_told_once_what_would_show_the_page(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A container's bridge gateway, a phone on the LAN: the developer sees a bare 500 in the
    browser and, once, in the terminal why and which --debug-allow shows the page there."""
    test_client = client()
    capsys.readouterr()
    docker_gateway = {"REMOTE_ADDR": "172.17.0.1"}
    for _ in range(3):
        response = get(test_client, "/fail", remote=docker_gateway)
        assert response.get_data() == b"Internal Server Error\n"
    get(test_client, "/", remote=docker_gateway)
    terminal = capsys.readouterr().err
    lines = [line for line in terminal.splitlines() if line.startswith(" * Debug mode:")]
    hidden = [line for line in lines if "got a plain 500" in line]
    assert len(hidden) == 1, lines
    assert hidden[0].startswith(
        " * Debug mode: client 172.17.0.1 got a plain 500 for the error printed above, "
        "not the error page."
    )
    assert "--debug-allow 172.17.0.1" in hidden[0]
    assert terminal.index("ZeroDivisionError") < terminal.index("got a plain 500")
    # The option it names shows the page to that client.
    allowed = get(client(allow=("172.17.0.1",)), "/fail", remote=docker_gateway)
    assert allowed.mimetype == "text/html"
    assert "<h1>ZeroDivisionError</h1>" in allowed.get_data(as_text=True)


def test_the_import_error_page_explains_its_plain_500_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from flaskit.debugpage import import_error_app

    try:
        raise ImportError("no module named nowhere")
    except ImportError as exc:
        app = import_error_app(exc, DebugPageConfig(root=tmp_path))
    from werkzeug.test import Client

    for _ in range(2):
        Client(app).get("/", environ_base={"REMOTE_ADDR": "192.168.1.30"})
    said = capsys.readouterr().err
    assert said.count("client 192.168.1.30 got a plain 500") == 1
    assert "--debug-allow 192.168.1.30" in said
