"""Topic: rendering templates, inheritance and autoescaping (pages.py, templates/)."""

from flask.testing import FlaskClient


def test_page_extends_the_base_layout(client: FlaskClient) -> None:
    page = client.get("/greet/Ada").text
    assert "<h1>Hello Ada!</h1>" in page
    assert "<title>Hello - " in page  # the title block of base.html
    assert "<nav>" in page  # from base.html


def test_default_argument(client: FlaskClient) -> None:
    assert "<h1>Hello, World!</h1>" in client.get("/greet/").text


def test_autoescaping(client: FlaskClient) -> None:
    page = client.get("/greet/<script>alert(1)").text
    assert "<script>" not in page
    assert "<h1>Hello &lt;script&gt;alert(1)!</h1>" in page
