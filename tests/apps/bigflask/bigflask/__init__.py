"""A Flask app with blueprints (one nested), a class-based view, a custom
converter, an endpoint with two rules and a subdomain-free host setup."""

from flask import Blueprint, Flask
from flask.views import MethodView, View
from werkzeug.routing import BaseConverter


class ListConverter(BaseConverter):
    """Matches comma-separated values: /tags/a,b,c."""

    regex = r"[^/]+(?:,[^/]+)*"

    def to_python(self, value):
        return value.split(",")

    def to_url(self, value):
        return ",".join(value)


class ItemAPI(MethodView):
    def get(self, item_id=None):
        return {"item": item_id}

    def post(self):
        return {"created": True}, 201

    def delete(self, item_id):
        return "", 204


class Hello(View):
    def dispatch_request(self):
        return "hello"


def create_app():
    app = Flask(__name__)
    app.url_map.converters["list"] = ListConverter

    @app.route("/")
    def index():
        return "index"

    @app.route("/page/", defaults={"number": 1})
    @app.route("/page/<int:number>")
    def page(number):
        return f"page {number}"

    @app.route("/tags/<list:tags>")
    def tags(tags):
        return ",".join(tags)

    @app.route("/files/<path:name>", methods=["GET", "PUT"])
    def files(name):
        return name

    items = ItemAPI.as_view("items")
    app.add_url_rule("/items/", view_func=items, methods=["GET", "POST"])
    app.add_url_rule("/items/<int:item_id>", view_func=items, methods=["GET", "DELETE"])
    app.add_url_rule("/hello", view_func=Hello.as_view("hello"))

    admin = Blueprint("admin", __name__, url_prefix="/admin")

    @admin.route("/users/<uuid:user_id>", methods=["GET", "PATCH"])
    def user(user_id):
        return str(user_id)

    reports = Blueprint("reports", __name__, url_prefix="/reports")

    @reports.get("/<float:threshold>")
    def report(threshold):
        return str(threshold)

    admin.register_blueprint(reports)
    app.register_blueprint(admin)
    return app
