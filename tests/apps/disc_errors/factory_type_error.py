from flask import Flask


def create_app():
    app = Flask(__name__)
    app.config["WORKERS"] = int(None)  # TypeError raised inside the factory (line 6)
    return app
