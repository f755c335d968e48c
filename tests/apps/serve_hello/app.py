"""The app the serve tests copy and rewrite: VERSION changes, the pid shows the worker."""

import os
import time

from flask import Flask

VERSION = "v1"

app = Flask(__name__)


@app.route("/")
def index():
    return f"{VERSION} pid={os.getpid()}"


@app.route("/slow")
def slow():
    time.sleep(1.0)
    return f"slow {VERSION}"
