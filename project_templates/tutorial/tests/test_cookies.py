"""Topic: cookies (cookies.py)."""

from flask.testing import FlaskClient


def test_default_without_the_cookie(client: FlaskClient) -> None:
    assert client.get("/theme").text == "Theme: light"


def test_set_then_read(client: FlaskClient) -> None:
    response = client.get("/theme/dark")
    assert "theme=dark" in response.headers["Set-Cookie"]
    assert client.get("/theme").text == "Theme: dark"  # the client sends it back


def test_unknown_theme_is_404(client: FlaskClient) -> None:
    assert client.get("/theme/purple").status_code == 404
