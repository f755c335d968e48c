"""From a burst of file events to one batch of real changes."""

from __future__ import annotations

import pytest

from flaskit.serve.classify import Kind
from flaskit.serve.coalesce import Coalescer, RawEvent


def test_a_burst_becomes_one_batch_after_the_quiet_window(tmp_path, rules):
    app, view = tmp_path / "app.py", tmp_path / "views.py"
    app.write_text("a = 1\n")
    view.write_text("b = 1\n")
    coalescer = Coalescer(rules, settle_complete=0.01, settle_partial=0.1)
    coalescer.add(RawEvent(app, "modified", 100.0))  # truncation: maybe not complete
    assert coalescer.deadline() == pytest.approx(100.1)
    coalescer.add(RawEvent(app, "closed", 100.002))
    coalescer.add(RawEvent(view, "closed", 100.004))
    assert coalescer.deadline() == pytest.approx(100.014)
    assert coalescer.flush(100.010) is None
    batch = coalescer.flush(100.02)
    assert batch is not None
    assert batch.paths(Kind.RESTART) == [app, view]
    assert batch.first_event == 100.0


def test_a_write_that_changes_nothing_is_not_a_change(tmp_path, rules):
    app = tmp_path / "app.py"
    app.write_text("a = 1\n")
    coalescer = Coalescer(rules)
    coalescer.add(RawEvent(app, "closed", 1.0))
    assert coalescer.flush(2.0)  # first sight: a change
    app.write_text("a = 1\n")
    coalescer.add(RawEvent(app, "closed", 3.0))
    assert not coalescer.flush(4.0)
    app.write_text("a = 2\n")
    coalescer.add(RawEvent(app, "closed", 5.0))
    assert coalescer.flush(6.0)


def test_a_temporary_file_that_came_and_went_is_nothing(tmp_path, rules):
    coalescer = Coalescer(rules)
    coalescer.add(RawEvent(tmp_path / "app.py.new", "deleted", 1.0))
    coalescer.add(RawEvent(tmp_path / "notes.swp", "closed", 1.0))
    assert not coalescer.flush(2.0)


def test_a_file_moved_away_then_replaced_is_one_change(tmp_path, rules):
    """A safe write (JetBrains, vim with backupcopy=no): the file is renamed away, and the
    new one moved into place a few milliseconds later on a busy machine. Until then the
    file is missing: that is not the change to act on (the app would fail to import)."""
    app = tmp_path / "app.py"
    app.write_text("a = 1\n")
    coalescer = Coalescer(rules, settle_complete=0.001, settle_partial=0.1)
    coalescer.add(RawEvent(app, "closed", 1.0))
    assert coalescer.flush(2.0)  # first sight
    app.rename(tmp_path / "app.py___jb_old___")
    coalescer.add(RawEvent(app, "deleted", 10.0))
    assert coalescer.flush(10.002) is None  # missing: maybe on its way back
    app.write_text("a = 2\n")
    coalescer.add(RawEvent(app, "moved", 10.004))
    assert coalescer.deadline() == pytest.approx(10.005)  # back: as quick as any write
    batch = coalescer.flush(10.005)
    assert batch is not None
    assert batch.paths(Kind.RESTART) == [app]


def test_a_file_deleted_for_good_is_a_change_once_it_stays_gone(tmp_path, rules):
    app = tmp_path / "app.py"
    app.write_text("a = 1\n")
    coalescer = Coalescer(rules, settle_complete=0.001, settle_partial=0.1)
    coalescer.add(RawEvent(app, "closed", 1.0))
    assert coalescer.flush(2.0)
    app.unlink()
    coalescer.add(RawEvent(app, "deleted", 10.0))
    assert coalescer.flush(10.05) is None
    batch = coalescer.flush(10.1)
    assert batch is not None
    assert batch.paths(Kind.RESTART) == [app]


def test_template_and_css_changes_are_told_apart(tmp_path, rules):
    (tmp_path / "templates").mkdir()
    (tmp_path / "static").mkdir()
    page, style = tmp_path / "templates" / "a.html", tmp_path / "static" / "a.css"
    page.write_text("<p>")
    style.write_text("p {}")
    coalescer = Coalescer(rules)
    coalescer.add(RawEvent(page, "closed", 1.0))
    coalescer.add(RawEvent(style, "moved", 1.0))
    batch = coalescer.flush(2.0)
    assert batch is not None
    assert batch.paths(Kind.TEMPLATE) == [page]
    assert batch.paths(Kind.CSS) == [style]
    assert batch.paths(Kind.RESTART) == []
