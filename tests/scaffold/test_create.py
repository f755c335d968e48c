"""create_project: the safety rules (nothing lost, all or nothing) and template sources."""

from __future__ import annotations

import io
import os
import re
import stat
from pathlib import Path

import pytest

from flaskit.errors import FlaskitError, UsageProblem
from flaskit.scaffold.catalog import find_template, list_templates
from flaskit.scaffold.create import Interrupted, ProjectExists, show_templates
from flaskit.scaffold.render import TemplateError
from tests.scaffold.conftest import Create, MakeTemplate, snapshot, write_tree

TEMPLATE = {
    "README.md.jinja": "# {{ project_name }}\n",
    "{{ import_name }}/__init__.py.jinja": "NAME = '{{ import_name }}'\n",
    "{{ import_name }}/templates/base.html": "<title>{{ config.SITE }}</title>\n",
    "run.sh": "#!/bin/sh\necho hi\n",
}


@pytest.fixture
def template(make_template: MakeTemplate) -> Path:
    root = make_template(TEMPLATE)
    (root / "run.sh").chmod(0o755)
    return root


def test_creates_the_project(create: Create, output: Path, template: Path) -> None:
    outcome = create("my-shop", template=str(template))
    project = output / "my-shop"
    assert (project / "README.md").read_text() == "# my-shop\n"
    assert (project / "my_shop" / "__init__.py").read_text() == "NAME = 'my_shop'\n"
    assert (project / "my_shop/templates/base.html").read_text() == TEMPLATE[
        "{{ import_name }}/templates/base.html"
    ]
    assert os.access(project / "run.sh", os.X_OK)
    assert not os.access(project / "README.md", os.X_OK)
    assert len(outcome.written) == 4
    assert sorted(p.name for p in output.iterdir()) == ["my-shop"]  # no staging folder left
    printed = create.printed  # type: ignore[attr-defined]
    assert "distribution name  my-shop" in printed
    assert "import name        my_shop" in printed
    assert "create     my_shop/__init__.py" in printed
    assert "Done: wrote 4 file(s)" in printed


def test_generated_folders_follow_the_umask(create: Create, output: Path, template: Path) -> None:
    create("demo", template=str(template))
    reference = output / "made-by-mkdir"
    reference.mkdir()
    expected = stat.S_IMODE(reference.stat().st_mode)
    assert stat.S_IMODE((output / "demo").stat().st_mode) == expected  # not mkdtemp's 0700
    assert stat.S_IMODE((output / "demo" / "demo").stat().st_mode) == expected


def test_an_existing_project_is_untouched_byte_for_byte(
    create: Create, output: Path, template: Path
) -> None:
    project = output / "demo"
    write_tree(project, {"README.md": "# my notes\n", "demo/__init__.py": "NAME = 'demo'\n"})
    (project / "data.db").write_bytes(b"\x00\x01")
    before = snapshot(output)
    with pytest.raises(ProjectExists) as caught:
        create("demo", template=str(template))
    assert snapshot(output) == before
    message = caught.value.message
    assert "already exists and is not empty: nothing was written" in message
    assert "These files differ from the template's: README.md." in message
    assert "--force" in message
    assert caught.value.exit_code == 1


def test_force_overwrites_only_template_files_and_deletes_nothing(
    create: Create, output: Path, template: Path
) -> None:
    project = output / "demo"
    write_tree(project, {"README.md": "# my notes\n", "notes.txt": "mine", "demo/extra.py": "x"})
    outcome = create("demo", template=str(template), force=True)
    assert (project / "README.md").read_text() == "# demo\n"
    assert (project / "notes.txt").read_text() == "mine"
    assert (project / "demo" / "extra.py").read_text() == "x"
    assert (project / "demo" / "__init__.py").is_file()
    assert {str(f.path) for f in outcome.written} == {
        "README.md",
        "demo/__init__.py",
        "demo/templates/base.html",
        "run.sh",
    }
    assert "overwrite  README.md" in create.printed  # type: ignore[attr-defined]
    assert not [p for p in project.iterdir() if p.name.startswith(".flaskit-new-")]


def test_force_leaves_identical_files_alone(create: Create, output: Path, template: Path) -> None:
    create("demo", template=str(template))
    readme = output / "demo" / "README.md"
    os.utime(readme, (1, 1))
    outcome = create("demo", template=str(template), force=True)
    assert outcome.written == ()
    assert readme.stat().st_mtime == 1


def test_force_never_replaces_a_folder_with_a_file(
    create: Create, output: Path, template: Path
) -> None:
    write_tree(output / "demo", {"README.md/keep.txt": "a folder named README.md"})
    before = snapshot(output)
    with pytest.raises(ProjectExists, match=re.escape("flaskit never deletes: README.md")):
        create("demo", template=str(template), force=True)
    assert snapshot(output) == before


def test_an_empty_folder_is_filled(create: Create, output: Path, template: Path) -> None:
    (output / "demo").mkdir()
    create("demo", template=str(template))
    assert (output / "demo" / "README.md").is_file()


