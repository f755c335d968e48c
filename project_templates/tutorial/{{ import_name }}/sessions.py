"""Sessions: data kept across requests in a cookie signed with the secret key."""

from flask import Blueprint, redirect, request, session, url_for
from markupsafe import escape
from werkzeug.wrappers import Response

bp = Blueprint("sessions", __name__, url_prefix="/session")


@bp.route("/")
def whoami() -> str:
    if "username" in session:
        return f"Logged in as {escape(session['username'])}"
    return "You are not logged in"


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | str:
    if request.method == "POST":
        session["username"] = request.form["username"]
        return redirect(url_for("sessions.whoami"))
    return '<form method="post"><input name="username"><button>Log in</button></form>'


@bp.route("/logout")
def logout() -> Response:
    session.pop("username", None)
    return redirect(url_for("sessions.whoami"))
