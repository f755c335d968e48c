"""A Bottle app: merged methods, filters, a static rule beside a dynamic one,
one callback under two rules, ANY, a decorated view and a mounted sub-app."""

import functools

from bottle import Bottle

app = Bottle()


def login_required(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        return view(*args, **kwargs)

    return wrapper


@app.get("/")
def index():
    return "index"


@app.route("/items", method=["GET", "POST"])
def items():
    return "items"


@app.get("/items/<item_id:int>", name="item")
def item(item_id):
    return f"item {item_id}"


@app.delete("/items/<item_id:int>")
def delete_item(item_id):
    return f"deleted {item_id}"


@app.get("/items/new")
def new_item():
    return "new item form"


@app.get("/prices/<amount:float>")
def price(amount):
    return f"{amount:.2f}"


@app.get("/files/<filepath:path>")
def files(filepath):
    return filepath


@app.get("/tags/<tag:re:[a-z]+>")
def tag(tag):
    return tag


@app.get("/hello/<name>")
@app.get("/hi/<name>")
def hello(name):
    return f"hello {name}"


@app.route("/echo", method="ANY")
def echo():
    return "echo"


@app.post("/login")
@login_required
def login():
    return "logged in"


admin = Bottle()


@admin.get("/")
def admin_index():
    return "admin"


@admin.route("/users/<user_id:int>", method=["GET", "PUT"])
def admin_user(user_id):
    return f"user {user_id}"


app.mount("/admin/", admin)
