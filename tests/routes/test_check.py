"""`flaskit routes --check` on Flask and werkzeug apps, and the checks themselves."""

from __future__ import annotations

import io
import json

import pytest

from flaskit.discovery import parse_spec
from flaskit.routes import report
from flaskit.routes.check import (
    CheckConfig,
    check_app,
    check_routes,
    find_views_under_several_endpoints,
    show_check,
)
from flaskit.routes.findings import CheckReport, Problem
from flaskit.routes.model import Route
from tests.helpers import APPS, run_flaskit

HERE = APPS / "routes_check"
FORMS = APPS / "disc_forms"
TUTORIAL = APPS / "routes_tutorial"

pytestmark = pytest.mark.usefixtures("isolated_imports")


def kinds(result: CheckReport) -> list[tuple[str, list[str]]]:
    return [(p.kind, [r.endpoint for r in p.routes]) for p in result.problems]


def test_finds_each_kind_of_mistake_in_a_flask_app():
    result = check_app(parse_spec("flask_faulty", HERE))
    assert kinds(result) == [
        ("no-view", ["orphan"]),
        ("shadowed", ["report_v2", "report"]),
        ("shadowed", ["export_post", "export"]),
        ("view-under-several-endpoints", ["index", "home"]),
    ]
    assert result.route_count == 8
    assert result.skipped == ()


def test_the_shadowing_it_reports_is_real():
    """Every request werkzeug gets for a rule reported as shadowed goes elsewhere."""
    from flask import Flask

    result = check_app(parse_spec("flask_faulty", HERE))
    import flask_faulty

    app: Flask = flask_faulty.app
    client = app.test_client()
    assert client.get("/report").text == "report"
    assert client.post("/export").text == "export"  # never export_post
    assert "report_v2" in app.view_functions  # registered, yet unreachable
    assert {p.routes[0].endpoint for p in result.problems if p.kind == "shadowed"} == {
        "report_v2",
        "export_post",
    }


@pytest.mark.parametrize(
    ("spec", "base", "count"),
    [
        ("flask_legit", HERE, 19),
        ("bigflask", APPS / "bigflask", 11),
        ("overlapping", FORMS, 9),
        ("werkzeug_only", FORMS, 3),
        ("hosts:hosts", FORMS, 3),
        ("hosts:subdomains", FORMS, 3),
    ],
)
def test_legitimate_patterns_are_not_reported(spec, base, count):
    """MethodView under one endpoint with several rules, defaults=, one class under two
    as_view() names, a view under names with different arguments, view factories,
    a blueprint registered twice, static routes, catch-alls, host and subdomain rules."""
    result = check_app(parse_spec(spec, base))
    assert result.problems == []
    assert result.route_count == count


def route(endpoint, rule, view_id=1, blueprint=None, order=0):
    return Route(
        rule, ("GET",), endpoint, "v", None, None, blueprint=blueprint, order=order, view_id=view_id
    )


def test_one_view_under_several_endpoints_rules():
    same_args = [route("a", "/a"), route("b", "/b", order=1)]
    assert [p.kind for p in find_views_under_several_endpoints(same_args)] == [
        "view-under-several-endpoints"
    ]
    different_args = [route("a", "/a"), route("b", "/b/<int:year>", order=1)]
    assert find_views_under_several_endpoints(different_args) == []
    one_endpoint = [route("a", "/a"), route("a", "/b", order=1)]
    assert find_views_under_several_endpoints(one_endpoint) == []
    blueprint_twice = [
        route("v1.status", "/v1/status", blueprint="v1"),
        route("v2.status", "/v2/status", blueprint="v2", order=1),
    ]
    assert find_views_under_several_endpoints(blueprint_twice) == []
    different_views = [route("a", "/a", view_id=1), route("b", "/b", view_id=2, order=1)]
    assert find_views_under_several_endpoints(different_views) == []
    unknown = [route("a", "/a", view_id=None), route("b", "/b", view_id=None, order=1)]
    assert find_views_under_several_endpoints(unknown) == []


def test_an_adapter_that_cannot_match_skips_the_shadowing_check():
    class ListOnly:
        name = "list-only"

        def accepts(self, app):
            return True

        def routes(self, app):
            return [Route("/x", None, "x", None, None, None, unbound=True)]

    result = check_routes(ListOnly(), object())
    assert kinds(result) == [("no-view", ["x"])]
    assert result.skipped == ("shadowed rules (the 'list-only' route adapter cannot resolve URLs)",)
    assert "Not checked: shadowed rules" in report.check_text(result, HERE)


