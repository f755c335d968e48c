"""App discovery: every spec form, auto-discovery, and each distinct error."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from flaskit.config import Setting
from flaskit.discovery import Call, auto_discover, load, locate, parse_spec
from flaskit.errors import AppDiscoveryError
from tests.helpers import APPS, run_flaskit

pytestmark = pytest.mark.usefixtures("isolated_imports")

FORMS = APPS / "disc_forms"
ERRORS = APPS / "disc_errors"


def load_spec(spec: str, base: Path = FORMS):
    return load(parse_spec(spec, base))


# --- parsing (no import) ---------------------------------------------------


def test_module_name_spec_is_not_imported():
    target = parse_spec("plain_wsgi", FORMS)
    assert target.import_name == "plain_wsgi"
    assert target.attribute is None
    assert target.search_path == FORMS
    assert target.module_file == FORMS / "plain_wsgi.py"
    import sys

    assert "plain_wsgi" not in sys.modules


def test_factory_call_with_literal_arguments_is_parsed():
    target = parse_spec("factory_args:create_app('dev', debug=True, extra=[1, {'a': None}])", FORMS)
    assert target.attribute == "create_app"
    assert target.call == Call(("dev",), (("debug", True), ("extra", [1, {"a": None}])))
    assert target.describe() == "factory_args:create_app('dev', debug=True, extra=[1, {'a': None}])"


@pytest.mark.parametrize(
    ("spec", "fragment"),
    [
        ("factory_args:create_app(os.environ)", "literal arguments only"),
        ("factory_args:create_app(", "Cannot parse"),
        ("factory_args:app.thing", "not a name or a call"),
        ("factory_args:create_app(**{'a': 1})", "'**' arguments are not supported"),
        ("not a module", "neither an importable module name nor an existing file"),
        ("   ", "is empty"),
    ],
)
def test_malformed_specs_are_refused_before_importing(spec, fragment):
    with pytest.raises(AppDiscoveryError, match=None) as info:
        parse_spec(spec, FORMS)
    assert fragment in info.value.message
    assert info.value.exit_code == 2


def test_file_path_spec_walks_up_through_packages():
    target = parse_spec("proj/web/server.py", APPS / "disc_nested")
    assert target.import_name == "proj.web.server"
    assert target.search_path == APPS / "disc_nested"
    loaded = load(target)
    assert loaded.app.test_client().get("/").text == "hello from a relative import"


def test_path_inside_a_package_from_another_directory(tmp_path):
    # The spec is relative to the base directory, wherever that is.
    target = parse_spec(str(APPS / "disc_nested" / "proj" / "web" / "server.py") + ":app", tmp_path)
    assert target.import_name == "proj.web.server"
    assert target.attribute == "app"


def test_package_folder_and_init_file_specs():
    by_folder = parse_spec("shop/", APPS / "disc_auto_pkg")
    by_init = parse_spec("shop/__init__.py", APPS / "disc_auto_pkg")
    assert by_folder.import_name == by_init.import_name == "shop"
    assert by_folder.search_path == APPS / "disc_auto_pkg"


def test_missing_file_and_non_package_folder():
    with pytest.raises(AppDiscoveryError, match="does not exist"):
        parse_spec("nope/missing.py", FORMS)
    with pytest.raises(AppDiscoveryError, match="not a Python package"):
        parse_spec("disc_forms/", APPS)


def test_windows_drive_letter_is_not_an_attribute_separator():
    with pytest.raises(AppDiscoveryError, match="does not exist"):
        parse_spec("C:\\projects\\hello.py", FORMS)


def test_locate_uses_the_setting_base_dir_or_auto_discovers():
    from_pyproject = Setting("shop:create_app()", "[tool.flaskit] app", APPS / "disc_auto_pkg")
    target = locate(from_pyproject, cwd=FORMS)
    assert target.search_path == APPS / "disc_auto_pkg"
    assert target.origin == "[tool.flaskit] app"
    discovered = locate(Setting(None, "default", APPS / "disc_auto_app"), APPS / "disc_auto_app")
    assert discovered.origin == "auto-discovered app.py"


# --- auto-discovery ----------------------------------------------------------


def test_auto_discovery_prefers_wsgi_py_over_app_py():
    target = auto_discover(APPS / "disc_auto_wsgi")
    assert target.import_name == "wsgi"
    assert load(target).app.test_client().get("/").text == "from wsgi.py"


def test_auto_discovery_finds_app_py():
    assert (
        load(auto_discover(APPS / "disc_auto_app")).app.test_client().get("/").text == "from app.py"
    )


def test_auto_discovery_finds_the_package_with_a_factory():
    target = auto_discover(APPS / "disc_auto_pkg")
    assert target.import_name == "shop"
    loaded = load(target)
    assert loaded.found_as == "create_app()"
    assert loaded.app.test_client().get("/").text == "shop"


def test_auto_discovery_with_two_factory_packages_asks_to_choose():
    with pytest.raises(AppDiscoveryError) as info:
        auto_discover(APPS / "disc_two_pkgs")
    assert "--app alpha, --app beta" in info.value.message


def test_auto_discovery_with_nothing_says_how_to_fix(tmp_path):
    with pytest.raises(AppDiscoveryError) as info:
        auto_discover(tmp_path)
    message = info.value.message
    assert "No app found" in message
    assert "FLASKIT_APP" in message
    assert "--app" in message


# --- finding the app inside a module ---------------------------------------


def test_plain_wsgi_function_is_an_app():
    loaded = load_spec("plain_wsgi")
    assert loaded.found_as == "app"
    assert loaded.app.__name__ == "app"


def test_named_wsgi_function_is_used_not_called():
    assert load_spec("named_wsgi_function:serve").found_as == "serve"


def test_app_is_preferred_to_application():
    assert load_spec("app_and_application").app.name == "first"


def test_application_is_found():
    assert load_spec("application_name").found_as == "application"


def test_the_only_instance_is_found_and_proxies_are_ignored():
    loaded = load_spec("only_instance")
    assert loaded.found_as == "api"
    assert isinstance(loaded.app, Flask)


def test_a_factory_is_called_when_there_is_no_app_object():
    assert load_spec("factory_only").found_as == "make_app()"


def test_factory_named_without_parentheses_is_called():
    loaded = load_spec("factory_args:create_app")
    assert loaded.app.config["ENV_NAME"] == "production"


def test_factory_arguments_reach_the_factory():
    app = load_spec("factory_args:create_app('staging', debug=True)").app
    assert (app.config["ENV_NAME"], app.config["DEBUG_FLAG"]) == ("staging", True)


def test_middleware_wrapped_app_is_returned_as_is():
    app = load_spec("wrapped").app
    assert type(app).__name__ == "ProxyFix"


# --- errors -----------------------------------------------------------------


def error_for(spec: str, base: Path = ERRORS) -> str:
    with pytest.raises(AppDiscoveryError) as info:
        load(parse_spec(spec, base))
    assert info.value.exit_code == 2
    return info.value.message


def test_module_not_found_names_the_module_and_folder():
    message = error_for("no_such_module")
    assert "Could not import 'no_such_module'" in message
    assert str(ERRORS) in message


def test_import_error_inside_the_module_is_not_reported_as_not_found():
    message = error_for("missing_dependency")
    assert "Error while importing 'missing_dependency'" in message
    assert "No module named 'no_such_dependency_for_flaskit_tests'" in message
    assert "missing_dependency.py:3" in message


def test_exception_at_import_shows_message_and_line():
    message = error_for("raises_at_import")
    assert "RuntimeError: database URL is not configured" in message
    assert "raises_at_import.py:4" in message


def test_syntax_error_shows_file_and_line():
    message = error_for("syntax_error")
    assert "SyntaxError" in message
    assert "syntax_error.py:3" in message


def test_sys_exit_at_import_is_reported_not_obeyed():
    message = error_for("exits_at_import")
    assert "SystemExit: this module calls sys.exit when imported" in message


def test_missing_attribute_lists_the_candidates():
    message = error_for("has_app:nope")
    assert "has no attribute 'nope'" in message
    assert "app, create_app" in message


def test_factory_called_with_wrong_arguments():
    message = error_for("factory_needs_args")
    assert "cannot be called as create_app()" in message
    assert "missing a required argument: 'config_name'" in message
    assert "Pass the arguments it needs" in message


def test_type_error_inside_the_factory_is_an_error_in_user_code():
    message = error_for("factory_type_error")
    assert "Error while calling factory_type_error:create_app()" in message
    assert "TypeError" in message
    assert "factory_type_error.py:6" in message
    assert "cannot be called as" not in message


def test_factory_returning_none_is_not_an_app():
    assert "is a NoneType, not a WSGI application" in error_for("factory_returns_none")


def test_object_not_callable():
    message = error_for("not_callable:app")
    assert "'not_callable:app' is a str, not a WSGI application" in message


def test_calling_something_that_is_not_a_function():
    assert "cannot be called as settings()" in error_for("not_callable:settings()")


def test_several_candidates_are_listed():
    message = error_for("several_apps")
    assert "several WSGI apps (admin, api)" in message
    assert "--app 'several_apps:admin'" in message


def test_no_app_in_module():
    assert "No WSGI app found in module 'nothing_here'" in error_for("nothing_here")


def test_file_shadowed_by_a_standard_library_module():
    message = error_for("json.py", APPS / "disc_shadow")
    assert "shadows your file" in message
    assert "Rename json.py" in message


# --- through the command line ----------------------------------------------


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("no_such_module", "Could not import 'no_such_module'"),
        ("raises_at_import", "database URL is not configured"),
        ("factory_needs_args", "cannot be called as create_app()"),
        ("several_apps", "several WSGI apps"),
    ],
)
def test_cli_errors_exit_2_without_traceback(spec, expected):
    result = run_flaskit(["routes", "--app", spec], cwd=ERRORS)
    assert result.returncode == 2, result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_verbose_shows_the_traceback():
    result = run_flaskit(["--verbose", "routes", "--app", "raises_at_import"], cwd=ERRORS)
    assert result.returncode == 2
    assert "Traceback (most recent call last)" in result.stderr
    assert 'raise RuntimeError("database URL is not configured")' in result.stderr


def test_flask_app_environment_variable_is_used():
    result = run_flaskit(["routes"], cwd=FORMS, env={"FLASK_APP": "overlapping"})
    assert result.returncode == 0, result.stderr
    assert "/users/me" in result.stdout


def test_flaskit_app_wins_over_flask_app():
    env = {"FLASK_APP": "no_such_module", "FLASKIT_APP": "overlapping"}
    result = run_flaskit(["routes"], cwd=FORMS, env=env)
    assert result.returncode == 0, result.stderr


def test_positional_and_option_must_agree():
    result = run_flaskit(["routes", "overlapping", "--app", "decorated"], cwd=FORMS)
    assert result.returncode == 2
    assert "Two different apps" in result.stderr


# --- candidates, explained ---------------------------------------------------


def test_a_factory_needing_arguments_names_the_callables_the_module_has():
    """Issue 12.8: Falcon's tutorial module: create_app(image_store), and get_app()."""
    message = error_for("look.app", APPS / "disc_look")
    assert "look.app:create_app(): the factory look.app:create_app(image_store)" in message
    assert "Callables the module has: create_app(image_store), get_app()" in message
    assert "--app 'look.app:get_app()'" in message
    # and the spec it suggests works, with the real Falcon
    loaded = load_spec("look.app:get_app()", APPS / "disc_look")
    assert type(loaded.app).__module__.startswith("falcon")


