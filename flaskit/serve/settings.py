"""What ``flaskit run`` was asked to do: options in, one validated :class:`RunConfig` out.

The CLI context gives the app target and the settings sources, so each setting can
also come from ``FLASKIT_RUN_<NAME>``, ``FLASKIT_<NAME>``, Flask's own variable where
one exists (``FLASK_RUN_PORT``, ``FLASK_DEBUG``, ...), ``.env``/``.flaskenv`` or
``[tool.flaskit]``.
"""

from __future__ import annotations

import ipaddress
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from flaskit.config import Setting, Sources
from flaskit.context import CliContext
from flaskit.debugpage import DebugPageConfig
from flaskit.discovery import AppTarget
from flaskit.errors import UsageProblem
from flaskit.interpreter import ProjectPython, check, own
from flaskit.serve.reloaders import AUTO, RELOADERS

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 5000


@dataclass(frozen=True)
class RunOptions:
    """The options exactly as given on the command line (``None``: not given)."""

    app: str | None = None
    host: str | None = None
    port: int | None = None
    debug: bool | None = None
    reload: bool | None = None
    live_reload: bool | None = None
    reloader: str | None = None
    preload: bool | None = None
    watch: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    threads: bool | None = None
    cert: str | None = None
    key: str | None = None
    editor: str | None = None
    debug_allow: tuple[str, ...] = ()
    allow_host: tuple[str, ...] = ()
    framework_error_page: bool | None = None
    console: bool | None = None
    console_allow_remote: bool | None = None
    verbose: bool | None = None
    request_log: bool | None = None


@dataclass(frozen=True)
class WorkerConfig:
    """What every generation of a session shares; ``page``: the debug page's settings.

    Built once by :func:`resolve`; the supervisor fills in the bound address
    and the current roots before handing it to a zygote or a spawned worker.
    """

    target: AppTarget
    host: str
    port: int
    roots: tuple[Path, ...]
    debug: bool = False
    live_reload: bool = False
    threads: bool = True
    cert: Path | None = None
    key: Path | None = None
    page: DebugPageConfig = field(default_factory=DebugPageConfig)
    color: bool | None = None  # None: decide from the terminal
    request_log: bool = True  # a line per request in the terminal
    # The last worker died importing the app (how, in words): serve that, import nothing.
    crashed: str | None = None


@dataclass(frozen=True)
class RunConfig:
    """Everything the supervisor needs, resolved and checked; ``worker``: what it
    hands down to every generation."""

    target: AppTarget
    cwd: Path
    worker: WorkerConfig
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    debug: bool = False
    reload: bool = False
    reloader: str = AUTO
    preload: bool = True
    watch: tuple[Path, ...] = ()
    exclude: tuple[str, ...] = ()
    config_files: tuple[Path, ...] = ()
    environ: dict[str, str] = field(default_factory=dict)  # flaskit's own environment
    app_environ: dict[str, str] = field(default_factory=dict)  # plus .env/.flaskenv values
    notes: tuple[str, ...] = ()
    env_file: Path | None = None  # -e/--env-file: read again with .env on a change
    # The zygote's and the workers' interpreter: the project's, from an isolated install.
    python: ProjectPython = field(default_factory=own)
    verbose: bool = False  # each reload's phases in the terminal
    timings_file: Path | None = None  # FLASKIT_RUN_TIMINGS_FILE: the same, as JSON lines
    # The folder of a --cert adhoc pair: removed when the session ends.
    tls_folder: tempfile.TemporaryDirectory[str] | None = field(
        default=None, repr=False, compare=False
    )

    @property
    def live_reload(self) -> bool:
        """Whether the browser refreshes itself (the worker's setting)."""
        return self.worker.live_reload

    @property
    def roots(self) -> tuple[Path, ...]:
        """The directories watched: the app's root, then the ``--watch`` folders."""
        folders = [self.target.root.resolve(), *(p for p in self.watch if p.is_dir())]
        unique: list[Path] = []
        for folder in folders:
            if not any(folder == kept or folder.is_relative_to(kept) for kept in unique):
                unique = [kept for kept in unique if not kept.is_relative_to(folder)]
                unique.append(folder)
        return tuple(unique)

    @property
    def watch_files(self) -> tuple[Path, ...]:
        """Single files named with ``--watch``: any change to them restarts the app."""
        return tuple(p for p in self.watch if not p.is_dir())


