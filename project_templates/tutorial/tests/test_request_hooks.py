"""Topic: request hooks, before_request and after_request (hooks.py)."""

from flask.testing import FlaskClient


def test_every_response_gets_the_timing_header(client: FlaskClient) -> None:
    for path in ("/", "/hello", "/no-such-page"):
        assert client.get(path).headers["X-Response-Time"].endswith("ms")
