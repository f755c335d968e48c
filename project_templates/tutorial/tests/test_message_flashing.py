"""Topic: message flashing (flashing.py, base.html)."""

from flask.testing import FlaskClient


def test_message_shown_on_the_next_page_only(client: FlaskClient) -> None:
    response = client.post("/feedback", data={"text": "Great"}, follow_redirects=True)
    assert '<p class="flash success">Thanks for your feedback!</p>' in response.text
    assert "Thanks for your feedback!" not in client.get("/feedback").text


def test_error_category(client: FlaskClient) -> None:
    response = client.post("/feedback", data={"text": " "}, follow_redirects=True)
    assert '<p class="flash error">Write something first.</p>' in response.text
