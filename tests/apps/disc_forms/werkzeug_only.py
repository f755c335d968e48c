"""A werkzeug app (no Flask) in the style of werkzeug's tutorial: endpoint "x" -> on_x."""

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response


class Shortly:
    def __init__(self):
        self.url_map = Map(
            [
                Rule("/", endpoint="new_url"),
                Rule("/<short_id>", endpoint="follow_short_link"),
                Rule("/<short_id>+", endpoint="short_link_details", methods=["GET", "POST"]),
            ]
        )

    def on_new_url(self, request):
        return Response("new")

    def on_follow_short_link(self, request, short_id):
        return Response(short_id)

    def on_short_link_details(self, request, short_id):
        return Response(short_id + "+")

    def wsgi_app(self, environ, start_response):
        request = Request(environ)
        adapter = self.url_map.bind_to_environ(environ)
        try:
            endpoint, values = adapter.match()
            response = getattr(self, f"on_{endpoint}")(request, **values)
        except HTTPException as exc:
            response = exc
        return response(environ, start_response)

    def __call__(self, environ, start_response):
        return self.wsgi_app(environ, start_response)


app = Shortly()
