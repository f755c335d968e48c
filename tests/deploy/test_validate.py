"""Input validation: hostile or wrong values are refused, naming the value and the fix."""

from __future__ import annotations

import dataclasses
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flaskit.deploy.appinfo import AppInfo
from flaskit.deploy.spec import TARGETS, Address
from flaskit.deploy.validate import (
    DEFAULT_MAX_BODY,
    MAX_BODY_LIMIT,
    DeployInputError,
    DeployRequest,
    ProjectFacts,
    build_spec,
    parse_address,
    parse_hostname,
    parse_size,
    parse_targets,
    split_positionals,
)
from flaskit.discovery import AppTarget, Call
from tests.deploy.test_render import hostnames

FACTS = ProjectFacts(
    AppTarget("shop", "create_app", Call(), Path("/srv/shop"), "test", "shop:create_app()"),
    Path("/srv/shop"),
    Path("/srv/shop/deploy"),
    AppInfo("create_app()", "/static", Path("/srv/shop/shop/static"), None),
)
BASE = DeployRequest(domains=("example.com",))

# Every option whose value lands in a config file.
TEXT_OPTIONS = {
    "domains": "--domain",
    "name": "--name",
    "project_dir": "--project-dir",
    "venv": "--venv",
    "user": "--user",
    "group": "--group",
    "socket": "--socket",
    "bind": "--bind",
    "listen": "--listen",
    "tls_listen": "--tls-listen",
    "max_body": "--max-body",
    "cert": "--cert",
    "key": "--key",
    "image": "--image",
}
BREAKERS = ["\n", "\r", ";", "'", '"', "{", "}", "$", " ", "\t", "\\", "#", "`", "\x00"]


def _request(field: str, value: str) -> DeployRequest:
    if field == "domains":
        return dataclasses.replace(BASE, domains=(value,))
    changes: dict[str, object] = {field: value}
    if field in ("cert", "key"):
        changes = {"tls": "files", "cert": "/etc/ssl/a.pem", "key": "/etc/ssl/a.key", **changes}
    if field == "bind":
        changes["socket"] = None
    return dataclasses.replace(BASE, **changes)  # type: ignore[arg-type]


def _valid_value(field: str) -> str:
    return {
        "domains": "example.com",
        "name": "shop",
        "user": "shop",
        "group": "shop",
        "bind": "127.0.0.1:8000",
        "listen": "127.0.0.1:8080",
        "tls_listen": "8443",
        "max_body": "10M",
        "image": "registry.example.com/shop:1.0.0",
    }.get(field, "/srv/shop/x")


@settings(max_examples=300, deadline=None)
@given(
    field=st.sampled_from(sorted(TEXT_OPTIONS)),
    breaker=st.sampled_from(BREAKERS),
    position=st.integers(0, 30),
    tail=st.text(max_size=10),
)
def test_config_breaking_characters_are_refused_with_the_value(
    field: str, breaker: str, position: int, tail: str
) -> None:
    valid = _valid_value(field)
    at = min(position, len(valid))
    value = valid[:at] + breaker + valid[at:] + tail
    with pytest.raises(DeployInputError) as caught:
        build_spec(_request(field, value), FACTS)
    message = caught.value.format_message()
    assert TEXT_OPTIONS[field] in message
    assert repr(value) in message
    assert caught.value.exit_code == 2


@pytest.mark.parametrize("field", sorted(TEXT_OPTIONS))
def test_each_valid_value_is_accepted(field: str) -> None:
    spec, _notes = build_spec(_request(field, _valid_value(field)), FACTS)
    assert spec.domains == ("example.com",)


@settings(max_examples=200, deadline=None)
@given(hostnames, st.sampled_from(["", "."]))
def test_hostnames_are_accepted_and_lowercased(name: str, dot: str) -> None:
    assert parse_hostname(name.upper() + dot) == name


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("-bad.com", "'-bad'"),
        ("bad-.com", "'bad-'"),
        ("a..com", "''"),
        ("*.example.com", "wildcards"),
        ("10.0.0.1", "IP address"),
        ("x" * 64 + ".com", "1-63"),
        ("bücher.de", "'xn--bcher-kva.de'"),
        ("under_score.com", "'under_score'"),
        ("", "''"),
    ],
)
def test_non_hostnames_are_refused(value: str, why: str) -> None:
    with pytest.raises(DeployInputError) as caught:
        parse_hostname(value)
    assert why in caught.value.format_message()


def test_a_domain_is_required() -> None:
    with pytest.raises(DeployInputError, match=r"--domain example\.com"):
        build_spec(DeployRequest(), FACTS)