def test_the_module_search_lists_every_place_it_looked():
    message = error_for("nothing_here")
    tried = message.split("Tried, in order:\n")[1].splitlines()
    assert tried[:5] == [
        "  1. nothing_here:app: no attribute 'app'",
        "  2. nothing_here:application: no attribute 'application'",
        "  3. the only app object: the module holds none",
        "  4. nothing_here:create_app(): no attribute 'create_app'",
        "  5. nothing_here:make_app(): no attribute 'make_app'",
    ]
    assert "App 'nothing_here' from option --app." in message
    assert "Callables the module has: helper()" in message


def test_auto_discovery_moves_on_from_a_module_without_an_app(tmp_path):
    (tmp_path / "wsgi.py").write_text("SETTING = 1\n")
    (tmp_path / "app.py").write_text(
        "def app(environ, start_response):\n    start_response('200 OK', [])\n    return [b'']\n"
    )
    loaded = load(auto_discover(tmp_path))
    assert loaded.target.import_name == "app"


def test_auto_discovery_stops_at_an_error_in_the_users_code(tmp_path):
    (tmp_path / "wsgi.py").write_text("raise RuntimeError('wsgi.py is broken')\n")
    (tmp_path / "app.py").write_text("def app(environ, start_response):\n    return []\n")
    with pytest.raises(AppDiscoveryError) as info:
        load(auto_discover(tmp_path))
    message = info.value.message
    assert "RuntimeError: wsgi.py is broken" in message
    assert "wsgi.py:1" in message
    assert "1. wsgi.py: failed with the error above" in message
    assert "2. app.py" not in message  # never tried: wsgi.py's error stops the search


