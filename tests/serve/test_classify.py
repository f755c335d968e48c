"""What a changed file calls for, and which folders are watched."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from flaskit.serve.classify import Kind, classify
from flaskit.serve.watcher import watched_folders
from tests.helpers import wait_until


@pytest.mark.parametrize(
    ("relative", "kind"),
    [
        ("app.py", Kind.RESTART),
        ("pkg/views.py", Kind.RESTART),
        ("settings.yaml", Kind.RESTART),
        (".env", Kind.CONFIG),
        ("templates/index.html", Kind.TEMPLATE),
        ("pkg/templates/mail.txt", Kind.TEMPLATE),
        ("static/site.css", Kind.CSS),
        ("static/app.js", Kind.STATIC),
        ("static/img/logo.png", Kind.STATIC),
        ("README.md", Kind.IGNORE),
        (".git/index", Kind.IGNORE),
        ("__pycache__/app.cpython-311.pyc", Kind.IGNORE),
        (".venv/lib/python3.11/site-packages/flask/app.py", Kind.IGNORE),
        ("node_modules/x/index.js", Kind.IGNORE),
        ("pkg.egg-info/PKG-INFO", Kind.IGNORE),
        (".app.py.swp", Kind.IGNORE),
        ("app.py~", Kind.IGNORE),
        ("4913", Kind.IGNORE),
        ("data/model.py", Kind.IGNORE),
        ("server.log", Kind.IGNORE),
        ("sub/pyproject.toml", Kind.IGNORE),
    ],
)
def test_classification(tmp_path, rules, relative, kind):
    assert classify(tmp_path / relative, rules) is kind


def test_files_outside_the_roots_are_ignored(tmp_path, rules):
    assert classify(tmp_path.parent / "elsewhere.py", rules) is Kind.IGNORE


def test_the_apps_own_folders_count_whatever_their_names(tmp_path, rules):
    rules = rules.with_folders([tmp_path / "views"], [tmp_path / "assets"])
    assert classify(tmp_path / "views" / "page.html", rules) is Kind.TEMPLATE
    assert classify(tmp_path / "assets" / "style.css", rules) is Kind.CSS


def test_a_template_folder_that_is_the_project_counts_only_template_files(tmp_path, rules):
    # Bottle's default TEMPLATE_PATH is ["./", "./views/"]: the project folder itself.
    rules = rules.with_folders([tmp_path, tmp_path / "views"], [])
    assert classify(tmp_path / "hello.tpl", rules) is Kind.TEMPLATE
    assert classify(tmp_path / "views" / "hello.tpl", rules) is Kind.TEMPLATE
    assert classify(tmp_path / "views" / "part.inc", rules) is Kind.TEMPLATE
    assert classify(tmp_path / "README.md", rules) is Kind.IGNORE
    assert classify(tmp_path / "app.py", rules) is Kind.RESTART


def test_watched_folders_skip_excluded_ones_and_virtualenvs(tmp_path, rules):
    for name in ("pkg", ".git", "node_modules", "data", "myenv", "templates"):
        (tmp_path / name).mkdir()
    (tmp_path / "myenv" / "pyvenv.cfg").write_text("home = /usr\n")
    folders = watched_folders(rules)
    assert (tmp_path, False) in folders
    assert {p.name for p, recursive in folders if recursive} == {"pkg", "templates"}


def test_excluded_folders_deep_in_the_tree_cost_no_watch(tmp_path, rules):
    for folder in (
        "frontend/node_modules/react/cjs",
        "frontend/src",
        "pkg/sub/.venv-tools/lib",
        "pkg/sub/views",
        "pkg/other/deeper",
        "pkg/data",
    ):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "pkg/sub/.venv-tools/pyvenv.cfg").write_text("home = /usr\n")
    folders = dict(watched_folders(rules))
    # Folders with something excluded below them are watched on their own ...
    for flat in ("frontend", "pkg", "pkg/sub"):
        assert folders[tmp_path / flat] is False, flat
    # ... every clean sub-tree with one recursive watch, and nothing below those twice.
    for deep in ("frontend/src", "pkg/sub/views", "pkg/other"):
        assert folders[tmp_path / deep] is True, deep
    assert tmp_path / "pkg/other/deeper" not in folders
    # "data/*" is an --exclude glob: it applies to data/ at the top only.
    assert folders[tmp_path / "pkg/data"] is True
    watched = {path.relative_to(tmp_path).as_posix() for path in folders if path != tmp_path}
    assert not any("node_modules" in path or ".venv-tools" in path for path in watched)


def test_a_new_folder_beside_an_excluded_one_is_watched(tmp_path, rules):
    (tmp_path / "frontend/node_modules").mkdir(parents=True)
    seen: list[Path] = []
    from flaskit.serve.watcher import EventWatcher

    watcher = EventWatcher(rules, lambda event: seen.append(event.path))
    watcher.start()
    try:
        (tmp_path / "frontend/src").mkdir()
        target = tmp_path / "frontend/src/app.js"
        assert wait_until(lambda: tmp_path / "frontend/src" in watcher._scheduled, 5.0)
        target.write_text("x = 1\n")
        assert wait_until(lambda: target in seen, 5.0)
        (tmp_path / "frontend/node_modules/lib.js").write_text("y = 1\n")
        time.sleep(0.3)  # long enough for an event, were node_modules watched
        assert tmp_path / "frontend/node_modules/lib.js" not in seen
    finally:
        watcher.stop()
