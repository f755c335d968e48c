"""A microblog-shaped app: a factory, Flask-SQLAlchemy, Flask-Migrate (whose
``db`` command arrives through ``init_app``), an ``app.cli`` group with options, and
blueprint commands as microblog has them (``cli_group=None``: ``translate`` at the
top level) and as Flask names them by default (``admin`` for the blueprint's)."""

import os

import click
from flask import Flask
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()
migrate = Migrate()


def create_app():
    app = Flask(__name__)
    url = os.environ.get("BLOG_DATABASE_URL", "sqlite:///" + os.path.join(os.getcwd(), "blog.db"))
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    app.config["GREETING"] = os.environ.get("BLOG_GREETING", "unset")
    db.init_app(app)
    migrate.init_app(app, db)

    from blog import models
    from blog.commands import admin_bp, cli_bp

    app.register_blueprint(cli_bp)
    app.register_blueprint(admin_bp)

    @app.route("/")
    def index():
        return f"posts: {db.session.query(models.Post).count()}"

    @app.shell_context_processor
    def extra_names():
        return {"greeting": app.config["GREETING"]}

    @app.cli.group()
    @click.option("--lang", default="en", help="Language of the report.")
    @click.pass_context
    def report(ctx, lang):
        """Reports about the blog."""
        ctx.obj = {"lang": lang}

    @report.command("count")
    @click.option("--table", type=click.Choice(["user", "post"]), required=True)
    @click.option("--shout", is_flag=True)
    @click.pass_obj
    def count(obj, table, shout):
        """Count the rows of a table."""
        model = {"user": models.User, "post": models.Post}[table]
        from flask import current_app

        text = f"[{obj['lang']}] {current_app.name}: {db.session.query(model).count()} {table}"
        click.echo(text.upper() if shout else text)

    @app.cli.command("routes")
    def own_routes():
        """The app's own 'routes' command (shadowed by flaskit's)."""
        click.echo("the app's own routes command")

    return app
