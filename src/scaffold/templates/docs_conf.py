"""Sphinx configuration of {{name}}."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

project = "{{name}}"
author = "{{holder}}"
copyright = "{{year}}, {{holder}}"

try:
    # The installed version (`pip install -e .[docs]`), which packkit computed from git tags.
    release = version("{{name}}")
except PackageNotFoundError:
    # Not installed: ask packkit directly; failing here beats documenting version "unknown".
    import packkit

    release = packkit.get_version(Path(__file__).resolve().parent.parent)
version = ".".join(release.split(".")[:2])

extensions = ["sphinx.ext.autodoc", "sphinx.ext.napoleon", "sphinx.ext.viewcode"]
autodoc_typehints = "description"
html_theme = "alabaster"
exclude_patterns = ["_build"]
