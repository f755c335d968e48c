"""Topic: HTTP methods, with automatic HEAD and OPTIONS (methods.py)."""

from flask.testing import FlaskClient


def test_get_shows_the_form_and_post_handles_it(client: FlaskClient) -> None:
    assert b"<form" in client.get("/login").data
    assert client.post("/login", data={"username": "ada"}).text == "Logging in ada"


def test_get_and_post_shortcuts(client: FlaskClient) -> None:
    assert client.get("/ping").text == "pong"
    assert client.post("/ping").text == "pong (POST)"


def test_head_and_options_are_automatic(client: FlaskClient) -> None:
    head = client.head("/ping")
    assert head.status_code == 200
    assert head.data == b""
    options = client.options("/login")
    assert set(options.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS", "POST"}


def test_other_methods_are_not_allowed(client: FlaskClient) -> None:
    assert client.put("/login").status_code == 405
