"""A Flask app behind WSGI middleware, with a blueprint whose templates live in ``screens/``."""

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from shop import shop

flask_app = Flask(__name__)
flask_app.register_blueprint(shop)


@flask_app.route("/")
def home():
    return "<html><body><h1>flask home</h1></body></html>"


application = ProxyFix(flask_app)
