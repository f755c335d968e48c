"""Sphinx configuration: Markdown pages (MyST) and a CLI reference generated from click."""

from __future__ import annotations

import flaskit

project = "flaskit"
author = "The flaskit team"
copyright = "2026, the flaskit team"
release = flaskit.__version__
version = release

extensions = ["myst_parser", "sphinx_click"]
source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
html_theme = "alabaster"
html_title = f"flaskit {release}"
nitpicky = False
