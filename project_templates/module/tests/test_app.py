"""The pages of app.py."""

from flask.testing import FlaskClient


def test_home_page(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert b"<h1>It works</h1>" in response.data
    assert b'href="/static/style.css"' in response.data


def test_hello_escapes_the_name(client: FlaskClient) -> None:
    response = client.get("/hello/<em>Ada")
    assert response.status_code == 200
    assert b"Hello, &lt;em&gt;Ada!" in response.data


def test_static_files_are_served(client: FlaskClient) -> None:
    response = client.get("/static/style.css")
    assert response.status_code == 200
    assert response.mimetype == "text/css"
    response.close()


def test_unknown_page_is_404(client: FlaskClient) -> None:
    assert client.get("/no-such-page").status_code == 404
