"""Redirects and errors: redirect(), abort(), and error pages."""

from flask import Blueprint, abort, redirect, render_template, url_for
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

bp = Blueprint("errors", __name__)


@bp.route("/old-page")
def old_page() -> Response:
    # 302 by default; 301 tells browsers and search engines the move is permanent.
    return redirect(url_for("basics.about"), code=301)


@bp.route("/admin")
def admin() -> str:
    abort(403)  # stops the view here with "403 Forbidden"


# app_errorhandler: for the whole app, not only this blueprint's routes.
@bp.app_errorhandler(403)
@bp.app_errorhandler(404)
def error_page(error: HTTPException) -> tuple[str, int]:
    return render_template("error.html", error=error), error.code or 500