@pytest.mark.parametrize("field", ["project_dir", "venv", "socket", "cert", "key"])
def test_relative_paths_are_refused_where_absolute_ones_are_needed(field: str) -> None:
    with pytest.raises(DeployInputError, match="relative path") as caught:
        build_spec(_request(field, "srv/shop"), FACTS)
    assert "'srv/shop'" in caught.value.format_message()


@pytest.mark.parametrize(
    ("socket", "folder"),
    [
        ("/tmp/shop.sock", "/tmp"),
        ("/var/tmp/x/shop.sock", "/var/tmp"),
        ("/dev/shm/s", "/dev/shm"),
        # Issue 13.9: these got through.
        ("/run/lock/shop.sock", "/run/lock"),
        ("/var/lock/shop.sock", "/run/lock"),
        ("/run/shm/shop.sock", "/dev/shm"),
        ("/var/run/lock/shop.sock", "/run/lock"),
    ],
)
def test_socket_in_world_writable_directory_is_refused(socket: str, folder: str) -> None:
    with pytest.raises(DeployInputError) as caught:
        build_spec(dataclasses.replace(BASE, socket=socket), FACTS)
    message = caught.value.format_message()
    assert f"is in {folder}, a world-writable directory" in message
    assert "--socket /run/shop.sock (the default)" in message


def test_socket_in_a_world_writable_directory_of_this_machine_is_refused(run_dir: Path) -> None:
    # run_dir is outside /tmp, so only this machine's file system can tell.
    shared = run_dir / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    with pytest.raises(DeployInputError, match=f"is in {shared}, a world-writable"):
        build_spec(dataclasses.replace(BASE, socket=f"{shared}/shop.sock"), FACTS)
    # The same through a link to it.
    link = run_dir / "link"
    link.symlink_to(shared)
    with pytest.raises(DeployInputError, match=f"is in {shared}, a world-writable"):
        build_spec(dataclasses.replace(BASE, socket=f"{link}/shop.sock"), FACTS)


@pytest.mark.parametrize("socket", ["/run", "/run/", "/var/run", "/run/user"])
def test_a_directory_is_not_a_socket(socket: str) -> None:
    with pytest.raises(DeployInputError, match="is a directory, but it must name the socket"):
        build_spec(dataclasses.replace(BASE, socket=socket), FACTS)


def test_var_run_is_resolved_to_run() -> None:
    # /var/run/NAME is /run/NAME, the RuntimeDirectory, on every Debian system.
    with pytest.raises(DeployInputError, match=r"that is /run/shop/app\.sock.*RuntimeDirectory"):
        build_spec(dataclasses.replace(BASE, socket="/var/run/shop/app.sock"), FACTS)
    spec, _ = build_spec(dataclasses.replace(BASE, socket="/var/run/shop.sock"), FACTS)
    assert spec.socket == PurePosixPath("/run/shop.sock")


@pytest.mark.parametrize("socket", ["/run/shop/app.sock", "/run/shop/gunicorn.ctl"])
def test_socket_in_the_runtime_directory_is_refused(socket: str) -> None:
    # nginx cannot enter the app user's RuntimeDirectory, and systemd deletes it on stop.
    with pytest.raises(DeployInputError, match=r"RuntimeDirectory.*--socket /run/shop\.sock"):
        build_spec(dataclasses.replace(BASE, socket=socket), FACTS)


def test_a_socket_beside_the_runtime_directory_is_accepted() -> None:
    spec, _notes = build_spec(dataclasses.replace(BASE, socket="/run/shop-web/app.sock"), FACTS)
    assert str(spec.socket) == "/run/shop-web/app.sock"


def test_socket_path_too_long_for_a_unix_socket() -> None:
    with pytest.raises(DeployInputError, match="107 bytes"):
        build_spec(dataclasses.replace(BASE, socket="/run/" + "s" * 120), FACTS)


def test_dot_dot_in_paths_is_refused() -> None:
    with pytest.raises(DeployInputError, match=r"'\.\.'"):
        build_spec(dataclasses.replace(BASE, venv="/srv/shop/../etc"), FACTS)


def test_cert_without_key_and_the_reverse() -> None:
    for changes in ({"cert": "/etc/ssl/a.pem"}, {"key": "/etc/ssl/a.key"}):
        with pytest.raises(DeployInputError, match="without --"):
            build_spec(dataclasses.replace(BASE, **changes), FACTS)  # type: ignore[arg-type]


