"""Variables: --var, defaults, and prompts driven by a fake terminal input."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from flaskit.errors import UsageProblem
from flaskit.scaffold.answers import (
    RichPrompter,
    convert,
    parse_var_options,
    settle,
)
from flaskit.scaffold.manifest import Manifest, Value, Variable, load_manifest
from flaskit.scaffold.names import derive_names
from flaskit.scaffold.render import TemplateError

MANIFEST = """
description = "test"

[variables.title]
default = "{{ project_name | title }} site"
pattern = "[A-Za-z -]+"
help = "letters and spaces"

[variables.port]
type = "int"
default = 8000

[variables.db]
default = "sqlite"
choices = ["sqlite", "postgres"]

[variables.docker]
type = "bool"
default = false
"""


@pytest.fixture
def manifest(tmp_path: Path) -> Manifest:
    (tmp_path / "template.toml").write_text(MANIFEST)
    return load_manifest(tmp_path, "test")


def test_parse_var_options() -> None:
    assert parse_var_options(["a=1", "b=x=y", "c="]) == {"a": "1", "b": "x=y", "c": ""}
    with pytest.raises(UsageProblem, match="not KEY=VALUE"):
        parse_var_options(["novalue"])
    with pytest.raises(UsageProblem, match="not KEY=VALUE"):
        parse_var_options(["bad key=1"])


def test_defaults_are_rendered_with_earlier_values(manifest: Manifest) -> None:
    values = settle(manifest, derive_names("my-shop"), {}, None).values
    assert values == {
        "project_name": "my-shop",
        "dist_name": "my-shop",
        "import_name": "my_shop",
        "flaskit_version": values["flaskit_version"],
        "title": "My-Shop site",
        "port": 8000,
        "db": "sqlite",
        "docker": False,
    }


def test_given_values_are_converted_and_checked(manifest: Manifest) -> None:
    given = {"port": "9000", "db": "postgres", "docker": "yes", "title": "Shop"}
    values = settle(manifest, derive_names("shop"), given, None).values
    assert (values["port"], values["db"], values["docker"], values["title"]) == (
        9000,
        "postgres",
        True,
        "Shop",
    )


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"port": "eighty"}, "whole number"),
        ({"db": "mysql"}, "must be one of: sqlite, postgres"),
        ({"docker": "maybe"}, "yes or no"),
        ({"title": "Shop #1"}, "must match"),
        ({"colour": "red"}, "has no variable colour"),
        ({"project_name": "x"}, "NAME argument"),
        ({"import_name": "class"}, "keyword"),
    ],
)
def test_bad_given_values_are_usage_errors(
    manifest: Manifest, given: dict[str, str], message: str
) -> None:
    with pytest.raises(UsageProblem, match=message):
        settle(manifest, derive_names("shop"), given, None)


def test_derived_names_can_be_overridden(manifest: Manifest) -> None:
    given = {"import_name": "shopapp", "dist_name": "Shop.App"}
    names = settle(manifest, derive_names("shop"), given, None).names
    assert (names.dist_name, names.import_name) == ("shop-app", "shopapp")


def test_an_invalid_default_is_a_template_error(tmp_path: Path) -> None:
    (tmp_path / "template.toml").write_text(
        '[variables.title]\ndefault = "{{ project_name }}"\npattern = "[a-z]+"\n'
    )
    broken = load_manifest(tmp_path, "broken")
    with pytest.raises(TemplateError, match="invalid default"):
        settle(broken, derive_names("shop2"), {}, None)


class ScriptedPrompter:
    """Answers with the default, recording what was asked."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, Value]] = []

    def ask(self, variable: Variable, default: Value) -> Value:
        self.asked.append((variable.name, default))
        return default


def test_only_variables_not_given_are_asked(manifest: Manifest) -> None:
    prompter = ScriptedPrompter()
    settle(manifest, derive_names("shop"), {"port": "1"}, prompter)
    assert prompter.asked == [("title", "Shop site"), ("db", "sqlite"), ("docker", False)]


def prompt(variable: Variable, default: Value, typed: str) -> tuple[Value, str]:
    """Drive the rich prompter with typed lines; return the answer and the screen."""
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=False, width=200)
    answer = RichPrompter(console, io.StringIO(typed)).ask(variable, default)
    return answer, screen.getvalue()


def test_prompt_shows_the_default_and_accepts_enter(manifest: Manifest) -> None:
    variable = manifest.variable("title")
    assert variable is not None
    answer, screen = prompt(variable, "Shop site", "\n")
    assert answer == "Shop site"
    assert "title (letters and spaces)" in screen
    assert "(Shop site)" in screen


def test_prompt_explains_a_bad_answer_and_asks_again(manifest: Manifest) -> None:
    variable = manifest.variable("title")
    assert variable is not None
    answer, screen = prompt(variable, "Shop site", "Shop #1\nBest Shop\n")
    assert answer == "Best Shop"
    assert "'Shop #1' is not a valid title (letters and spaces)" in screen
    assert screen.count("title (letters and spaces) (Shop site): ") == 2


def test_prompt_offers_choices_and_refuses_others(manifest: Manifest) -> None:
    variable = manifest.variable("db")
    assert variable is not None
    answer, screen = prompt(variable, "sqlite", "mysql\npostgres\n")
    assert answer == "postgres"
    assert "[sqlite/postgres]" in screen
    assert screen.count("db [sqlite/postgres]") == 2


def test_prompt_bool_and_int(manifest: Manifest) -> None:
    docker = manifest.variable("docker")
    port = manifest.variable("port")
    assert docker is not None
    assert port is not None
    assert prompt(docker, False, "y\n")[0] is True
    answer, screen = prompt(port, 8000, "http\n8080\n")
    assert answer == 8080
    assert "port is a whole number, not 'http'" in screen


def test_prompt_gives_up_after_many_bad_answers(manifest: Manifest) -> None:
    variable = manifest.variable("title")
    assert variable is not None
    with pytest.raises(UsageProblem, match="--var title=VALUE"):
        prompt(variable, "Shop site", "#\n" * 20)


def test_convert_bool_words() -> None:
    flag = Variable("flag", "bool", False)
    assert [convert(flag, t) for t in ("yes", "Y", "true", "1", "no", "off")] == [
        True,
        True,
        True,
        True,
        False,
        False,
    ]


def test_prompt_at_the_end_of_input_is_a_clear_error(manifest: Manifest) -> None:
    variable = manifest.variable("title")
    assert variable is not None

    class ClosedInput(io.StringIO):
        def readline(self, size: int | None = -1) -> str:
            raise EOFError

    console = Console(file=io.StringIO())
    with pytest.raises(UsageProblem, match="the input ended"):
        RichPrompter(console, ClosedInput()).ask(variable, "Shop site")