def test_dry_run_writes_nothing(create: Create, output: Path, template: Path) -> None:
    outcome = create("demo", template=str(template), dry_run=True)
    assert list(output.iterdir()) == []
    assert outcome.written == ()
    printed = create.printed  # type: ignore[attr-defined]
    assert "create     demo/__init__.py" in printed
    assert "Dry run: nothing was written. 4 file(s) would be written." in printed


def test_dry_run_on_an_existing_project(create: Create, output: Path, template: Path) -> None:
    write_tree(output / "demo", {"README.md": "mine"})
    before = snapshot(output)
    create("demo", template=str(template), dry_run=True)
    printed = create.printed  # type: ignore[attr-defined]
    assert snapshot(output) == before
    assert "conflict   README.md" in printed
    assert "Without --force, writing would be refused" in printed
    create("demo", template=str(template), dry_run=True, force=True)
    assert "overwrite  README.md" in create.printed  # type: ignore[attr-defined]
    assert snapshot(output) == before


def test_a_template_error_half_way_leaves_nothing(
    create: Create, output: Path, make_template: MakeTemplate
) -> None:
    root = make_template({"a_fine.txt": "ok", "b/c.txt": "ok", "z_broken.txt.jinja": "{{ nope }}"})
    with pytest.raises(TemplateError, match="No project was created: nothing was written"):
        create("demo", template=str(root))
    assert list(output.iterdir()) == []


def test_a_template_error_with_force_leaves_the_project_as_it_was(
    create: Create, output: Path, make_template: MakeTemplate
) -> None:
    root = make_template({"a_fine.txt": "new", "z_broken.txt.jinja": "{{ nope }}"})
    write_tree(output / "demo", {"a_fine.txt": "old"})
    before = snapshot(output)
    with pytest.raises(TemplateError, match="is as it was"):
        create("demo", template=str(root), force=True)
    assert snapshot(output) == before


@pytest.mark.parametrize("failure", [KeyboardInterrupt, OSError])
@pytest.mark.parametrize("fail_at", [1, 2, 5, 6])
def test_a_failure_while_moving_files_in_is_undone(
    create: Create,
    output: Path,
    template: Path,
    monkeypatch: pytest.MonkeyPatch,
    failure: type[BaseException],
    fail_at: int,
) -> None:
    write_tree(output / "demo", {"README.md": "mine", "run.sh": "mine too", "other": "kept"})
    before = snapshot(output)
    real_replace = Path.replace
    calls = []

    def replace(self: Path, target: Path) -> Path:
        calls.append(self)
        if len(calls) == fail_at:
            raise failure(28, "No space left on device")
        return real_replace(self, target)

    monkeypatch.setattr(Path, "replace", replace)
    expected = Interrupted if failure is KeyboardInterrupt else FlaskitError
    with pytest.raises(expected, match=re.escape(f"{output / 'demo'} is as it was")):
        create("demo", template=str(template), force=True)
    monkeypatch.undo()
    assert snapshot(output) == before


def test_a_failure_while_renaming_a_new_project_leaves_nothing(
    create: Create, output: Path, template: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def rename(self: Path, target: Path) -> Path:
        raise KeyboardInterrupt

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(Interrupted, match="nothing was written"):
        create("demo", template=str(template), output_dir=output / "new" / "deeper")
    monkeypatch.undo()
    assert list(output.iterdir()) == []  # the output folders it created are gone too


def test_output_dir_is_created(create: Create, output: Path, template: Path) -> None:
    create("demo", template=str(template), output_dir=output / "a" / "b")
    assert (output / "a" / "b" / "demo" / "README.md").is_file()


def test_layouts_pick_the_builtin_templates(create: Create, output: Path) -> None:
    assert create("one", layout="module").source.name == "module"
    assert (output / "one" / "app.py").is_file()
    assert create("two").source.name == "package"
    assert (output / "two" / "two" / "__init__.py").is_file()
    with pytest.raises(UsageProblem, match="--layout module does not apply"):
        create("three", template="tutorial", layout="module")
    assert not (output / "three").exists()


def test_unknown_template(create: Create, output: Path) -> None:
    with pytest.raises(
        UsageProblem, match=re.escape("no template called 'nope'. Available: module")
    ):
        create("demo", template="nope")
    with pytest.raises(UsageProblem, match=re.escape("without a template.toml")):
        create("demo", template=str(output))


def test_a_traversal_in_a_third_party_template_writes_nothing(
    create: Create, output: Path, make_template: MakeTemplate
) -> None:
    root = make_template(
        {"ok.txt": "x", "{{ target }}/evil.txt": "pwned"},
        '[variables.target]\ndefault = ".."\n',
    )
    with pytest.raises(TemplateError, match="outside the project folder"):
        create("demo", template=str(root))
    assert list(output.iterdir()) == []
    assert not (output / "evil.txt").exists()


def fake_distribution(site: Path, entry_points: str) -> None:
    """An installed distribution as importlib.metadata sees it: a dist-info and a package."""
    info = site / "flaskit_shop_templates-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: flaskit-shop-templates\nVersion: 1.0\n"
    )
    (info / "entry_points.txt").write_text(f"[flaskit.templates]\n{entry_points}")
    write_tree(
        site / "shop_templates",
        {
            "__init__.py": "",
            "shop/__init__.py": "",
            "shop/template.toml": 'description = "An online shop"\nexclude = ["__init__.py"]\n',
            "shop/shop.txt.jinja": "{{ project_name }} sells things\n",
        },
    )
    (site / "shop_templates" / "paths.py").write_text(
        "from pathlib import Path\nSHOP = Path(__file__).parent / 'shop'\n"
    )


