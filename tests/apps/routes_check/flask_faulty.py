"""Flask mistakes --check finds."""

from flask import Flask

app = Flask(__name__)


@app.route("/report")
def report():
    return "report"


@app.route("/report", endpoint="report_v2")
def report_v2():  # never reached: the first /report rule takes every GET
    return "report v2"


@app.route("/export", methods=["GET", "POST"])
def export():
    return "export"


@app.post("/export", endpoint="export_post")
def export_post():  # never reached: /export above already takes POST
    return "export post"


def index():
    return "index"


app.add_url_rule("/", "index", index)
app.add_url_rule("/home", "home", index)  # the same view under a second endpoint

app.add_url_rule("/orphan", "orphan")  # an endpoint nobody wrote a view for
