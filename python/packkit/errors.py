"""The exception hierarchy every packkit error belongs to.

``PackkitError`` is the root; each subclass says which part of the job failed. The Rust engine
raises these classes (it imports them from here), so ``except packkit.ConfigError`` catches
errors from any entry point. Configuration errors carry the file, line and column they point
at, so editors and CI logs can jump straight there.
"""

from __future__ import annotations

__all__ = ["BuildError", "ConfigError", "InvalidVersion", "PackkitError", "ScmError"]


class PackkitError(Exception):
    """Base class of every error packkit raises on purpose."""


class ConfigError(PackkitError, ValueError):
    """A configuration file or setting is wrong.

    ``path``, ``lineno`` and ``colno`` locate the problem when it comes from a file
    (``lineno``/``colno`` start at 1); ``key`` is the dotted TOML key, when there is one.
    """

    def __init__(
        self,
        message: str,
        path: str | None = None,
        lineno: int | None = None,
        colno: int | None = None,
        key: str | None = None,
    ) -> None:
        super().__init__(message)
        self.path = path
        self.lineno = lineno
        self.colno = colno
        self.key = key


class InvalidVersion(PackkitError, ValueError):
    """A string is not a valid PEP 440 version (the same meaning as packaging's)."""


class ScmError(PackkitError):
    """The version could not be read from git (or from an archive or sdist)."""


class BuildError(PackkitError):
    """A wheel or sdist could not be built."""
