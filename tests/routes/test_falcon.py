"""`flaskit routes` on a Falcon app, checked against Falcon's router, its own
inspection module and real requests through ``falcon.testing``."""

from __future__ import annotations

import json

import pytest

from flaskit.routes.check import check_routes
from tests.helpers import APPS, run_flaskit
from tests.routes.support import Outcome, imports_undone, load_sample

HERE = APPS / "routes_falcon"
UUID = "3f0c1b7e-6d1a-4c1e-9a7f-2b3c4d5e6f70"

# (methods with --all-methods, rule, endpoint, view) in the order the compiled router
# tries them: static segments before fields, then sinks and static routes.
EXPECTED = [
    (["GET", "OPTIONS"], "/health", "HealthResource", "api.HealthResource"),
    (["GET", "OPTIONS", "POST"], "/items", "ItemsResource", "api.ItemsResource"),
    (["GET", "OPTIONS"], "/items/new", "NewItemResource", "api.NewItemResource"),
    (
        ["DELETE", "GET", "OPTIONS", "PUT"],
        "/items/{item_id:int}",
        "ItemResource",
        "api.ItemResource",
    ),
    (["GET", "OPTIONS"], "/items/{item_id:int}/tags", "ItemResource (tags)", "api.ItemResource"),
    (["GET", "OPTIONS", "PATCH"], "/users/{username}", "UserResource", "api.UserResource"),
    (
        ["GET", "OPTIONS"],
        "/users/{username}/avatar.{ext}",
        "AvatarResource",
        "api.AvatarResource",
    ),
    (
        ["GET", "OPTIONS"],
        "/reports/{year:int(4)}/{month:int(2, min=1, max=12)}",
        "ReportResource",
        "api.ReportResource",
    ),
    (["GET", "OPTIONS"], "/orders/{order_id:uuid}", "OrderResource", "api.OrderResource"),
    (None, "/legacy/", "legacy", "api.legacy"),
    (None, "/static/", "static", "falcon static files"),
]

REQUESTS = [
    ("GET", "/health"),
    ("POST", "/health"),
    ("HEAD", "/health"),
    ("OPTIONS", "/health"),
    ("GET", "/items"),
    ("POST", "/items"),
    ("DELETE", "/items"),
    ("GET", "/items/5"),
    ("PUT", "/items/5"),
    ("DELETE", "/items/5"),
    ("PATCH", "/items/5"),
    ("GET", "/items/abc"),
    ("GET", "/items/5/tags"),
    ("POST", "/items/5/tags"),
    ("GET", "/items/new"),
    ("GET", "/users/bob"),
    ("PATCH", "/users/bob"),
    ("GET", "/users/bob/avatar.png"),
    ("GET", "/reports/2024/05"),
    ("GET", "/reports/2024/13"),
    ("GET", "/reports/24/05"),
    ("GET", f"/orders/{UUID}"),
    ("OPTIONS", f"/orders/{UUID}"),
    ("GET", "/orders/not-a-uuid"),
    ("GET", "/items/5/"),
    ("GET", "/nothing"),
]


@pytest.fixture(scope="module")
def api():
    with imports_undone():
        yield load_sample("api", HERE)


def falcon_outcome(app, method, path):
    """Falcon's answer: the status of a real request, and for a handled one the
    template, resource and converted fields from ``_router.find``."""
    from falcon import testing

    status = testing.TestClient(app).simulate_request(method, path).status_code
    if status in {404, 405}:
        return Outcome(None, None, None, status)
    resource, _, params, template = app._router.find(path)
    view = f"{type(resource).__module__}.{type(resource).__qualname__}"
    return Outcome(template, view, params, 200)


