"""Topic: about responses and JSON APIs (responses.py)."""

from flask.testing import FlaskClient


def test_string(client: FlaskClient) -> None:
    response = client.get("/responses/text")
    assert response.status_code == 200
    assert response.mimetype == "text/html"


def test_tuple_with_status_and_headers(client: FlaskClient) -> None:
    response = client.get("/responses/tuple")
    assert (response.status_code, response.text) == (201, "Created")
    assert response.headers["X-Example"] == "tuple"


def test_make_response(client: FlaskClient) -> None:
    response = client.get("/responses/made")
    assert response.status_code == 202
    assert response.mimetype == "text/plain"
    assert response.headers["X-Example"] == "make_response"


def test_json(client: FlaskClient) -> None:
    response = client.get("/api/status")
    assert response.is_json
    assert response.get_json()["status"] == "ok"
    assert client.get("/api/topics").get_json() == ["routing", "templates", "sessions"]
