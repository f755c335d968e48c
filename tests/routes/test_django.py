"""`flaskit routes` on a Django project, checked against Django's ``resolve`` and the
views' own method handling. Django keeps its settings for the life of a process,
so everything Django runs in subprocesses (flaskit itself, or tests/routes/django_probe.py)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.helpers import APPS, REPO, clean_env, run_flaskit

pytestmark = pytest.mark.slow

HERE = APPS / "routes_django"
WSGI = "mysite/wsgi.py"
UUID = "3f0c1b7e-6d1a-4c1e-9a7f-2b3c4d5e6f70"

# (methods with --all-methods, rule, endpoint, view) in the order Django tries them.
EXPECTED = [
    (None, "/", "home", "mysite.views.home"),
    (["GET", "HEAD", "OPTIONS"], "/about/", "about", "mysite.views.AboutView"),
    (["GET", "HEAD", "OPTIONS", "POST"], "/blog/", "blog:index", "blog.views.PostList"),
    (None, "/blog/new/", "blog:new", "blog.views.post_new"),
    (["GET", "HEAD", "OPTIONS", "PUT"], "/blog/<int:pk>/", "blog:detail", "blog.views.PostDetail"),
    (None, "/blog/<slug:slug>/", "blog:by-slug", "blog.views.post_by_slug"),
    (None, "/api/v1/items/", "v1:items", "mysite.views.api_items"),
    (
        ["DELETE", "GET", "HEAD", "OPTIONS"],
        "/api/v1/items/<int:item_id>/",
        "v1:item",
        "mysite.views.ApiItem",
    ),
    (None, "/archive/(?P<year>[0-9]{4})/$", "archive", "mysite.views.archive"),
    (None, "/archive/<int:year>/<int:month>/", "archive-month", "mysite.views.archive"),
    (None, "/files/<path:name>", "files", "mysite.views.files"),
    (["GET", "POST"], "/contact/", "contact", "mysite.views.contact"),
    (["POST"], "/ping/", "ping", "mysite.views.ping"),
    (None, "/t/<uuid:token>/", "token", "mysite.views.token"),
    (
        ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"],
        "/go-home/",
        "go-home",
        "django.views.generic.base.RedirectView",
    ),
]

# One URL per row above, with a method the row serves.
EXAMPLES = [
    ("GET", "/"),
    ("GET", "/about/"),
    ("POST", "/blog/"),
    ("GET", "/blog/new/"),
    ("PUT", "/blog/7/"),
    ("GET", "/blog/hello-world/"),
    ("GET", "/api/v1/items/"),
    ("DELETE", "/api/v1/items/3/"),
    ("GET", "/archive/2024/"),
    ("GET", "/archive/2024/5/"),
    ("GET", "/files/a/b.txt"),
    ("POST", "/contact/"),
    ("POST", "/ping/"),
    ("GET", f"/t/{UUID}/"),
    ("GET", "/go-home/"),
]

REQUESTS = [
    ("GET", "/"),
    ("DELETE", "/"),
    ("GET", "/about/"),
    ("POST", "/about/"),
    ("HEAD", "/about/"),
    ("GET", "/blog/"),
    ("POST", "/blog/"),
    ("GET", "/blog/5/"),
    ("PUT", "/blog/5/"),
    ("POST", "/blog/5/"),
    ("GET", "/blog/new/"),
    ("GET", "/blog/hello-world/"),
    ("GET", "/blog/hello world/"),
    ("GET", "/api/v1/items/3/"),
    ("PATCH", "/api/v1/items/3/"),
    ("GET", "/archive/2024/"),
    ("GET", "/archive/24/"),
    ("GET", "/archive/2024/5/"),
    ("GET", "/files/a/b/c"),
    ("GET", "/contact/"),
    ("DELETE", "/contact/"),
    ("GET", "/ping/"),
    ("POST", "/ping/"),
    ("GET", f"/t/{UUID}/"),
    ("GET", "/t/not-a-uuid/"),
    ("GET", "/blog"),
    ("GET", "/nothing/"),
]


def probe(spec: str, **wanted) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "tests.routes.django_probe", spec, str(HERE)],
        input=json.dumps(wanted),
        capture_output=True,
        text=True,
        cwd=REPO,
        env=clean_env(),
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def answers() -> dict:
    return probe(WSGI, examples=EXAMPLES, requests=REQUESTS)


def test_json_lists_patterns_joined_through_include_with_namespaced_names():
    result = run_flaskit(["routes", "--json", "--all-methods", "--app", WSGI], cwd=HERE)
    assert result.returncode == 0, result.stderr
    listed = json.loads(result.stdout)
    assert [(r["methods"], r["rule"], r["endpoint"], r["view"]) for r in listed] == EXPECTED
    by_rule = {r["rule"]: r for r in listed}
    assert by_rule["/blog/<int:pk>/"]["file"] == "blog/views.py"
    assert by_rule["/"]["file"] == "mysite/views.py"


def test_each_row_is_what_django_resolves_for_its_example(answers):
    routes = answers["routes"]
    assert len(routes) == len(EXAMPLES) == 15
    for route, example in zip(routes, answers["examples"], strict=True):
        django = example["django"]
        assert django["status"] == 200, example
        assert django["rule"] == route["rule"], example
        assert django["view"] == route["view"], example
        if ":" in route["endpoint"] or route["endpoint"] == django["view_name"]:
            assert django["view_name"] == route["endpoint"], example
        else:  # an unnamed pattern: Django names it by its view, flaskit by the function
            assert django["view_name"].endswith("." + route["endpoint"]), example


def test_match_agrees_with_django_resolve_and_the_views(answers):
    assert len(answers["requests"]) >= 20
    statuses = set()
    for answer in answers["requests"]:
        ours, django = answer["flaskit"], answer["django"]
        assert ours["status"] == django["status"], answer
        if ours["status"] == 200:
            assert (ours["rule"], ours["view"], ours["args"]) == (
                django["rule"],
                django["view"],
                django["args"],
            ), answer
        statuses.add(ours["status"])
    assert statuses == {200, 404, 405}
    by_path = {(a["method"], a["path"]): a["flaskit"] for a in answers["requests"]}
    assert by_path[("GET", "/blog/5/")]["args"] == {"pk": 5}
    assert by_path[("GET", "/archive/2024/")]["args"] == {"year": "2024"}
    assert by_path[("GET", f"/t/{UUID}/")]["args"] == {"token": UUID}
    assert "redirects it to /blog/" in by_path[("GET", "/blog")]["detail"]


def test_settings_come_from_the_wsgi_module_each_run():
    """Two WSGI modules select two settings modules and so two URLconfs."""
    faulty = probe("mysite/wsgi_faulty.py")
    assert [r["rule"] for r in faulty["routes"]] == ["/", "/index/", "/<slug:slug>/", "/new/"]
    assert len(probe(WSGI)["routes"]) == 15


def test_match_command():
    hit = run_flaskit(["routes", "--app", WSGI, "--match", "/api/v1/items/3/", "--json"], cwd=HERE)
    assert hit.returncode == 0, hit.stderr
    data = json.loads(hit.stdout)
    assert data["args"] == {"item_id": 3}
    assert (data["endpoint"], data["methods"]) == ("v1:item", ["DELETE", "GET"])
    wrong = run_flaskit(["routes", "--app", WSGI, "--match", "/ping/"], cwd=HERE)
    assert wrong.returncode == 1
    assert "/ping/ matches the path but does not accept GET (it accepts POST)" in wrong.stdout


def test_check_finds_a_shadowed_pattern_and_a_view_under_two_names():
    result = run_flaskit(
        ["routes", "--app", "mysite/wsgi_faulty.py", "--check", "--json"], cwd=HERE
    )
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    found = [(p["kind"], [r["endpoint"] for r in p["routes"]]) for p in report["problems"]]
    assert found == [
        ("shadowed", ["new", "page"]),
        ("view-under-several-endpoints", ["home", "index"]),
    ]
    clean = run_flaskit(["routes", "--app", WSGI, "--check"], cwd=HERE)
    assert (clean.returncode, clean.stdout) == (0, "No problems in 15 routes.\n")
