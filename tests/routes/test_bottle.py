"""`flaskit routes` on a Bottle app, checked against Bottle's own router."""

from __future__ import annotations

import json
import linecache

import pytest

from flaskit.routes.check import check_routes
from flaskit.routes.match import resolve
from flaskit.routes.model import MatchRequest
from tests.helpers import APPS, run_flaskit
from tests.routes.support import Outcome, imports_undone, load_sample, status_of

HERE = APPS / "routes_bottle"

# (methods with --all-methods, rule, endpoint, view), in dispatch order: Bottle tries
# static rules first, then dynamic ones in the order they were added.
EXPECTED = [
    (["GET", "HEAD"], "/", "index", "shop.index"),
    (["GET", "HEAD", "POST"], "/items", "items", "shop.items"),
    (["GET", "HEAD"], "/items/new", "new_item", "shop.new_item"),
    (None, "/echo", "echo", "shop.echo"),
    (["POST"], "/login", "login", "shop.login"),
    (["GET", "HEAD"], "/admin/", "admin_index", "shop.admin_index"),
    (["GET", "HEAD"], "/items/<item_id:int>", "item", "shop.item"),
    (["DELETE"], "/items/<item_id:int>", "delete_item", "shop.delete_item"),
    (["GET", "HEAD"], "/prices/<amount:float>", "price", "shop.price"),
    (["GET", "HEAD"], "/files/<filepath:path>", "files", "shop.files"),
    (["GET", "HEAD"], "/tags/<tag:re:[a-z]+>", "tag", "shop.tag"),
    (["GET", "HEAD"], "/hi/<name>", "hello", "shop.hello"),
    (["GET", "HEAD"], "/hello/<name>", "hello", "shop.hello"),
    (["GET", "HEAD", "PUT"], "/admin/users/<user_id:int>", "admin_user", "shop.admin_user"),
]

# One URL per row above that the row's rule matches, with a method it serves.
EXAMPLES = [
    ("GET", "/"),
    ("POST", "/items"),
    ("GET", "/items/new"),
    ("PATCH", "/echo"),
    ("POST", "/login"),
    ("GET", "/admin/"),
    ("GET", "/items/12"),
    ("DELETE", "/items/12"),
    ("GET", "/prices/2.5"),
    ("GET", "/files/a/b.txt"),
    ("GET", "/tags/python"),
    ("GET", "/hi/ann"),
    ("GET", "/hello/bob"),
    ("PUT", "/admin/users/7"),
]

# Hits, misses, wrong methods and a bad argument.
REQUESTS = [
    ("GET", "/"),
    ("GET", "/items"),
    ("POST", "/items"),
    ("HEAD", "/items"),
    ("PUT", "/items"),
    ("GET", "/items/5"),
    ("GET", "/items/-3"),
    ("DELETE", "/items/5"),
    ("PATCH", "/items/5"),
    ("GET", "/items/new"),
    ("GET", "/items/abc"),
    ("GET", "/prices/9.99"),
    ("GET", "/prices/1.2.3"),
    ("GET", "/files/a/b/c.txt"),
    ("GET", "/tags/python"),
    ("GET", "/tags/Python"),
    ("GET", "/hello/bob"),
    ("GET", "/hi/ann"),
    ("PATCH", "/echo"),
    ("DELETE", "/echo"),
    ("POST", "/login"),
    ("GET", "/login"),
    ("GET", "/admin/"),
    ("PUT", "/admin/users/7"),
    ("POST", "/admin/users/7"),
    ("GET", "/admin"),
    ("GET", "/nothing"),
]


@pytest.fixture(scope="module")
def shop():
    with imports_undone():
        yield load_sample("shop", HERE)


def bottle_outcome(app, method, path):
    """Bottle's own answer: ``router.match`` (what ``Bottle._handle`` calls)."""
    import bottle

    try:
        route, args = app.router.match({"REQUEST_METHOD": method, "PATH_INFO": path})
    except bottle.HTTPError as exc:
        return Outcome(None, None, None, exc.status_code)
    callback = route.callback
    return Outcome(route.rule, f"{callback.__module__}.{callback.__qualname__}", args, 200)


def test_json_lists_one_row_per_rule_and_callback():
    result = run_flaskit(["routes", "--json", "--all-methods", "--app", "shop"], cwd=HERE)
    assert result.returncode == 0, result.stderr
    listed = json.loads(result.stdout)
    assert [(r["methods"], r["rule"], r["endpoint"], r["view"]) for r in listed] == EXPECTED
    assert all(r["file"] == "shop.py" for r in listed)


def test_rows_cover_bottle_route_objects_exactly(shop):
    """Merging loses nothing: every (rule, method) Bottle holds is in one row, and
    every row's methods are Bottle's (plus HEAD, which Bottle serves for GET)."""
    from_bottle = {(r.rule, r.method) for r in shop.app.routes}
    from_rows = set()
    for route in shop.adapter.routes(shop.app):
        methods = ["ANY"] if route.methods is None else route.methods
        from_rows |= {(route.rule, m) for m in methods if m != "HEAD"}
    assert from_rows == from_bottle
    assert len(shop.adapter.routes(shop.app)) == 14 < len(shop.app.routes)


