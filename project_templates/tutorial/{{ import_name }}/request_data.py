"""The request object: query arguments (request.args) and form data (request.form)."""

from flask import Blueprint, abort, request

bp = Blueprint("request_data", __name__)


@bp.route("/search")
def search() -> str:
    # args.get() returns a default when the argument is missing; type=int also
    # falls back to the default when the value is not a number (?page=abc).
    query = request.args.get("q", "")
    page = request.args.get("page", 1, type=int)
    return f"Searching {query!r}, page {page}"


@bp.post("/contact")
def contact() -> tuple[str, int]:
    # request.form["email"] would answer "400 Bad Request" by itself when the
    # field is missing; .get() lets the view say what is wrong.
    email = request.form.get("email", "").strip()
    if "@" not in email:
        abort(400, description="Give an email address.")
    message = request.form.get("message", "")
    return f"Thanks {email}, {len(message)} characters received", 201
