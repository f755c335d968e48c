"""The app the live-reload tests copy and edit: VIEW, templates/*.html, static/site.css."""

import os
import secrets

from flask import Flask, Response, jsonify, make_response, render_template, request

VIEW = "view-1"

app = Flask(__name__)


@app.route("/")
@app.route("/tab/<int:number>")
def index(number=0):
    return render_template("index.html", view=VIEW, pid=os.getpid(), number=number)


@app.route("/form")
def form():
    # A page with state to keep across a template edit: typed text, scroll, JavaScript.
    return render_template("form.html", view=VIEW, pid=os.getpid())


@app.route("/trusted")
def trusted():
    # Trusted Types: a script may not parse HTML from a string, so no morph can happen.
    response = make_response(render_template("form.html", view=VIEW, pid=os.getpid()))
    response.headers["Content-Security-Policy"] = "require-trusted-types-for 'script'"
    return response


@app.route("/stream")
def stream():
    def chunks():
        yield "<!doctype html><html><body><p>first</p>"
        yield "<p>second</p></body></html>"

    return Response(chunks(), mimetype="text/html")


@app.route("/data.json")
def data():
    return jsonify(view=VIEW, html="<p>not a page</p></body>")


@app.route("/fragment")
def fragment():
    return "<p>a fragment without the end of a body</p>"


@app.route("/cached")
def cached():
    # A conditional page: its ETag does not change when the app restarts.
    response = make_response(
        render_template("index.html", view="cached", pid=os.getpid(), number=0)
    )
    response.set_etag("same-every-time")
    return response.make_conditional(request)


@app.route("/strict")
@app.route("/strict/<int:number>")
def strict(number=0):
    nonce = secrets.token_urlsafe(12)
    response = make_response(
        render_template("index.html", view=VIEW, pid=os.getpid(), number=number)
    )
    response.headers["Content-Security-Policy"] = (
        f"default-src 'self'; script-src 'nonce-{nonce}'; worker-src 'none'"
    )
    return response