def test_each_row_is_what_bottle_resolves_for_its_example(shop):
    routes = shop.adapter.routes(shop.app)
    for route, (method, path) in zip(routes, EXAMPLES, strict=True):
        outcome = bottle_outcome(shop.app, method, path)
        assert (outcome.rule, outcome.view) == (route.rule, route.view), (method, path)


def test_views_point_at_their_def_lines(shop):
    for route in shop.adapter.routes(shop.app):
        name = route.view.rsplit(".", 1)[1]
        block = "".join(linecache.getline(route.file, route.line + i) for i in range(3))
        assert f"def {name}(" in block, (route.rule, block)


def test_match_agrees_with_bottle_router_and_wsgi_status(shop):
    assert len(REQUESTS) >= 20
    statuses = set()
    for method, path in REQUESTS:
        ours = Outcome.from_flaskit(shop.match(method, path))
        assert ours == bottle_outcome(shop.app, method, path), (method, path)
        assert ours.status == status_of(shop.app, method, path), (method, path)
        statuses.add(ours.status)
    assert statuses == {200, 400, 404, 405}


def test_match_details(shop):
    item = shop.match("GET", "/items/5")
    assert item.route.endpoint == "item"
    assert item.args == {"item_id": 5}
    assert isinstance(item.args["item_id"], int)
    assert shop.match("GET", "/prices/9.99").args == {"amount": 9.99}
    assert shop.match("GET", "/items/new").route.endpoint == "new_item"  # static first
    assert shop.match("HEAD", "/items").route.endpoint == "items"  # HEAD served by GET
    wrong = resolve(shop.adapter, shop.table_app, MatchRequest("/items/5", "PATCH"))
    assert wrong.outcome.reason == "method-not-allowed"
    assert wrong.outcome.allowed == ("DELETE", "GET")
    assert {r.endpoint for r in wrong.closest} == {"item", "delete_item"}
    bad = shop.match("GET", "/prices/1.2.3")
    assert bad.reason == "bad-argument"


def test_match_command(tmp_path):
    hit = run_flaskit(["routes", "--app", "shop", "--match", "/items/5", "--json"], cwd=HERE)
    assert hit.returncode == 0, hit.stderr
    data = json.loads(hit.stdout)
    assert data == {
        "rule": "/items/<item_id:int>",
        "endpoint": "item",
        "view": "shop.item",
        "file": "shop.py",
        "line": data["line"],
        "methods": ["GET"],
        "args": {"item_id": 5},
    }
    miss = run_flaskit(["routes", "--app", "shop", "--match", "/itemz/5"], cwd=HERE)
    assert miss.returncode == 1
    assert "No route handles GET /itemz/5: no rule matches this path." in miss.stdout
    assert miss.stdout.splitlines()[1] == "Closest rules:"
    assert "/items/<item_id:int>" in miss.stdout.splitlines()[2]


def test_check_finds_shadowed_replaced_and_doubly_named():
    with imports_undone():
        faulty = load_sample("faulty", HERE)
        report = check_routes(faulty.adapter, faulty.table_app)
    found = {
        (p.kind, p.routes[0].endpoint, tuple(r.endpoint for r in p.routes[1:]))
        for p in report.problems
    }
    assert found == {
        ("shadowed", "user_by_id", ("user_by_name",)),
        ("shadowed", "old_report", ("report",)),
        ("view-under-several-endpoints", "page_a", ("page_b",)),
    }


def test_check_command_on_a_clean_and_a_faulty_app():
    clean = run_flaskit(["routes", "--app", "shop", "--check"], cwd=HERE)
    assert clean.returncode == 0, clean.stderr
    assert clean.stdout == "No problems in 14 routes.\n"
    faulty = run_flaskit(["routes", "--app", "faulty", "--check"], cwd=HERE)
    assert faulty.returncode == 1
    assert faulty.stdout.startswith("3 problems in 7 routes:")
    assert "registered later for the same rule and method and replaced it" in faulty.stdout
    assert "faulty.py:14" in faulty.stdout  # where the shadowed view is


def test_a_mounted_wsgi_app_is_listed_with_the_app_as_its_view():
    import bottle

    def legacy(environ, start_response):
        start_response("200 OK", [])
        return [b"legacy"]

    app = bottle.Bottle()
    app.mount("/legacy", legacy)
    with imports_undone():
        from flaskit.routes.adapters.bottle import BottleAdapter

        adapter = BottleAdapter()
        routes = adapter.routes(app)
        assert [(r.rule, r.methods, r.view) for r in routes] == [
            ("/legacy", None, f"{__name__}.{legacy.__qualname__}"),
            ("/legacy/<:re:.*>", None, f"{__name__}.{legacy.__qualname__}"),
        ]
        found = adapter.match(app, MatchRequest("/legacy/old/page", "DELETE"))
        assert found.route.rule == "/legacy/<:re:.*>"
        assert status_of(app, "DELETE", "/legacy/old/page") == 200
