"""`flaskit routes --match` on Flask and werkzeug apps, checked against werkzeug's own
``MapAdapter.match``; the request parsing, closest rules and rendering every adapter shares."""

from __future__ import annotations

import io
import json

import pytest

from flaskit.discovery import parse_spec
from flaskit.errors import UsageProblem
from flaskit.routes import report
from flaskit.routes.match import (
    MatchConfig,
    closest_routes,
    match_request,
    parse_request,
    show_match,
    similarity,
)
from flaskit.routes.model import Match, MatchRequest, Miss, Route
from tests.helpers import APPS, run_flaskit
from tests.routes.support import imports_undone, load_sample

BIG = APPS / "bigflask"
FORMS = APPS / "disc_forms"
UUID = "3f0c1b7e-6d1a-4c1e-9a7f-2b3c4d5e6f70"

CASES = {
    ("bigflask", BIG): [
        ("GET", "/"),
        ("GET", "/page/"),
        ("GET", "/page/1"),
        ("GET", "/page/7"),
        ("GET", "/page/x"),
        ("GET", "/tags/a,b,c"),
        ("PUT", "/files/a/b.txt"),
        ("DELETE", "/files/a"),
        ("GET", "/items"),
        ("POST", "/items/"),
        ("DELETE", "/items/"),
        ("GET", "/items/3"),
        ("DELETE", "/items/3"),
        ("PUT", "/items/3"),
        ("HEAD", "/items/3"),
        ("OPTIONS", "/items/3"),
        ("GET", "/hello"),
        ("POST", "/hello"),
        ("GET", f"/admin/users/{UUID}"),
        ("PATCH", f"/admin/users/{UUID}"),
        ("GET", "/admin/users/not-a-uuid"),
        ("GET", "/admin/reports/2.5"),
        ("GET", "/admin/reports/2"),
        ("GET", "/static/app.css"),
        ("GET", "/nothing"),
    ],
    ("overlapping", FORMS): [
        ("GET", "/users/me"),
        ("GET", "/users/7"),
        ("GET", "/users/bob"),
        ("GET", "/files/special"),
        ("GET", "/files/other/deeper"),
        ("GET", "/v1/items"),
        ("GET", "/v2/items"),
        ("GET", "/a/b/c"),
        ("POST", "/users/me"),
    ],
    ("werkzeug_only", FORMS): [
        ("GET", "/"),
        ("DELETE", "/"),
        ("GET", "/abc"),
        ("POST", "/abc+"),
        ("DELETE", "/abc+"),
        ("GET", "/a/b"),
    ],
}


def werkzeug_says(url_map, method, path, host="localhost"):
    """werkzeug's own answer, in the shape flaskit's answer is compared in."""
    from werkzeug.exceptions import MethodNotAllowed, NotFound
    from werkzeug.routing import RequestRedirect

    try:
        rule, args = url_map.bind(host).match(path, method, return_rule=True)
    except RequestRedirect as exc:
        return ("redirect", exc.new_url)
    except MethodNotAllowed as exc:
        return ("method-not-allowed", tuple(sorted(exc.valid_methods)))
    except NotFound:
        return ("not-found",)
    return ("match", rule.rule, rule.endpoint, args)


def flaskit_says(outcome):
    if isinstance(outcome, Miss):
        return (outcome.reason, outcome.allowed) if outcome.allowed else (outcome.reason,)
    if outcome.redirect:
        return ("redirect", outcome.redirect)
    return ("match", outcome.route.rule, outcome.route.endpoint, outcome.args)


@pytest.mark.parametrize(("spec", "base"), list(CASES), ids=[spec for spec, _ in CASES])
def test_match_agrees_with_werkzeug(spec, base):
    with imports_undone():
        sample = load_sample(spec, base)
        outcomes = set()
        for method, path in CASES[spec, base]:
            ours = flaskit_says(sample.match(method, path))
            assert ours == werkzeug_says(sample.table_app.url_map, method, path), (method, path)
            outcomes.add(ours[0])
    assert sum(len(cases) for cases in CASES.values()) >= 20
    if spec == "bigflask":
        assert outcomes == {"match", "redirect", "not-found", "method-not-allowed"}


def test_a_redirect_also_names_the_route_it_lands_on():
    with imports_undone():
        sample = load_sample("bigflask", BIG)
        moved = sample.match("GET", "/page/1")
    assert moved.redirect == "http://localhost/page/"
    assert (moved.route.rule, moved.args) == ("/page/", {"number": 1})


def test_hosts_and_subdomains_are_matched_from_a_full_url():
    with imports_undone():
        hosts = load_sample("hosts:hosts", FORMS)
        api = hosts.adapter.match(hosts.table_app, parse_request("http://api.example.com/", None))
        assert api.route.endpoint == "api_index"
        assert (
            werkzeug_says(hosts.table_app.url_map, "GET", "/", "api.example.com")[2] == "api_index"
        )
        bare = hosts.match("GET", "/")
        assert bare.reason == "not-found"
        assert "matches rules by host: pass a full URL" in bare.detail
        subs = load_sample("hosts:subdomains", FORMS)
        user = subs.adapter.match(subs.table_app, parse_request("http://alice.example.com/", None))
        assert (user.route.endpoint, user.args) == ("user_home", {"user": "alice"})
        about = subs.match("GET", "/about")  # SERVER_NAME is the default host
        assert about.route.endpoint == "about"


def test_parse_request():
    assert parse_request("/items/5", None) == MatchRequest("/items/5", "GET")
    assert parse_request("/a%20b/?x=1#top", "post") == MatchRequest("/a b/", "POST")
    assert parse_request("https://api.example.com:8443/v1", "delete") == MatchRequest(
        "/v1", "DELETE", "api.example.com:8443", "https"
    )
    assert parse_request("http://example.com", None).path == "/"
    for bad, method in [("items/5", None), ("ftp://example.com/x", None), ("/x", "GE T")]:
        with pytest.raises(UsageProblem):
            parse_request(bad, method)


