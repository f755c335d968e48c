"""A Flask project whose .flaskenv names the development app, and whose wsgi.py
sets up production (as many real projects do): a real key and a body limit."""

import os

from flask import Flask


def create_app(production: bool = False) -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = "dev"  # the official tutorial's development value
    if production:
        app.config["SECRET_KEY"] = os.environ.get("DEVAPP_SECRET_KEY", "x" * 32)
        app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024

    @app.get("/")
    def index() -> str:
        return "devapp"

    return app