@pytest.mark.usefixtures("isolated_imports")
def test_templates_from_installed_packages(
    create: Create, output: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    fake_distribution(
        site,
        "shop = shop_templates.shop\nshop-by-path = shop_templates.paths:SHOP\n"
        "broken = shop_templates.missing\n",
    )
    monkeypatch.syspath_prepend(str(site))
    outcome = create("demo", template="shop")
    assert outcome.source.origin == "package flaskit-shop-templates"
    assert (output / "demo" / "shop.txt").read_text() == "demo sells things\n"
    assert sorted(p.name for p in (output / "demo").iterdir()) == ["shop.txt"]
    assert find_template("shop-by-path", None, output).root == site / "shop_templates" / "shop"
    listings = {item.name: item for item in list_templates()}
    assert listings["shop"].description == "An online shop"
    assert listings["shop"].origin == "package flaskit-shop-templates"
    assert listings["broken"].problem is not None
    assert "cannot be loaded" in listings["broken"].problem
    with pytest.raises(TemplateError, match="is broken"):
        create("other", template="broken")
    shown = io.StringIO()
    show_templates(shown)
    assert "shop" in shown.getvalue()
    assert "BROKEN:" in shown.getvalue()


def test_list_templates_shows_the_builtin_ones() -> None:
    out = io.StringIO()
    show_templates(out)
    lines = out.getvalue().splitlines()
    names = [line.split()[0] for line in lines if line.endswith("(built-in)")]
    assert names == ["module", "package", "tutorial"]


def test_a_broken_next_step_is_refused_before_anything_is_written(
    create: Create, output: Path, make_template: MakeTemplate
) -> None:
    root = make_template(
        {"a.txt": "ok"}, manifest='description = "x"\nnext_steps = ["run {{ nope }}"]\n'
    )
    with pytest.raises(TemplateError, match=r"next_steps: 'nope' is undefined"):
        create("demo", template=str(root))
    assert list(output.iterdir()) == []


@pytest.mark.timeout(20)  # before the fix, reading the FIFO blocked for ever
@pytest.mark.parametrize("name", ["pipe.txt", "pipe.txt.jinja"])
def test_a_fifo_in_a_template_is_refused_without_reading_it(
    create: Create, output: Path, make_template: MakeTemplate, name: str
) -> None:
    root = make_template({"a.txt": "ok"})
    os.mkfifo(root / name)
    with pytest.raises(TemplateError, match="not a regular file") as caught:
        create("demo", template=str(root))
    assert "named pipe" in caught.value.message
    assert "Templates hold regular files and folders only" in caught.value.message
    assert list(output.iterdir()) == []


@pytest.mark.parametrize(("layout", "template"), [(None, None), (None, "tutorial")])
def test_a_name_the_template_needs_for_its_own_module_is_refused(
    create: Create, output: Path, layout: str | None, template: str | None
) -> None:
    with pytest.raises(UsageProblem) as caught:
        create("wsgi", layout=layout, template=template)
    message = caught.value.message
    assert "wsgi.py" in message
    suggested = re.search(r"flaskit new (\S+)$", message)
    assert suggested, message
    assert list(output.iterdir()) == []
    create(suggested.group(1), layout=layout, template=template)  # the suggestion works


def test_the_module_layout_has_no_wsgi_module_so_wsgi_is_a_fine_name(
    create: Create, output: Path
) -> None:
    create("wsgi", layout="module")
    assert (output / "wsgi" / "app.py").is_file()


def test_an_import_name_given_with_var_is_checked_against_the_template_too(
    create: Create, output: Path
) -> None:
    with pytest.raises(UsageProblem, match=r"--var import_name: .*creates wsgi\.py too"):
        create("shop", variables={"import_name": "wsgi"})
    assert list(output.iterdir()) == []


def test_text_from_a_template_reaches_the_terminal_escaped(
    create: Create, output: Path, make_template: MakeTemplate
) -> None:
    manifest = (
        'description = "evil\\u001b]0;pwned\\u0007"\n'
        'next_steps = ["echo \\u001b[2J{{ project_name }}"]\n'
    )
    root = make_template({"a.txt": "ok"}, manifest=manifest, name="t\x1b[31m")
    create("demo", template=str(root))
    printed = create.printed  # type: ignore[attr-defined]
    assert "\x1b" not in printed
    assert "echo \\x1b[2Jdemo" in printed
    assert "from the 't\\x1b[31m' template" in printed
