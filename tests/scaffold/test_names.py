"""Project names: derived names, and every kind of refusal with a working suggestion."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from flaskit.cli import cli
from flaskit.scaffold.names import (
    BadProjectName,
    derive_names,
    installed_search_path,
    name_problem,
)
from tests.helpers import separate_stderr_runner


@pytest.mark.parametrize(
    ("typed", "dist", "imported"),
    [
        ("my-shop", "my-shop", "my_shop"),
        ("My_Shop", "my-shop", "my_shop"),
        ("my.shop", "my-shop", "my_shop"),
        ("shop2", "shop2", "shop2"),
        ("a--b__c", "a-b-c", "a_b_c"),
    ],
)
def test_names_are_derived(typed: str, dist: str, imported: str) -> None:
    names = derive_names(typed)
    assert (names.project_name, names.dist_name, names.import_name) == (typed, dist, imported)


BAD_NAMES = {
    "not an identifier": ("2shop", "not a valid Python identifier"),
    "invalid characters": ("my shop", "not a valid project name"),
    "non-ascii": ("café", "not a valid project name"),
    "keyword": ("class", "Python keyword"),
    "keyword after normalising": ("Import", "Python keyword"),
    "standard library": ("email", "standard-library module"),
    "standard library after normalising": ("Json", "standard-library module"),
    "flask": ("flask", "is taken"),
    "werkzeug": ("werkzeug", "is taken"),
    "jinja2": ("jinja2", "is taken"),
    "click": ("click", "is taken"),
    "test": ("test", "is taken"),
    "tests": ("tests", "is taken"),
    "conftest": ("conftest", "is taken"),
    "too long": ("a" * 300, "300 characters long"),
    "empty": ("", "empty"),
}


@pytest.mark.parametrize("case", BAD_NAMES, ids=list(BAD_NAMES))
def test_bad_names_are_refused_with_a_suggestion_that_works(case: str) -> None:
    name, reason = BAD_NAMES[case]
    with pytest.raises(BadProjectName) as caught:
        derive_names(name)
    message = caught.value.message
    assert reason in message
    assert caught.value.exit_code == 2
    if name:
        suggested = re.search(r"flaskit new (\S+)$", message)
        assert suggested, message
        assert name_problem(suggested.group(1)) is None


def test_a_name_that_shadows_an_installed_module(tmp_path: Path) -> None:
    site = tmp_path / "site-packages"
    (site / "shopkit").mkdir(parents=True)
    (site / "shopkit" / "__init__.py").write_text("")
    (site / "namespace_only").mkdir()  # a bare folder is not an installed module
    with pytest.raises(BadProjectName, match=r"shadow the installed module 'shopkit'"):
        derive_names("ShopKit", [str(site)])
    assert derive_names("namespace-only", [str(site)]).import_name == "namespace_only"


def test_really_installed_modules_are_found() -> None:
    search_path = installed_search_path([])
    with pytest.raises(BadProjectName, match="installed module 'pytest'"):
        derive_names("pytest", search_path)


def test_installed_search_path_leaves_out_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "__init__.py").write_text("")
    assert str(tmp_path) not in installed_search_path([])
    # The project being re-generated with --force does not shadow itself.
    assert derive_names("demo", installed_search_path([])).import_name == "demo"


@pytest.mark.parametrize(
    ("name", "fix"),
    [
        ("projects/shop", "flaskit new shop --output-dir projects"),
        ("../shop", "flaskit new shop --output-dir .."),
        ("..", "--output-dir .."),
        ("a\\b", "flaskit new b --output-dir a"),
        ("/tmp/shop", "flaskit new shop --output-dir /tmp"),
    ],
)
def test_paths_are_refused_and_the_option_is_suggested(name: str, fix: str) -> None:
    with pytest.raises(BadProjectName) as caught:
        derive_names(name)
    assert "is a path" in caught.value.message
    assert fix in caught.value.message


def test_hidden_names_are_refused() -> None:
    with pytest.raises(BadProjectName, match=re.escape("must not start with '.'")):
        derive_names(".shop")


@pytest.mark.parametrize(
    "name", ["email", "class", "projects/shop", "2shop", "flask", "conftest", "a" * 300]
)
def test_the_command_refuses_before_writing_anything(tmp_path: Path, name: str) -> None:
    result = separate_stderr_runner().invoke(cli, ["new", name, "--no-input", "-o", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert "Error:" in result.stderr
    assert "flaskit new" in result.stderr  # the suggestion
    assert list(tmp_path.iterdir()) == []