def test_cert_implies_tls_files_but_not_with_another_mode() -> None:
    pair = {"cert": "/etc/ssl/a.pem", "key": "/etc/ssl/a.key"}
    spec, _ = build_spec(dataclasses.replace(BASE, **pair), FACTS)  # type: ignore[arg-type]
    assert spec.tls == "files"
    assert spec.cert_path == PurePosixPath("/etc/ssl/a.pem")
    with pytest.raises(DeployInputError, match="--tls files"):
        build_spec(dataclasses.replace(BASE, tls="off", **pair), FACTS)  # type: ignore[arg-type]
    with pytest.raises(DeployInputError, match="--cert FILE and --key FILE"):
        build_spec(dataclasses.replace(BASE, tls="files"), FACTS)


def test_letsencrypt_is_the_default_with_certbots_paths() -> None:
    spec, _ = build_spec(
        dataclasses.replace(BASE, domains=("Example.COM", "www.example.com")), FACTS
    )
    assert spec.tls == "letsencrypt"
    assert str(spec.cert_path) == "/etc/letsencrypt/live/example.com/fullchain.pem"
    assert str(spec.key_path) == "/etc/letsencrypt/live/example.com/privkey.pem"
    assert spec.hsts
    assert not spec.hsts_preload


def test_socket_and_bind_are_exclusive() -> None:
    with pytest.raises(DeployInputError, match="only one"):
        build_spec(dataclasses.replace(BASE, socket="/run/a.sock", bind="127.0.0.1:8000"), FACTS)


def test_root_is_refused_as_the_app_user() -> None:
    with pytest.raises(DeployInputError, match="must not run with root's powers"):
        build_spec(dataclasses.replace(BASE, user="root"), FACTS)


# Issue 13.2: every path that derives the account, not only --user root.
def _facts_for(import_name: str, local_root: str) -> ProjectFacts:
    target = dataclasses.replace(FACTS.target, import_name=import_name)
    return dataclasses.replace(FACTS, target=target, local_root=Path(local_root))


@pytest.mark.parametrize(
    ("request_changes", "facts", "origin"),
    [
        ({"name": "root"}, FACTS, "comes from --name root"),
        ({}, _facts_for("root", "/srv/shop"), "comes from the app's package 'root'"),
        ({}, _facts_for("root.web", "/srv/shop"), "comes from the app's package 'root'"),
        ({}, _facts_for("wsgi", "/srv/root"), "comes from the project folder 'root'"),
        ({}, _facts_for("app", "/root"), "comes from the project folder 'root'"),
        ({"group": "root"}, FACTS, "--group root"),
        ({"group": "docker"}, FACTS, "can become root"),
        ({"group": "sudo"}, FACTS, "can become root"),
        ({"name": "sudo"}, FACTS, "can become root"),
    ],
)
def test_root_never_becomes_the_service_account_by_any_path(
    request_changes: dict[str, str], facts: ProjectFacts, origin: str
) -> None:
    with pytest.raises(DeployInputError) as caught:
        build_spec(dataclasses.replace(BASE, **request_changes), facts)  # type: ignore[arg-type]
    message = caught.value.format_message()
    assert origin in message
    assert "root" in message
    assert "--user " in message  # the way out
    assert caught.value.exit_code == 2


def test_a_uid_0_account_under_another_name_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import pwd

    from flaskit.deploy import validate

    real = pwd.getpwnam

    def lookup(name: str) -> pwd.struct_passwd:
        if name == "toor":  # BSD's second root account
            return pwd.struct_passwd(("toor", "x", 0, 0, "", "/root", "/bin/sh"))
        return real(name)

    monkeypatch.setattr(validate.pwd, "getpwnam", lookup)
    with pytest.raises(DeployInputError, match="'toor' is uid 0 on this machine"):
        build_spec(dataclasses.replace(BASE, user="toor"), FACTS)
    with pytest.raises(DeployInputError, match="'toor' is uid 0 on this machine"):
        build_spec(dataclasses.replace(BASE, name="toor"), FACTS)


def test_a_project_package_named_like_the_user_is_still_fine() -> None:
    spec, _ = build_spec(BASE, _facts_for("rooted", "/srv/rooted"))
    assert (spec.user, spec.group) == ("rooted", "rooted")


def test_hsts_preload_needs_https_and_hsts() -> None:
    for changes in ({"tls": "off"}, {"hsts": False}):
        request = dataclasses.replace(BASE, hsts_preload=True, **changes)  # type: ignore[arg-type]
        with pytest.raises(DeployInputError, match="--hsts-preload"):
            build_spec(request, FACTS)


def test_same_port_for_http_and_https_is_refused() -> None:
    with pytest.raises(DeployInputError, match="same address"):
        build_spec(dataclasses.replace(BASE, listen="8080", tls_listen="8080"), FACTS)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("443", Address(None, 443)),
        ("*:80", Address(None, 80)),
        ("127.0.0.1:8080", Address("127.0.0.1", 8080)),
        ("[::1]:8443", Address("::1", 8443)),
    ],
)
def test_addresses(value: str, expected: Address) -> None:
    assert parse_address("--listen", value, 80) == expected


