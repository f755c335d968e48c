"""A small Flask app that deploy-config's end-to-end tests serve through nginx and Apache."""

from __future__ import annotations

import os

from flask import Flask, request, url_for

# Small, so the tests can send a body just above it.
BODY_LIMIT = 64 * 1024


def create_app() -> Flask:
    """The app; behind nginx it trusts exactly one proxy, as the generated README says."""
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = BODY_LIMIT

    @app.get("/")
    def index() -> str:
        return "<!doctype html><title>deploy_site</title><h1>dynamic page</h1>"

    @app.get("/external")
    def external() -> str:
        return url_for("index", _external=True)

    @app.get("/scheme")
    def scheme() -> dict[str, str]:
        return {"scheme": request.scheme, "host": request.host, "remote": request.remote_addr or ""}

    @app.get("/runtime")
    def runtime() -> str:
        import getpass
        import platform
        import sys

        return f"{platform.python_version()} {sys.prefix} {getpass.getuser()}"

    @app.post("/upload")
    def upload() -> str:
        return f"received {len(request.get_data())} bytes"

    if os.environ.get("DEPLOY_SITE_BEHIND_PROXY") == "1":
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=1, x_proto=1, x_host=1, x_port=1
        )
    return app
