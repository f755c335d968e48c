"""A Falcon app with an error handler of its own and Falcon's HTTP errors."""

import falcon


class Boom:
    def on_get(self, req, resp):
        api_key = "-".join(["falcon", "s3cr3t", "local"])
        raise RuntimeError(f"falcon-boom {len(api_key)}")


class Missing:
    def on_get(self, req, resp):
        raise falcon.HTTPNotFound(title="no such thing")


class Invalid:
    def on_get(self, req, resp):
        raise ValueError("handled by the app")


class Home:
    def on_get(self, req, resp):
        resp.content_type = falcon.MEDIA_HTML
        resp.text = "<html><body><h1>falcon home</h1></body></html>"


def invalid_value(req, resp, ex, params):
    resp.status = falcon.HTTP_422
    resp.media = {"own": "handler", "error": str(ex)}


app = falcon.App()
app.add_route("/", Home())
app.add_route("/boom", Boom())
app.add_route("/missing", Missing())
app.add_route("/invalid", Invalid())
app.add_error_handler(ValueError, invalid_value)
