"""URL building: url_for() makes URLs from endpoint names, never by hand."""

from flask import Blueprint, url_for

bp = Blueprint("urls", __name__)


@bp.route("/urls")
def show_urls() -> dict[str, str]:
    return {
        "index": url_for("basics.index"),
        "user": url_for("converters.show_user", username="John Doe"),
        "post": url_for("converters.show_post", post_id=42),
        # Unknown arguments become the query string.
        "search": url_for("request_data.search", q="flask", page=2),
        "static": url_for("static", filename="style.css"),
        "external": url_for("basics.about", _external=True),
    }
