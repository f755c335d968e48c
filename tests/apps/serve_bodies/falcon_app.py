"""A Falcon app whose upload handler reads the request stream with no size.

Falcon's tutorial saves uploads this way (``req.stream`` is the server's
``wsgi.input`` itself): on a server whose input does not end with the body,
the read waits for more bytes forever.
"""

import hashlib

import falcon


class Upload:
    def on_get(self, req, resp):
        resp.text = "falcon upload ready"

    def on_post(self, req, resp):
        data = req.stream.read()
        resp.media = {"length": len(data), "sha256": hashlib.sha256(data).hexdigest()}


app = falcon.App()
app.add_route("/", Upload())
