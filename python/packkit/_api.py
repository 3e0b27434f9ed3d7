"""The notebook-facing API: ``get_version``, ``describe`` and ``ScmVersion``.

All three live in the Rust engine (``packkit._packkit``), which reads ``pyproject.toml``,
walks git with the GIL released and applies the schemes; ``ScmVersion`` is the engine's own
facts record, so it renders (``render()``, HTML, Markdown) with the settings it was described
with, never re-reading the disk. Their signatures and documentation are in ``_packkit.pyi``.
"""

from __future__ import annotations

from packkit._packkit import ScmVersion, describe, get_version

__all__ = ["ScmVersion", "describe", "get_version"]
