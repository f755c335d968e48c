"""A Bottle app with its own 404 page, an abort() and a mounted Bottle app."""

import bottle

app = bottle.Bottle()
shop = bottle.Bottle()


@app.route("/")
def home():
    return "<html><body><h1>bottle home</h1></body></html>"


@app.route("/boom")
def boom():
    api_key = "-".join(["bottle", "s3cr3t", "local"])
    raise RuntimeError(f"bottle-boom {len(api_key)}")


@app.route("/teapot")
def teapot():
    bottle.abort(418, "short and stout")


@app.error(404)
def not_found(error):
    return "<html><body><h1>our own bottle 404</h1></body></html>"


@shop.route("/boom")
def shop_boom():
    raise LookupError("mounted-bottle-boom")


app.mount("/shop/", shop)
