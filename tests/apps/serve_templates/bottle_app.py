"""A Bottle app rendering templates from the default ``TEMPLATE_PATH`` (``./views/``, ``./``)."""

import os

import bottle

app = bottle.Bottle()


@app.route("/")
@bottle.view("hello")
def hello():
    return {"pid": os.getpid()}


@app.route("/page")
def page():
    return bottle.template("page", pid=os.getpid())  # ./page.tpl: Bottle looks in ./ too
