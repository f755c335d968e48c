"""``flaskit deploy-config``."""

from __future__ import annotations

from pathlib import Path

import click

from flaskit.cli.common import app_option, pass_cli
from flaskit.context import CliContext

TLS_CHOICES = ("off", "letsencrypt", "files")


@click.command("deploy-config")
@click.argument("targets_and_app", nargs=-1, metavar="[TARGET]... [APP]")
@app_option
@click.option(
    "--domain",
    "domains",
    multiple=True,
    metavar="NAME",
    help="The site's hostname (required); repeat for aliases. The first is the primary one.",
)
@click.option(
    "-o",
    "--output-dir",
    default="deploy",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write the files; meant to live inside the project.",
)
@click.option("--name", metavar="NAME", help="Project name for files, units and users.")
@click.option(
    "--project-dir",
    metavar="DIR",
    help="Absolute path of the project on the server. Default: this project's directory.",
)
@click.option(
    "--venv",
    metavar="DIR",
    help="Absolute path of the server's virtualenv. Default: $VIRTUAL_ENV, else the one "
    "flaskit runs in, else PROJECT/.venv.",
)
@click.option("--user", metavar="USER", help="User the app runs as. Default: the project name.")
@click.option("--group", metavar="GROUP", help="Group the app runs as. Default: the user.")
@click.option("--socket", metavar="PATH", help="gunicorn's unix socket. Default: /run/NAME.sock.")
@click.option("--bind", metavar="HOST:PORT", help="A TCP address for gunicorn instead of a socket.")
@click.option("--listen", metavar="[ADDR:]PORT", help="Where plain HTTP is served. Default: 80.")
@click.option("--tls-listen", metavar="[ADDR:]PORT", help="Where HTTPS is served. Default: 443.")
@click.option(
    "--workers",
    metavar="N|auto",
    help="Worker processes. Default: auto (2 x CPUs + 1).",
)
@click.option(
    "--timeout",
    type=int,
    metavar="SECONDS",
    help="Request timeout for gunicorn and mod_wsgi; nginx waits a little longer. Default: 30.",
)
@click.option(
    "--max-body",
    metavar="SIZE",
    help="Largest request body (10M, 512k). Default: the app's MAX_CONTENT_LENGTH, else 10M.",
)
@click.option(
    "--tls",
    type=click.Choice(TLS_CHOICES),
    help="HTTPS: off, letsencrypt (certbot --webroot) or files (--cert/--key). "
    "Default: letsencrypt, or files when --cert is given.",
)
@click.option("--cert", metavar="FILE", help="Certificate chain on the server (--tls files).")
@click.option("--key", metavar="FILE", help="Its private key on the server (--tls files).")
@click.option(
    "--hsts/--no-hsts",
    default=True,
    show_default=True,
    help="Send Strict-Transport-Security (two years) over HTTPS.",
)
@click.option(
    "--hsts-preload", is_flag=True, help="Add includeSubDomains; preload to the HSTS header."
)
@click.option(
    "--image",
    metavar="REF",
    help="Container image for docker and kubernetes, REGISTRY/NAME:TAG. Default: NAME:VERSION.",
)
@click.option(
    "--check",
    is_flag=True,
    help="Run nginx -t, apache2 -t, gunicorn and systemd checks; hadolint, "
    "kubernetes-validate, checkov and yamllint for the container targets.",
)
@click.option("--force", is_flag=True, help="Replace existing files that would change.")
@click.option("--dry-run", is_flag=True, help="Print the files instead of writing them.")
@pass_cli
def deploy_config_command(
    info: CliContext,
    targets_and_app: tuple[str, ...],
    app_option: str | None,
    domains: tuple[str, ...],
    output_dir: Path,
    name: str | None,
    project_dir: str | None,
    venv: str | None,
    user: str | None,
    group: str | None,
    socket: str | None,
    bind: str | None,
    listen: str | None,
    tls_listen: str | None,
    workers: str | None,
    timeout: int | None,
    max_body: str | None,
    tls: str | None,
    cert: str | None,
    key: str | None,
    hsts: bool,
    hsts_preload: bool,
    image: str | None,
    check: bool,
    force: bool,
    dry_run: bool,
) -> None:
    """Write nginx, gunicorn, systemd and Apache/mod_wsgi configs that agree.

    TARGET is any of nginx, gunicorn, systemd, apache (all four when none is named),
    docker (Dockerfile and compose.yaml) and kubernetes (manifests).
    """
    from flaskit.deploy.generate import DeployConfig, deploy_config
    from flaskit.deploy.validate import DeployRequest, split_positionals

    targets, app = split_positionals(targets_and_app)
    target = info.target_for_import(app, app_option, production=True)
    app_setting = info.app_setting()
    sources = info.sources
    venv_setting = sources.get_str("venv", None, aliases=("VIRTUAL_ENV",))
    default_venv = None
    if venv_setting.value:
        default_venv = str((venv_setting.base_dir / venv_setting.value).resolve())
    request = DeployRequest(
        targets=targets,
        domains=domains,
        name=name,
        project_dir=project_dir,
        venv=venv,
        user=user,
        group=group,
        socket=socket,
        bind=bind,
        listen=listen,
        tls_listen=tls_listen,
        workers=workers,
        timeout=timeout,
        max_body=max_body,
        tls=tls,
        cert=cert,
        key=key,
        hsts=hsts,
        hsts_preload=hsts_preload,
        image=image,
    )
    config = DeployConfig(
        request=request,
        target=target,
        local_root=sources.project_root,
        output_dir=(sources.cwd / output_dir).resolve(),
        default_venv=default_venv,
        app_source=app_setting.source,
        app_base_dir=app_setting.base_dir,
        force=force,
        dry_run=dry_run,
        check=check,
    )
    deploy_config(config)
