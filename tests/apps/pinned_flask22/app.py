"""A project that reports the versions it runs with (the isolated-install tests read them)."""

import sys
from importlib.metadata import version

from flask import Flask

VERSION = "v1"

app = Flask(__name__)


@app.route("/")
def index():
    return (
        f"{VERSION} flask={version('flask')} werkzeug={version('werkzeug')} "
        f"python={sys.version_info[0]}.{sys.version_info[1]} executable={sys.executable}"
    )


@app.route("/boom")
def boom():
    raise RuntimeError("pinned project failure")


@app.cli.command("versions")
def versions():
    """An app command: the versions it runs with."""
    print(f"command flask={version('flask')} executable={sys.executable}")
