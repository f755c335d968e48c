"""The debug error page: the interface the server uses.

``flaskit run --debug`` wraps the user's app with :func:`wrap`, serves
:func:`import_error_app` when the app cannot be imported, and calls
:func:`print_traceback` once for that import error.

Inside: an exception becomes an :class:`~flaskit.debugpage.model.ErrorReport`
(plain data, masked and bounded: :mod:`.report`, :mod:`.extract`,
:mod:`.request`), rendered as the HTML page (:mod:`.page`), the copy-as-text
view (:mod:`.text`) and the terminal traceback (:mod:`.terminal`).
:mod:`.access` decides who gets debug-only answers: loopback clients (and
``--debug-allow`` networks) using this machine's own names (and ``--allow-host``
names), so a web page cannot read them through DNS rebinding. Only the
standard library is imported here; werkzeug, rich and pygments load when an
error is handled.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from flaskit.wsgi import WSGIApp


@dataclass(frozen=True)
class DebugPageConfig:
    """What the page needs to know beyond the exception."""

    app_spec: str = ""
    root: Path | None = None
    allow: tuple[str, ...] = ()  # CIDRs allowed to see the page besides loopback
    editor: str | None = None  # vscode, pycharm, sublime, ... or a URL pattern with {path}
    console: bool = False  # add werkzeug's interactive debugger (PIN-protected)
    # Host names allowed besides this machine's own: --allow-host names, the bind address.
    trusted_hosts: tuple[str, ...] = ()
    framework_pages: bool = False  # keep Django's, Bottle's and Falcon's own error pages


AccessCheck = Callable[[dict[str, Any]], bool]


def check_config(config: DebugPageConfig) -> None:
    """Raise :class:`flaskit.errors.UsageProblem` if ``--debug-allow``, ``--allow-host``
    or ``--editor`` is unusable.

    Commands call this before the server starts. :func:`wrap` and
    :func:`import_error_app` run inside the server, so they only warn about an
    unusable value and leave it out.
    """
    from flaskit.debugpage.settings import checked

    checked(config)


def access_check(config: DebugPageConfig) -> AccessCheck:
    """Whether a request (its WSGI environ) may get debug-only answers.

    True for loopback clients and the networks in ``config.allow`` that name
    this machine (``localhost``, ``*.localhost``, loopback and local addresses)
    or a name in ``config.trusted_hosts``; forwarding and ``Origin`` headers must
    pass too. Each refused host or client is explained once on stderr. The
    server makes one per worker and hands it to every debug-only feature
    (:func:`wrap`, :func:`import_error_app`, live reload).
    """
    from flaskit.debugpage.access import AccessGuard
    from flaskit.debugpage.settings import lenient

    settings = lenient(config)
    return AccessGuard(settings.networks, settings.hosts)


def wrap(app: WSGIApp, config: DebugPageConfig, access: AccessCheck | None = None) -> WSGIApp:
    """Return ``app`` wrapped so an unhandled exception becomes a 500 error page.

    Only requests ``access`` allows (:func:`access_check` of ``config`` by
    default) see the page, the 404 route list and the console; everyone else
    gets the app's own response, or a plain 500. The traceback is printed on
    stderr for every error. The app's framework (Flask, Django, Bottle, Falcon)
    is told to let unhandled exceptions through to the page, unless
    ``config.framework_pages``. Call :func:`check_config` first to reject
    unusable settings.
    """
    from flaskit.debugpage.middleware import DebugMiddleware

    return DebugMiddleware(app, config, access)


def import_error_app(
    exc: BaseException, config: DebugPageConfig, access: AccessCheck | None = None
) -> WSGIApp:
    """A WSGI app that answers every request with the error that stopped the import."""
    from flaskit.debugpage.import_error import ImportErrorApp

    return ImportErrorApp(exc, config, access)


def print_traceback(
    exc: BaseException, config: DebugPageConfig, stream: IO[str] | None = None
) -> None:
    """Print the traceback of ``exc`` in the terminal (stderr by default), masked."""
    from flaskit.debugpage.middleware import print_report
    from flaskit.debugpage.report import build_report

    try:
        report = build_report(exc, phase="import", app_spec=config.app_spec, root=config.root)
    except Exception:
        report = None
    print_report(report, exc, stream)


__all__ = [
    "AccessCheck",
    "DebugPageConfig",
    "access_check",
    "check_config",
    "import_error_app",
    "print_traceback",
    "wrap",
]
