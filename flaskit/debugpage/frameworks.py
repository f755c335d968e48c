"""Debug mode tells each framework to let unhandled exceptions through to the page.

Frameworks catch exceptions themselves and answer with a page of their own:
Flask's generic 500, Django's technical 500 (which shows locals unmasked),
Bottle's 500, Falcon's JSON 500. With ``--debug`` flaskit's page should show
instead, with its masking and its access rule, so each framework is told to
let them through:

* Flask: ``PROPAGATE_EXCEPTIONS`` (only when unset: an explicit choice stays);
* Django: ``DEBUG_PROPAGATE_EXCEPTIONS`` (only when the settings leave it unset);
* Bottle: ``catchall`` off, for the app and every Bottle app mounted in it;
* Falcon: an error handler for ``Exception`` that re-raises, in place of
  Falcon's default one only.

Only unhandled exceptions change course. The app's own error handlers and
the framework's HTTP errors (``abort(404)``, ``Http404``, ``HTTPError``,
``falcon.HTTPNotFound``) answer as they always do. ``--framework-error-page``
(``keep_pages``) leaves Django, Bottle and Falcon as they are.
"""

from __future__ import annotations

import sys
from typing import Any

# Where Flask's handling of an HTTP error leaves the error when the framework answers it with
# its own page (no handler of the app's): the debug page may add hints to that page.
HTTP_ERROR = "flaskit.http_error"


def let_errors_through(app: object, keep_pages: bool = False) -> str | None:
    """Tell the framework of ``app`` (looking through middleware) to let exceptions through.

    Returns the framework's name when one was found (``"flask"``, ``"django"``,
    ``"bottle"``, ``"falcon"``).
    """
    found = find_framework(app)
    if found is None:
        return None
    name, framework_app = found
    if name == "flask":
        _flask(framework_app)
    elif not keep_pages:
        {"django": _django, "bottle": _bottle, "falcon": _falcon}[name](framework_app)
    return name


def find_framework(app: object) -> tuple[str, object] | None:
    """(``"flask"``, ``"django"``, ``"bottle"`` or ``"falcon"``, the framework's app object)
    for ``app``, looking through middleware; None for any other WSGI app.

    ``"flask"`` stands for any app with a werkzeug ``url_map`` (Flask is the common one).
    """
    from flaskit.routes.adapters import find_adapter
    from flaskit.routes.adapters.bottle import BottleAdapter
    from flaskit.routes.adapters.django import DjangoAdapter
    from flaskit.routes.adapters.falcon import FalconAdapter
    from flaskit.routes.adapters.werkzeug import WerkzeugMapAdapter

    found = find_adapter(
        app, [WerkzeugMapAdapter(), DjangoAdapter(), BottleAdapter(), FalconAdapter()]
    )
    if found is None:
        return None
    adapter, framework_app = found
    return ("flask" if adapter.name == "werkzeug" else adapter.name), framework_app


def _flask(app: object) -> None:
    """Flask does this itself in debug mode; Flask's handling of HTTP errors (404,
    405, ``abort``) and of the app's handlers for exception classes is unchanged."""
    config = getattr(app, "config", None)
    if isinstance(config, dict) and config.get("PROPAGATE_EXCEPTIONS") is None:
        config["PROPAGATE_EXCEPTIONS"] = True
    _note_stock_http_errors(app)


def _note_stock_http_errors(app: Any) -> None:
    """Wrap the app's ``handle_http_exception`` to note an HTTP error Flask answers with the
    error's own page, so the debug page can add its hints (a 405's allowed methods, why a
    CSRF check failed). What Flask answers is unchanged."""
    flask = sys.modules.get("flask")
    if flask is None or not isinstance(app, flask.Flask):
        return
    original = app.handle_http_exception
    if getattr(original, "flaskit_notes_errors", False):
        return

    def handle_http_exception(error: Any) -> Any:
        response = original(error)
        if response is error and flask.has_request_context():  # no handler of the app's
            flask.request.environ[HTTP_ERROR] = error
        return response

    handle_http_exception.flaskit_notes_errors = True  # type: ignore[attr-defined]
    app.handle_http_exception = handle_http_exception


def _django(_handler: object) -> None:
    """Django answers ``Http404``, ``PermissionDenied`` and the like first; only what
    would reach ``handler500`` or the technical 500 page propagates."""
    from django.conf import settings  # type: ignore[import-untyped]

    if settings.configured and not settings.is_overridden("DEBUG_PROPAGATE_EXCEPTIONS"):
        settings.DEBUG_PROPAGATE_EXCEPTIONS = True


def _bottle(app: Any) -> None:
    """``HTTPError`` and ``HTTPResponse`` (``abort()``, ``redirect()``) are still answered
    by Bottle, through the app's ``@error`` handlers."""
    import bottle  # type: ignore[import-untyped]

    seen: set[int] = set()
    pending = [app]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        current.catchall = False
        for route in current.routes:
            # A Bottle app mounted at "/prefix/" lends its routes (route.app is the child);
            # one mounted as a WSGI app is the target of a proxy route.
            target = route.config.get("mountpoint.target")
            for child in (route.app, target):
                if isinstance(child, bottle.Bottle):
                    pending.append(child)


def _falcon(app: Any) -> None:
    """Falcon picks the most specific handler, so the app's own handlers (for
    ``ValueError``, for ``HTTPError`` ...) and Falcon's ``HTTPError`` handling win.
    An ``Exception`` handler the app added itself is kept."""
    handlers = getattr(app, "_error_handlers", None)
    default = getattr(app, "_python_error_handler", None)
    if isinstance(handlers, dict) and default is not None and handlers.get(Exception) == default:
        app.add_error_handler(Exception, _reraise)


def _reraise(req: object, resp: object, ex: BaseException, params: object) -> None:
    """Falcon's handler for unhandled exceptions: hand them on to the debug page."""
    __traceback_hide__ = True  # read by the page's frame classifier
    raise ex
