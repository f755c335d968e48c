"""Topic: logging with app.logger (create_app, uploads.py)."""

import io
import logging

import pytest
from flask import Flask
from flask.testing import FlaskClient


def test_upload_is_logged(
    app: Flask, client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger=app.logger.name):
        client.post("/upload", data={"file": (io.BytesIO(b"x"), "log.txt")})
    assert "Saved upload log.txt" in caplog.messages


def test_level_from_the_config(app: Flask) -> None:
    assert app.logger.level == logging.INFO
