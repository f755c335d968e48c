"""Message flashing: a message stored now and shown on the next page (see base.html)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

bp = Blueprint("flashing", __name__)


@bp.route("/feedback", methods=["GET", "POST"])
def feedback() -> Response | str:
    if request.method == "POST":
        if request.form.get("text", "").strip():
            flash("Thanks for your feedback!", "success")
        else:
            flash("Write something first.", "error")
        return redirect(url_for("flashing.feedback"))
    return render_template("feedback.html")
