from flask import Blueprint, redirect, url_for

bp = Blueprint("auth", __name__, url_prefix="/auth")


@bp.route("/register", methods=("GET", "POST"))
def register():
    return "register"


@bp.route("/login", methods=("GET", "POST"))
def login():
    return "login"


@bp.route("/logout")
def logout():
    return redirect(url_for("index"))  # the alias: url_for only
