"""DeploySpec -> the text of every config file (no file system access).

Templates live in ``flaskit/deploy/templates/``. They insert values as they
are, because :mod:`flaskit.deploy.validate` has refused anything unsafe; the
Python files quote with ``repr`` all the same.
"""

from __future__ import annotations

import dataclasses
import json
import posixpath
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from flaskit.deploy import spec as spec_module
from flaskit.deploy.spec import DeploySpec

if TYPE_CHECKING:
    from jinja2 import Environment


@dataclass(frozen=True)
class RenderedFile:
    """One generated file: its path under the output directory and its text."""

    path: PurePosixPath
    content: str
    destination: str  # where it goes on the server, for the README's table


def render_all(spec: DeploySpec) -> list[RenderedFile]:
    """Every file for ``spec.targets``, plus the README that installs them."""
    env = _environment()
    context = _context(spec)
    planned = _planned_files(spec)
    files = []
    for path, template, where in planned:
        own = _compose_nginx_context(spec, context) if path == "container/nginx.conf" else context
        text = env.get_template(template).render(own)
        files.append(RenderedFile(PurePosixPath(path), text, where))
    readme = env.get_template("README.md.jinja").render(context, files=files)
    return [*files, RenderedFile(PurePosixPath("README.md"), readme, "stays here")]


def _planned_files(spec: DeploySpec) -> list[tuple[str, str, str]]:
    """(path, template, destination) of every file but the README."""
    return _server_files(spec) + _container_files(spec)


def _server_files(spec: DeploySpec) -> list[tuple[str, str, str]]:
    name = spec.name
    planned: list[tuple[str, str, str]] = []  # (path, template, destination)
    if "nginx" in spec.targets:
        if spec.tls == "letsencrypt":
            planned.append(
                (
                    f"nginx/{name}-bootstrap.conf",
                    "nginx_bootstrap.conf.jinja",
                    f"`/etc/nginx/sites-available/{name}-bootstrap.conf`, until certbot is done",
                )
            )
        planned.append(
            (
                f"nginx/{name}.conf",
                "nginx_site.conf.jinja",
                f"`/etc/nginx/sites-available/{name}.conf`",
            )
        )
    if "gunicorn" in spec.targets:
        planned.append(("gunicorn.conf.py", "gunicorn.conf.py.jinja", "stays here"))
    if "systemd" in spec.targets:
        for suffix in ("socket", "service"):
            planned.append(
                (
                    f"systemd/{name}.{suffix}",
                    f"systemd.{suffix}.jinja",
                    f"`/etc/systemd/system/{name}.{suffix}`",
                )
            )
    if "apache" in spec.targets:
        if spec.tls == "letsencrypt":
            planned.append(
                (
                    f"apache/{name}-bootstrap.conf",
                    "apache_bootstrap.conf.jinja",
                    f"`/etc/apache2/sites-available/{name}-bootstrap.conf`, until certbot is done",
                )
            )
        planned.append(
            (
                f"apache/{name}.conf",
                "apache_site.conf.jinja",
                f"`/etc/apache2/sites-available/{name}.conf`",
            )
        )
        planned.append(("wsgi.py", "wsgi.py.jinja", "stays here"))
    return planned


def _container_files(spec: DeploySpec) -> list[tuple[str, str, str]]:
    planned: list[tuple[str, str, str]] = []
    if {"gunicorn", "docker", "kubernetes"} & set(spec.targets):
        planned.append(("gunicorn_entry.py", "gunicorn_entry.py.jinja", "stays here"))
    if {"docker", "kubernetes"} & set(spec.targets):
        planned.append(("Dockerfile", "Dockerfile.jinja", "stays here (the image's recipe)"))
        planned.append(("Dockerfile.dockerignore", "dockerignore.jinja", "stays here"))
        planned.append(
            ("container/gunicorn.conf.py", "gunicorn.container.py.jinja", "in the image")
        )
    if "docker" in spec.targets:
        planned.append(("compose.yaml", "compose.yaml.jinja", "stays here"))
        planned.append(("container/nginx.conf", "nginx_site.conf.jinja", "the nginx service"))
    if "kubernetes" in spec.targets:
        for kind in KUBERNETES_FILES:
            if kind == "migrate-job" and spec.app_facts.migrate_command is None:
                continue
            planned.append((f"kubernetes/{kind}.yaml", f"k8s/{kind}.yaml.jinja", "`kubectl apply`"))
    return planned


KUBERNETES_FILES = (
    "namespace",
    "configmap",
    "deployment",
    "service",
    "ingress",
    "hpa",
    "pdb",
    "networkpolicy",
    "migrate-job",
)
NGINX_IMAGE_VERSION = "1.27"


def compose_nginx_spec(spec: DeploySpec) -> DeploySpec:
    """The nginx site for compose: the app service as upstream, IPv4 inside the container,
    static files left to the app (they are in its image, not nginx's)."""
    return dataclasses.replace(
        spec,
        socket=None,
        bind=spec_module.Address("app", spec_module.CONTAINER_PORT),
        listen=spec_module.Address("0.0.0.0", spec.listen.port),  # noqa: S104
        tls_listen=spec_module.Address("0.0.0.0", spec.tls_listen.port),  # noqa: S104
        static=None,
        name=spec.name,
    )


