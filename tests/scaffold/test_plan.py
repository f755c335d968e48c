"""The plan: destinations, rendering rules, conditions, and what is refused."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from flaskit.scaffold.manifest import load_manifest
from flaskit.scaffold.plan import make_plan, own_modules
from flaskit.scaffold.render import TemplateError
from tests.scaffold.conftest import MakeTemplate

CONTEXT = {"project_name": "demo", "dist_name": "demo", "import_name": "demo", "flag": True}


def plan_for(root: Path, target: Path, **context: object):  # type: ignore[no-untyped-def]
    return make_plan(load_manifest(root, "tpl"), {**CONTEXT, **context}, target)


def test_names_are_rendered_and_jinja_suffix_dropped(make_template: MakeTemplate, tmp_path: Path):
    root = make_template(
        {
            "{{ import_name }}/__init__.py.jinja": "NAME = '{{ project_name }}'\n",
            "{{ import_name }}/templates/page.html": "{{ not_rendered }}",
            "README.md": "{{ also_not_rendered }}",
        }
    )
    plan = plan_for(root, tmp_path / "demo")
    by_path = {str(f.path): f for f in plan.files}
    assert set(by_path) == {"demo/__init__.py", "demo/templates/page.html", "README.md"}
    assert plan.content(by_path["demo/__init__.py"]) == b"NAME = 'demo'\n"
    assert plan.content(by_path["demo/templates/page.html"]) == b"{{ not_rendered }}"
    assert {f.action for f in plan.files} == {"create"}


def test_binary_files_are_copied_byte_for_byte(make_template: MakeTemplate, tmp_path: Path):
    blob = bytes(range(256)) + b"{{ x }}\r\n\x00"
    root = make_template({"static/logo.png": blob})
    plan = plan_for(root, tmp_path / "demo")
    assert plan.content(plan.files[0]) == blob


def test_conditional_files_and_folders(make_template: MakeTemplate, tmp_path: Path):
    manifest = """
[variables.flag]
type = "bool"
default = true

[[files]]
path = "Dockerfile"
when = "flag"

