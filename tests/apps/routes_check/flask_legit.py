"""Patterns that look odd but are right: --check reports nothing here."""

from flask import Blueprint, Flask
from flask.views import MethodView

app = Flask(__name__)


class UserAPI(MethodView):
    def get(self, user_id):
        return "users" if user_id is None else f"user {user_id}"

    def post(self):
        return "created"

    def delete(self, user_id):
        return "deleted"


# The MethodView pattern from Flask's docs: one endpoint, three rules.
user_view = UserAPI.as_view("user_api")
app.add_url_rule("/users/", defaults={"user_id": None}, view_func=user_view, methods=["GET"])
app.add_url_rule("/users/", view_func=user_view, methods=["POST"])
app.add_url_rule("/users/<int:user_id>", view_func=user_view, methods=["GET", "DELETE"])


class ItemAPI(MethodView):
    def __init__(self, kind):
        self.kind = kind

    def get(self):
        return self.kind


# One class, two endpoints, built with different arguments: two view functions.
app.add_url_rule("/books/", view_func=ItemAPI.as_view("books", "book"))
app.add_url_rule("/films/", view_func=ItemAPI.as_view("films", "film"))


# defaults= for an optional argument, both rules under one endpoint.
@app.route("/page/", defaults={"number": 1})
@app.route("/page/<int:number>")
def page(number):
    return str(number)


# One view, two endpoints whose rules take different arguments.
def archive(year=None):
    return str(year)


app.add_url_rule("/archive/", "archive", archive)
app.add_url_rule("/archive/<int:year>", "archive_year", archive)


# Views made by a factory: different functions from one def.
def make_view(text):
    def view():
        return text

    return view


app.add_url_rule("/about", "about", make_view("about"))
app.add_url_rule("/terms", "terms", make_view("terms"))


# A blueprint registered twice under two names.
api = Blueprint("api", __name__, static_folder="static")


@api.route("/status")
def status():
    return "ok"


app.register_blueprint(api, url_prefix="/v1")
app.register_blueprint(api, url_prefix="/v2", name="api_v2")


# Static segments win over converters, and a catch-all comes last.
@app.route("/files/special")
def special():
    return "special"


@app.route("/files/<path:name>")
def files(name):
    return name


@app.route("/<path:anything>")
def catch_all(anything):
    return anything
