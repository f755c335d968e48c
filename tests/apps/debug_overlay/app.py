"""A page that makes background requests (fetch and htmx) to routes that fail.

The page runs under a strict Content-Security-Policy (scripts by nonce, no
inline styles) and a stylesheet that tries to hide or restyle an overlay, so
the browser tests show the error overlay works there and stays isolated.
htmx 2 comes from the django-htmx package (its vendored copy).
"""

import secrets
from pathlib import Path

import django_htmx
from flask import Flask, Response, request

HTMX = Path(django_htmx.__file__).parent / "static" / "django_htmx" / "htmx-2.min.js"
HOSTILE_CSS = """
#flaskit-error-overlay, div[id] { opacity: 0 !important; display: none !important; }
h2, p, a, button { color: rgb(0, 255, 0) !important; font-size: 40px !important; }
"""
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>shop</title>
<meta name="htmx-config" content='{{"includeIndicatorStyles": false}}'>
<link rel="stylesheet" href="/static/hostile.css">
<script src="/static/htmx.js" nonce="{nonce}"></script>
</head><body>
<h1>shop</h1>
<button id="fetch-fail" type="button">Load orders</button>
<button id="htmx-fail" type="button" hx-post="/api/cart" hx-target="#cart">Add to cart</button>
<button id="counter" type="button">0</button>
<output id="result"></output><span id="cart"></span>
<script nonce="{nonce}">
document.getElementById("fetch-fail").addEventListener("click", function () {{
  fetch("/api/orders?page=2").then(function (response) {{
    document.getElementById("result").textContent = "status " + response.status;
  }});
}});
document.getElementById("counter").addEventListener("click", function (event) {{
  event.target.textContent = String(Number(event.target.textContent) + 1);
}});
</script>
</body></html>
"""

app = Flask(__name__)


@app.route("/")
def index():
    nonce = secrets.token_urlsafe(16)
    response = Response(PAGE.format(nonce=nonce), mimetype="text/html")
    response.headers["Content-Security-Policy"] = (
        f"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'"
    )
    return response


@app.route("/static/htmx.js")
def htmx():
    return Response(HTMX.read_bytes(), mimetype="text/javascript")


@app.route("/static/hostile.css")
def hostile():
    return Response(HOSTILE_CSS, mimetype="text/css")


@app.route("/api/orders")
def orders():
    page = int(request.args["page"])
    per_page = 0
    return {"orders": list(range(page // per_page))}


@app.route("/api/cart", methods=["POST"])
def cart():
    quantity = request.headers.get("HX-Request")
    raise ValueError(f"cannot add to cart (htmx request: {quantity})")
