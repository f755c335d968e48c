from flask import Flask

from ..models import GREETING

app = Flask(__name__)


@app.route("/")
def index():
    return GREETING
