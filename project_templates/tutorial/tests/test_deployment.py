"""Topic: deployment (wsgi.py, the entry point for production servers)."""

import importlib
import sys

import pytest


def test_wsgi_app_needs_a_secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FLASK_SECRET_KEY", raising=False)
    monkeypatch.delitem(sys.modules, "wsgi", raising=False)
    with pytest.raises(RuntimeError, match="FLASK_SECRET_KEY"):
        importlib.import_module("wsgi")


def test_wsgi_app_serves(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLASK_SECRET_KEY", "a-real-secret")
    monkeypatch.delitem(sys.modules, "wsgi", raising=False)
    wsgi = importlib.import_module("wsgi")
    assert wsgi.app.secret_key == "a-real-secret"
    assert wsgi.app.test_client().get("/hello").text == "Hello, World"