def _compose_nginx_context(spec: DeploySpec, context: dict[str, object]) -> dict[str, object]:
    return {**context, "spec": compose_nginx_spec(spec), "compose_site": True}


def apache_modules(spec: DeploySpec) -> list[str]:
    """The modules ``a2enmod`` must enable for the Apache site."""
    modules = ["wsgi", "headers", "alias", "rewrite"]
    if spec.uses_tls:
        modules += ["ssl", "http2"]
    return modules


def apache_listens(spec: DeploySpec) -> list[str]:
    """``Listen`` lines the site needs beyond Debian's ports.conf (80, and 443 with ssl)."""
    wanted = [(spec.listen, 80)]
    if spec.uses_tls:
        wanted.append((spec.tls_listen, 443))
    return [a.apache() for a, debian_port in wanted if a != spec_module.Address(None, debian_port)]


def _context(spec: DeploySpec) -> dict[str, object]:
    return {
        "spec": spec,
        "tls_protocols": spec_module.TLS_PROTOCOLS,
        "apache_ssl_protocols": " ".join(["-all", *(f"+{p}" for p in spec_module.TLS_PROTOCOLS)]),
        "tls_curves": spec_module.TLS_CURVES,
        "tls_ciphers": spec_module.TLS_CIPHERS,
        "static_max_age_days": spec_module.STATIC_MAX_AGE_DAYS,
        "max_requests": spec_module.MAX_REQUESTS,
        "max_requests_jitter": spec_module.MAX_REQUESTS_JITTER,
        "mod_wsgi_baseline": sorted(spec_module.MOD_WSGI_BASELINE.items()),
        "apache_modules": apache_modules(spec),
        "apache_listens": apache_listens(spec),
        "uses_gunicorn": bool({"gunicorn", "systemd", "nginx"} & set(spec.targets)),
        "proxy_hops": spec_module.PROXY_HOPS,
        "proxy_names": "nginx",
        "containers": bool({"docker", "kubernetes"} & set(spec.targets)),
        "compose_site": False,
        "entry_paths": _EntryPaths(
            import_root=_from_entry(spec, spec.app.search_path),
            static_folder=_from_entry(spec, spec.static.folder) if spec.static else "",
        ),
        "pip_extras": _pip_extras(spec),
        **_container_context(spec),
    }


def _container_context(spec: DeploySpec) -> dict[str, object]:
    """Names and paths of the docker and kubernetes files."""
    inside = spec.output_dir.is_relative_to(spec.project_dir)
    rel_output = spec.output_dir.relative_to(spec.project_dir).as_posix() if inside else "."
    container_output = spec_module.CONTAINER_ROOT / rel_output
    migrate = spec.app_facts.migrate_command
    return {
        "rel_output": rel_output,
        "context": "/".join([".."] * len(PurePosixPath(rel_output).parts)) or ".",
        "root": spec_module.CONTAINER_ROOT,
        "venv": spec_module.CONTAINER_VENV,
        "port": spec_module.CONTAINER_PORT,
        "uid": spec_module.CONTAINER_UID,
        "container_output": container_output,
        "container_conf": f"{container_output}/container/gunicorn.conf.py",
        "compose_name": spec.name.replace("_", "-"),
        "k8s_name": spec.name.replace("_", "-"),
        "nginx_version": NGINX_IMAGE_VERSION,
        "replicas": spec_module.REPLICAS,
        "max_replicas": spec_module.MAX_REPLICAS,
        "prestop": spec_module.PRESTOP_SECONDS,
        "migrate_command": list(migrate) if migrate else [],
    }


@dataclass(frozen=True)
class _EntryPaths:
    import_root: str
    static_folder: str


def _from_entry(spec: DeploySpec, path: PurePosixPath) -> str:
    """A Python expression for ``path`` as seen from the generated entry module.

    Inside the project it is relative to the module's folder (``HERE``), so the
    same file works on the server and in the container, where the project is
    somewhere else; outside it stays absolute.
    """
    inside = (path, spec.output_dir)
    if not all(p.is_relative_to(spec.project_dir) for p in inside):
        return _pyrepr(str(path))
    relative = posixpath.relpath(path, spec.output_dir)
    return f"(HERE / {_pyrepr(relative)}).resolve()" if relative != "." else "HERE"


def _pip_extras(spec: DeploySpec) -> str:
    """What the install step adds to the project's requirements."""
    extras = []
    if {"gunicorn", "systemd", "nginx"} & set(spec.targets):
        extras.append("'gunicorn>=25.1'")
        if spec.app_facts.needs_werkzeug:
            extras.append("werkzeug")  # gunicorn_entry.py's ProxyFix
    return " ".join(extras)


def _environment() -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("flaskit.deploy", "templates"),
        autoescape=False,  # noqa: S701 - config files, not HTML; values are validated
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["pyrepr"] = _pyrepr
    env.filters["chomp"] = _chomp
    return env


def _pyrepr(value: object) -> str:
    """A Python literal for a generated ``.py`` file, double-quoted as black and ruff write it,
    so formatting the project does not turn the next run into an overwrite."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_pyrepr(item) for item in value) + "]"
    return repr(value)


def _chomp(text: str) -> str:
    """A macro's output without its final newline: the call's own line ends it."""
    return text.removesuffix("\n")
