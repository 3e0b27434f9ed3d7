"""Building from Python: ``Project`` (metadata, problems, file lists), ``build_wheel``,
``build_sdist``."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from packkit import _packkit
from packkit.errors import Problem

__all__ = ["FileEntry", "Problem", "Project", "build_sdist", "build_wheel"]

StrPath = str | os.PathLike[str]


def build_wheel(path: StrPath = ".", outdir: StrPath = "dist") -> Path:
    """Build the wheel of the project at ``path`` into ``outdir``; return the wheel's path."""
    name = _packkit.build_wheel(os.fspath(path), os.fspath(outdir))
    return Path(outdir) / name


def build_sdist(path: StrPath = ".", outdir: StrPath = "dist") -> Path:
    """Build the sdist of the project at ``path`` into ``outdir``; return its path."""
    return Path(outdir) / _packkit.build_sdist(os.fspath(path), os.fspath(outdir))


@dataclass(frozen=True)
class FileEntry:
    """A file of the wheel or sdist: its path in the archive, where it comes from, and why."""

    path: str
    source: str
    reason: str


@dataclass(frozen=True)
class Project:
    """A project directory with a ``pyproject.toml``."""

    path: Path

    @classmethod
    def load(cls, path: StrPath = ".") -> Project:
        return cls(Path(path))

    def validate(self) -> list[Problem]:
        """Every problem a build would meet, all at once and without writing anything (the
        configuration, then the version, packages and files, as ``packkit check``); empty when
        it builds."""
        return _packkit.check(os.fspath(self.path))

    @property
    def metadata(self) -> str:
        """The core metadata (``METADATA``) a wheel of the current version carries."""
        return _packkit.core_metadata(os.fspath(self.path))

    @property
    def metadata_fields(self) -> dict[str, list[str]]:
        """The same metadata as fields: ``{"Requires-Dist": [...], ...}``; the readme is under
        ``"Description"``."""
        from email.parser import HeaderParser

        message = HeaderParser().parsestr(self.metadata)
        fields: dict[str, list[str]] = {}
        for key, value in message.items():
            fields.setdefault(key, []).append(str(value))
        body = message.get_payload()
        if isinstance(body, str) and body:
            fields["Description"] = [body]
        return fields

    def files(self) -> dict[str, list[FileEntry]]:
        """What goes into the ``"wheel"`` and the ``"sdist"``, with the reason for each."""
        listing = _packkit.files(os.fspath(self.path))
        return {
            kind: [FileEntry(*item) for item in listing[kind]["included"]]
            for kind in ("wheel", "sdist")
        }