@pytest.mark.parametrize("value", ["0", "65536", "example.com:80", "::1:80", "1.2.3.4:", "http"])
def test_bad_addresses(value: str) -> None:
    with pytest.raises(DeployInputError, match=repr(value).replace("[", r"\[")):
        parse_address("--listen", value, 80)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, MAX_BODY_LIMIT), st.sampled_from(["", "b", "B"]))
def test_sizes_in_bytes_round_trip(size: int, suffix: str) -> None:
    assert parse_size("--max-body", f"{size}{suffix}") == size


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 1023), st.sampled_from(["k", "K", "kb", "KiB", "m", "M", "MB", "MiB"]))
def test_sizes_with_units_are_binary_like_nginx(number: int, unit: str) -> None:
    factor = 1024 if unit[0] in "kK" else 1024**2
    assert parse_size("--max-body", f"{number}{unit}") == number * factor


@pytest.mark.parametrize("value", ["0", "2G", "3000000000", "ten", "1.5M", "-1", "10T"])
def test_bad_sizes(value: str) -> None:
    with pytest.raises(DeployInputError, match=repr(value)):
        parse_size("--max-body", value)


def test_body_limit_comes_from_the_app_and_must_agree() -> None:
    facts = dataclasses.replace(
        FACTS,
        app_info=dataclasses.replace(FACTS.app_info, max_content_length=1024),  # type: ignore[type-var]
    )
    assert build_spec(BASE, facts)[0].max_body == 1024
    assert build_spec(dataclasses.replace(BASE, max_body="1k"), facts)[0].max_body == 1024
    with pytest.raises(DeployInputError, match="MAX_CONTENT_LENGTH"):
        build_spec(dataclasses.replace(BASE, max_body="2k"), facts)
    assert build_spec(BASE, FACTS)[0].max_body == DEFAULT_MAX_BODY


@pytest.mark.parametrize("value", ["0", "-2", "lots", "257"])
def test_bad_worker_counts(value: str) -> None:
    with pytest.raises(DeployInputError, match="--workers"):
        build_spec(dataclasses.replace(BASE, workers=value), FACTS)


@pytest.mark.parametrize("value", [0, -5, 3601])
def test_bad_timeouts(value: int) -> None:
    with pytest.raises(DeployInputError, match="--timeout"):
        build_spec(dataclasses.replace(BASE, timeout=value), FACTS)


def test_targets_in_canonical_order_all_by_default() -> None:
    assert parse_targets([]) == TARGETS
    assert parse_targets(["Apache", "nginx", "nginx"]) == ("nginx", "apache")
    with pytest.raises(DeployInputError, match="Did you mean nginx"):
        parse_targets(["ngnix"])


def test_positionals_split_into_targets_and_app() -> None:
    assert split_positionals(["nginx", "apache", "shop:create_app()"]) == (
        ("nginx", "apache"),
        "shop:create_app()",
    )
    assert split_positionals(["shop.py"]) == ((), "shop.py")
    assert split_positionals([]) == ((), None)
    with pytest.raises(DeployInputError, match="Did you mean systemd"):
        split_positionals(["systemdd"])
    with pytest.raises(DeployInputError, match="comes last"):
        split_positionals(["shop:app", "nginx"])


def test_paths_of_a_project_generated_elsewhere_are_rebased() -> None:
    facts = dataclasses.replace(
        FACTS, local_root=Path("/home/dev/shop"), output_dir=Path("/home/dev/shop/deploy")
    )
    facts = dataclasses.replace(
        facts,
        target=dataclasses.replace(facts.target, search_path=Path("/home/dev/shop/src")),
        app_info=AppInfo("create_app()", "/static", Path("/home/dev/shop/src/shop/static"), None),
    )
    spec, _ = build_spec(dataclasses.replace(BASE, project_dir="/srv/live"), facts)
    assert spec.output_dir == PurePosixPath("/srv/live/deploy")
    assert spec.app.search_path == PurePosixPath("/srv/live/src")
    assert spec.static is not None
    assert spec.static.folder == PurePosixPath("/srv/live/src/shop/static")
    assert spec.venv == PurePosixPath("/srv/live/.venv")


def test_default_name_user_socket_and_runtime_dir() -> None:
    spec, _ = build_spec(BASE, FACTS)
    assert (spec.name, spec.user, spec.group) == ("shop", "shop", "shop")
    assert spec.socket == PurePosixPath("/run/shop.sock")
    assert spec.control_socket == PurePosixPath("/run/shop/gunicorn.ctl")
