"""Imports two libraries from outside the project: extlib, then slowlib (which the
zygote imports slowly), both on PYTHONPATH, so the zygote preloads them in that order."""

import os

import extlib
import slowlib

NOTE = "unset"


def app(environ, start_response):
    body = f"note={NOTE} lib={extlib.VERSION} pid={os.getpid()}".encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
