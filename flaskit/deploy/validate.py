"""From what the user typed to a :class:`~flaskit.deploy.spec.DeploySpec`.

Every value that lands in a config file is checked here, before anything is
rendered or written: a value that could break out of its place in nginx,
Apache or systemd syntax (a newline, ``;``, a quote, a brace, ``$``, a space)
is refused with the option, the value and how to fix it. Templates can then
insert values as they are.
"""

from __future__ import annotations

import difflib
import grp
import ipaddress
import json
import os
import posixpath
import pwd
import re
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import cast

from flaskit.deploy.appinfo import AppInfo
from flaskit.deploy.spec import (
    ALL_TARGETS,
    DEFAULT_HEALTH_PATH,
    LETSENCRYPT_LIVE,
    PROXY_HOPS,
    TARGETS,
    TLS_MODES,
    Address,
    AppFacts,
    AppRef,
    Dependencies,
    DeploySpec,
    StaticMount,
    Target,
    TlsMode,
)
from flaskit.discovery import AppTarget, Call
from flaskit.errors import UsageProblem

DEFAULT_TIMEOUT = 30
DEFAULT_MAX_BODY = 10 * 1024 * 1024
MAX_BODY_LIMIT = 2**31 - 1  # Apache's LimitRequestBody cannot go higher
MAX_WORKERS = 256
MAX_TIMEOUT = 3600
SOCKET_PATH_MAX = 107  # sun_path is 108 bytes with the terminating NUL

_FORBIDDEN = {
    "\n": "a newline",
    "\r": "a carriage return",
    "\t": "a tab",
    " ": "a space",
    ";": "a semicolon",
    "'": "a quote",
    '"': "a quote",
    "`": "a backquote",
    "{": "a brace",
    "}": "a brace",
    "$": "a dollar sign",
    "\\": "a backslash",
    "#": "a '#'",
}
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_UNIX_USER = re.compile(r"^[a-z_][a-z0-9_-]{0,31}$")
_PATH = re.compile(r"^/[A-Za-z0-9._/+@-]*$")
_URL_PATH = re.compile(r"^/[A-Za-z0-9._~/-]*$")
_IMAGE = re.compile(
    r"^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]{1,5})?(/[a-z0-9]+([._-]{1,2}[a-z0-9]+)*)*"
    r"(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$"
)
_SIZE = re.compile(r"^(\d+)\s*([kmg]?)(i?b)?$", re.IGNORECASE)
_SIZE_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}
# World-writable directories: refused for the socket, never used for one.
_ROOT_EQUIVALENT_GROUPS = frozenset(
    {"sudo", "wheel", "admin", "disk", "shadow", "kmem", "docker", "lxd", "libvirt"}
)
_SAFE_EXAMPLE = "webapp"
# World-writable directories: refused for the socket, never used for one.
_WORLD_WRITABLE_DIRS = tuple(
    PurePosixPath(p)
    for p in ("/tmp", "/var/tmp", "/dev/shm", "/run/lock", "/dev/mqueue")  # noqa: S108
)
_KNOWN_DIRS = frozenset(PurePosixPath(p) for p in ("/run", "/run/user", "/var/lib", "/srv"))
# Debian's own links between system directories, resolved before any check (the
# server's file system is not this one, but these links are the same everywhere).
_SYSTEM_LINKS = tuple(
    (PurePosixPath(link), PurePosixPath(target))
    for link, target in (
        ("/var/run", "/run"),
        ("/var/lock", "/run/lock"),
        ("/run/shm", "/dev/shm"),  # noqa: S108
    )
)


# A path on this machine -> the same path on the server (under --project-dir).
_Rebase = Callable[[Path], PurePosixPath]


class DeployInputError(UsageProblem):
    """A deploy-config option has a value that cannot go into a config file."""


@dataclass(frozen=True)
class DeployRequest:
    """The deploy-config options as given, before validation.

    ``None`` means "not given": a default is worked out from the project.
    """

    targets: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    name: str | None = None
    project_dir: str | None = None
    venv: str | None = None
    user: str | None = None
    group: str | None = None
    socket: str | None = None
    bind: str | None = None
    listen: str | None = None
    tls_listen: str | None = None
    workers: str | None = None
    timeout: int | None = None
    max_body: str | None = None
    tls: str | None = None
    cert: str | None = None
    key: str | None = None
    hsts: bool = True
    hsts_preload: bool = False
    image: str | None = None


