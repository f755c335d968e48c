"""A Flask app with its own 404 and 500 pages, as most real projects have."""

from flask import Blueprint, Flask, abort

app = Flask(__name__)
shop = Blueprint("shop", __name__, url_prefix="/shop")


@app.route("/")
def index():
    return "<!doctype html><html><body><h1>home</h1></body></html>"


@app.route("/gone")
def gone():
    abort(404)


@app.route("/abort500")
def abort500():
    abort(500)


@app.route("/returns500")
def returns500():
    return "<html><body><h1>a failure page the view renders</h1></body></html>", 500


@app.route("/boom")
def boom():
    raise RuntimeError("handlers-boom")


@shop.route("/item/<int:number>")
def item(number):
    if number == 0:
        abort(404)
    return f"item {number}"


@shop.errorhandler(404)
def shop_not_found(error):
    return "<html><body><h1>the shop's own 404</h1></body></html>", 404


@app.errorhandler(404)
def not_found(error):
    return "<!doctype html><html><body><h1>our own 404</h1></body></html>", 404


@app.errorhandler(500)
def server_error(error):
    return "<!doctype html><html><body><h1>our own 500</h1></body></html>", 500


app.register_blueprint(shop)
