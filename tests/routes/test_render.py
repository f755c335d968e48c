"""Rendering route tables: plain text, rich and JSON from the same rows."""

from __future__ import annotations

import io
import json
from pathlib import Path

from rich.console import Console

from flaskit.routes import render
from flaskit.routes.model import Route

CWD = Path("/srv/shop")
ROUTES = [
    Route(
        "/", ("GET", "HEAD", "OPTIONS"), "index", "shop.views.index", "/srv/shop/shop/views.py", 12
    ),
    Route(
        "/items/<int:item_id>",
        ("DELETE", "GET", "HEAD", "OPTIONS"),
        "items",
        "shop.views.ItemAPI",
        "/srv/shop/shop/views.py",
        30,
        blueprint=None,
    ),
    Route("/raw", None, "raw", None, None, None),
    Route("/ext", ("GET",), "ext", "lib.view", "/usr/lib/python3/lib.py", 5),
]


def test_plain_table_is_aligned_and_shortens_paths():
    out = io.StringIO()
    render.render_plain(render.build_table(ROUTES, CWD, all_methods=False), out)
    lines = out.getvalue().splitlines()
    assert lines[0].split() == ["Methods", "Rule", "Endpoint", "View", "Location"]
    assert lines[2].split() == ["GET", "/", "index", "shop.views.index", "shop/views.py:12"]
    assert lines[3].split()[:2] == ["DELETE,", "GET"]
    assert lines[4].split() == ["*", "/raw", "raw", "-", "-"]
    assert lines[5].split()[-1] == "/usr/lib/python3/lib.py:5"  # outside the cwd: absolute
    starts = {
        line.index(cell)
        for line, cell in zip(lines[2:], ["/", "/items/", "/raw", "/ext"], strict=True)
    }
    assert len(starts) == 1
    assert all(line == line.rstrip() for line in lines)


def test_all_methods_keeps_head_and_options():
    table = render.build_table(ROUTES, CWD, all_methods=True)
    assert table.rows[0].methods == "GET, HEAD, OPTIONS"


def test_host_and_subdomain_columns():
    routes = [Route("/", ("GET",), "a", None, None, None, host="api.example.com")]
    assert render.build_table(routes, CWD, False).header()[:2] == ["Methods", "Host"]
    routes = [Route("/", ("GET",), "a", None, None, None, subdomain="<user>")]
    assert render.build_table(routes, CWD, False).header()[:2] == ["Methods", "Subdomain"]


def rich_lines(width: int) -> list[str]:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=width, color_system="standard")
    render.render_rich(render.build_table(ROUTES, CWD, False), console)
    return out.getvalue().splitlines()


def test_rich_table_highlights_converters_and_has_a_location_column():
    lines = rich_lines(140)
    text = "\n".join(lines)
    assert "\x1b[1;36m<int:item_id>\x1b[0m" in text  # converter in bold cyan
    assert "\x1b[32mGET\x1b[0m" in text  # GET in green
    assert "\x1b[31mDELETE\x1b[0m" in text
    header = next(line for line in lines if "Methods" in line)
    assert "Location" in header
    row = [line for line in lines if "shop.views.index" in line]
    assert len(row) == 1
    assert "shop/views.py:12" in row[0]  # on the view's own line, in its own column


def test_rich_table_on_a_narrow_terminal_puts_location_under_view():
    lines = rich_lines(80)
    header = next(line for line in lines if "Methods" in line)
    assert "Location" not in header
    view = next(n for n, line in enumerate(lines) if "shop.views.index" in line)
    assert "shop/views.py:12" not in lines[view]
    assert "shop/views.py:12" in lines[view + 1]  # the view, then its location beneath


def test_json_methods_and_paths():
    out = io.StringIO()
    render.render_json(ROUTES, CWD, False, out)
    data = json.loads(out.getvalue())
    assert data[0]["methods"] == ["GET"]
    assert data[0]["file"] == "shop/views.py"
    assert data[2]["methods"] is None
    assert data[3]["file"] == "/usr/lib/python3/lib.py"
    assert "order" not in data[0]
