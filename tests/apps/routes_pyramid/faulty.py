"""Pyramid mistakes --check finds: a route shadowed by an earlier one, a route
without a view, and one view attached to two routes that take the same arguments."""

from pyramid.config import Configurator
from pyramid.response import Response


def page(request):
    return Response(request.matchdict["slug"])


def new_page(request):
    return Response("new")


def home(request):
    return Response("home")


with Configurator() as config:
    config.add_route("page", "/pages/{slug}")
    config.add_view(page, route_name="page")
    config.add_route("page_new", "/pages/new")  # never reached: /pages/{slug} comes first
    config.add_view(new_page, route_name="page_new")
    config.add_route("todo", "/todo")  # no view attached
    config.add_route("home", "/")
    config.add_view(home, route_name="home")
    config.add_route("index", "/index")
    config.add_view(home, route_name="index")
    app = config.make_wsgi_app()
