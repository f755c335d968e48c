"""API clients get the error as application/problem+json (RFC 9457), masked, with a link to
the page; the same access rule holds for the JSON and for the kept pages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import pytest
from flask import Flask, current_app, request
from werkzeug.test import Client

from flaskit.debugpage.errorstore import ErrorStore
from flaskit.debugpage.masking import MASK
from flaskit.debugpage.model import ErrorReport, ExceptionInfo
from flaskit.debugpage.negotiate import wants_json
from tests.debugpage.sample_app import secret
from tests.debugpage.support import LOCAL, REMOTE, client, get

SCHEMA = json.loads((Path(__file__).parent / "schemas" / "problem.schema.json").read_text())
HEADER_SECRET = secret("header")
BEARER_SECRET = secret("bearer")
COOKIE_SECRET = secret("cookie")
CONFIG_SECRET = secret("config-key")
QUERY_SECRET = secret("query")
FORM_SECRET = secret("form")
LOCAL_SECRET = secret("local-var")
ALL_SECRETS = (
    HEADER_SECRET,
    BEARER_SECRET,
    COOKIE_SECRET,
    CONFIG_SECRET,
    QUERY_SECRET,
    FORM_SECRET,
    LOCAL_SECRET,
)
JSON_ACCEPT = {"Accept": "application/json"}


def api_app() -> Flask:
    """An API whose error message repeats a secret from every source."""
    app = Flask(__name__)
    app.config["SECRET_KEY"] = CONFIG_SECRET

    @app.route("/api/orders/<int:order>", methods=["GET", "POST"])
    def order(order: int) -> Any:
        api_key = request.headers.get("X-Api-Key", "")
        session = request.cookies.get("session", "")
        token = request.args.get("token", "")
        password = request.form.get("password", "")
        signing = current_app.config["SECRET_KEY"]
        private_token = LOCAL_SECRET
        # An ordinary name holding them all: masked inside by their keys.
        seen = {"password": password, "token": token, "quantity": order}
        raise RuntimeError(
            f"order {order} failed: {api_key} {session} {token} {password} {signing} "
            f"{private_token} {request.headers.get('Authorization')} {seen}"
        )

    return app


def call_api(test_client: Client, **headers: str) -> Any:
    response = test_client.post(
        f"/api/orders/7?token={QUERY_SECRET}&page=2",
        data={"password": FORM_SECRET, "item": "teapot"},
        headers={
            "X-Api-Key": HEADER_SECRET,
            "Authorization": f"Bearer {BEARER_SECRET}",
            "Cookie": f"session={COOKIE_SECRET}; theme=dark",
            **JSON_ACCEPT,
            **headers,
        },
        environ_base=LOCAL,
    )
    response.get_data()
    return response


@pytest.fixture
def api() -> Client:
    return client(api_app(), app_spec="api:app")


def test_a_json_client_gets_problem_json(api: Client) -> None:
    response = call_api(api)
    assert response.status_code == 500
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    problem = response.get_json(force=True)
    jsonschema.validate(problem, SCHEMA, format_checker=jsonschema.FormatChecker())
    assert problem["status"] == 500
    assert problem["title"] == "Unhandled exception in the app"
    assert problem["type"].startswith("https://")
    assert problem["exception"] == "RuntimeError"
    assert problem["detail"].startswith("RuntimeError: order 7 failed: ")
    assert problem["instance"] == "/__flaskit/errors/" + response.headers["X-Flaskit-Error"]
    frame = problem["exceptions"][-1]["frames"][-1]
    assert frame["function"].endswith("order")
    assert frame["code"].startswith("raise RuntimeError(")
    assert frame["file"].endswith("test_problem.py")
    assert frame["locals"]["order"] == "7"
    assert problem["request"]["method"] == "POST"
    assert problem["request"]["form"]["item"] == "teapot"
    assert problem["app"] == "api:app"


def test_every_secret_source_is_masked_in_the_json(api: Client) -> None:
    response = call_api(api)
    text = response.get_data(as_text=True)
    for value in ALL_SECRETS:
        assert value not in text
    problem = json.loads(text)
    frame = problem["exceptions"][-1]["frames"][-1]
    for name in ("api_key", "session", "token", "password", "private_token"):
        assert frame["locals"][name] == MASK, name  # by name
    assert frame["locals"]["signing"] == f"'{MASK}'"  # by value: it is the config's SECRET_KEY
    assert frame["locals"]["seen"] == f"{{'password': {MASK}, 'token': {MASK}, 'quantity': 7}}"
    assert problem["detail"].count(MASK) >= 7
    headers = problem["request"]["headers"]
    assert headers["X-Api-Key"] == MASK
    assert headers["Authorization"] == MASK
    assert headers["Cookie"] == MASK
    assert problem["request"]["args"] == {"token": MASK, "page": "2"}
    assert problem["request"]["form"]["password"] == MASK
    assert sorted(problem["request"]["cookies"]) == ["session", "theme"]  # names only
    assert f"token={MASK}" in problem["request"]["url"].replace("%2A", "*")


@pytest.mark.parametrize(
    ("headers", "json_wanted"),
    [
        ({"Accept": "application/json"}, True),
        ({"Accept": "application/problem+json"}, True),
        ({"Accept": "application/vnd.api+json"}, True),
        ({"Accept": "application/json, text/plain, */*"}, True),  # axios
        ({"Accept": "application/json, text/html;q=0.9"}, True),
        ({"Accept": "text/html;q=0.5, application/json"}, True),
        ({"Accept": "application/json;q=0.5, text/html"}, False),
        ({"Accept": "text/html, application/json"}, False),  # as high, HTML named first
        ({"Accept": "*/*", "Sec-Fetch-Dest": "empty"}, True),  # fetch()
        ({"Accept": "*/*", "X-Requested-With": "XMLHttpRequest"}, True),  # jQuery
        ({"HX-Request": "true"}, True),  # htmx
        ({"Accept": "text/html", "HX-Request": "true"}, False),  # htmx asking for HTML
        (
            {
                "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                "Sec-Fetch-Dest": "document",
            },
            False,
        ),  # a browser loading the page
        ({"Accept": "*/*"}, False),  # curl
        ({}, False),
    ],
)
def test_which_clients_get_json(headers: dict[str, str], json_wanted: bool) -> None:
    environ = {"HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()}
    assert wants_json(environ) is json_wanted
    response = get(client(), "/fail", headers=headers)
    assert response.status_code == 500
    expected = "application/problem+json" if json_wanted else "text/html"
    assert response.mimetype == expected


def test_the_link_opens_the_page_of_that_error_as_html_and_json(api: Client) -> None:
    problem = call_api(api).get_json(force=True)
    page_url = urlsplit(problem["page"])
    assert (page_url.scheme, page_url.netloc) == ("http", "localhost")
    page = get(api, page_url.path)
    assert page.status_code == 200
    assert page.mimetype == "text/html"
    assert "Content-Security-Policy" in page.headers
    html = page.get_data(as_text=True)
    assert "<h1>RuntimeError</h1>" in html
    assert "order 7 failed" in html
    for value in ALL_SECRETS:
        assert value not in html
    again = get(api, page_url.path, headers=JSON_ACCEPT)
    assert again.mimetype == "application/problem+json"
    assert again.get_json(force=True)["detail"] == problem["detail"]


def test_html_pages_name_their_error_too() -> None:
    test_client = client()
    response = get(test_client, "/fail")
    error_id = response.headers["X-Flaskit-Error"]
    kept = get(test_client, f"/__flaskit/errors/{error_id}")
    assert kept.status_code == 200
    assert "<h1>ZeroDivisionError</h1>" in kept.get_data(as_text=True)


def test_a_mounted_app_links_below_its_mount_point(api: Client) -> None:
    response = api.post(
        "/api/orders/3", base_url="http://localhost/shop", headers=JSON_ACCEPT, environ_base=LOCAL
    )
    problem = response.get_json(force=True)
    assert problem["instance"].startswith("/shop/__flaskit/errors/")
    assert urlsplit(problem["page"]).path == problem["instance"]


def test_only_the_newest_errors_are_kept() -> None:
    test_client = client()
    first = get(test_client, "/fail").headers["X-Flaskit-Error"]
    for _ in range(ErrorStore().max_errors):
        get(test_client, "/fail")
    gone = get(test_client, f"/__flaskit/errors/{first}")
    assert gone.status_code == 404
    assert gone.mimetype == "text/plain"
    assert "keeps the page of the last 20 errors for 15 minutes" in gone.get_data(as_text=True)
    assert get(test_client, "/__flaskit/errors/not-an-error").status_code == 404


def test_errors_are_kept_for_a_while_only() -> None:
    now = [1000.0]
    store = ErrorStore(max_errors=5, max_age=60, clock=lambda: now[0])
    report = ErrorReport((ExceptionInfo("E", "m", ()),), "request", "", ())
    old = store.add(report)
    now[0] += 30
    young = store.add(report)
    assert store.get(old) is not None
    now[0] += 31
    assert store.get(old) is None
    assert store.get(young) is not None


@pytest.mark.parametrize(
    ("environ", "headers"),
    [
        (REMOTE, {}),
        (LOCAL, {"Host": "evil.example"}),
        (LOCAL, {"Origin": "http://evil.example"}),
        (LOCAL, {"X-Forwarded-For": "203.0.113.9"}),
    ],
    ids=["remote client", "rebound host", "foreign origin", "forwarded remote"],
)
def test_refused_clients_get_neither_json_nor_the_kept_pages(
    api: Client,
    environ: dict[str, str],
    headers: dict[str, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    error_id = call_api(api).headers["X-Flaskit-Error"]
    sent = {**JSON_ACCEPT, **headers}
    refused = api.post("/api/orders/7", headers=sent, environ_base=environ)
    assert refused.status_code == 500
    assert refused.mimetype == "text/plain"
    assert refused.get_data() == b"Internal Server Error\n"
    assert "X-Flaskit-Error" not in refused.headers
    kept = api.get(f"/__flaskit/errors/{error_id}", headers=sent, environ_base=environ)
    assert kept.status_code == 404  # the app's own 404: as if flaskit were not there
    assert b"RuntimeError" not in kept.get_data()
    assert "X-Flaskit-Error" not in kept.headers
    assert "no error page" in capsys.readouterr().err  # explained in the terminal


def test_an_app_that_failed_to_load_answers_json_clients_with_json(tmp_path: Path) -> None:
    from flaskit.debugpage import DebugPageConfig, import_error_app

    try:
        import flaskit_not_a_module  # type: ignore[import-not-found]  # noqa: F401
    except ModuleNotFoundError as exc:
        app = import_error_app(exc, DebugPageConfig(app_spec="shop:app", root=tmp_path))
    test_client = Client(app)
    response = test_client.get("/api/anything", headers=JSON_ACCEPT, environ_base=LOCAL)
    assert response.status_code == 500
    assert response.mimetype == "application/problem+json"
    problem = response.get_json(force=True)
    jsonschema.validate(problem, SCHEMA)
    assert problem["type"].endswith("#import-error")
    assert problem["title"] == "The app failed to load"
    assert problem["hints"][0]["title"] == "The module flaskit_not_a_module is not installed"
    kept = test_client.get(problem["instance"], environ_base=LOCAL)
    assert kept.status_code == 200
    assert "The app failed to load · shop:app" in kept.get_data(as_text=True)
