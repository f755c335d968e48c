"""The validated deployment settings every renderer reads.

A :class:`DeploySpec` only ever holds values that passed
:mod:`flaskit.deploy.validate`, so templates insert them as they are. Numbers
that several files must agree on (timeouts, the body limit) are derived here,
once, rather than in each template.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Literal

Target = Literal["nginx", "gunicorn", "systemd", "apache", "docker", "kubernetes"]
# What "all targets" means: one server. The container targets are asked for by name.
TARGETS: tuple[Target, ...] = ("nginx", "gunicorn", "systemd", "apache")
CONTAINER_TARGETS: tuple[Target, ...] = ("docker", "kubernetes")
ALL_TARGETS: tuple[Target, ...] = TARGETS + CONTAINER_TARGETS
TlsMode = Literal["off", "letsencrypt", "files"]
Dependencies = Literal["uv", "requirements", "pyproject"]
TLS_MODES: tuple[TlsMode, ...] = ("off", "letsencrypt", "files")

# Debian and Ubuntu run nginx and Apache as www-data; the socket belongs to its group.
WEB_SERVER_GROUP = "www-data"
ACME_WEBROOT = PurePosixPath("/var/www/letsencrypt")
LETSENCRYPT_LIVE = PurePosixPath("/etc/letsencrypt/live")
HSTS_MAX_AGE = 63072000  # two years, Mozilla's recommendation
STATIC_MAX_AGE_DAYS = 30  # Flask's static URLs carry no content hash, so not a year
MAX_REQUESTS = 1000
MAX_REQUESTS_JITTER = 100
# The front end waits this much longer than the app server, so a slow request is
# ended by gunicorn/mod_wsgi (and logged there) rather than cut off by the proxy.
# Containers: where the project sits in the image, its port, and the app's account.
CONTAINER_ROOT = PurePosixPath("/app")
CONTAINER_VENV = PurePosixPath("/venv")
CONTAINER_PORT = 8000
CONTAINER_UID = 10001  # above 10000, so it is no account of the host's
# Kubernetes: a pause before SIGTERM while endpoints drop the pod, and the rollout.
PRESTOP_SECONDS = 10
GRACE_MARGIN = 5
REPLICAS = 2
MAX_REPLICAS = 10
# nginx (or the ingress controller) is the one proxy in front of gunicorn.
PROXY_HOPS = 1
DEFAULT_HEALTH_PATH = "/healthz"
PROXY_MARGIN = 5
STOP_MARGIN = 10
# mod_wsgi-express's defaults for the timeouts flaskit does not derive from --timeout.
MOD_WSGI_BASELINE = {
    "queue-timeout": 45,
    "connect-timeout": 15,
    "startup-timeout": 15,
    "shutdown-timeout": 5,
    "graceful-timeout": 15,
    "deadlock-timeout": 60,
    "inactivity-timeout": 0,
}

# Mozilla's intermediate profile, without the DHE suites (no dhparam file to manage).
TLS_PROTOCOLS = ("TLSv1.2", "TLSv1.3")
TLS_CURVES = "X25519:prime256v1:secp384r1"
TLS_CIPHERS = ":".join(
    (
        "ECDHE-ECDSA-AES128-GCM-SHA256",
        "ECDHE-RSA-AES128-GCM-SHA256",
        "ECDHE-ECDSA-AES256-GCM-SHA384",
        "ECDHE-RSA-AES256-GCM-SHA384",
        "ECDHE-ECDSA-CHACHA20-POLY1305",
        "ECDHE-RSA-CHACHA20-POLY1305",
    )
)


@dataclass(frozen=True)
class Address:
    """Where a server listens: an optional IP (``None`` means every address) and a port."""

    host: str | None
    port: int

    @property
    def is_ipv6(self) -> bool:
        """Whether ``host`` is an IPv6 address."""
        return self.host is not None and ":" in self.host

    def nginx(self) -> list[str]:
        """The ``listen`` arguments: one per address family when no IP is given."""
        if self.host is None:
            return [str(self.port), f"[::]:{self.port}"]
        host = f"[{self.host}]" if self.is_ipv6 else self.host
        return [f"{host}:{self.port}"]

    def apache(self) -> str:
        """The address of a ``<VirtualHost>`` and of ``Listen``."""
        if self.host is None:
            return f"*:{self.port}"
        host = f"[{self.host}]" if self.is_ipv6 else self.host
        return f"{host}:{self.port}"

    def url_suffix(self, default_port: int) -> str:
        """``:PORT`` for URLs, or nothing on the scheme's default port."""
        return "" if self.port == default_port else f":{self.port}"


