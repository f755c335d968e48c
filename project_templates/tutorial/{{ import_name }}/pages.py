"""Rendering templates: inheritance (base.html) and autoescaping."""

from flask import Blueprint, render_template

bp = Blueprint("pages", __name__)


@bp.route("/greet/")
@bp.route("/greet/<name>")
def greet(name: str | None = None) -> str:
    # templates/greet.html extends templates/base.html; {{ name }} is escaped.
    return render_template("greet.html", name=name)
