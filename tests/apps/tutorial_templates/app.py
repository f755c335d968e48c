"""Templates shaped like the official Flask tutorial's: HTML5 documents that leave out
<html>, <head>, <body> and their end tags (all optional), as many real projects do."""

from flask import Flask, render_template

app = Flask(__name__)


@app.route("/")
def index():
    return render_template("index.html", posts=["first post", "second post"])


@app.route("/bare")
def bare():
    return render_template("bare.html")


@app.route("/plain")
def plain():
    return "just words </body>", 200, {"Content-Type": "text/plain; charset=utf-8"}
