"""A Bottle app rendering ``views/*.tpl`` from Bottle's default ``TEMPLATE_PATH``."""

import os

import bottle

app = bottle.Bottle()


@app.route("/")
@bottle.view("hello")
def hello():
    return {"pid": os.getpid()}
