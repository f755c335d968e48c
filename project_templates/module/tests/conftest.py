"""Fixtures: the app configured for tests, and a client that sends it requests."""

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app import app as flask_app


@pytest.fixture
def app() -> Iterator[Flask]:
    """The app, in testing mode for the duration of one test."""
    flask_app.config.update(TESTING=True)
    yield flask_app
    flask_app.config.update(TESTING=False)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client: client.get("/") returns the response without a server."""
    return app.test_client()
