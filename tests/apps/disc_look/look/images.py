"""Resources of a Falcon tutorial-style app (the idiom: a store passed to the factory)."""

import json


class ImageStore:
    def __init__(self, storage_path):
        self.storage_path = storage_path


class Collection:
    def __init__(self, store):
        self.store = store

    def on_get(self, req, resp):
        resp.text = json.dumps({"images": [], "path": self.store.storage_path})
