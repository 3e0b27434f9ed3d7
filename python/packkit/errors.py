"""The exception hierarchy every packkit error belongs to.

``PackkitError`` is the root; each subclass says which part of the job failed. The Rust engine
raises these classes (it imports them from here), so ``except packkit.ConfigError`` catches
errors from any entry point. Configuration errors carry every problem found, each with the
file, line and column it points at, so editors and CI logs can jump straight there.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "BuildError",
    "ConfigError",
    "FileError",
    "InvalidVersion",
    "PackkitError",
    "Problem",
    "ScmError",
]


class PackkitError(Exception):
    """Base class of every error packkit raises on purpose (and of its internal errors)."""


@dataclass(frozen=True)
class Problem:
    """One problem in ``pyproject.toml`` (or in a setting given by the caller).

    ``line`` and ``column`` start at 1; ``key`` is the dotted TOML key (``tool.packkit.root``)
    or, for a keyword argument, its name; ``hint`` says how to fix it.
    """

    path: str | None
    line: int | None
    column: int | None
    key: str | None
    message: str
    hint: str | None
    text: str
    """The whole problem as packkit prints it: ``path:line:column: `key`: message``."""

    def __str__(self) -> str:
        return self.text


class ConfigError(PackkitError, ValueError):
    """A configuration file or setting is wrong.

    ``problems`` lists every problem found (not only the first); ``path``, ``line``,
    ``column`` and ``key`` are those of the first one, for callers that show a single place.
    """

    def __init__(self, message: str, problems: Iterable[Problem] = ()) -> None:
        super().__init__(message)
        self.problems: list[Problem] = list(problems)

    def _first(self) -> Problem | None:
        return self.problems[0] if self.problems else None

    @property
    def path(self) -> str | None:
        first = self._first()
        return first.path if first else None

    @property
    def line(self) -> int | None:
        first = self._first()
        return first.line if first else None

    @property
    def column(self) -> int | None:
        first = self._first()
        return first.column if first else None

    @property
    def key(self) -> str | None:
        first = self._first()
        return first.key if first else None


class InvalidVersion(PackkitError, ValueError):
    """A string is not a valid PEP 440 version (the same meaning as packaging's)."""


class ScmError(PackkitError):
    """The version could not be read from git (or from an archive or sdist)."""


class BuildError(PackkitError):
    """A wheel or sdist could not be built."""


class FileError(PackkitError, OSError):
    """A file or folder could not be read or written: an ``OSError`` too, with ``errno`` and
    ``filename`` set, so ``except OSError`` handlers catch it."""

    def __init__(self, message: str, filename: str | None = None, errno: int | None = None) -> None:
        super().__init__(errno, message)
        self.filename = filename
        self._message = message

    def __str__(self) -> str:
        return self._message
