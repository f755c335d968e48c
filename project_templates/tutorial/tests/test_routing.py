"""Topic: routing (basics.py)."""

from flask.testing import FlaskClient


def test_routes(client: FlaskClient) -> None:
    assert client.get("/hello").text == "Hello, World"
    assert client.get("/about").text == "The about page"


def test_trailing_slash_redirects_like_a_folder(client: FlaskClient) -> None:
    response = client.get("/projects")
    assert response.status_code == 308
    assert response.headers["Location"].endswith("/projects/")
    assert client.get("/projects/").text == "The project page"


def test_no_trailing_slash_means_one_url(client: FlaskClient) -> None:
    assert client.get("/about/").status_code == 404
