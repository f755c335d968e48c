"""`flaskit routes` on Flask and werkzeug apps, checked against the apps' own url_map."""

from __future__ import annotations

import io
import json
import linecache
import os
import pty
import select
import subprocess
import time
from pathlib import Path

import pytest

from flaskit.discovery import load, parse_spec
from flaskit.routes.adapters.werkzeug import dispatch_order
from flaskit.routes.listing import RoutesConfig, collect_routes, select_routes, show_routes
from tests.helpers import APPS, clean_env, flaskit_command, run_flaskit

pytestmark = pytest.mark.usefixtures("isolated_imports")

BIG = APPS / "bigflask"
FORMS = APPS / "disc_forms"


def routes_json(cwd: Path, *args: str) -> list[dict]:
    result = run_flaskit(["routes", "--json", *args], cwd=cwd)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_json_lists_exactly_what_flask_url_map_holds():
    listed = routes_json(BIG, "--all-methods")
    app = load(parse_spec("bigflask", BIG)).app
    expected = sorted(
        (r.rule, r.endpoint, tuple(sorted(r.methods))) for r in app.url_map.iter_rules()
    )
    actual = sorted((r["rule"], r["endpoint"], tuple(r["methods"])) for r in listed)
    assert actual == expected
    assert len(actual) == 11


def test_json_keys_and_types():
    listed = routes_json(BIG)
    keys = {"rule", "methods", "endpoint", "view", "file", "line", "host", "subdomain", "blueprint"}
    for route in listed:
        assert set(route) == keys
    by_rule = {r["rule"]: r for r in listed}
    assert by_rule["/admin/reports/<float:threshold>"]["blueprint"] == "admin.reports"
    assert by_rule["/admin/users/<uuid:user_id>"]["blueprint"] == "admin"
    assert by_rule["/"]["blueprint"] is None
    assert by_rule["/files/<path:name>"]["methods"] == ["GET", "PUT"]  # HEAD, OPTIONS hidden


def test_every_view_points_at_the_line_that_defines_it():
    listed = routes_json(BIG)
    for route in listed:
        if route["endpoint"] == "static":
            assert route["file"] == "bigflask/static"
            assert route["view"] == "flask static files"
            continue
        path = BIG / route["file"]
        source_line = linecache.getline(str(path), route["line"]).strip()
        name = route["view"].rsplit(".", 1)[-1]
        assert source_line.startswith(("@", "def ", "class ")), (route, source_line)
        # The defining statement for this view is at or just below the reported line.
        block = "".join(linecache.getline(str(path), route["line"] + i) for i in range(4))
        assert f"def {name}(" in block or f"class {name}(" in block, (route, block)


def test_class_based_views_and_custom_converters():
    by_rule = {r["rule"]: r for r in routes_json(BIG)}
    assert by_rule["/items/<int:item_id>"]["view"] == "bigflask.ItemAPI"
    assert by_rule["/items/<int:item_id>"]["methods"] == ["DELETE", "GET"]
    assert by_rule["/hello"]["view"] == "bigflask.Hello"
    assert by_rule["/tags/<list:tags>"]["endpoint"] == "tags"
    # One endpoint, two rules.
    assert by_rule["/page/"]["endpoint"] == by_rule["/page/<int:number>"]["endpoint"] == "page"


def test_piped_output_is_plain_aligned_text():
    result = run_flaskit(["routes"], cwd=BIG)
    assert result.returncode == 0, result.stderr
    assert "\x1b[" not in result.stdout
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["Methods", "Rule", "Endpoint", "View", "Location"]
    assert set(lines[1]) <= {"-", " "}
    # Columns are aligned: every row's rule starts where the header's Rule starts.
    column = lines[0].index("Rule")
    for line in lines[2:]:
        assert line[column - 2 : column] == "  "
        assert line[column] == "/"
    assert any("bigflask/__init__.py:41" in line for line in lines)


def test_forced_colour_is_still_plain_when_piped():
    result = run_flaskit(["routes"], cwd=BIG, env={"FORCE_COLOR": "1"})
    assert "\x1b[" not in result.stdout


