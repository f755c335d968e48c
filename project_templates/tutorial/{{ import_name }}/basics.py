"""Routing, and the page that lists every topic (it also shows debug mode)."""

from flask import Blueprint, current_app, render_template

bp = Blueprint("basics", __name__)


@bp.route("/")
def index() -> str:
    """The tutorial's home page: links to one example per topic."""
    return render_template("index.html", debug=current_app.debug)


@bp.route("/hello")
def hello() -> str:
    return "Hello, World"


# A trailing slash works like a folder: /projects redirects to /projects/.
@bp.route("/projects/")
def projects() -> str:
    return "The project page"


# Without one it works like a file: /about/ is a 404, so each page has one URL.
@bp.route("/about")
def about() -> str:
    return "The about page"
