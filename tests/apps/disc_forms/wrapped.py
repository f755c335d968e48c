"""An app hidden behind middleware: routes are still found."""

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

inner = Flask(__name__)


@inner.route("/behind")
def behind():
    return "behind a proxy"


application = ProxyFix(inner, x_for=1)
