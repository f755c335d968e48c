"""Variable rules: parts of the URL become arguments, converted by type."""

from uuid import UUID

from flask import Blueprint
from markupsafe import escape

bp = Blueprint("converters", __name__)


@bp.route("/user/<username>")
def show_user(username: str) -> str:
    # string (the default): any text without a slash; escape it before putting it in HTML.
    return f"User {escape(username)}"


@bp.route("/post/<int:post_id>")
def show_post(post_id: int) -> str:
    # int: positive whole numbers; /post/abc is a 404, not an error in the view.
    return f"Post {post_id}"


@bp.route("/price/<float:amount>")
def show_price(amount: float) -> str:
    # float: positive numbers with a decimal point, e.g. /price/9.99.
    return f"Price {amount:.2f}"


@bp.route("/path/<path:subpath>")
def show_subpath(subpath: str) -> str:
    # path: like string, but slashes are allowed.
    return f"Subpath {escape(subpath)}"


@bp.route("/item/<uuid:item_id>")
def show_item(item_id: UUID) -> str:
    # uuid: a UUID string, converted to a uuid.UUID.
    return f"Item {item_id.hex}"
