"""A plain WSGI function under a name that is not app/application."""


def serve(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"served"]
