"""Releases: ``next_version`` and ``changelog``, from the Conventional Commits since a tag.

Both live in the Rust engine (``packkit._packkit``), which walks git with the GIL released;
their signatures and documentation are in ``_packkit.pyi``.
"""

from __future__ import annotations

from packkit._packkit import changelog, next_version

__all__ = ["changelog", "next_version"]
