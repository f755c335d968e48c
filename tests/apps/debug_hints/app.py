"""A Flask app that makes, one route each, the errors the debug page has hints for.

The tests copy this folder, trigger each error for real, read the hint, apply
the fix it names to the copy (or to the request) and check the error is gone.
"""

import os
import sqlite3

import click
from flask import Blueprint, Flask, render_template, request, session, url_for
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import Mapped, mapped_column

db = SQLAlchemy()
blog = Blueprint("blog", __name__, url_prefix="/blog")


class User(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]


@blog.route("/<slug>")
def show(slug):
    return f"post {slug}"


def create_app(options=None):
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.root_path, "hints.db")
    # A second database used without SQLAlchemy, as the Flask tutorial's flaskr does.
    app.config["DATABASE"] = os.path.join(app.root_path, "notes.sqlite")
    app.config.update(options or {})
    db.init_app(app)
    app.register_blueprint(blog)
    if app.config.get("USE_MIGRATE"):
        from flask_migrate import Migrate

        Migrate(app, db)
    if app.config.get("USE_CSRF"):
        from flask_wtf.csrf import CSRFProtect

        CSRFProtect(app)

    @app.route("/")
    def index():
        return "home"

    @app.route("/profile")
    def profile():
        return render_template("profle.html")  # the file is profile.html

    @app.route("/report")
    def report():
        return render_template("reports/monthly.html")

    @app.route("/greeting")
    def greeting():
        user = {"name": "Ada", "email": "ada@example.org"}
        return render_template("greeting.html", user=user, unread=3)

    @app.route("/card")
    def card():
        return render_template("card.html", user={"name": "Ada", "email": "ada@example.org"})

    @app.route("/user/<int:user_id>")
    def user_profile(user_id):
        return f"user {user_id}"

    @app.route("/links/typo")
    def link_typo():
        return url_for("user_profil", user_id=1)

    @app.route("/links/arguments")
    def link_arguments():
        return url_for("user_profile")

    @app.route("/links/blueprint")
    def link_blueprint():
        return url_for("show", slug="hello")

    @app.route("/signup", methods=["POST"])
    def signup():
        return f"welcome {request.form['email']}"

    @app.route("/avatar", methods=["POST"])
    def avatar():
        return f"got {request.files['photo'].filename}"

    @app.route("/visit")
    def visit():
        session["visits"] = session.get("visits", 0) + 1
        return f"visit {session['visits']}"

    @app.route("/contact", methods=["GET"])
    def contact():
        return "<form method=post><input name=message></form>"

    @app.route("/users")
    def users():
        return ", ".join(user.name for user in db.session.scalars(db.select(User)))

    @app.route("/notes")
    def notes():
        connection = sqlite3.connect(app.config["DATABASE"])
        try:
            return ", ".join(body for (body,) in connection.execute("SELECT body FROM note"))
        finally:
            connection.close()

    @app.cli.command("init-db")
    def init_db():
        """Create the notes table afresh, as the tutorial's init-db does."""
        connection = sqlite3.connect(app.config["DATABASE"])
        connection.executescript("DROP TABLE IF EXISTS note; CREATE TABLE note (body TEXT);")
        connection.close()
        click.echo("Initialized the database.")

    @app.route("/comment", methods=["GET", "POST"])
    def comment():
        if request.method == "POST":
            return "thanks"
        return render_template("comment.html")

    @app.route("/plugin")
    def plugin():
        import flaskit_hint_demo  # not installed

        return flaskit_hint_demo.NAME

    return app
