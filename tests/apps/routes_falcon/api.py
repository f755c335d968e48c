"""A Falcon app: resources with and without suffixed responders, converters, a
static segment beside a field, a complex segment, a hook, a sink and static files."""

from pathlib import Path

import falcon


def require_token(req, resp, resource, params):
    if req.get_header("X-Token") == "bad":
        raise falcon.HTTPUnauthorized()


class HealthResource:
    def on_get(self, req, resp):
        resp.media = {"ok": True}


class ItemsResource:
    def on_get(self, req, resp):
        resp.media = []

    def on_post(self, req, resp):
        resp.status = falcon.HTTP_201


class ItemResource:
    def on_get(self, req, resp, item_id):
        resp.media = {"id": item_id}

    @falcon.before(require_token)
    def on_put(self, req, resp, item_id):
        resp.media = {"id": item_id}

    def on_delete(self, req, resp, item_id):
        resp.status = falcon.HTTP_204

    def on_get_tags(self, req, resp, item_id):
        resp.media = ["a", "b"]


class NewItemResource:
    def on_get(self, req, resp):
        resp.media = {"form": True}


class UserResource:
    def on_get(self, req, resp, username):
        resp.media = {"user": username}

    def on_patch(self, req, resp, username):
        resp.media = {"user": username}


class AvatarResource:
    def on_get(self, req, resp, username, ext):
        resp.media = {"user": username, "ext": ext}


class ReportResource:
    def on_get(self, req, resp, year, month):
        resp.media = {"year": year, "month": month}


class OrderResource:
    def on_get(self, req, resp, order_id):
        resp.media = {"order": str(order_id)}

    def on_options(self, req, resp, order_id):
        resp.set_header("Allow", "GET, OPTIONS")


def legacy(req, resp, **kwargs):
    resp.text = "legacy"


app = falcon.App()
app.add_route("/health", HealthResource())
app.add_route("/items", ItemsResource())
items = ItemResource()
app.add_route("/items/{item_id:int}", items)
app.add_route("/items/{item_id:int}/tags", items, suffix="tags")
app.add_route("/items/new", NewItemResource())
app.add_route("/users/{username}", UserResource())
app.add_route("/users/{username}/avatar.{ext}", AvatarResource())
app.add_route("/reports/{year:int(4)}/{month:int(2, min=1, max=12)}", ReportResource())
app.add_route("/orders/{order_id:uuid}", OrderResource())
app.add_sink(legacy, "/legacy/")
app.add_static_route("/static", str(Path(__file__).parent / "static"))
