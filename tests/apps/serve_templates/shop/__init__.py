"""A blueprint with a template folder of its own name."""

import os

from flask import Blueprint, render_template

shop = Blueprint("shop", __name__, template_folder="screens", url_prefix="/shop")


@shop.route("/")
def index():
    return render_template("shop_index.html", pid=os.getpid())
