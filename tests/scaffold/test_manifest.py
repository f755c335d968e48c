"""template.toml: the built-in manifests load, and mistakes are caught when read."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from flaskit.scaffold.catalog import builtin_templates
from flaskit.scaffold.manifest import load_manifest
from flaskit.scaffold.render import TemplateError


def test_builtin_manifests_load() -> None:
    manifests = {t.name: t.load() for t in builtin_templates()}
    assert set(manifests) == {"module", "package", "tutorial"}
    assert manifests["module"].layout == "module"
    assert manifests["package"].layout == "package"
    assert manifests["tutorial"].layout == "package"
    for manifest in manifests.values():
        assert manifest.description
        assert manifest.variable("description") is not None


def test_a_full_manifest(tmp_path: Path) -> None:
    (tmp_path / "template.toml").write_text(
        """
description = "Shop"
layout = "package"
exclude = ["*.orig"]
next_steps = ["make"]

[variables.port]
type = "int"
default = 8000
choices = [8000, 9000]

[variables.docker]
type = "bool"
default = false

[variables.title]
default = "{{ project_name }}"
help = "the title"
pattern = "[A-Za-z ]+"

[[files]]
path = "Dockerfile"
when = "docker"
"""
    )
    manifest = load_manifest(tmp_path, "shop")
    assert [v.name for v in manifest.variables] == ["port", "docker", "title"]
    port = manifest.variable("port")
    assert port is not None
    assert (port.type, port.default, port.choices) == ("int", 8000, (8000, 9000))
    assert manifest.files[0].pattern == "Dockerfile"
    assert manifest.exclude == ("*.orig",)


BROKEN = {
    "unknown top-level key": ("descripton = 'x'", "unknown key(s) descripton"),
    "unknown variable key": ("[variables.a]\ndefault = 'x'\nhelpp = 'y'", "unknown key(s) helpp"),
    "bad type": ("[variables.a]\ntype = 'float'\ndefault = 1.5", "type must be one of"),
    "no default": ("[variables.a]\nhelp = 'x'", "needs a default"),
    "default of the wrong type": ("[variables.a]\ntype = 'int'\ndefault = 'x'", "not of type int"),
    "default not a choice": (
        "[variables.a]\ndefault = 'x'\nchoices = ['y', 'z']",
        "not one of the choices",
    ),
    "bad pattern": ("[variables.a]\ndefault = 'x'\npattern = '('", "not a valid regex"),
    "built-in variable name": ("[variables.import_name]\ndefault = 'x'", "identifier other than"),
    "bad when": ("[[files]]\npath = 'a'\nwhen = 'a and'", "not a valid Jinja expression"),
    "when missing": ("[[files]]\npath = 'a'", "needs both path and when"),
    "bad layout": ("layout = 'tree'", "layout must be one of"),
    "not toml": ("description = ", "not valid TOML"),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_broken_manifests_are_refused(tmp_path: Path, case: str) -> None:
    text, message = BROKEN[case]
    (tmp_path / "template.toml").write_text(text)
    with pytest.raises(TemplateError, match=re.escape(message)):
        load_manifest(tmp_path, "broken")


def test_a_folder_without_a_manifest(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match=re.escape("has no template.toml")):
        load_manifest(tmp_path, "nothing")
