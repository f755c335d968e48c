"""Rules that overlap, to check the dispatch order."""

from flask import Flask

app = Flask(__name__)


@app.route("/<path:anything>")
def catch_all(anything):
    return anything


@app.route("/users/<name>")
def user_by_name(name):
    return name


@app.route("/users/<int:user_id>")
def user_by_id(user_id):
    return str(user_id)


@app.route("/users/me")
def me():
    return "me"


@app.route("/files/<path:name>")
def files(name):
    return name


@app.route("/files/special")
def special():
    return "special"


@app.route("/v<int:version>/items")
def items_version(version):
    return str(version)


@app.route("/v1/items")
def items_v1():
    return "v1"
