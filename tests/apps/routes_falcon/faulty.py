"""Falcon mistakes --check finds: a resource without any responder."""

import falcon


class Placeholder:
    """Added to the router before its responders were written."""


class Things:
    def on_get(self, req, resp):
        resp.media = []


app = falcon.App()
app.add_route("/things", Things())
app.add_route("/todo", Placeholder())
