"""About responses: what a view returns becomes the response."""

from flask import Blueprint, jsonify, make_response
from werkzeug.wrappers import Response

bp = Blueprint("responses", __name__)


@bp.route("/responses/text")
def text() -> str:
    return "A string becomes a 200 text/html response."


@bp.route("/responses/tuple")
def with_status_and_headers() -> tuple[str, int, dict[str, str]]:
    return "Created", 201, {"X-Example": "tuple"}


@bp.route("/responses/made")
def made() -> Response:
    response = make_response("Made with make_response", 202)
    response.headers["X-Example"] = "make_response"
    response.mimetype = "text/plain"
    return response


@bp.route("/api/status")
def status() -> dict[str, object]:
    # A dict (or a list) becomes a JSON response.
    return {"status": "ok", "topics": 19}


@bp.route("/api/topics")
def topics() -> Response:
    return jsonify(["routing", "templates", "sessions"])
