"""Reads a .env value and a library from outside the project, both at import time."""

import os

import extlib  # on PYTHONPATH, outside the project: the zygote preloads it

GREETING = os.environ.get("GREETING", "unset")


def app(environ, start_response):
    body = f"greeting={GREETING} lib={extlib.VERSION} pid={os.getpid()}".encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
