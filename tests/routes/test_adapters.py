"""Picking the adapter: by what the app object is, without importing other frameworks,
through middleware, and from third-party packages (entry points)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from flaskit.routes.adapters import find_adapter
from tests.helpers import APPS, REPO, clean_env, run_flaskit
from tests.routes.support import imports_undone, load_sample

FRAMEWORKS = ("django", "bottle", "falcon", "pyramid")

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


def frameworks_imported_by(spec: str, cwd) -> list[str]:
    code = textwrap.dedent(
        f"""
        import json
        import sys
        from pathlib import Path
        from flaskit.discovery import parse_spec
        from flaskit.routes.listing import collect_routes
        before = set(sys.modules)
        collect_routes(parse_spec({spec!r}, Path({str(cwd)!r})))
        print(json.dumps(sorted({{m.split(".")[0] for m in set(sys.modules) - before}})))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=clean_env(),
        cwd=REPO,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return [name for name in json.loads(result.stdout) if name in FRAMEWORKS]


def test_a_flask_app_imports_no_other_framework():
    assert frameworks_imported_by("bigflask", APPS / "bigflask") == []


def test_a_bottle_app_imports_only_bottle():
    assert frameworks_imported_by("shop", APPS / "routes_bottle") == ["bottle"]


@pytest.mark.parametrize(
    ("spec", "base", "name"),
    [
        ("bigflask", APPS / "bigflask", "werkzeug"),
        ("werkzeug_only", APPS / "disc_forms", "werkzeug"),
        ("shop", APPS / "routes_bottle", "bottle"),
        ("api", APPS / "routes_falcon", "falcon"),
        ("webapp", APPS / "routes_pyramid", "pyramid"),
    ],
)
def test_each_app_gets_its_framework_adapter(spec, base, name):
    with imports_undone():
        assert load_sample(spec, base).adapter.name == name


def test_routes_are_found_behind_middleware():
    class Middleware:
        def __init__(self, app):
            self.app = app

        def __call__(self, environ, start_response):
            return self.app(environ, start_response)

    with imports_undone():
        shop = load_sample("shop", APPS / "routes_bottle")
        adapter, inner = find_adapter(Middleware(Middleware(shop.app)))
        assert (adapter.name, inner) == ("bottle", shop.app)


def test_other_wsgi_apps_get_a_clear_error():
    result = run_flaskit(["routes", "--app", "plain_wsgi"], cwd=APPS / "disc_forms")
    assert result.returncode == 1
    assert "Flask, Django, Bottle, Falcon and Pyramid apps" in result.stderr
    assert "flaskit.route_adapters" in result.stderr


def make_plugin(tmp_path, target: str) -> dict[str, str]:
    """An installed package (a .dist-info on the path) exposing a route adapter."""
    dist = tmp_path / "flaskit_toy-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: flaskit-toy\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(f"[flaskit.route_adapters]\ntoy = {target}\n")
    (tmp_path / "toy_adapter.py").write_text(
        textwrap.dedent(
            """
            from flaskit.routes.model import Route

            class ToyAdapter:
                name = "toy"

                def accepts(self, app):
                    return hasattr(app, "toy_table") or hasattr(app, "url_map")

                def routes(self, app):
                    table = getattr(app, "toy_table", {"/from-plugin": "plugin_view"})
                    return [
                        Route(rule, ("GET",), view, f"toyapp.{view}", None, None, order=i)
                        for i, (rule, view) in enumerate(table.items())
                    ]
            """
        )
    )
    (tmp_path / "toyapp.py").write_text(
        textwrap.dedent(
            """
            class ToyApp:
                toy_table = {"/": "home", "/about": "about"}

                def __call__(self, environ, start_response):
                    start_response("200 OK", [])
                    return [b"toy"]

            app = ToyApp()
            """
        )
    )
    return {"PYTHONPATH": f"{tmp_path}:{REPO}"}


def test_a_third_party_adapter_reads_apps_the_built_in_ones_do_not(tmp_path):
    env = make_plugin(tmp_path, "toy_adapter:ToyAdapter")
    result = run_flaskit(["routes", "--app", "toyapp", "--json"], cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert [(r["rule"], r["endpoint"]) for r in json.loads(result.stdout)] == [
        ("/", "home"),
        ("/about", "about"),
    ]
    # It also claims Flask apps, but the built-in adapters are asked first.
    flask = run_flaskit(["routes", "--json"], cwd=APPS / "bigflask", env=env)
    assert "/from-plugin" not in {r["rule"] for r in json.loads(flask.stdout)}
    # It cannot resolve URLs, which --match says plainly.
    match = run_flaskit(["routes", "--app", "toyapp", "--match", "/"], cwd=tmp_path, env=env)
    assert match.returncode == 1
    assert "The 'toy' route adapter lists routes but cannot resolve a URL" in match.stderr


def test_a_broken_third_party_adapter_is_named_in_the_error(tmp_path):
    env = make_plugin(tmp_path, "toy_missing:ToyAdapter")
    result = run_flaskit(["routes", "--app", "toyapp"], cwd=tmp_path, env=env)
    assert result.returncode == 1
    assert (
        "The route adapter 'toy = toy_missing:ToyAdapter' of the package flaskit-toy "
        "(entry point group flaskit.route_adapters) failed to load: ModuleNotFoundError"
    ) in result.stderr
    assert "Traceback" not in result.stderr