@dataclass(frozen=True)
class ProjectFacts:
    """What flaskit found out about the project on this machine."""

    target: AppTarget
    local_root: Path  # the project directory here
    output_dir: Path  # absolute, here
    app_info: AppInfo | None = None
    default_venv: str | None = None  # VIRTUAL_ENV and friends, via Sources
    cpu_count: int = 1
    interpreter_venv: Path | None = None  # the venv flaskit itself runs in, if any
    python_version: str = ""  # the project's (requires-python, .python-version), else ours
    version: str = ""  # the project's own version, for the default image tag


def build_spec(request: DeployRequest, facts: ProjectFacts) -> tuple[DeploySpec, list[str]]:
    """Validate ``request`` against ``facts``: the spec, and notes worth telling the user."""
    notes: list[str] = []
    targets = parse_targets(request.targets)
    domains = parse_domains(request.domains)
    local_root = facts.local_root.resolve()
    project_dir = (
        parse_abs_path("--project-dir", request.project_dir)
        if request.project_dir is not None
        else _local_path("the project directory", local_root)
    )

    def deployed(path: Path) -> PurePosixPath:
        """The path on the server of a file under the project here."""
        path = path.resolve()
        if path.is_relative_to(local_root):
            return project_dir / path.relative_to(local_root).as_posix()
        return PurePosixPath(path.as_posix())

    name = parse_name(request.name) if request.name is not None else _default_name(facts)
    venv_text = request.venv if request.venv is not None else facts.default_venv
    if venv_text is not None:
        venv = parse_abs_path("--venv", venv_text)
    elif facts.interpreter_venv is not None:
        venv = deployed(facts.interpreter_venv)
        _check_path_chars("the virtualenv flaskit runs in", str(venv))
        moved = " (moved under --project-dir)" if str(venv) != str(facts.interpreter_venv) else ""
        notes.append(
            f"--venv was not given and VIRTUAL_ENV is not set: the files use {venv}, the "
            f"environment flaskit runs in{moved}. Pass --venv DIR if the server's is elsewhere."
        )
    else:
        venv = project_dir / ".venv"
    output_dir = deployed(facts.output_dir)
    _check_path_chars("the output directory", str(output_dir))
    containers = [t for t in targets if t in ("docker", "kubernetes")]
    if containers and (output_dir == project_dir or not output_dir.is_relative_to(project_dir)):
        raise DeployInputError(
            f"The {' and '.join(containers)} target{'s' if len(containers) > 1 else ''} need "
            f"the output folder inside the project, below its top ({output_dir} is not below "
            f"{project_dir}): the project is the image's build context. Use the default "
            "--output-dir deploy."
        )
    user = parse_unix_name("--user", request.user) if request.user is not None else name[:32]
    if not _UNIX_USER.match(user):
        raise DeployInputError(
            f"The project name {name!r} is not a valid Unix user name, so it cannot be the "
            "default --user. Pass --user NAME (lowercase letters, digits, '_' and '-')."
        )
    group = parse_unix_name("--group", request.group) if request.group is not None else user
    _refuse_privileged(user, group, _name_origin(request, facts, name))
    socket, bind = _parse_upstream(request.socket, request.bind, name)
    tls, cert, key = parse_tls(request.tls, request.cert, request.key)
    if tls == "letsencrypt":
        cert = LETSENCRYPT_LIVE / domains[0] / "fullchain.pem"
        key = LETSENCRYPT_LIVE / domains[0] / "privkey.pem"
    listen = parse_address("--listen", request.listen, 80)
    tls_listen = parse_address("--tls-listen", request.tls_listen, 443)
    overlap = None in (listen.host, tls_listen.host) or listen.host == tls_listen.host
    if tls != "off" and listen.port == tls_listen.port and overlap:
        raise DeployInputError(
            f"--listen and --tls-listen are the same address ({listen.apache()}): plain HTTP "
            "and HTTPS need different ports. Change one of them."
        )
    if request.hsts_preload and (tls == "off" or not request.hsts):
        raise DeployInputError(
            "--hsts-preload needs HTTPS with HSTS: drop it, or use --tls letsencrypt|files "
            "without --no-hsts."
        )
    app_info = facts.app_info
    dependencies, requirements = _dependencies(facts.local_root)
    spec = DeploySpec(
        name=name,
        targets=targets,
        domains=domains,
        app=_app_ref(facts.target, app_info, deployed, notes),
        project_dir=project_dir,
        venv=venv,
        output_dir=output_dir,
        user=user,
        group=group,
        socket=socket,
        bind=bind,
        listen=listen,
        tls_listen=tls_listen,
        workers=parse_workers(request.workers),
        cpu_count=max(1, facts.cpu_count),
        timeout=parse_timeout(request.timeout),
        max_body=_max_body(request.max_body, app_info),
        tls=tls,
        cert=cert,
        key=key,
        hsts=request.hsts and tls != "off",
        hsts_preload=request.hsts_preload,
        static=_static_mount(app_info, deployed, notes),
        app_facts=_app_facts(app_info),
        image=_image(request.image, name, facts, targets, notes),
        python_version=facts.python_version or "3.11",
        dependencies=dependencies,
        requirements=requirements,
    )
    return spec, notes