def fork_available() -> bool:
    """Whether workers can be forked from a zygote on this platform by default.

    Linux only: macOS system libraries are not fork-safe once initialised (the
    reason CPython spawns there by default), and Windows has no fork.
    """
    return sys.platform.startswith(("linux", "freebsd"))


def resolve(options: RunOptions, info: CliContext) -> RunConfig:
    """Combine the options with the CLI context: the app target, the environment,
    dotenv files and pyproject.toml."""
    info.use_app(option=options.app)
    target = info.target()
    sources = info.sources.for_command("run")
    host = sources.get_str("host", options.host, DEFAULT_HOST)
    port = sources.get_int("port", options.port, DEFAULT_PORT)
    # run's --debug, else the group's; then FLASKIT_RUN_DEBUG, ..., FLASK_DEBUG.
    debug_flag = options.debug if options.debug is not None else info.debug_flag
    debug_setting = sources.debug(debug_flag)
    debug = debug_setting.value
    reload = sources.get_bool("reload", options.reload, debug).value
    reloader = sources.get_str("reloader", options.reloader, AUTO)
    preload = sources.get_bool("preload", options.preload, fork_available())
    watch = sources.get_list("watch", options.watch)
    exclude = sources.get_list("exclude", options.exclude)
    cert = sources.get_str("cert", options.cert)
    key = sources.get_str("key", options.key)
    # Flask's debugger is werkzeug's interactive one: flaskit's --console (opt-in).
    debugger = sources.get_bool("debugger", None, False)
    console_setting = sources.get_bool("console", options.console, debugger.value)
    console = console_setting.value
    console_origin = debugger if console_setting.is_default else console_setting
    allow_remote = sources.get_bool("console_allow_remote", options.console_allow_remote).value
    debug_allow = sources.get_list("debug_allow", options.debug_allow)
    live_reload = sources.get_bool("live_reload", options.live_reload, debug)
    notes = sources.notes
    if live_reload.value and not debug:
        notes = (*notes, f"Live reload ({live_reload.source}) needs debug mode: add --debug.")
    python, app_environ = _app_interpreter(info, debug_setting)

    host_value = _check_host(host.value or DEFAULT_HOST, host.source)
    _check_port(port.value, port.source)
    if reloader.value not in RELOADERS:
        raise UsageProblem(
            f"{reloader.source} is '{reloader.value}'; use one of: {', '.join(RELOADERS)}."
        )
    if preload.value and not preload.is_default and not fork_available():
        raise UsageProblem(
            f"{preload.source} asks for forked workers, which this platform "
            f"({sys.platform}) cannot do safely. Remove it: workers are spawned instead."
        )
    if console and not is_loopback(host_value) and not allow_remote:
        raise UsageProblem(
            f"--console gives whoever can reach the server a Python shell, and --host "
            f"{host_value} is reachable from other machines. Bind to 127.0.0.1, or add "
            "--console-allow-remote if you really mean it."
        )
    if console and not is_loopback(host_value) and not console_origin.from_command_line:
        # --console-allow-remote is command-line only; the console itself must be too.
        raise UsageProblem(
            f"{console_origin.source} turns on the console, and --host {host_value} is reachable "
            "from other machines: there, the console must be asked for on the command line "
            "(--console --console-allow-remote). Remove it from there, or bind to 127.0.0.1."
        )
    page = _page_config(sources, options, target, host_value, debug_allow.value, console)
    from flaskit.debugpage.container import container_note

    in_container = container_note(host_value, debug, debug_allow.value)
    notes = (*notes, in_container) if in_container else notes
    cert_path, key_path, tls_folder = _tls(cert, key)
    verbose, timings_file = _reporting(sources, options.verbose or info.verbose or None)
    if tls_folder is not None:
        notes = (
            *notes,
            f"--cert adhoc: a self-signed certificate for localhost, 127.0.0.1 and ::1, made "
            f"for this session ({cert_path}); browsers warn about it.",
        )
    worker = WorkerConfig(
        target=target,
        host=host_value,
        port=port.value,
        roots=(),  # the supervisor's, when it hands this down
        debug=debug,
        live_reload=live_reload.value and debug,
        threads=sources.get_bool("threads", options.threads, True).value,
        cert=cert_path,
        key=key_path,
        page=page,
        request_log=sources.get_bool("request_log", options.request_log, True).value,
    )
    return RunConfig(
        target=target,
        cwd=sources.cwd,
        worker=worker,
        host=host_value,
        port=port.value,
        debug=debug,
        reload=reload,
        reloader=reloader.value or AUTO,
        preload=preload.value,
        watch=tuple((watch.base_dir / p).resolve() for p in watch.value),
        exclude=exclude.value,
        config_files=_config_files(sources),
        environ=dict(sources.environ),
        app_environ=app_environ,
        notes=notes,
        env_file=sources.env_file,
        python=python,
        verbose=verbose,
        timings_file=timings_file,
        tls_folder=tls_folder,
    )


