"""Sphinx configuration for the packkit documentation.

Builds offline with no extension beyond Sphinx itself: the API page is written with the
Python domain directives, so it does not need packkit to be importable. When packkit is
installed, its version is shown; otherwise the docs say "dev".
"""

from __future__ import annotations

import importlib.metadata

project = "packkit"
author = "The packkit developers"
copyright = "The packkit developers"

try:
    release = importlib.metadata.version("packkit")
except importlib.metadata.PackageNotFoundError:
    release = "dev"
version = release

extensions: list[str] = []

root_doc = "index"
exclude_patterns = ["_build"]
templates_path: list[str] = []

default_role = "literal"
highlight_language = "none"
pygments_style = "sphinx"

html_theme = "alabaster"
html_title = f"packkit {release}"
html_static_path: list[str] = []
html_theme_options = {
    "description": "Versions from git tags, computed in Rust",
    "fixed_sidebar": True,
}

# No intersphinx (the build must work offline): standard-library types stay unlinked.
nitpick_ignore = [("py:class", "datetime.date")]
