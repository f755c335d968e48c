from flask import Blueprint, url_for

bp = Blueprint("blog", __name__)


@bp.route("/")
def index():
    return f"posts (home is {url_for('index')})"


@bp.route("/create", methods=("GET", "POST"))
def create():
    return "create"


@bp.route("/<int:id>/update", methods=("GET", "POST"))
def update(id):
    return f"update {id}"


@bp.route("/<int:id>/delete", methods=("POST",))
def delete(id):
    return f"delete {id}"
