"""The notebook-facing API: ``get_version``, ``describe`` and ``ScmVersion``.

Everything here hands off to the Rust engine (``packkit._packkit``), which reads
``pyproject.toml``, walks git with the GIL released and applies the schemes; this module only
shapes the results into typed Python objects that render well in Jupyter.
"""

from __future__ import annotations

import datetime as _dt
import html
import os
from dataclasses import dataclass, field
from typing import Any

from packkit import _packkit

__all__ = ["ScmVersion", "describe", "get_version"]

StrPath = str | os.PathLike[str]


def get_version(
    root: StrPath = ".",
    *,
    version_scheme: str | None = None,
    local_scheme: str | None = None,
    tag_regex: str | None = None,
    tag_prefix: str | None = None,
    fallback_version: str | None = None,
    normalize: bool | None = None,
    dist_name: str | None = None,
    write_version_file: bool = False,
) -> str:
    """Return the version of the project at ``root``, as ``pip install`` would see it.

    Settings come from ``root/pyproject.toml`` (``[tool.packkit]``, or a legacy
    ``[tool.setuptools_scm]`` table); keyword arguments override them. With
    ``write_version_file``, the configured ``version-file`` is written too. Raises
    :class:`~packkit.ConfigError` for bad settings and :class:`~packkit.ScmError` when no
    version can be found.
    """
    overrides = _overrides(
        version_scheme=version_scheme,
        local_scheme=local_scheme,
        tag_regex=tag_regex,
        tag_prefix=tag_prefix,
        fallback_version=fallback_version,
        normalize=normalize,
        dist_name=dist_name,
    )
    return _packkit.get_version(os.fspath(root), overrides, write_version_file)


def describe(
    root: StrPath = ".",
    *,
    tag_regex: str | None = None,
    tag_prefix: str | None = None,
) -> ScmVersion:
    """Return the facts the version is made from: nearest tag, distance, node, dirty, ..."""
    overrides = _overrides(tag_regex=tag_regex, tag_prefix=tag_prefix)
    return ScmVersion._from_facts(_packkit.describe(os.fspath(root), overrides))


def _overrides(**settings: object) -> dict[str, object]:
    return {key: value for key, value in settings.items() if value is not None}


@dataclass(frozen=True)
class ScmVersion:
    """What git says about a checkout, before any scheme turns it into a version string."""

    root: str
    """The project directory (where ``pyproject.toml`` lives)."""
    tag: str | None
    """The version of the nearest tag (``"1.4.0"`` for tag ``v1.4.0``), ``None`` if untagged."""
    tag_name: str | None
    """The tag as named in git (``"v1.4.0"``)."""
    distance: int
    """Commits between the tag (or the root, if untagged) and HEAD."""
    node: str | None
    """``g`` and the first 9 hex digits of HEAD's commit id; ``None`` without commits."""
    dirty: bool
    """Tracked files differ from HEAD (untracked files do not count)."""
    branch: str | None
    """The current branch, ``"HEAD"`` when detached."""
    node_date: _dt.date | None
    """HEAD's commit date in UTC."""
    shallow: bool
    """The clone is shallow (its history is cut off)."""
    source: str
    """Where the facts came from: ``git``, ``archival``, ``pkg-info``, ..."""
    _settings: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def exact(self) -> bool:
        """HEAD is exactly on the tag and the tree is clean."""
        return self.distance == 0 and not self.dirty and self.tag is not None

    def format_with(
        self, version_scheme: str = "guess-next-dev", local_scheme: str = "node-and-date"
    ) -> str:
        """Format these facts with the named schemes, as ``get_version`` would."""
        facts = self._facts()
        return _packkit.format_version(facts, version_scheme, local_scheme)

    def _facts(self) -> dict[str, Any]:
        return {
            "root": self.root,
            "tag": self.tag,
            "tag_name": self.tag_name,
            "distance": self.distance,
            "node": self.node,
            "dirty": self.dirty,
            "branch": self.branch,
            "node_date": self.node_date.isoformat() if self.node_date else None,
            "shallow": self.shallow,
            "source": self.source,
            "settings": self._settings,
        }

    @classmethod
    def _from_facts(cls, facts: dict[str, Any]) -> ScmVersion:
        date = facts.get("node_date")
        return cls(
            root=facts["root"],
            tag=facts["tag"],
            tag_name=facts["tag_name"],
            distance=facts["distance"],
            node=facts["node"],
            dirty=facts["dirty"],
            branch=facts["branch"],
            node_date=_dt.date.fromisoformat(date) if date else None,
            shallow=facts["shallow"],
            source=facts["source"],
            _settings=facts.get("settings", {}),
        )

    def _rows(self) -> list[tuple[str, str]]:
        return [
            ("tag", f"{self.tag} ({self.tag_name})" if self.tag_name else "none"),
            ("distance", str(self.distance)),
            ("node", self.node or "none"),
            ("dirty", "yes" if self.dirty else "no"),
            ("branch", self.branch or "none"),
            ("node date", self.node_date.isoformat() if self.node_date else "none"),
            ("shallow", "yes" if self.shallow else "no"),
            ("source", self.source),
        ]

    def _repr_html_(self) -> str:
        cells = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th>"
            f"<td><code>{html.escape(v)}</code></td></tr>"
            for k, v in self._rows()
        )
        title = html.escape(self.format_with())
        return f"<table><caption><b>packkit</b> <code>{title}</code></caption>{cells}</table>"

    def _repr_markdown_(self) -> str:
        lines = ["| fact | value |", "| --- | --- |"]
        lines += [f"| {k} | `{v}` |" for k, v in self._rows()]
        return "\n".join(lines)
