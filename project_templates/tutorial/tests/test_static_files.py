"""Topic: static files (static/, url_for('static', ...))."""

from flask.testing import FlaskClient


def test_stylesheet_is_served_and_linked(client: FlaskClient) -> None:
    response = client.get("/static/style.css")
    assert response.status_code == 200
    assert response.mimetype == "text/css"
    response.close()
    assert b'href="/static/style.css"' in client.get("/").data