def test_auto_discovery_failure_lists_every_candidate_in_order(tmp_path):
    (tmp_path / "wsgi.py").write_text("VALUE = 1\n")
    with pytest.raises(AppDiscoveryError) as info:
        load(auto_discover(tmp_path))
    message = info.value.message
    assert "from auto-discovery (no app was named with --app, FLASKIT_APP, FLASK_APP" in message
    tried = message.split("Tried, in order:\n")[1].splitlines()
    assert tried[0].startswith("  1. wsgi.py: imported, but it holds no app")
    assert tried[1:4] == [
        "  2. app.py: no such file",
        "  3. manage.py (Django): no such file",
        f"  4. a package with create_app() or make_app(): no package in {tmp_path} defines "
        "or imports one",
    ]


def test_a_django_project_is_found_through_manage_py():
    target = auto_discover(APPS / "cli_django")
    assert (target.import_name, target.attribute) == ("mysite.wsgi", "application")
    # manage.py's settings, not wsgi.py's: the development ones, as runserver uses.
    assert target.environ == (("DJANGO_SETTINGS_MODULE", "mysite.settings.dev"),)
    assert "manage.py" in target.origin
    assert target.module_file == APPS / "cli_django" / "mysite" / "wsgi.py"


def test_manage_py_without_settings_is_explained(tmp_path):
    (tmp_path / "manage.py").write_text("print('not django')\n")
    with pytest.raises(AppDiscoveryError, match=r"manage.py \(Django\): it does not set"):
        auto_discover(tmp_path)


