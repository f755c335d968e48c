"""A Flask app reading bodies both ways: Flask's ``get_data()`` and ``wsgi.input`` itself.

Webhook receivers often read ``request.environ["wsgi.input"]`` directly (to check a
signature over the exact bytes), with no size, as any WSGI app may.
"""

import hashlib

from flask import Flask, request

app = Flask(__name__)


def report(data):
    return {"length": len(data), "sha256": hashlib.sha256(data).hexdigest()}


@app.get("/")
def home():
    return "flask bodies ready"


@app.post("/data")
def data():
    return report(request.get_data())


@app.post("/raw")
def raw():
    return report(request.environ["wsgi.input"].read())
