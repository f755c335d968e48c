"""The app the DNS-rebinding tests serve: a page, an error, a 404, a plain-text answer.

The secret is built at run time, so finding it in a response proves a leak.
"""

from flask import Flask

app = Flask(__name__)
app.config["SECRET_KEY"] = "-".join(["hosts", "s3cr3t", "config"])

PAGE = "<!doctype html><html><head><title>home</title></head><body><h1>home</h1></body></html>"


@app.route("/")
def index():
    return PAGE


@app.route("/boom")
def boom():
    api_token = "-".join(["hosts", "s3cr3t", "local"])
    raise RuntimeError(f"boom-marker {len(api_token)}")


@app.route("/text")
def text():
    return "plain words", 200, {"Content-Type": "text/plain; charset=utf-8"}
