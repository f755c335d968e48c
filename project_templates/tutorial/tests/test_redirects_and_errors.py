"""Topic: redirects and errors (errors.py, templates/error.html)."""

from flask.testing import FlaskClient


def test_redirect(client: FlaskClient) -> None:
    response = client.get("/old-page")
    assert response.status_code == 301
    assert response.headers["Location"] == "/about"
    assert client.get("/old-page", follow_redirects=True).text == "The about page"


def test_abort_uses_the_error_page(client: FlaskClient) -> None:
    response = client.get("/admin")
    assert response.status_code == 403
    assert "<h1>403 Forbidden</h1>" in response.text


def test_not_found_page(client: FlaskClient) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "<h1>404 Not Found</h1>" in response.text
    assert "Back to the topics" in response.text