def _app_interpreter(
    info: CliContext, debug: Setting[bool]
) -> tuple[ProjectPython, dict[str, str]]:
    """The interpreter of the zygote and the workers (checked: it must have werkzeug),
    and the app's environment there."""
    python = info.project_python()
    check(python, needs_server=True)
    return python, python.app_environ(info.app_environ(debug))


def _page_config(
    sources: Sources,
    options: RunOptions,
    target: AppTarget,
    host: str,
    debug_allow: tuple[str, ...],
    console: bool,
) -> DebugPageConfig:
    """The debug page's settings, checked (an unusable --editor or --allow-host is an
    error now, not a warning in every worker)."""
    from flaskit.debugpage import check_config

    allow_hosts = sources.get_list("allow_host", options.allow_host).value
    if not is_loopback(host) and not _is_address(host):
        allow_hosts = (*allow_hosts, host)  # --host myname.local: pages opened by that name
    pages = sources.get_bool("framework_error_page", options.framework_error_page)
    page = DebugPageConfig(
        app_spec=target.describe(),
        root=target.root,
        allow=debug_allow,
        editor=sources.get_str("editor", options.editor).value,
        console=console,
        trusted_hosts=allow_hosts,
        framework_pages=pages.value,
    )
    check_config(page)
    return page


def _reporting(sources: Sources, verbose: bool | None) -> tuple[bool, Path | None]:
    """(print each reload's phases, the file that gets them as JSON lines): ``--verbose``
    or ``FLASKIT_RUN_VERBOSE``; ``FLASKIT_RUN_TIMINGS_FILE`` (benchmarks read it)."""
    timings = sources.get_str("timings_file")
    path = (timings.base_dir / timings.value).resolve() if timings.value else None
    return sources.get_bool("verbose", verbose).value, path


def fresh_app_environ(config: RunConfig) -> dict[str, str]:
    """The app's environment read again (a dotenv file or pyproject.toml changed),
    keeping what this session chose for Flask (FLASK_DEBUG, FLASK_RUN_FROM_CLI)."""
    info = CliContext(cwd=config.cwd, environ=config.environ, env_file=config.env_file)
    chosen = {k: v for k, v in config.app_environ.items() if k in _SESSION_VARIABLES}
    return config.python.app_environ(info.sources.app_environ(dict(config.target.environ), chosen))


_SESSION_VARIABLES = ("FLASK_DEBUG", "FLASK_RUN_FROM_CLI")


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach ``host``."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _check_host(host: str, source: str) -> str:
    host = host.strip()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if not host or any(c.isspace() for c in host) or "/" in host:
        raise UsageProblem(
            f"{source} is '{host}', which is not a host name or address. "
            "Use 127.0.0.1 (this machine only) or 0.0.0.0 (every network interface)."
        )
    return host