def read_from_pty(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    main, secondary = pty.openpty()
    proc = subprocess.Popen(
        args, cwd=cwd, env=env, stdin=secondary, stdout=secondary, stderr=secondary
    )
    os.close(secondary)
    chunks = []
    deadline = time.monotonic() + 30
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([main], [], [], 0.5)
            if ready:
                try:
                    data = os.read(main, 65536)
                except OSError:
                    break
                if not data:
                    break
                chunks.append(data)
            elif proc.poll() is not None:
                break
    finally:
        os.close(main)
        proc.wait(10)
    assert proc.returncode == 0
    return b"".join(chunks).decode()


@pytest.mark.slow
def test_terminal_output_is_a_rich_table_and_honours_no_color():
    env = clean_env() | {"COLUMNS": "160", "TERM": "xterm-256color"}
    coloured = read_from_pty(flaskit_command("routes"), BIG, env)
    assert "\x1b[" in coloured
    assert "/items/" in coloured
    assert "bigflask/__init__.py:41" in coloured
    plain = read_from_pty(flaskit_command("routes"), BIG, env | {"NO_COLOR": "1"})
    assert "/items/" in plain
    assert "\x1b[3" not in plain  # no foreground colours
    assert "\x1b[1;36m" not in plain


def config(target_spec: str, base: Path, **options) -> RoutesConfig:
    return RoutesConfig(target=parse_spec(target_spec, base), cwd=base, **options)


def test_method_and_grep_filters():
    routes = collect_routes(parse_spec("bigflask", BIG))
    posts = select_routes(routes, config("bigflask", BIG, method="POST"))
    assert [r.rule for r in posts] == ["/items/"]
    admin = select_routes(routes, config("bigflask", BIG, grep="ADMIN"))
    assert {r.endpoint for r in admin} == {"admin.user", "admin.reports.report"}
    by_view = select_routes(routes, config("bigflask", BIG, grep="ItemAPI"))
    assert len(by_view) == 2
    head = select_routes(routes, config("bigflask", BIG, method="HEAD"))
    assert len(head) == len([r for r in routes if "GET" in (r.methods or ())])


def test_sort_orders():
    routes = collect_routes(parse_spec("bigflask", BIG))
    by_rule = select_routes(routes, config("bigflask", BIG, sort="rule"))
    assert [r.rule for r in by_rule] == sorted(r.rule for r in routes)
    by_endpoint = select_routes(routes, config("bigflask", BIG, sort="endpoint"))
    assert [r.endpoint for r in by_endpoint] == sorted(r.endpoint for r in routes)
    by_methods = select_routes(routes, config("bigflask", BIG, sort="methods"))
    keys = [", ".join(r.shown_methods(False) or ()) for r in by_methods]
    assert keys == sorted(keys)


def test_dispatch_order_agrees_with_werkzeug_matching():
    """For every rule, the rule werkzeug actually matches for a URL built from it
    is listed at or before it: the order is the order rules win in."""
    app = load(parse_spec("overlapping", FORMS)).app
    ordered = dispatch_order(app.url_map)
    position = {id(rule): i for i, rule in enumerate(ordered)}
    adapter = app.url_map.bind("localhost")
    samples = {
        "catch_all": {"anything": "users/me"},
        "user_by_name": {"name": "me"},
        "user_by_id": {"user_id": 7},
        "me": {},
        "files": {"name": "special"},
        "special": {},
        "items_version": {"version": 1},
        "items_v1": {},
    }
    checked = 0
    for rule in ordered:
        if rule.endpoint not in samples:
            continue
        url = adapter.build(rule.endpoint, samples[rule.endpoint])
        winner, _ = adapter.match(url, return_rule=True)
        assert position[id(winner)] <= position[id(rule)], (url, winner.rule, rule.rule)
        checked += 1
    assert checked == len(samples)
    rules = [r.rule for r in ordered]
    assert (
        rules.index("/users/me")
        < rules.index("/users/<int:user_id>")
        < rules.index("/users/<name>")
    )
    assert rules.index("/files/special") < rules.index("/files/<path:name>")
    assert rules.index("/users/<name>") < rules.index("/<path:anything>")


def test_werkzeug_map_app_without_flask():
    routes = collect_routes(parse_spec("werkzeug_only", FORMS))
    by_rule = {r.rule: r for r in routes}
    assert by_rule["/<short_id>+"].methods == ("GET", "HEAD", "POST")
    assert by_rule["/<short_id>+"].view == "werkzeug_only.Shortly.on_short_link_details"
    assert by_rule["/"].file == str(FORMS / "werkzeug_only.py")
    assert by_rule["/"].methods is None  # a werkzeug Rule without methods accepts any
    out = io.StringIO()
    show_routes(config("werkzeug_only", FORMS, as_json=True), out)
    assert json.loads(out.getvalue())[0]["methods"] is None


def test_routes_behind_middleware_are_found():
    routes = collect_routes(parse_spec("wrapped", FORMS))
    assert "/behind" in {r.rule for r in routes}


def test_decorated_and_partial_views_and_endpoints_without_view():
    by_endpoint = {r.endpoint: r for r in collect_routes(parse_spec("decorated", FORMS))}
    secret = by_endpoint["secret"]
    assert secret.view == "decorated.secret"
    assert "def secret" in linecache.getline(secret.file, secret.line + 2)
    assert by_endpoint["hi"].view == "decorated.greet"
    assert by_endpoint["nowhere"].view is None
    assert by_endpoint["nowhere"].file is None


def test_host_and_subdomain_columns_appear_only_when_used():
    hosts = routes_json(FORMS, "--app", "hosts:hosts")
    assert {r["host"] for r in hosts} == {
        "api.example.com",
        "www.example.com",
        "static.example.com",
    }
    result = run_flaskit(["routes", "--app", "hosts:hosts"], cwd=FORMS)
    assert result.stdout.splitlines()[0].split()[:2] == ["Methods", "Host"]
    subs = run_flaskit(["routes", "--app", "hosts:subdomains"], cwd=FORMS)
    assert subs.stdout.splitlines()[0].split()[:2] == ["Methods", "Subdomain"]
    assert "<user>" in subs.stdout
    plain = run_flaskit(["routes", "--app", "overlapping"], cwd=FORMS)
    assert "Host" not in plain.stdout.splitlines()[0]


def test_app_without_route_table_exits_1():
    result = run_flaskit(["routes", "--app", "plain_wsgi"], cwd=FORMS)
    assert result.returncode == 1
    assert "has no route table flaskit can read" in result.stderr
    assert "Traceback" not in result.stderr


def test_no_routes_and_no_match_messages():
    empty = run_flaskit(["routes", "--app", "no_routes_app"], cwd=FORMS)
    assert empty.returncode == 0
    assert "The app has no routes." in empty.stderr
    none = run_flaskit(["routes", "--app", "overlapping", "--grep", "zzz"], cwd=FORMS)
    assert "No routes match." in none.stderr
    assert routes_json(FORMS, "--app", "overlapping", "--grep", "zzz") == []


def test_all_methods_shows_head_and_options():
    result = run_flaskit(["routes", "--app", "overlapping", "--all-methods"], cwd=FORMS)
    assert "GET, HEAD, OPTIONS" in result.stdout
    result = run_flaskit(["routes", "--app", "overlapping"], cwd=FORMS)
    assert "HEAD" not in result.stdout


def test_missing_module_exits_2_naming_it():
    result = run_flaskit(["routes", "--app", "no_such_module"], cwd=FORMS)
    assert result.returncode == 2
    assert "'no_such_module'" in result.stderr
    assert "Traceback" not in result.stderr


def test_auto_discovery_inside_a_project():
    listed = routes_json(APPS / "disc_auto_pkg")
    assert [r["rule"] for r in listed if r["endpoint"] != "static"] == ["/"]
    assert listed[-1]["file"] == "shop/views.py"
