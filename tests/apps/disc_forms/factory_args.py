from flask import Flask


def create_app(env="production", *, debug=False, extra=None):
    app = Flask(__name__)
    app.config["ENV_NAME"] = env
    app.config["DEBUG_FLAG"] = debug
    app.config["EXTRA"] = extra
    return app
