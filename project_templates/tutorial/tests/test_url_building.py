"""Topic: URL building with url_for (urls.py)."""

from flask.testing import FlaskClient


def test_url_for(client: FlaskClient) -> None:
    urls = client.get("/urls").get_json()
    assert urls == {
        "index": "/",
        "user": "/user/John%20Doe",
        "post": "/post/42",
        "search": "/search?q=flask&page=2",
        "static": "/static/style.css",
        "external": "http://localhost/about",
    }
