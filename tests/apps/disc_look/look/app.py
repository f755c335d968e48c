"""Falcon's tutorial idiom: create_app() needs the store; get_app() builds it."""

import os

import falcon

from .images import Collection, ImageStore


def create_app(image_store):
    app = falcon.App()
    app.add_route("/images", Collection(image_store))
    return app


def get_app():
    return create_app(ImageStore(os.environ.get("LOOK_STORAGE_PATH", ".")))
