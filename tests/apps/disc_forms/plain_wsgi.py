"""A PEP 3333 app with no framework at all."""


def app(environ, start_response):
    body = b"plain"
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
