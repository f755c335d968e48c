"""A Pyramid app: one route with a view per method, a view class with attr=,
a route-level request_method predicate, regex and star placeholders, a
pattern without a leading slash, a decorated view and static files."""

import functools
from pathlib import Path

from pyramid.config import Configurator
from pyramid.response import Response


def login_required(view):
    @functools.wraps(view)
    def wrapper(request):
        return view(request)

    return wrapper


def home(request):
    return Response("home")


def list_items(request):
    return Response("items")


def create_item(request):
    return Response("created", status=201)


def new_item(request):
    return Response("new item form")


class ItemViews:
    def __init__(self, request):
        self.request = request

    def show(self):
        return Response(f"item {self.request.matchdict['item_id']}")

    def delete(self):
        return Response(status=204)


def archive(request):
    return Response(f"{request.matchdict['year']}-{request.matchdict['month']}")


def files(request):
    return Response("/".join(request.matchdict["subpath"]))


def search(request):
    return Response("results")


def user(request):
    return Response(request.matchdict["name"])


@login_required
def dashboard(request):
    return Response("dashboard")


def make_app():
    with Configurator() as config:
        config.add_route("home", "/")
        config.add_view(home, route_name="home")
        config.add_route("items", "/items")
        config.add_view(list_items, route_name="items", request_method="GET")
        config.add_view(create_item, route_name="items", request_method="POST")
        config.add_route("item_new", "/items/new")
        config.add_view(new_item, route_name="item_new", request_method="GET")
        config.add_route("item", "/items/{item_id}")
        config.add_view(ItemViews, attr="show", route_name="item", request_method="GET")
        config.add_view(ItemViews, attr="delete", route_name="item", request_method="DELETE")
        config.add_route("archive", r"/archive/{year:\d{4}}/{month:\d{2}}")
        config.add_view(archive, route_name="archive")
        config.add_route("files", "/files/*subpath")
        config.add_view(files, route_name="files")
        config.add_route("search", "/search", request_method="POST")
        config.add_view(search, route_name="search")
        config.add_route("user", "users/{name}")
        config.add_view(user, route_name="user")
        config.add_route("dashboard", "/dashboard")
        config.add_view(dashboard, route_name="dashboard")
        config.add_static_view("static", str(Path(__file__).parent / "static"))
        return config.make_wsgi_app()


app = make_app()
