"""A plain WSGI callable: no framework at all."""

import os


def application(environ, start_response):
    body = f"plain wsgi {environ['PATH_INFO']} pid={os.getpid()}".encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