# --- every failure kind through the real command line ----------------------


@pytest.mark.parametrize(
    ("args", "cwd", "expected"),
    [
        # the file does not exist
        (["--app", "missing.py"], ERRORS, ["1. missing.py: no such file (looked for"]),
        # an import error, with its file:line
        (
            ["--app", "raises_at_import"],
            ERRORS,
            ["raises_at_import.py:4", "1. raises_at_import: failed with the error above"],
        ),
        # no such attribute
        (["--app", "has_app:nope"], ERRORS, ["1. has_app:nope: the module has no attribute"]),
        # a factory that needs arguments, with its signature
        (
            ["--app", "factory_needs_args"],
            ERRORS,
            ["factory_needs_args:create_app(config_name) cannot be called as create_app()"],
        ),
        # not a WSGI callable
        (["--app", "not_callable:app"], ERRORS, ["1. not_callable:app: 'not_callable:app' is a"]),
        # a module that does not exist
        (["--app", "no_such_module"], ERRORS, ["1. no_such_module: no module named"]),
        # nothing at all to discover
        ([], None, ["1. wsgi.py: no such file", "3. manage.py (Django)"]),
    ],
)
@pytest.mark.parametrize("command", ["routes", "shell"])
def test_every_discovery_failure_through_the_cli(command, args, cwd, expected, tmp_path):
    result = run_flaskit([command, *args], cwd=cwd or tmp_path, input="")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "Tried, in order:" in result.stderr
    for text in expected:
        assert text in result.stderr
    origin = "from option --app" if args else "from auto-discovery"
    assert origin in result.stderr


def test_the_spec_from_flaskenv_is_named_as_the_origin(tmp_path):
    (tmp_path / ".flaskenv").write_text("FLASK_APP=hello:nope\n")
    (tmp_path / "hello.py").write_text("def app(environ, start_response):\n    return []\n")
    result = run_flaskit(["routes"], cwd=tmp_path)
    assert result.returncode == 2
    assert f"App 'hello:nope' from FLASK_APP in {tmp_path / '.flaskenv'}." in result.stderr


def test_the_spec_from_the_group_option_and_from_pyproject_are_named(tmp_path):
    (tmp_path / "hello.py").write_text("def app(environ, start_response):\n    return []\n")
    group = run_flaskit(["-A", "hello:nope", "routes"], cwd=tmp_path)
    assert group.returncode == 2
    assert "App 'hello:nope' from option -A/--app." in group.stderr
    (tmp_path / "pyproject.toml").write_text('[tool.flaskit]\napp = "hello:gone"\n')
    pyproject = run_flaskit(["shell"], cwd=tmp_path, input="")
    assert pyproject.returncode == 2
    assert "App 'hello:gone' from [tool.flaskit] app in" in pyproject.stderr
    assert "Traceback" not in group.stderr + pyproject.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--app", "missing.py"], "1. missing.py: no such file"),
        ([], "4. a package with create_app() or make_app(): no package"),
    ],
)
def test_run_refuses_before_serving_when_there_is_no_app_to_import(args, expected, tmp_path):
    """run locates the app without importing it: what it cannot find, it says at once."""
    result = run_flaskit(["run", *args], cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
