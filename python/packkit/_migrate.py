"""``packkit.migrate``: switch a project to packkit (``packkit migrate``), with a report."""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from packkit._packkit import migrate_project
from packkit._types import StrPath

__all__ = ["Change", "MigrationReport", "Untranslatable", "migrate"]


@dataclass(frozen=True)
class Change:
    """One translated piece of configuration."""

    file: str
    source: str
    target: str

    def __str__(self) -> str:
        return f"{self.file}: {self.source} -> {self.target}"


@dataclass(frozen=True)
class Untranslatable:
    """A piece of configuration packkit cannot express: why, and the fix by hand."""

    file: str
    key: str
    reason: str
    fix: str

    def __str__(self) -> str:
        return f"{self.file}: `{self.key}`: {self.reason}\n  fix: {self.fix}"


@dataclass(frozen=True)
class MigrationReport:
    """What :func:`packkit.migrate` changed (or would change) and what it could not translate."""

    path: Path
    written: bool
    dry_run: bool
    changes: tuple[Change, ...]
    untranslatable: tuple[Untranslatable, ...]

    @property
    def ok(self) -> bool:
        """Everything was translated."""
        return not self.untranslatable

    def __str__(self) -> str:
        lines = [str(c) for c in self.changes]
        lines += [f"cannot translate: {u}" for u in self.untranslatable]
        lines.append(self._status())
        return "\n".join(lines)

    def _status(self) -> str:
        if self.dry_run:
            return "(dry run: nothing written)"
        if self.written:
            return f"wrote {self.path}"
        if self.untranslatable:
            return f"{self.path} was not changed: fix what cannot be translated, or use force=True"
        return f"{self.path}: nothing to change"

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(c.file)}</td><td><code>{html.escape(c.source)}</code></td>"
            f"<td><code>{html.escape(c.target)}</code></td></tr>"
            for c in self.changes
        )
        problems = "".join(
            f"<li><code>{html.escape(u.file)}</code>: <code>{html.escape(u.key)}</code>: "
            f"{html.escape(u.reason)}<br><em>fix:</em> {html.escape(u.fix)}</li>"
            for u in self.untranslatable
        )
        out = (
            f"<p><strong>packkit migrate</strong>: {html.escape(self._status())}</p>"
            "<table><thead><tr><th>file</th><th>was</th><th>now</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        )
        if problems:
            out += f"<p>Cannot be translated:</p><ul>{problems}</ul>"
        return out


def migrate(
    path: StrPath, *, dry_run: bool = False, force: bool = False, clean: bool = False
) -> MigrationReport:
    """Switch the project in ``path`` to packkit, as ``packkit migrate`` does.

    The build and version configuration of setuptools (``[tool.setuptools]``, ``setup.cfg``),
    setuptools_scm, hatchling and hatch-vcs, flit_core, pdm-backend, uv_build and
    poetry-dynamic-versioning becomes ``[tool.packkit]`` (and ``[project]``, from
    ``setup.cfg``), edited in place: every byte outside the changed keys is kept. When
    something cannot be translated, nothing is written unless ``force``; ``dry_run`` writes
    nothing; ``clean`` removes the translated tables of the old backend. Raises
    :class:`~packkit.ConfigError` for a pyproject.toml that is not valid TOML.
    """
    where, written, changes, untranslatable = migrate_project(
        path, dry_run=dry_run, force=force, clean=clean
    )
    return MigrationReport(
        path=Path(where),
        written=written,
        dry_run=dry_run,
        changes=tuple(Change(*c) for c in changes),
        untranslatable=tuple(Untranslatable(*u) for u in untranslatable),
    )