def test_json_lists_the_router_sinks_and_static_routes():
    result = run_flaskit(["routes", "--json", "--all-methods", "--app", "api"], cwd=HERE)
    assert result.returncode == 0, result.stderr
    listed = json.loads(result.stdout)
    assert [(r["methods"], r["rule"], r["endpoint"], r["view"]) for r in listed] == EXPECTED
    # Without --all-methods only the responders the resources define are shown.
    plain = run_flaskit(["routes", "--json", "--app", "api"], cwd=HERE)
    by_rule = {r["rule"]: r["methods"] for r in json.loads(plain.stdout)}
    assert by_rule["/items/{item_id:int}"] == ["DELETE", "GET", "PUT"]
    assert by_rule["/health"] == ["GET"]


def test_rows_agree_with_falcon_inspect(api):
    from falcon import inspect

    info = inspect.inspect_app(api.app)
    from_falcon = {
        (route.path, route.class_name, frozenset(m.method for m in route.methods if not m.internal))
        for route in info.routes
    }
    ours = {
        (route.rule, route.view.rsplit(".", 1)[1], frozenset(route.methods) - {"OPTIONS"})
        for route in api.adapter.routes(api.app)
        if route.methods is not None
    }
    # OrderResource defines on_options itself.
    ours = {
        (rule, name, methods | ({"OPTIONS"} if name == "OrderResource" else set()))
        for rule, name, methods in ours
    }
    assert ours == from_falcon
    assert [s.prefix for s in info.sinks] == ["/legacy/"]
    assert [s.prefix for s in info.static_routes] == ["/static/"]


def test_views_point_at_the_resource_class(api):
    import linecache

    for route in api.adapter.routes(api.app)[:9]:
        name = route.view.rsplit(".", 1)[1]
        assert linecache.getline(route.file, route.line).startswith(f"class {name}:")


def test_match_agrees_with_falcon_dispatch(api):
    assert len(REQUESTS) >= 20
    statuses = set()
    for method, path in REQUESTS:
        ours = Outcome.from_flaskit(api.match(method, path))
        assert ours == falcon_outcome(api.app, method, path), (method, path)
        statuses.add(ours.status)
    assert statuses == {200, 404, 405}


def test_match_details_sinks_and_static_routes(api):
    report = api.match("GET", "/reports/2024/05")
    assert report.args == {"year": 2024, "month": 5}
    assert str(api.match("GET", f"/orders/{UUID}").args["order_id"]) == UUID
    assert api.match("GET", "/items/new").route.endpoint == "NewItemResource"
    assert api.match("GET", "/items/5/tags").route.endpoint == "ItemResource (tags)"
    assert api.match("DELETE", "/legacy/anything/at/all").route.endpoint == "legacy"
    assert api.match("POST", "/static/style.css").route.view == "falcon static files"
    from falcon import testing

    client = testing.TestClient(api.app)
    assert client.simulate_delete("/legacy/anything/at/all").text == "legacy"
    assert client.simulate_post("/static/style.css").status_code == 200
    missing = api.match("PATCH", "/items/5")
    assert (missing.reason, missing.allowed) == (
        "method-not-allowed",
        ("DELETE", "GET", "OPTIONS", "PUT"),
    )


def test_match_command():
    hit = run_flaskit(
        ["routes", "--app", "api", "--match", "/users/bob/avatar.png", "--json"], cwd=HERE
    )
    assert hit.returncode == 0, hit.stderr
    data = json.loads(hit.stdout)
    assert data["args"] == {"username": "bob", "ext": "png"}
    assert data["endpoint"] == "AvatarResource"
    assert set(data) == {"rule", "endpoint", "view", "file", "line", "methods", "args"}
    wrong = run_flaskit(["routes", "--app", "api", "--match", "/health", "-m", "post"], cwd=HERE)
    assert wrong.returncode == 1
    assert "does not accept POST (it accepts GET)" in wrong.stdout


def test_check_finds_a_resource_without_responders():
    with imports_undone():
        faulty = load_sample("faulty", HERE)
        report = check_routes(faulty.adapter, faulty.table_app)
    assert [(p.kind, p.routes[0].rule) for p in report.problems] == [("no-view", "/todo")]
    result = run_flaskit(["routes", "--app", "api", "--check"], cwd=HERE)
    assert (result.returncode, result.stdout) == (0, "No problems in 11 routes.\n")
