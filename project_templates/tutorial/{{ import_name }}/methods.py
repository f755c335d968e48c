"""HTTP methods: a route answers GET only, unless it lists others.

Flask adds HEAD (GET without the body) and OPTIONS (which methods are allowed)
by itself; any other method gets "405 Method Not Allowed".
"""

from flask import Blueprint, request

bp = Blueprint("methods", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login() -> str:
    if request.method == "POST":
        return f"Logging in {request.form.get('username', 'nobody')}"
    return (
        '<form method="post"><input name="username" placeholder="username">'
        "<button>Log in</button></form>"
    )


@bp.get("/ping")
def ping() -> str:
    return "pong"


@bp.post("/ping")
def ping_post() -> str:
    # @bp.get / @bp.post are shortcuts for methods=["GET"] / ["POST"].
    return "pong (POST)"