@dataclass(frozen=True)
class AppRef:
    """How gunicorn and ``wsgi.py`` reach the app without flaskit installed."""

    module: str
    expression: str  # "app", "create_app()", "create_app('prod', debug=False)"
    search_path: PurePosixPath  # put on sys.path (the deployed project's import root)

    @property
    def gunicorn(self) -> str:
        """The ``wsgi_app`` string gunicorn understands (it parses literal factory calls)."""
        return f"{self.module}:{self.expression}"

    @property
    def attribute(self) -> str:
        """The name imported from the module (the factory's name for a call)."""
        return self.expression.split("(", 1)[0]


@dataclass(frozen=True)
class StaticMount:
    """A URL prefix served from a folder by the web server, bypassing the app."""

    url_path: str  # "/static" (no trailing slash)
    folder: PurePosixPath


@dataclass(frozen=True)
class AppFacts:
    """What the files need to know about the app's framework and habits."""

    framework: str = "other"  # "flask", "django", "other"
    # The generated gunicorn entry point applies ProxyFix unless the app already does.
    proxy_fix_in_app: bool = False
    needs_werkzeug: bool = False  # not installed with the app: the install step adds it
    health_path: str = DEFAULT_HEALTH_PATH
    own_health_route: bool = False  # the app answers health_path itself
    collectstatic: bool = False  # Django: static files are gathered before serving
    allowed_hosts: tuple[str, ...] | None = None  # Django's ALLOWED_HOSTS
    migrate_command: tuple[str, ...] | None = None
    migrate_env: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class DeploySpec:
    """Every value the config files are rendered from, already validated."""

    name: str
    targets: tuple[Target, ...]
    domains: tuple[str, ...]
    app: AppRef
    project_dir: PurePosixPath
    venv: PurePosixPath
    output_dir: PurePosixPath  # where the files live on the server
    user: str
    group: str
    socket: PurePosixPath | None
    bind: Address | None
    listen: Address
    tls_listen: Address
    workers: int | None  # None: 2 x CPUs + 1, computed where the server runs
    cpu_count: int  # for Apache, which cannot compute "auto" itself
    timeout: int
    max_body: int
    tls: TlsMode
    cert: PurePosixPath | None  # with TLS on: --cert, or where certbot puts the chain
    key: PurePosixPath | None
    hsts: bool
    hsts_preload: bool
    static: StaticMount | None
    web_group: str = WEB_SERVER_GROUP
    acme_webroot: PurePosixPath = ACME_WEBROOT
    app_facts: AppFacts = field(default_factory=AppFacts)
    image: str = ""  # the container image (docker, kubernetes)
    python_version: str = ""  # of the image's base, "3.11"
    dependencies: Dependencies = "pyproject"
    requirements: tuple[str, ...] = ()  # requirements*.txt files used, relative to the project

    @property
    def container_output_dir(self) -> PurePosixPath:
        """The output folder inside the image (the project is copied to /app)."""
        return CONTAINER_ROOT / self.output_dir.relative_to(self.project_dir)

    @property
    def termination_grace(self) -> int:
        """Kubernetes' terminationGracePeriodSeconds: the pause, then gunicorn's drain."""
        return PRESTOP_SECONDS + self.graceful_timeout + GRACE_MARGIN

    # -- names and places -------------------------------------------------

    @property
    def primary_domain(self) -> str:
        """The first ``--domain``: certificate name and canonical host."""
        return self.domains[0]

    @property
    def runtime_dir(self) -> PurePosixPath:
        """systemd's ``RuntimeDirectory`` for the service (owned by the app user)."""
        return PurePosixPath("/run") / self.name

    @property
    def control_socket(self) -> PurePosixPath:
        """gunicorn's control socket, inside the runtime directory (mode 0600)."""
        return self.runtime_dir / "gunicorn.ctl"

    @property
    def gunicorn_bind(self) -> str:
        """gunicorn's ``bind`` value (used only when it is started without systemd)."""
        if self.socket is not None:
            return f"unix:{self.socket}"
        assert self.bind is not None
        return self.bind.apache()

    @property
    def upstream(self) -> str:
        """nginx's ``server`` of the upstream block."""
        return f"unix:{self.socket}" if self.socket is not None else self.gunicorn_bind

    @property
    def systemd_listen(self) -> str:
        """The socket unit's ``ListenStream``."""
        return str(self.socket) if self.socket is not None else self.gunicorn_bind

    @property
    def uses_tls(self) -> bool:
        """Whether the site is served over HTTPS."""
        return self.tls != "off"

    @property
    def cert_path(self) -> PurePosixPath:
        """The certificate chain file (Let's Encrypt's fullchain or ``--cert``)."""
        assert self.cert is not None, "only sites with TLS have a certificate"
        return self.cert

    @property
    def key_path(self) -> PurePosixPath:
        """The certificate's private key file."""
        assert self.key is not None, "only sites with TLS have a key"
        return self.key

    @property
    def site_url(self) -> str:
        """The public URL of the site on its primary domain."""
        if self.uses_tls:
            return f"https://{self.primary_domain}{self.tls_listen.url_suffix(443)}/"
        return f"http://{self.primary_domain}{self.listen.url_suffix(80)}/"

    @property
    def https_redirect_base(self) -> str:
        """nginx's redirect target without the path: ``https://$host`` plus any port."""
        return f"https://$host{self.tls_listen.url_suffix(443)}"

    @property
    def wsgi_file(self) -> PurePosixPath:
        """The generated entry module mod_wsgi loads."""
        return self.output_dir / "wsgi.py"

    @property
    def gunicorn_entry(self) -> PurePosixPath:
        """The generated entry module gunicorn loads (the app behind ProxyFix)."""
        return self.output_dir / "gunicorn_entry.py"

    @property
    def gunicorn_conf(self) -> PurePosixPath:
        """The generated gunicorn settings file the service runs with."""
        return self.output_dir / "gunicorn.conf.py"

    # -- numbers that must agree across files ---------------------------------

    @property
    def graceful_timeout(self) -> int:
        """gunicorn's ``graceful_timeout``: an in-flight request may finish."""
        return self.timeout

    @property
    def stop_timeout(self) -> int:
        """systemd's ``TimeoutStopSec``, longer than gunicorn's graceful shutdown."""
        return self.graceful_timeout + STOP_MARGIN

    @property
    def proxy_timeout(self) -> int:
        """nginx's ``proxy_read_timeout``/``proxy_send_timeout``, at least gunicorn's."""
        return self.timeout + PROXY_MARGIN

    @property
    def wsgi_socket_timeout(self) -> int:
        """mod_wsgi's ``socket-timeout`` (Apache child <-> daemon), at least the request's."""
        return self.timeout + PROXY_MARGIN

    @property
    def mod_wsgi_processes(self) -> int:
        """Daemon processes: ``--workers``, or 2 x CPUs + 1 counted where flaskit ran."""
        return self.workers if self.workers is not None else 2 * self.cpu_count + 1

    @property
    def static_max_age(self) -> int:
        """Seconds browsers may cache static files."""
        return STATIC_MAX_AGE_DAYS * 86400

    @property
    def hsts_value(self) -> str:
        """The ``Strict-Transport-Security`` header value."""
        if self.hsts_preload:
            return f"max-age={HSTS_MAX_AGE}; includeSubDomains; preload"
        return f"max-age={HSTS_MAX_AGE}"

    @property
    def protect_home(self) -> bool:
        """Whether the service may hide /home and /root (nothing it needs lives there)."""
        homes = (PurePosixPath("/home"), PurePosixPath("/root"))
        paths = (self.project_dir, self.venv, self.output_dir, self.app.search_path)
        return not any(p.is_relative_to(h) for p in paths for h in homes)