def route(rule, order=0, methods=("GET",), endpoint="e"):
    return Route(rule, methods, endpoint, "v.view", "/x/v.py", 3, order=order)


def test_closest_rules_prefer_near_literals_then_dispatch_order():
    routes = [
        route("/items/<int:item_id>", 0),
        route("/files/<path:name>", 1),
        route("/users/<name>", 2),
        route("/items/", 3),
        route("/about", 4),
    ]
    assert [r.rule for r in closest_routes(routes, "/itemz/5")] == ["/items/<int:item_id>"]
    assert [r.rule for r in closest_routes(routes, "/items")] == ["/items/"]
    assert closest_routes(routes, "/zzzzzz/q/r") == []
    assert similarity("/a/b", "/a/b") == 1.0
    assert similarity("/", "/") == 1.0
    assert similarity("/blog/5", "/blog/{id}") == pytest.approx(0.875)
    assert similarity("/blog/5", r"^blog/(?P<pk>\d+)/$") == pytest.approx(0.875)


def test_show_match_prints_the_panel_the_text_and_the_json():
    with imports_undone():
        target = parse_spec("bigflask", BIG)
        out = io.StringIO()
        result = show_match(MatchConfig(target, BIG, "/items/3"), out)
        assert result.matched
        assert out.getvalue().splitlines() == [
            "GET /items/3 -> items",
            "  rule      /items/<int:item_id>",
            "  endpoint  items",
            "  view      bigflask.ItemAPI",
            "  location  bigflask/__init__.py:21",
            "  methods   DELETE, GET",
            "  args      item_id=3",
        ]
        out = io.StringIO()
        show_match(MatchConfig(target, BIG, "/page/1", as_json=True, all_methods=True), out)
        data = json.loads(out.getvalue())
        assert data["redirect"] == "http://localhost/page/"
        assert data["methods"] == ["GET", "HEAD", "OPTIONS"]
        miss = match_request(target, MatchRequest("/items/3", "PUT"))
    from rich.console import Console

    buffer = io.StringIO()
    report.match_rich(miss, BIG, False, Console(file=buffer, force_terminal=True, width=200))
    text = buffer.getvalue()
    assert "\x1b[" in text
    assert "no match" in text
    assert "does not accept PUT (it accepts DELETE, GET)" in text


def test_match_json_shapes():
    hit = run_flaskit(["routes", "--match", f"/admin/users/{UUID}", "--json"], cwd=BIG)
    assert hit.returncode == 0, hit.stderr
    data = json.loads(hit.stdout)
    assert set(data) == {"rule", "endpoint", "view", "file", "line", "methods", "args"}
    assert data["args"] == {"user_id": UUID}
    miss = run_flaskit(["routes", "--match", "/items/3", "-m", "PUT", "--json"], cwd=BIG)
    assert miss.returncode == 1
    data = json.loads(miss.stdout)
    assert data["error"] == "method-not-allowed"
    assert data["allowed"] == ["DELETE", "GET", "HEAD", "OPTIONS"]
    assert [r["rule"] for r in data["closest"]] == ["/items/<int:item_id>"]
    assert miss.stderr == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--match", "/x", "--check"], "--match and --check do different things"),
        (
            ["--match", "/x", "--grep", "a"],
            "--grep applies to the route list and has no effect with --match: remove --grep.",
        ),
        (["--match", "/x", "--sort", "rule"], "--sort applies to the route list"),
        (
            ["--check", "--method", "GET"],
            "--method applies to the route list and has no effect with --check",
        ),
        (
            ["--match", "items"],
            "is not a URL path. Pass a path starting with '/', like --match /items",
        ),
    ],
)
def test_options_that_do_not_go_together_are_usage_errors(args, message):
    result = run_flaskit(["routes", *args], cwd=BIG)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_an_adapter_without_match_says_so(monkeypatch):
    from flaskit.routes import match as match_module

    class ListOnly:
        name = "list-only"

        def accepts(self, app):
            return True

        def routes(self, app):
            return []

    monkeypatch.setattr(match_module, "load_route_table", lambda target: (ListOnly(), object()))
    with pytest.raises(match_module.CannotMatch, match="'list-only' route adapter lists routes"):
        match_request(parse_spec("bigflask", BIG), MatchRequest("/"))


def test_miss_messages_for_every_reason():
    request = MatchRequest("/x", "POST")
    r = route("/x", methods=("GET", "HEAD"))
    cases = {
        Miss("not-found"): "No route handles POST /x: no rule matches this path.",
        Miss("method-not-allowed", ("GET", "HEAD"), (r,)): (
            "No route handles POST /x: /x matches the path but does not accept POST "
            "(it accepts GET)."
        ),
        Miss(
            "no-view", routes=(r,)
        ): "No route handles POST /x: /x matches the path but has no view.",
        Miss("bad-argument", routes=(r,), detail="Path has wrong format"): (
            "No route handles POST /x: /x matches the path but rejects its arguments. "
            "Note: Path has wrong format."
        ),
    }
    for miss, text in cases.items():
        assert report.miss_message(match_module_report(request, miss), False) == text


def match_module_report(request, outcome):
    from flaskit.routes.findings import MatchReport

    return MatchReport(request, outcome, ())


def test_match_report_matched_flag():
    r = route("/x")
    assert match_module_report(MatchRequest("/x"), Match(r, {})).matched
    assert not match_module_report(MatchRequest("/x"), Miss("not-found")).matched
