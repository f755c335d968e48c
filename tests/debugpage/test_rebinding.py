"""DNS rebinding: debug-only answers go to this machine's own names only, through a real server.

A web page the developer visits can point its own name at 127.0.0.1 and read
whatever the dev server answers. Every request here reaches a real
``flaskit run --debug --console`` on 127.0.0.1, so the client address is
loopback each time: only the ``Host`` header (and the ``Origin`` and
forwarding headers a browser or a tunnel adds) says where the page came from.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.debugpage.live import SECRETS, Answer, ask
from tests.helpers import APPS, clean_env, flaskit_command, free_port, port_is_listening, wait_until
from tests.serve.server import Served, serve

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]

PIN = "123-456-789"
FOREIGN_HOSTS = [
    "evil.example",
    "evil.example:{port}",
    "EVIL.example:80",
    "127.0.0.1.evil.example:{port}",
    "localhost.evil.example:{port}",
    "evil.example.:{port}",
    "localhost@evil.example",
    "",
]
FORWARDED = [
    {"X-Forwarded-Host": "evil.example"},
    {"X-Forwarded-Host": "localhost, evil.example"},
    {"Forwarded": "host=evil.example"},
    {"Forwarded": 'for=127.0.0.1;host="evil.example:443";proto=https'},
    {"Forwarded": "for=203.0.113.9"},
    {"Forwarded": 'for="[2001:db8::7]"'},
    {"X-Forwarded-For": "203.0.113.9"},
    {"X-Forwarded-For": "127.0.0.1, 203.0.113.9"},
    {"X-Real-IP": "203.0.113.9"},
    {"Origin": "http://evil.example"},
    {"Origin": "http://evil.example:{port}"},
    {"Origin": "null"},
]
OWN_HOSTS = [
    "127.0.0.1:{port}",
    "127.0.0.1",
    "localhost:{port}",
    "LocalHost",
    "localhost.:{port}",
    "[::1]:{port}",
    "[::1]",
    "127.0.0.2:{port}",
    "myapp.localhost:{port}",
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """``flaskit run --debug --console`` on the sample app."""
    with serve(
        tmp_path_factory.mktemp("hosts"),
        "--debug",
        "--console",
        app="debug_hosts",
        expect="home",
        env={"WERKZEUG_DEBUG_PIN": PIN},
    ) as served:
        yield served


def fill(text: str, port: int) -> str:
    return text.replace("{port}", str(port))


def assert_refused(served: Served, host: str | None, headers: dict[str, str]) -> None:
    """Every debug-only answer is the app's own (or the plain 500), nothing of flaskit's."""
    port = served.port
    headers = {name: fill(value, port) for name, value in headers.items()}
    host = fill(host, port) if host is not None else None

    def probe(path: str, read_body: bool = True) -> Answer:
        return ask(port, path, host=host, headers=headers, read_body=read_body)

    boom = probe("/boom")
    assert boom.status == 500
    assert boom.media == "text/plain"
    for detail in ("boom-marker", "Traceback", "RuntimeError", *SECRETS, "flaskit"):
        assert detail not in boom.body

    missing = probe("/nowhere")
    assert missing.status == 404
    assert "Not Found" in missing.body
    for detail in ("No route matches", "app.py", "/boom", "flaskit"):
        assert detail not in missing.body

    # werkzeug's debugger resources and views: the request goes to the app instead.
    resource = probe("/?__debugger__=yes&cmd=resource&f=debugger.js")
    assert resource.status == 200
    assert "<h1>home</h1>" in resource.body
    assert "__flaskit" not in resource.body
    view = probe("/boom?__debugger__=yes&cmd=flaskit-traceback&tb=1")
    assert view.status == 500
    assert view.media == "text/plain"

    # Live reload's endpoints: as if flaskit were not there (Flask's own 404).
    for path in ("/__flaskit/events", "/__flaskit/livereload.js", "/__flaskit/other"):
        own = probe(path, read_body=False)
        assert own.status == 404, path
        assert own.media == "text/html", path

    page = probe("/")
    assert page.status == 200
    assert "__flaskit" not in page.body  # no live-reload script either


@pytest.mark.parametrize("host", FOREIGN_HOSTS)
def test_a_foreign_host_gets_only_what_the_app_answers(server: Served, host: str) -> None:
    assert_refused(server, host, {})


@pytest.mark.parametrize(
    "headers", FORWARDED, ids=lambda h: "-".join(f"{k}:{v}" for k, v in h.items())
)
def test_forwarding_and_origin_headers_can_only_narrow(
    server: Served, headers: dict[str, str]
) -> None:
    assert_refused(server, None, headers)


@pytest.mark.parametrize("host", OWN_HOSTS)
def test_this_machines_own_names_get_the_debug_answers(server: Served, host: str) -> None:
    port = server.port
    host = fill(host, port)
    origin = {"Origin": f"http://{host}"}
    boom = ask(port, "/boom", host=host, headers=origin)
    assert boom.status == 500
    assert boom.media == "text/html"
    assert "boom-marker" in boom.body
    assert not any(secret in boom.body for secret in SECRETS)
    assert "No route matches /nowhere" in ask(port, "/nowhere", host=host).body
    stream = ask(port, "/__flaskit/events", host=host, read_body=False)
    assert (stream.status, stream.media) == (200, "text/event-stream")
    assert "/__flaskit/livereload.js" in ask(port, "/", host=host).body
    resource = ask(port, "/?__debugger__=yes&cmd=resource&f=debugger.js", host=host)
    assert resource.media == "text/javascript"


def test_a_local_proxy_naming_this_machine_is_fine(server: Served) -> None:
    headers = {
        "X-Forwarded-For": "127.0.0.1",
        "X-Forwarded-Host": f"localhost:{server.port}",
        "Forwarded": 'for="[::1]";host=localhost',
    }
    assert "boom-marker" in ask(server.port, "/boom", headers=headers).body


def test_each_refused_host_is_explained_once(tmp_path: Path) -> None:
    with serve(tmp_path, "--debug", app="debug_hosts", expect="home") as served:
        check_explained_once(served)


def check_explained_once(server: Served) -> None:
    port = server.port
    for _ in range(3):
        ask(port, "/boom", host="once.example")
        ask(port, "/nowhere", host=f"once.example:{port}")
        ask(port, "/__flaskit/events", host="once.example", read_body=False)
    ask(port, "/boom", host="twice.example")
    server.wait_output("Host 'twice.example'")
    # Tracebacks (and what follows them) are printed once each answer has been sent.
    assert wait_until(lambda: server.output.count("GET http://once.example/boom") == 3)
    server.wait_output("Host 'twice.example' got a plain 500")
    output = server.output
    assert output.count("for Host 'once.example'.") == 1, output
    # The errors it got as a plain 500, once too, with the same option.
    assert output.count("Host 'once.example' got a plain 500") == 1, output
    assert "--allow-host once.example" in output
    assert "FLASKIT_ALLOW_HOST" in output
    # A forwarded client is explained with the option that allows it.
    ask(port, "/boom", headers={"X-Forwarded-For": "198.51.100.4"})
    server.wait_output("198.51.100.4")
    assert "--debug-allow" in server.output


def test_allow_host_names_tunnels_and_custom_names(tmp_path: Path) -> None:
    with serve(
        tmp_path,
        "--debug",
        "--allow-host",
        "tunnel.example",
        "--allow-host",
        ".dev.test",
        app="debug_hosts",
        expect="home",
        env={"FLASKIT_ALLOW_HOST": "ignored.example"},  # the option wins over the variable
    ) as served:
        port = served.port
        for host in ("tunnel.example", "TUNNEL.example:443", "shop.dev.test", "a.b.dev.test:8000"):
            assert "boom-marker" in ask(port, "/boom", host=host).body, host
            forwarded = {"X-Forwarded-Host": host}
            assert "boom-marker" in ask(port, "/boom", headers=forwarded).body, host
        for host in ("dev.test.evil.example", "evil-tunnel.example", "ignored.example"):
            assert_refused(served, host, {})


def test_the_variable_allows_hosts_too(tmp_path: Path) -> None:
    with serve(
        tmp_path,
        "--debug",
        app="debug_hosts",
        expect="home",
        env={"FLASKIT_ALLOW_HOST": "box.internal,other.internal"},
    ) as served:
        for host in ("box.internal", "other.internal:9000"):
            assert "boom-marker" in ask(served.port, "/boom", host=host).body
        assert_refused(served, "evil.example", {})


def test_the_import_error_page_is_guarded_too(tmp_path: Path) -> None:
    folder = tmp_path / "broken"
    shutil.copytree(APPS / "debug_hosts", folder)
    (folder / "app.py").write_text("raise RuntimeError('import-marker')\n")
    port = free_port()
    log = tmp_path / "log.txt"
    import subprocess

    from tests.helpers import stop_process

    with log.open("wb") as sink:
        proc = subprocess.Popen(
            flaskit_command("run", "--debug", "--port", str(port)),
            cwd=folder,
            env=clean_env(),
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        assert wait_until(lambda: port_is_listening(port), 30), log.read_text()
        own = ask(port, "/", host=f"localhost:{port}")
        assert own.status == 500
        assert "import-marker" in own.body
        for host, headers in (("evil.example", {}), (None, {"X-Forwarded-Host": "evil.example"})):
            answer = ask(port, "/", host=host, headers=headers)
            assert answer.status == 500
            assert answer.media == "text/plain"
            assert "import-marker" not in answer.body
            assert "Traceback" not in answer.body
            events = ask(port, "/__flaskit/events", host=host, headers=headers, read_body=False)
            assert events.media != "text/event-stream"
    finally:
        stop_process(proc, timeout=10)
        assert wait_until(lambda: not port_is_listening(port), 10)
