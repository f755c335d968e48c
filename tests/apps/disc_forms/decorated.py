"""Views behind decorators and partials still report their own file:line."""

import functools

from flask import Flask

app = Flask(__name__)


def login_required(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        return view(*args, **kwargs)

    return wrapper


@app.route("/secret")
@login_required
def secret():
    return "secret"


def greet(greeting, name="world"):
    return f"{greeting}, {name}"


app.add_url_rule("/hi", "hi", functools.partial(greet, "hi"))
app.add_url_rule("/nowhere", "nowhere")  # an endpoint without a view
