"""Request hooks: code that runs before and after every request."""

import time

from flask import Blueprint, g
from werkzeug.wrappers import Response

bp = Blueprint("hooks", __name__)


@bp.before_app_request
def start_timer() -> None:
    # g lives for one request: a place for data the hooks and views share.
    g.started = time.perf_counter()


@bp.after_app_request
def add_timing_header(response: Response) -> Response:
    elapsed = time.perf_counter() - g.get("started", time.perf_counter())
    response.headers["X-Response-Time"] = f"{elapsed * 1000:.1f}ms"
    return response
