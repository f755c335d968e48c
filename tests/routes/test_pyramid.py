"""`flaskit routes` on a Pyramid app, checked against Pyramid's routes mapper,
its introspector and real requests through the router."""

from __future__ import annotations

import json

import pytest

from flaskit.routes.check import check_routes
from tests.helpers import APPS, run_flaskit
from tests.routes.support import imports_undone, load_sample

# Pyramid's own imports warn: WebOb 1.8 imports cgi (deprecated since Python 3.11),
# pyramid.asset imports pkg_resources (deprecated by setuptools 81), which then warns
# about PasteDeploy's namespace package.
pytestmark = [
    pytest.mark.filterwarnings("ignore:'cgi' is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:pkg_resources is deprecated:UserWarning"),
    pytest.mark.filterwarnings(
        "ignore:Deprecated call to `pkg_resources.declare_namespace:DeprecationWarning"
    ),
]

HERE = APPS / "routes_pyramid"

# (methods with --all-methods, rule, endpoint, view): one row per view, routes in
# the order they were added (the order the routes mapper tries them).
EXPECTED = [
    (None, "/", "home", "webapp.home"),
    (["GET", "HEAD"], "/items", "items", "webapp.list_items"),
    (["POST"], "/items", "items", "webapp.create_item"),
    (["GET", "HEAD"], "/items/new", "item_new", "webapp.new_item"),
    (["GET", "HEAD"], "/items/{item_id}", "item", "webapp.ItemViews.show"),
    (["DELETE"], "/items/{item_id}", "item", "webapp.ItemViews.delete"),
    (None, r"/archive/{year:\d{4}}/{month:\d{2}}", "archive", "webapp.archive"),
    (None, "/files/*subpath", "files", "webapp.files"),
    (["POST"], "/search", "search", "webapp.search"),
    (None, "/users/{name}", "user", "webapp.user"),
    (None, "/dashboard", "dashboard", "webapp.dashboard"),
    (None, "/static/*subpath", "__static/", "pyramid static files"),
]

REQUESTS = [
    ("GET", "/"),
    ("POST", "/"),
    ("GET", "/items"),
    ("POST", "/items"),
    ("HEAD", "/items"),
    ("PUT", "/items"),
    ("GET", "/items/new"),
    ("POST", "/items/new"),
    ("GET", "/items/5"),
    ("DELETE", "/items/5"),
    ("PATCH", "/items/5"),
    ("GET", "/items/5/extra"),
    ("GET", "/archive/2024/05"),
    ("GET", "/archive/24/05"),
    ("GET", "/files/a/b/c"),
    ("GET", "/files"),
    ("POST", "/search"),
    ("GET", "/search"),
    ("GET", "/users/bob"),
    ("GET", "/dashboard"),
    ("GET", "/static/site.css"),
    ("GET", "/nothing"),
]


@pytest.fixture(scope="module")
def site():
    with imports_undone():
        yield load_sample("webapp", HERE)


def pyramid_outcome(app, method, path):
    """Pyramid's answer for a real request: the route it matched, the matchdict,
    the body of the view that ran, and whether a miss was a predicate mismatch."""
    from pyramid.exceptions import PredicateMismatch
    from pyramid.request import Request

    request = Request.blank(path, method=method)
    request.registry = app.registry  # what Router.__call__ does before invoke_request
    response = app.invoke_request(request)
    route = getattr(request, "matched_route", None)
    handled = response.status_code < 400
    return {
        "status": 200 if handled else response.status_code,
        "route": route.name if route is not None and handled else None,
        "args": dict(request.matchdict) if handled and request.matchdict else {},
        "body": response.text if handled else None,
        "predicate": isinstance(getattr(request, "exception", None), PredicateMismatch),
    }


def flaskit_outcome(outcome):
    from flaskit.routes.model import Match

    if isinstance(outcome, Match):
        args = {k: tuple(v) if isinstance(v, list) else v for k, v in outcome.args.items()}
        return {"status": 200, "route": outcome.route.endpoint, "args": args}
    return {"status": 404, "route": None, "args": {}}  # Pyramid answers 404 either way


def test_json_lists_one_row_per_view():
    result = run_flaskit(["routes", "--json", "--all-methods", "--app", "webapp"], cwd=HERE)
    assert result.returncode == 0, result.stderr
    listed = json.loads(result.stdout)
    assert [(r["methods"], r["rule"], r["endpoint"], r["view"]) for r in listed] == EXPECTED
    assert listed[-1]["file"] == "static/"


def test_rows_cover_the_routes_mapper_and_introspector(site):
    from pyramid.interfaces import IRoutesMapper

    mapper = site.app.registry.queryUtility(IRoutesMapper)
    routes = site.adapter.routes(site.app)
    assert [r.name for r in mapper.get_routes()] == list(dict.fromkeys(r.endpoint for r in routes))
    introspector = site.app.registry.introspector
    views = [
        view
        for route in mapper.get_routes()
        for view in introspector.related(introspector.get("routes", route.name))
        if view.category_name == "views"
    ]
    assert len(views) == len(routes)


def test_match_agrees_with_pyramid_dispatch(site):
    assert len(REQUESTS) >= 20
    for method, path in REQUESTS:
        outcome = site.match(method, path)
        expected = pyramid_outcome(site.app, method, path)
        assert flaskit_outcome(outcome) == {k: expected[k] for k in ("status", "route", "args")}, (
            method,
            path,
        )
        if expected["predicate"]:  # the route matched, but no view takes the method
            assert outcome.reason == "method-not-allowed", (method, path)


def test_the_view_that_runs_is_the_row_matched(site):
    bodies = {
        ("GET", "/items"): ("webapp.list_items", "items"),
        ("POST", "/items"): ("webapp.create_item", "created"),
        ("GET", "/items/5"): ("webapp.ItemViews.show", "item 5"),
        ("DELETE", "/items/5"): ("webapp.ItemViews.delete", ""),
    }
    for (method, path), (view, body) in bodies.items():
        assert site.match(method, path).route.view == view
        assert pyramid_outcome(site.app, method, path)["body"] == body


def test_match_details(site):
    assert site.match("GET", "/files/a/b/c").args == {"subpath": ["a", "b", "c"]}
    assert site.match("GET", "/archive/2024/05").args == {"year": "2024", "month": "05"}
    search = site.match("GET", "/search")
    assert (search.reason, search.allowed) == ("method-not-allowed", ("POST",))
    assert site.match("GET", "/static/site.css").route.view == "pyramid static files"


def test_match_command_on_a_miss_lists_the_rules_for_the_path():
    result = run_flaskit(
        ["routes", "--app", "webapp", "--match", "/items/5", "-m", "PUT"], cwd=HERE
    )
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "No route handles PUT /items/5: /items/{item_id} matches the path but does not "
        "accept PUT (it accepts DELETE, GET)."
    )
    assert lines[1] == "Rules for this path:"
    assert len(lines) == 4


def test_check_finds_shadowed_unbound_and_doubly_named():
    with imports_undone():
        faulty = load_sample("faulty", HERE)
        report = check_routes(faulty.adapter, faulty.table_app)
    found = [(p.kind, [r.endpoint for r in p.routes]) for p in report.problems]
    assert found == [
        ("no-view", ["todo"]),
        ("shadowed", ["page_new", "page"]),
        ("view-under-several-endpoints", ["home", "index"]),
    ]
    clean = run_flaskit(["routes", "--app", "webapp", "--check"], cwd=HERE)
    assert (clean.returncode, clean.stdout) == (0, "No problems in 12 routes.\n")