def _image(
    value: str | None, name: str, facts: ProjectFacts, targets: tuple[Target, ...], notes: list[str]
) -> str:
    if value is not None:
        return parse_image(value)
    version = (
        facts.version if re.match(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", facts.version) else ""
    )
    image = f"{name.replace('_', '-')}:{version or '1.0.0'}"
    if "kubernetes" in targets:
        notes.append(
            f"The manifests run the image {image}: pass --image REGISTRY/NAME:TAG with the "
            "registry your cluster pulls from."
        )
    return image


def _dependencies(root: Path) -> tuple[Dependencies, tuple[str, ...]]:
    """How the image installs the project's packages: what the project has."""
    if (root / "uv.lock").is_file():
        return "uv", ()
    if (root / "requirements.txt").is_file():
        return "requirements", ("requirements.txt",)
    return "pyproject", ()


def _app_facts(info: AppInfo | None) -> AppFacts:
    if info is None:
        return AppFacts(needs_werkzeug=True)
    return AppFacts(
        framework=info.framework,
        proxy_fix_in_app=info.proxy_fix is not None,
        needs_werkzeug=not info.uses_werkzeug,
        health_path=info.health_path or DEFAULT_HEALTH_PATH,
        own_health_route=info.health_path is not None,
        collectstatic=info.collectstatic,
        allowed_hosts=info.allowed_hosts,
        migrate_command=info.migrate_command,
        migrate_env=info.migrate_env,
    )


def host_allowed(domain: str, patterns: Iterable[str]) -> bool:
    """Whether Django's ``ALLOWED_HOSTS`` accepts ``domain`` (its documented rules:
    ``*``, an exact name, or ``.example.com`` for it and every subdomain)."""
    domain = domain.lower().rstrip(".")
    for pattern in (p.lower() for p in patterns):
        if pattern in ("*", domain):
            return True
        if pattern.startswith(".") and (domain.endswith(pattern) or domain == pattern[1:]):
            return True
    return False


def disallowed_domains(spec: DeploySpec) -> list[str]:
    """The ``--domain`` names a Django app would answer 400 (DisallowedHost)."""
    hosts = spec.app_facts.allowed_hosts
    if hosts is None:
        return []
    return [d for d in spec.domains if not host_allowed(d, hosts)]


def app_warnings(spec: DeploySpec, info: AppInfo | None) -> list[str]:
    """What in the app will break or weaken the site as deployed."""
    warnings = []
    refused = disallowed_domains(spec)
    if refused:
        hosts = list(spec.app_facts.allowed_hosts or ())
        warnings.append(
            f"Django's ALLOWED_HOSTS is {hosts}, which does not accept "
            f"{', '.join(refused)}: the site would answer 400 Bad Request (DisallowedHost) "
            f"to every request for {'it' if len(refused) == 1 else 'them'}. Add "
            f"{', '.join(repr(d) for d in refused)} to ALLOWED_HOSTS in the production "
            "settings (--check fails until then)."
        )
    if info is None:
        return warnings
    if info.secret_key_problem is not None:
        where = "SECRET_KEY" if info.framework == "django" else "app.config['SECRET_KEY']"
        warnings.append(
            f"The app's {where} {info.secret_key_problem}: anyone who knows it can forge "
            "session cookies. Set a random one from the environment on the server, for "
            "example SECRET_KEY from `python -c 'import secrets; print(secrets.token_hex())'` "
            "in the service's EnvironmentFile (or the Kubernetes Secret)."
        )
    if info.debug:
        setting = "DEBUG = True" if info.framework == "django" else "debug mode"
        warnings.append(
            f"The app runs with {setting} as imported here: in production it shows "
            "tracebacks and settings to anyone. Turn it off in the production settings."
        )
    if info.framework == "django" and info.collectstatic and info.static_folder is None:
        warnings.append(
            "Django's STATIC_ROOT is not set, so collectstatic has nowhere to gather the "
            "static files and the web server cannot serve them: set STATIC_ROOT (for "
            "example BASE_DIR / 'staticfiles') and run deploy-config again."
        )
    counts = info.proxy_fix
    if counts is not None and (counts.x_for, counts.x_proto, counts.x_host, counts.x_port) != (
        (PROXY_HOPS,) * 4
    ):
        warnings.append(
            f"The app applies ProxyFix(x_for={counts.x_for}, x_proto={counts.x_proto}, "
            f"x_host={counts.x_host}, x_port={counts.x_port}), but exactly {PROXY_HOPS} proxy "
            f"sets those headers here: use ProxyFix(app.wsgi_app, x_for={PROXY_HOPS}, "
            f"x_proto={PROXY_HOPS}, x_host={PROXY_HOPS}, x_port={PROXY_HOPS}), or remove it "
            "and let the generated gunicorn_entry.py apply it."
        )
    return warnings


# -- single values --------------------------------------------------------------


def check_safe(option: str, value: str) -> str:
    """Refuse characters that could end a config value and start a new directive."""
    for char in value:
        reason = _FORBIDDEN.get(char)
        if reason is None and (ord(char) < 32 or ord(char) == 127):
            reason = "a control character"
        if reason is not None:
            raise DeployInputError(
                f"{option} {value!r} contains {reason}, which could break out of the config "
                f"file it goes into. Remove it."
            )
    return value


def parse_targets(values: Iterable[str]) -> tuple[Target, ...]:
    """Known targets in the canonical order; the four server ones when none is named."""
    chosen: set[str] = set()
    for value in values:
        name = value.strip().lower()
        if name not in ALL_TARGETS:
            raise DeployInputError(_unknown_target(value))
        chosen.add(name)
    if not chosen:
        return TARGETS
    return tuple(t for t in ALL_TARGETS if t in chosen)


def _unknown_target(value: str) -> str:
    close = difflib.get_close_matches(value.lower(), ALL_TARGETS, n=1, cutoff=0.6)
    hint = f" Did you mean {close[0]}?" if close else ""
    return f"Unknown target {value!r}: choose from {', '.join(ALL_TARGETS)}.{hint}"


def looks_like_target(value: str) -> bool:
    """A target name, or close enough to one to be a typo rather than an app spec."""
    name = value.strip().lower()
    close = difflib.get_close_matches(name, ALL_TARGETS, n=1, cutoff=0.75)
    return name in ALL_TARGETS or bool(close)


def parse_image(value: str) -> str:
    """A container image reference with an explicit tag (or digest), never ``latest``."""
    check_safe("--image", value)
    if len(value) > 255 or not _IMAGE.match(value):
        raise DeployInputError(
            f"--image {value!r} is not an image reference: use [REGISTRY/]NAME:TAG in "
            "lowercase, for example --image registry.example.com/shop:1.4.2 (a digest "
            "@sha256:... may follow)."
        )
    _name, _, tag = value.partition("@")[0].rpartition("/")[2].partition(":")
    if (not tag and "@" not in value) or tag == "latest":
        raise DeployInputError(
            f"--image {value!r} has {'no tag' if not tag else 'the tag latest'}: a rollout "
            "must name the image it runs, or nodes run whatever was pushed last. Give a "
            f"version, for example --image {value.rsplit(':', 1)[0] if tag else value}:1.0.0."
        )
    return value


def parse_domains(values: Iterable[str]) -> tuple[str, ...]:
    """Hostnames for ``server_name``/``ServerName``, lowercased, first one primary."""
    domains: list[str] = []
    for value in values:
        domain = parse_hostname(value)
        if domain not in domains:
            domains.append(domain)
    if not domains:
        raise DeployInputError(
            "deploy-config needs the site's domain: pass --domain example.com (and "
            "--domain www.example.com for each other name the site answers to)."
        )
    return tuple(domains)


def parse_hostname(value: str) -> str:
    """One DNS hostname (RFC 1123), lowercased; IDNs must be given in punycode."""
    check_safe("--domain", value)
    name = value.lower().removesuffix(".")
    problem = _hostname_problem(name)
    if problem is not None:
        raise DeployInputError(f"--domain {value!r} is not a hostname: {problem}.")
    return name


def _hostname_problem(name: str) -> str | None:
    if not name.isascii():
        try:
            ascii_form = name.encode("idna").decode("ascii")
        except UnicodeError:
            return "use letters, digits, '-' and dots only"
        return f"write international names in their ASCII form, here {ascii_form!r}"
    labels = name.split(".")
    bad = next((label for label in labels if not _LABEL.match(label)), None)
    if not name or bad is not None:
        return (
            f"each part between dots, here {bad!r}, must be 1-63 letters, digits or '-', not "
            "starting or ending with '-' (wildcards and IP addresses are not accepted)"
        )
    if len(name) > 253:
        return "it is longer than 253 characters"
    if labels[-1].isdigit():
        return "it looks like an IP address; name the site by its domain"
    return None


def parse_name(value: str) -> str:
    """The project name used for file, unit, upstream and daemon process names."""
    check_safe("--name", value)
    if not _NAME.match(value):
        raise DeployInputError(
            f"--name {value!r} is not a usable project name: use up to 64 lowercase letters, "
            "digits, '_' and '-', starting with a letter or digit."
        )
    return value


def parse_unix_name(option: str, value: str) -> str:
    """A Unix user or group name as Debian's adduser accepts it by default; not root."""
    check_safe(option, value)
    problem = _privileged_problem(value, group=option == "--group")
    if problem is not None:
        raise DeployInputError(
            f"{option} {value}: {problem}: the app must not run with root's powers (mod_wsgi "
            f"refuses to, and a hole in the app would own the server). Use a dedicated "
            f"account: leave out --user and --group for one named after the project, or "
            f"pass --user NAME."
        )
    if not _UNIX_USER.match(value):
        raise DeployInputError(
            f"{option} {value!r} is not a valid user or group name: use up to 32 lowercase "
            "letters, digits, '_' and '-', starting with a letter or '_'."
        )
    return value


def parse_abs_path(option: str, value: str) -> PurePosixPath:
    """An absolute, normalised path made of characters every config syntax takes bare."""
    check_safe(option, value)
    if not value.startswith("/"):
        raise DeployInputError(
            f"{option} {value!r} is a relative path, but the config files need an absolute "
            f"one (they are read by services that do not start in your directory), for "
            f"example {option} /srv/myapp/{value.lstrip('./') or 'dir'}."
        )
    if any(part == ".." for part in value.split("/")):
        raise DeployInputError(f"{option} {value!r} contains '..': give the path without it.")
    _check_path_chars(option, value)
    normal = posixpath.normpath(value)
    if normal == "/":
        raise DeployInputError(f"{option} {value!r} is the root directory: name a directory.")
    return PurePosixPath(normal)


def _check_path_chars(option: str, value: str) -> None:
    check_safe(option, value)
    if not _PATH.match(value):
        bad = sorted({c for c in value if not re.match(r"[A-Za-z0-9._/+@-]", c)})
        raise DeployInputError(
            f"{option} {value!r} contains {' '.join(repr(c) for c in bad)}: paths in the "
            "config files may use letters, digits and . _ - + @ / only. Move or rename it."
        )


def _local_path(what: str, path: Path) -> PurePosixPath:
    text = path.as_posix()
    _check_path_chars(what, text)
    return PurePosixPath(text)


def parse_address(option: str, value: str | None, default_port: int) -> Address:
    """``PORT``, ``IP:PORT`` or ``[IPv6]:PORT``."""
    if value is None:
        return Address(None, default_port)
    check_safe(option, value)
    host_text, sep, port_text = value.rpartition(":")
    if not sep:
        host_text, port_text = "", value
    host: str | None = None
    if host_text not in ("", "*"):
        host = _parse_ip(option, value, host_text)
    return Address(host, _parse_port(option, value, port_text))


def _parse_ip(option: str, value: str, text: str) -> str:
    bracketed = text.startswith("[") and text.endswith("]")
    try:
        ip = ipaddress.ip_address(text[1:-1] if bracketed else text)
    except ValueError:
        raise DeployInputError(
            f"{option} {value!r}: {text!r} is not an IP address. Use PORT, IP:PORT or "
            "[IPv6]:PORT, for example 127.0.0.1:8080."
        ) from None
    if ip.version == 6 and not bracketed:
        raise DeployInputError(f"{option} {value!r}: write an IPv6 address in brackets, [{ip}].")
    return str(ip)


def _parse_port(option: str, value: str, text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise DeployInputError(
            f"{option} {value!r}: the port must be a number from 1 to 65535, for example "
            f"{option} 127.0.0.1:8080."
        )
    return int(text)


def _parse_upstream(
    socket: str | None, bind: str | None, name: str
) -> tuple[PurePosixPath | None, Address | None]:
    if socket is not None and bind is not None:
        raise DeployInputError(
            "--socket and --bind both say where gunicorn listens: pass only one "
            "(a unix socket is the default and the better choice behind nginx)."
        )
    if bind is not None:
        address = parse_address("--bind", bind, 8000)
        if address.host is None:
            raise DeployInputError(
                f"--bind {bind!r} needs an IP address: gunicorn should listen on loopback "
                "behind nginx, for example --bind 127.0.0.1:8000."
            )
        return None, address
    if socket is None:
        return PurePosixPath("/run") / f"{name}.sock", None
    given = parse_abs_path("--socket", socket)
    path = _resolve_system_links(given)
    shown = repr(socket) if path == given else f"{socket!r} (that is {path})"
    default = f"--socket /run/{name}.sock (the default)"
    if socket.endswith("/") or path in _KNOWN_DIRS or Path(str(path)).is_dir():
        raise DeployInputError(
            f"--socket {shown} is a directory, but it must name the socket file itself. "
            f"Use for example {default}."
        )
    writable = _world_writable_dir(path)
    if writable is not None:
        raise DeployInputError(
            f"--socket {shown} is in {writable}, a world-writable directory, where another "
            f"user can take the name first (and which PrivateTmp may hide from the web "
            f"server). Use a path under /run, for example {default}."
        )
    runtime_dir = PurePosixPath("/run") / name
    if path.is_relative_to(runtime_dir):
        raise DeployInputError(
            f"--socket {shown} is inside {runtime_dir}, the service's RuntimeDirectory: "
            "only the app user may enter it (so nginx could not connect) and systemd removes "
            f"it when the service stops, taking the socket with it. Use a path beside it, for "
            f"example --socket /run/{name}.sock (the default)."
        )
    if len(str(path).encode()) > SOCKET_PATH_MAX:
        raise DeployInputError(
            f"--socket {socket!r} is longer than {SOCKET_PATH_MAX} bytes, the limit for a unix "
            "socket path. Use a shorter path."
        )
    return path, None


def _resolve_system_links(path: PurePosixPath) -> PurePosixPath:
    """``path`` with Debian's standard directory links followed (``/var/run`` is ``/run``)."""
    for _ in range(len(_SYSTEM_LINKS) + 1):  # a link's target may itself be a link
        for link, target in _SYSTEM_LINKS:
            if path.is_relative_to(link):
                path = target / path.relative_to(link)
                break
        else:
            return path
    return path


def _world_writable_dir(path: PurePosixPath) -> PurePosixPath | None:
    """The world-writable directory ``path`` is in: a known one, or one that is so here."""
    for folder in _WORLD_WRITABLE_DIRS:
        if path.is_relative_to(folder):
            return folder
    # Generating on the server itself: also ask this file system about the nearest
    # existing parent, with its links followed.
    parent = next((p for p in path.parents if Path(str(p)).exists()), None)
    if parent is None:
        return None
    real = PurePosixPath(os.path.realpath(str(parent)))
    if real != parent:
        return _world_writable_dir(real / path.relative_to(parent))
    try:
        mode = Path(str(real)).stat().st_mode
    except OSError:
        return None
    return real if mode & stat.S_IWOTH else None


def parse_tls(
    mode: str | None, cert: str | None, key: str | None
) -> tuple[TlsMode, PurePosixPath | None, PurePosixPath | None]:
    """The TLS mode and, for ``files``, the certificate and key paths."""
    if mode is None:
        mode = "files" if cert is not None or key is not None else "letsencrypt"
    if mode not in TLS_MODES:
        raise DeployInputError(f"--tls {mode!r} is not one of {', '.join(TLS_MODES)}.")
    if (cert is None) != (key is None):
        given, missing = ("--cert", "--key") if key is None else ("--key", "--cert")
        raise DeployInputError(
            f"{given} was given without {missing}: pass both the certificate chain and its "
            "private key, for example --cert /etc/ssl/example.com.pem "
            "--key /etc/ssl/private/example.com.key."
        )
    if mode != "files":
        if cert is not None:
            raise DeployInputError(
                f"--cert and --key are for --tls files, not --tls {mode}. Drop them, or pass "
                "--tls files."
            )
        return cast(TlsMode, mode), None, None
    if cert is None or key is None:
        raise DeployInputError(
            "--tls files needs --cert FILE and --key FILE (absolute paths on the server)."
        )
    return "files", parse_abs_path("--cert", cert), parse_abs_path("--key", key)


def parse_workers(value: str | None) -> int | None:
    """A worker count, or ``None`` for auto (2 x CPUs + 1)."""
    if value is None or value.strip().lower() == "auto":
        return None
    text = value.strip()
    if not text.isdigit() or not 1 <= int(text) <= MAX_WORKERS:
        raise DeployInputError(
            f"--workers {value!r} must be 'auto' or a whole number from 1 to {MAX_WORKERS}."
        )
    return int(text)


def parse_timeout(value: int | None) -> int:
    """The request timeout in seconds (gunicorn ``timeout``, mod_wsgi ``request-timeout``)."""
    if value is None:
        return DEFAULT_TIMEOUT
    if not 1 <= value <= MAX_TIMEOUT:
        raise DeployInputError(f"--timeout {value} must be between 1 and {MAX_TIMEOUT} seconds.")
    return value


def parse_size(option: str, value: str) -> int:
    """Bytes from ``1048576``, ``512k``, ``10M``, ``1G`` (binary units, as nginx counts)."""
    check_safe(option, value)
    match = _SIZE.match(value.strip())
    if match is None:
        raise DeployInputError(
            f"{option} {value!r} is not a size: use bytes or a number with k, M or G, "
            "for example 10M."
        )
    size = int(match.group(1)) * _SIZE_UNITS[match.group(2).lower()]
    if not 1 <= size <= MAX_BODY_LIMIT:
        raise DeployInputError(
            f"{option} {value!r} must be between 1 byte and 2G - 1 byte (Apache's "
            "LimitRequestBody cannot go higher)."
        )
    return size


def _max_body(value: str | None, app_info: AppInfo | None) -> int:
    app_limit = app_info.max_content_length if app_info else None
    if value is None:
        if app_limit is None:
            return DEFAULT_MAX_BODY
        if app_limit > MAX_BODY_LIMIT:
            raise DeployInputError(
                f"The app's MAX_CONTENT_LENGTH ({app_limit} bytes) is above what Apache "
                "accepts (2G - 1 byte). Lower it in the app's config."
            )
        return app_limit
    size = parse_size("--max-body", value)
    if app_limit is not None and size != app_limit:
        raise DeployInputError(
            f"--max-body {value!r} ({size} bytes) disagrees with the app's MAX_CONTENT_LENGTH "
            f"({app_limit} bytes). Drop --max-body to use the app's limit, or change "
            "MAX_CONTENT_LENGTH, so the web server and the app refuse the same bodies."
        )
    return size


# -- never root ------------------------------------------------------------------


def _privileged_problem(name: str, *, group: bool) -> str | None:
    """Why the account ``name`` has root's powers, or ``None``.

    ``root`` always; a name that is uid/gid 0 on this machine (``toor``); and, for
    groups, those that let their members become root (docker, sudo, disk, ...).
    """
    if name == "root":
        return "that is root"
    if name in _ROOT_EQUIVALENT_GROUPS:
        return f"members of the group {name!r} can become root"
    try:
        zero = grp.getgrnam(name).gr_gid == 0 if group else pwd.getpwnam(name).pw_uid == 0
    except KeyError:
        return None
    if not zero:
        return None
    return f"{name!r} is {'gid' if group else 'uid'} 0 on this machine, the same as root"


def _refuse_privileged(user: str, group: str, origin: str) -> None:
    """The last word on the account, however it was derived: never root's."""
    for name, is_group in ((user, False), (group, True)):
        problem = _privileged_problem(name, group=is_group)
        if problem is not None:
            raise DeployInputError(
                f"The app would run as {'group' if is_group else 'user'} {name!r}, which "
                f"{origin}; {problem}. A service must never run with root's powers. Pass "
                f"--user NAME (and --name NAME) with a dedicated account, for example "
                f"--user {_SAFE_EXAMPLE} --name {_SAFE_EXAMPLE}."
            )


def _name_origin(request: DeployRequest, facts: ProjectFacts, name: str) -> str:
    """How the default user was derived, to say so in a refusal."""
    if request.user is not None:
        return "--user gave"
    if request.name is not None:
        return f"comes from --name {request.name}"
    top = facts.target.import_name.split(".", 1)[0]
    if top == name:
        return f"comes from the app's package {top!r} (the default --name)"
    return f"comes from the project folder {facts.local_root.resolve().name!r} (the default --name)"


# -- defaults from the project -----------------------------------------------


def _default_name(facts: ProjectFacts) -> str:
    top = facts.target.import_name.split(".", 1)[0]
    generic = top in ("app", "wsgi", "application", "main", "server")
    raw = facts.local_root.resolve().name if generic else top
    candidate = re.sub(r"[^a-z0-9_-]+", "-", raw.lower()).strip("-_")
    if not _NAME.match(candidate):
        raise DeployInputError(
            f"Cannot make a project name from {raw!r}: pass --name NAME (lowercase letters, "
            "digits, '_' and '-')."
        )
    return candidate


def _app_ref(
    target: AppTarget,
    info: AppInfo | None,
    deployed: _Rebase,
    notes: list[str],
) -> AppRef:
    if target.attribute is not None:
        call = _call_text(target.call) if target.call is not None else ""
        expression = f"{target.attribute}{call}"
    elif info is not None:
        expression = info.found_as
    else:
        expression = "app"
        notes.append(
            f"The app was not imported, so flaskit assumed it is the object 'app' in module "
            f"'{target.import_name}'. If not, pass --app '{target.import_name}:NAME'."
        )
    search_path = deployed(target.search_path)
    _check_path_chars("the app's import directory", str(search_path))
    return AppRef(target.import_name, expression, search_path)


def _call_text(call: Call) -> str:
    """``(args)`` as Python source, strings double-quoted as formatters write them."""

    def literal(value: object) -> str:
        return json.dumps(value) if isinstance(value, str) else repr(value)

    parts = [literal(a) for a in call.args] + [f"{k}={literal(v)}" for k, v in call.kwargs]
    return f"({', '.join(parts)})"


def _static_mount(info: AppInfo | None, deployed: _Rebase, notes: list[str]) -> StaticMount | None:
    if info is None or info.static_url_path is None or info.static_folder is None:
        return None
    url_path = info.static_url_path.rstrip("/")
    if not url_path:
        notes.append(
            "The app serves static files from the site root (static_url_path is ''), so the "
            "web server passes them to the app: there is no separate static location."
        )
        return None
    folder = deployed(info.static_folder)
    if not _URL_PATH.match(url_path) or not _PATH.match(str(folder)) or ".." in url_path:
        notes.append(
            f"The app's static files ({url_path!r} from {str(folder)!r}) use characters "
            "flaskit does not put in config files, so the app serves them itself."
        )
        return None
    return StaticMount(url_path, folder)


def split_positionals(values: Iterable[str]) -> tuple[tuple[str, ...], str | None]:
    """``[TARGET]... [APP]``: the targets, and the app spec when the last one is not a target."""
    items = list(values)
    targets: list[str] = []
    app: str | None = None
    for index, value in enumerate(items):
        if value.strip().lower() in ALL_TARGETS:
            targets.append(value)
        elif index == len(items) - 1 and not looks_like_target(value):
            app = value
        else:
            raise DeployInputError(
                _unknown_target(value) + " The app, if you name it here, comes last "
                "(or pass it with --app)."
            )
    return tuple(targets), app
