"""In debug mode, a path no route matches gets a page listing the routes, nearest first."""

from __future__ import annotations

from typing import Any

import pytest
from werkzeug.routing import Map, Rule
from werkzeug.test import Client
from werkzeug.wrappers import Request, Response

from flaskit.debugpage import DebugPageConfig, wrap
from tests.debugpage import sample_app
from tests.debugpage.support import LOCAL, Tags, assert_no_injection, client, get, text_of


def rules(page: str) -> list[str]:
    """The rules of the routes table, in the order listed."""
    rows = page.split("<table")[1].split("</table>", maxsplit=1)[0].split("<tr")[2:]
    return [text_of(row.split("<th>")[1].split("</th>")[0]) for row in rows]


def test_unmatched_path_lists_routes_nearest_first() -> None:
    response = get(client(), "/itmes")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert_no_injection(page)
    assert "<h1>No route matches /itmes</h1>" in page
    listed = rules(page)
    assert listed[0] == "/items/"
    assert set(listed) >= {"/", "/items/", "/items/<int:item_id>", "/users/<name>", "/fail"}
    assert "sample_app.py:" in page  # where each view is defined
    assert page.count('<tr class="near">') == 3


def test_nearest_follows_the_path() -> None:
    assert rules(get(client(), "/user/ada").get_data(as_text=True))[0] == "/users/<name>"


def test_abort_404_in_a_matched_route_is_the_apps_own_404() -> None:
    app = sample_app.create_app()
    response = get(client(app), "/items/0")
    assert response.status_code == 404
    assert response.get_data() == app.test_client().get("/items/0").get_data()


def test_a_json_404_passes_through() -> None:
    response = get(client(), "/json-missing")
    assert response.status_code == 404
    assert response.json == {"error": "not here"}


def test_werkzeug_map_app() -> None:
    class Shop:
        url_map = Map([Rule("/", endpoint="home"), Rule("/basket/<int:line>", endpoint="basket")])

        def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
            request = Request(environ)
            adapter = self.url_map.bind_to_environ(environ)
            try:
                endpoint, _ = adapter.match()
            except Exception as exc:  # werkzeug HTTP errors are responses
                return exc(environ, start_response)  # type: ignore[operator]
            return Response(f"{endpoint} {request.path}")(environ, start_response)

    test_client = Client(wrap(Shop(), DebugPageConfig()))
    response = test_client.get("/baskets/3", environ_base=LOCAL)
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert rules(page)[0] == "/basket/<int:line>"
    assert test_client.get("/basket/3", environ_base=LOCAL).get_data() == b"basket /basket/3"


def test_app_without_routes_table_keeps_its_404() -> None:
    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response("404 NOT FOUND", [("Content-Type", "text/html")])
        return [b"<p>mine</p>"]

    response = Client(wrap(app, DebugPageConfig())).get("/x", environ_base=LOCAL)
    assert response.get_data() == b"<p>mine</p>"


def test_page_is_readable_without_javascript() -> None:
    page = get(client(), "/nowhere").get_data(as_text=True)
    tags = Tags(page)
    assert tags.named("table")
    assert "The app has " in page


def handler_app(kind: str) -> Any:
    """A Flask app whose unmatched paths get a 404 from a handler of the kind given."""
    from flask import Blueprint, Flask
    from werkzeug.exceptions import HTTPException, NotFound

    app = Flask(f"handlers_{kind}")
    app.config["PROPAGATE_EXCEPTIONS"] = True

    @app.route("/")
    def index() -> str:
        return "home"

    own = "<html><body><h1>own page</h1></body></html>"
    if kind == "errorhandler":
        app.register_error_handler(404, lambda e: (own, 404))
    elif kind == "class":
        app.register_error_handler(NotFound, lambda e: (own, 404))
    elif kind == "blueprint":
        pages = Blueprint("pages", __name__)
        pages.app_errorhandler(404)(lambda e: (own, 404))
        app.register_blueprint(pages)
    elif kind == "http-catch-all":
        app.register_error_handler(HTTPException, lambda e: (own, e.code))
    elif kind == "exception-catch-all":
        app.register_error_handler(Exception, lambda e: (own, getattr(e, "code", 500)))
    elif kind == "large":
        app.register_error_handler(404, lambda e: (own + "x" * 100_000, 404))
    elif kind == "stock-returned":
        # A catch-all that hands back the exception: the stock page, so the list replaces it.
        app.register_error_handler(HTTPException, lambda e: e)
    return app


@pytest.mark.parametrize(
    "kind",
    ["errorhandler", "class", "blueprint", "http-catch-all", "exception-catch-all", "large"],
)
def test_a_404_page_of_the_apps_own_is_never_replaced(kind: str) -> None:
    app = handler_app(kind)
    expected = app.test_client().get("/nowhere")
    response = get(client(app), "/nowhere")
    assert response.status_code == 404
    assert response.get_data() == expected.get_data()
    assert b"own page" in response.get_data()


@pytest.mark.parametrize("kind", ["none", "stock-returned"])
def test_the_stock_404_is_replaced(kind: str) -> None:
    page = get(client(handler_app(kind)), "/nowhere").get_data(as_text=True)
    assert "No route matches /nowhere" in page


def test_a_streamed_404_of_the_apps_own_passes_chunk_by_chunk() -> None:
    def app(environ: dict[str, Any], start_response: Any) -> Any:
        start_response("404 NOT FOUND", [("Content-Type", "text/html")])
        yield b"<p>mine, "
        yield b"in two parts</p>"

    app.url_map = Map([Rule("/", endpoint="home")])  # type: ignore[attr-defined]
    response = Client(wrap(app, DebugPageConfig())).get("/x", environ_base=LOCAL)
    assert response.get_data() == b"<p>mine, in two parts</p>"


def test_a_script_that_wants_json_gets_the_apps_own_404() -> None:
    app = sample_app.create_app()
    stock = app.test_client().get("/itmes")
    for headers in ({"Accept": "application/json"}, {"Accept": "*/*", "Sec-Fetch-Dest": "empty"}):
        response = get(client(app), "/itmes", headers=headers)
        assert response.status_code == 404
        assert response.get_data() == stock.get_data()
