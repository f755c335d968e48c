"""Which imported modules are the project's."""

from __future__ import annotations

from pathlib import Path

from flaskit.serve.modules import is_project_file


def test_installed_packages_are_not_the_project(tmp_path):
    import flask

    assert is_project_file(str(tmp_path / "app.py"), (tmp_path,))
    assert not is_project_file(flask.__file__, (Path(flask.__file__).parent.parent.parent,))
    venv_file = tmp_path / ".venv" / "lib" / "site-packages" / "x.py"
    assert not is_project_file(str(venv_file), (tmp_path,))
