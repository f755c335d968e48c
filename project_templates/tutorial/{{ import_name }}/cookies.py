"""Cookies: read them from request.cookies, set them on a response."""

from flask import Blueprint, abort, make_response, request
from werkzeug.wrappers import Response

bp = Blueprint("cookies", __name__)

THEMES = ("light", "dark")


@bp.route("/theme")
def show_theme() -> str:
    # A missing cookie is None; .get() with a default avoids a KeyError.
    return f"Theme: {request.cookies.get('theme', 'light')}"


@bp.route("/theme/<name>")
def set_theme(name: str) -> Response:
    if name not in THEMES:
        abort(404)
    response = make_response(f"Theme set to {name}")
    response.set_cookie("theme", name, max_age=60 * 60 * 24 * 365, samesite="Lax")
    return response