[[files]]
path = "docs"
when = "not flag"
"""
    root = make_template(
        {"Dockerfile.jinja": "FROM python", "docs/index.md": "x", "docs/a/b.md": "y", "keep": ""},
        manifest,
    )
    with_flag = {str(f.path) for f in plan_for(root, tmp_path / "a", flag=True).files}
    without = {str(f.path) for f in plan_for(root, tmp_path / "b", flag=False).files}
    assert with_flag == {"Dockerfile", "keep"}
    assert without == {"docs/index.md", "docs/a/b.md", "keep"}


def test_excluded_and_junk_files_are_skipped(make_template: MakeTemplate, tmp_path: Path):
    root = make_template(
        {"a.txt": "", "a.txt.orig": "", "__pycache__/x.pyc": b"", "b.pyc": b"", ".DS_Store": ""},
        'exclude = ["*.orig"]\n',
    )
    assert [str(f.path) for f in plan_for(root, tmp_path / "demo").files] == ["a.txt"]


@pytest.mark.parametrize("evil", ["../outside", "..", "/etc/passwd", "a/../../b", "c:evil", ""])
def test_a_rendered_path_outside_the_project_is_refused(
    make_template: MakeTemplate, tmp_path: Path, evil: str
):
    manifest = f'[variables.where]\ndefault = "{evil}"\n'
    root = make_template({"{{ where }}/x.txt": "x"}, manifest)
    target = tmp_path / "out" / "demo"
    with pytest.raises(TemplateError, match="outside the project folder"):
        plan_for(root, target, where=evil)
    assert not (tmp_path / "out").exists()


def test_symlinks_in_a_template_are_refused(make_template: MakeTemplate, tmp_path: Path):
    secret = tmp_path / "secret.txt"
    secret.write_text("password")
    root = make_template({"a.txt": "x"})
    (root / "link.txt").symlink_to(secret)
    with pytest.raises(TemplateError, match="symbolic link"):
        plan_for(root, tmp_path / "demo")


def test_two_files_with_one_destination(make_template: MakeTemplate, tmp_path: Path):
    root = make_template({"a.txt": "x", "a.txt.jinja": "y"})
    with pytest.raises(TemplateError, match=re.escape("Two template files produce a.txt")):
        plan_for(root, tmp_path / "demo")


def test_template_errors_name_the_file(make_template: MakeTemplate, tmp_path: Path):
    root = make_template({"bad.txt.jinja": "{{ undefined_thing }}"})
    plan = plan_for(root, tmp_path / "demo")
    with pytest.raises(TemplateError, match=r"bad.txt.jinja.*undefined_thing"):
        plan.content(plan.files[0])
    root2 = make_template({"syntax.txt.jinja": "line\n{% if %}"}, name="syntax")
    plan2 = make_plan(load_manifest(root2, "syntax"), CONTEXT, tmp_path / "demo2")
    with pytest.raises(TemplateError, match=re.escape("syntax.txt.jinja, line 2")):
        plan2.content(plan2.files[0])


def test_the_sandbox_keeps_templates_out_of_python(make_template: MakeTemplate, tmp_path: Path):
    root = make_template({"x.txt.jinja": "{{ ''.__class__.__mro__[1].__subclasses__() }}"})
    plan = plan_for(root, tmp_path / "demo")
    with pytest.raises(TemplateError, match="unsafe"):
        plan.content(plan.files[0])


def test_actions_in_an_existing_folder(make_template: MakeTemplate, tmp_path: Path):
    root = make_template(
        {"same.txt": "same", "changed.txt": "new", "new.txt": "new", "sub/file.txt": "x"}
    )
    target = tmp_path / "demo"
    target.mkdir()
    (target / "same.txt").write_text("same")
    (target / "changed.txt").write_text("old")
    (target / "sub").write_text("a file where a folder goes")
    (target / "mine.txt").write_text("not the template's")
    plan = plan_for(root, target)
    actions = {str(f.path): f.action for f in plan.files}
    assert actions == {
        "same.txt": "identical",
        "changed.txt": "conflict",
        "new.txt": "create",
        "sub/file.txt": "blocked",
    }
    assert plan.target_state == "non-empty"
    assert plan.others == 2  # mine.txt and the file "sub"


def test_a_folder_where_a_file_goes_is_blocked(make_template: MakeTemplate, tmp_path: Path):
    root = make_template({"a.txt": "x"})
    (tmp_path / "demo" / "a.txt").mkdir(parents=True)
    assert plan_for(root, tmp_path / "demo").files[0].action == "blocked"


def test_a_symlinked_folder_in_the_target_is_blocked(make_template: MakeTemplate, tmp_path: Path):
    root = make_template({"static/a.txt": "x"})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "static").symlink_to(elsewhere)
    (tmp_path / "demo" / "static" / "a.txt").write_text("old")
    assert plan_for(root, tmp_path / "demo").files[0].action == "blocked"


def test_a_file_as_target_is_refused(make_template: MakeTemplate, tmp_path: Path):
    root = make_template({"a.txt": "x"})
    (tmp_path / "demo").write_text("I am a file")
    with pytest.raises(TemplateError, match="not a folder"):
        plan_for(root, tmp_path / "demo")


@pytest.mark.parametrize(
    "name",
    [
        "b\x1b]0;pwned\x07.txt",
        "tab\there.txt",
        "new\nline.txt",
        "rtl\u202etxt.exe",
        "del\x7f",
        os.fsdecode(b"latin1-\xe9.txt"),  # not UTF-8
    ],
)
def test_control_characters_in_file_names_are_refused_and_shown_escaped(
    make_template: MakeTemplate, tmp_path: Path, name: str
):
    root = make_template({"a.txt": "x"})
    (root / name).write_text("x")
    with pytest.raises(TemplateError, match="control character") as caught:
        plan_for(root, tmp_path / "demo")
    message = caught.value.message
    assert not any(c in message for c in "\x1b\x07\t\n\u202e\x7f\udce9"), repr(message)
    assert ascii(name)[1:-1] in message  # shown escaped, so the user can find the file


@pytest.mark.parametrize("template_path", ["{{ name }}.txt", "{{ name }}/a.txt"])
def test_a_file_name_too_long_for_the_file_system_is_refused(
    make_template: MakeTemplate, tmp_path: Path, template_path: str
):
    root = make_template({template_path: "x"}, '[variables.name]\ndefault = "n"\n')
    with pytest.raises(TemplateError, match="longer than the 255 bytes"):
        plan_for(root, tmp_path / "demo", name="x" * 300)


def test_own_modules_are_the_names_a_package_would_clash_with():
    from flaskit.scaffold.catalog import find_template

    manifest = find_template("package", None, Path.cwd()).load()
    taken = own_modules(manifest)
    assert taken["wsgi"] == "wsgi.py"
    assert taken["conftest"] == "tests/conftest.py"
    assert taken["test_app"] == "tests/test_app.py"
    assert taken["tests"] == "the folder tests/"
    assert "views" not in taken  # inside the project's own package: no clash
    assert "__init__" not in taken
    module = find_template("module", None, Path.cwd()).load()
    assert own_modules(module) == {}  # no package named after the project