def _check_port(port: int, source: str) -> None:
    if not 0 <= port <= 65535:
        raise UsageProblem(
            f"{source} is {port}, which is not a TCP port. Use a number from 1 to 65535 "
            "(or 0 to let the system pick a free one)."
        )


def _config_files(sources: Sources) -> tuple[Path, ...]:
    """Files that change the app's environment; the ones in the working directory are
    watched even before they exist, so creating a .env takes effect."""
    config_files = {path for _value, path in sources.dotenv.values()}
    config_files |= {sources.cwd / name for name in (".env", ".flaskenv", "pyproject.toml")}
    if sources.pyproject_path is not None:
        config_files.add(sources.pyproject_path)
    if sources.env_file is not None:
        config_files.add(sources.env_file)
    return tuple(sorted(config_files))


def _tls(
    cert: Setting[str | None], key: Setting[str | None]
) -> tuple[Path | None, Path | None, tempfile.TemporaryDirectory[str] | None]:
    """The certificate and key files, checked; with ``--cert adhoc``, a pair made now
    and the temporary folder that holds it."""
    if (cert.value or "").lower() == "adhoc":
        return _adhoc_tls(cert.source, key.value, key.source)
    cert_path, key_path = _check_tls(cert.value, key.value, cert.base_dir, key.base_dir)
    return cert_path, key_path, None


def _adhoc_tls(
    source: str, key: str | None, key_source: str
) -> tuple[Path, Path, tempfile.TemporaryDirectory[str]]:
    """``--cert adhoc``: a self-signed certificate made now, kept for the session."""
    if key is not None:
        raise UsageProblem(
            f"{source} is 'adhoc', which makes its own key, and {key_source} gives one too. "
            "Remove the key, or pass a real certificate with --cert."
        )
    from flaskit.serve.adhoc import write_adhoc_pair

    folder = tempfile.TemporaryDirectory(prefix="flaskit-adhoc-")
    cert_path, key_path = write_adhoc_pair(Path(folder.name))
    return cert_path, key_path, folder


def _names_an_object(value: str) -> bool:
    """Whether ``value`` reads as ``module.attr`` rather than a certificate file name."""
    import re

    looks_dotted = re.fullmatch(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)+", value) is not None
    return looks_dotted and Path(value).suffix.lower() not in _CERT_SUFFIXES


_CERT_SUFFIXES = (".pem", ".crt", ".cer", ".cert", ".key", ".der", ".p12")


def _check_tls(
    cert: str | None, key: str | None, cert_base: Path, key_base: Path
) -> tuple[Path | None, Path | None]:
    if cert is None and key is None:
        return None, None
    if cert is None or key is None:
        given, missing = ("--cert", "--key") if cert else ("--key", "--cert")
        if cert is not None and _names_an_object(cert) and not (cert_base / cert).is_file():
            # Flask also takes --cert module.ssl_context; flaskit's supervisor never
            # imports the project's code, so it cannot evaluate one.
            raise UsageProblem(
                f"--cert {cert} is not a file, and flaskit takes a certificate file or "
                "'adhoc', not an SSLContext from a module (Flask's --cert module.attr). "
                "Pass the files the context loads: --cert server.crt --key server.key."
            )
        raise UsageProblem(
            f"{given} was given without {missing}. HTTPS needs both: "
            "--cert server.crt --key server.key (or --cert adhoc for a self-signed "
            "certificate made at start-up)."
        )
    paths = ((cert_base / cert).resolve(), (key_base / key).resolve())
    for option, path in zip(("--cert", "--key"), paths, strict=True):
        if not path.is_file():
            raise UsageProblem(f"{option} {path} does not exist. Check the path.")
    try:
        import ssl

        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(paths[0], paths[1])
    except (ssl.SSLError, OSError) as exc:
        raise UsageProblem(
            f"Cannot use {paths[0]} with {paths[1]} for HTTPS ({exc}). The certificate and the "
            "key must be PEM files that belong together."
        ) from None
    return paths
