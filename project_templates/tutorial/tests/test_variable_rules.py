"""Topic: variable rules and converters (converters.py)."""

from flask.testing import FlaskClient


def test_string_is_escaped(client: FlaskClient) -> None:
    assert client.get("/user/<b>ada").text == "User &lt;b&gt;ada"


def test_int(client: FlaskClient) -> None:
    assert client.get("/post/42").text == "Post 42"
    assert client.get("/post/abc").status_code == 404


def test_float(client: FlaskClient) -> None:
    assert client.get("/price/9.5").text == "Price 9.50"
    assert client.get("/price/9").status_code == 404


def test_path_accepts_slashes(client: FlaskClient) -> None:
    assert client.get("/path/a/b/c.txt").text == "Subpath a/b/c.txt"


def test_uuid(client: FlaskClient) -> None:
    response = client.get("/item/12345678-1234-5678-1234-567812345678")
    assert response.text == "Item 12345678123456781234567812345678"
    assert client.get("/item/not-a-uuid").status_code == 404