def test_show_check_text_and_json():
    target = parse_spec("flask_faulty", HERE)
    out = io.StringIO()
    show_check(CheckConfig(target, HERE), out)
    text = out.getvalue()
    assert text.startswith("4 problems in 8 routes:\n\nEndpoint without a view: /orphan")
    assert (
        "Rule that can never match: /report (endpoint 'report_v2', view "
        "flask_faulty.report_v2 at flask_faulty.py:13)"
    ) in text
    assert (
        "is taken by /report, endpoint 'report', view flask_faulty.report at flask_faulty.py:8"
        in text
    )
    assert "View under several endpoints: flask_faulty.index (flask_faulty.py:28)" in text
    assert "'index' (/) and 'home' (/home)" in text
    out = io.StringIO()
    show_check(CheckConfig(target, HERE, as_json=True), out)
    data = json.loads(out.getvalue())
    assert data["routes"] == 8
    assert [p["kind"] for p in data["problems"]] == [
        "no-view",
        "shadowed",
        "shadowed",
        "view-under-several-endpoints",
    ]
    assert data["problems"][1]["routes"][0]["file"] == "flask_faulty.py"
    assert data["not_checked"] == []


def test_check_rich_output():
    from rich.console import Console

    problem = Problem("no-view", (Route("/x", None, "x", None, None, None, unbound=True),))
    buffer = io.StringIO()
    report.check_rich(
        CheckReport([problem], 3), HERE, Console(file=buffer, force_terminal=True, width=200)
    )
    assert "\x1b[1;31m1 problem in 3 routes:" in buffer.getvalue()
    buffer = io.StringIO()
    report.check_rich(
        CheckReport([], 3), HERE, Console(file=buffer, force_terminal=True, width=200)
    )
    assert "\x1b[1;32mNo problems in 3 routes." in buffer.getvalue()


def test_check_command_exit_codes():
    faulty = run_flaskit(["routes", "--app", "flask_faulty", "--check"], cwd=HERE)
    assert faulty.returncode == 1
    assert faulty.stdout.startswith("4 problems in 8 routes:")
    assert faulty.stderr == ""
    clean = run_flaskit(["routes", "--app", "flask_legit", "--check"], cwd=HERE)
    assert (clean.returncode, clean.stdout) == (0, "No problems in 19 routes.\n")


def test_the_tutorials_url_for_alias_is_a_note_not_a_problem():
    """flaskr: add_url_rule("/", endpoint="index") after the blog blueprint's "/"."""
    result = check_app(parse_spec("flaskr:create_app()", TUTORIAL))
    assert result.problems == []
    assert [(n.kind, [r.endpoint for r in n.routes]) for n in result.notes] == [
        ("url-for-alias", ["index", "blog.index"])
    ]
    import flaskr

    app = flaskr.create_app()
    client = app.test_client()
    assert client.get("/").text == "posts (home is /)"  # the blog serves it, url_for works
    assert client.get("/auth/logout").headers["Location"] == "/"


def test_an_alias_that_dispatch_reaches_is_still_a_problem():
    result = check_app(parse_spec("flaskr:create_app(alias_first=True)", TUTORIAL))
    assert kinds(result) == [("no-view", ["index"]), ("shadowed", ["blog.index", "index"])]
    assert result.notes == ()
    import flaskr

    assert flaskr.create_app(alias_first=True).test_client().get("/").status_code == 500


def test_check_command_notes_do_not_change_the_exit_code():
    alias = run_flaskit(["routes", "--app", "flaskr:create_app()", "--check"], cwd=TUTORIAL)
    assert alias.returncode == 0, alias.stdout + alias.stderr
    assert alias.stdout.startswith("No problems in 9 routes.\n\nNote: / (endpoint 'index')")
    assert "only names a URL for url_for" in alias.stdout
    assert "blog.index" in alias.stdout
    as_json = run_flaskit(
        ["routes", "--app", "flaskr:create_app()", "--check", "--json"], cwd=TUTORIAL
    )
    data = json.loads(as_json.stdout)
    assert (as_json.returncode, data["problems"]) == (0, [])
    assert [n["kind"] for n in data["notes"]] == ["url-for-alias"]
    assert [r["endpoint"] for r in data["notes"][0]["routes"]] == ["index", "blog.index"]
    first = run_flaskit(
        ["routes", "--app", "flaskr:create_app(alias_first=True)", "--check"], cwd=TUTORIAL
    )
    assert first.returncode == 1
    assert first.stdout.startswith("2 problems in 9 routes:")
