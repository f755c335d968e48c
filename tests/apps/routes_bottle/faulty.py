"""Bottle mistakes --check finds: a rule shadowed by an earlier dynamic rule,
a rule replaced by a later one, and one callback under two route names."""

from bottle import Bottle

app = Bottle()


@app.get("/users/<name>")
def user_by_name(name):
    return name


@app.get("/users/<user_id:int>")
def user_by_id(user_id):  # never reached: /users/<name> is tried first
    return str(user_id)


@app.get("/report")
def old_report():  # replaced: the same rule and method is registered again below
    return "old"


@app.get("/report", name="report")
def report():
    return "new"


def page():
    return "page"


app.route("/a", callback=page, name="page_a")
app.route("/b", callback=page, name="page_b")


@app.get("/")
def index():
    return "index"
