"""Topic: the request object, args and form (request_data.py)."""

from flask.testing import FlaskClient


def test_args_with_a_type(client: FlaskClient) -> None:
    assert client.get("/search?q=flask&page=3").text == "Searching 'flask', page 3"


def test_args_defaults(client: FlaskClient) -> None:
    assert client.get("/search").text == "Searching '', page 1"
    assert client.get("/search?page=abc").text == "Searching '', page 1"


def test_form(client: FlaskClient) -> None:
    response = client.post("/contact", data={"email": "ada@example.com", "message": "Hi"})
    assert response.status_code == 201
    assert response.text == "Thanks ada@example.com, 2 characters received"


def test_bad_form_is_400(client: FlaskClient) -> None:
    assert client.post("/contact", data={"email": "nope"}).status_code == 400
