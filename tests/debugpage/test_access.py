"""Only loopback clients (and networks named with --debug-allow) see the page."""

from __future__ import annotations

import pytest

from flaskit.debugpage import DebugPageConfig, check_config
from flaskit.debugpage.access import client_allowed, parse_allow
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
