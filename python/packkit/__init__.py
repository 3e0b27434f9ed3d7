"""packkit: versions from git tags, builds and releases for Python projects.

The public names are imported lazily, so ``import packkit`` (and every CLI call, which pays
for it) stays cheap; ``packkit.get_version`` and friends load on first use.
"""

from __future__ import annotations

# Not `from typing import TYPE_CHECKING`: importing typing costs ~9 ms, paid by every CLI call.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from packkit._api import ScmVersion, describe, get_version
    from packkit._build import FileEntry, Project, build_sdist, build_wheel
    from packkit._migrate import MigrationReport, migrate
    from packkit._new import new
    from packkit._packkit import Status, UpdateReport, Version, status, update
    from packkit._release import changelog, next_version
    from packkit.errors import (
        BuildError,
        ConfigError,
        FileError,
        InvalidVersion,
        PackkitError,
        Problem,
        ScmError,
    )

__all__ = [
    "BuildError",
    "ConfigError",
    "FileEntry",
    "FileError",
    "InvalidVersion",
    "MigrationReport",
    "PackkitError",
    "Problem",
    "Project",
    "ScmError",
    "ScmVersion",
    "Status",
    "UpdateReport",
    "Version",
    "__version__",
    "build_sdist",
    "build_wheel",
    "changelog",
    "describe",
    "get_version",
    "migrate",
    "new",
    "next_version",
    "status",
    "update",
]

_LAZY = {
    "ScmVersion": "packkit._api",
    "describe": "packkit._api",
    "get_version": "packkit._api",
    "FileEntry": "packkit._build",
    "Project": "packkit._build",
    "build_sdist": "packkit._build",
    "build_wheel": "packkit._build",
    "MigrationReport": "packkit._migrate",
    "migrate": "packkit._migrate",
    "new": "packkit._new",
    "update": "packkit._packkit",
    "status": "packkit._packkit",
    "Status": "packkit._packkit",
    "UpdateReport": "packkit._packkit",
    "changelog": "packkit._release",
    "next_version": "packkit._release",
    "Version": "packkit._packkit",
    "BuildError": "packkit.errors",
    "ConfigError": "packkit.errors",
    "FileError": "packkit.errors",
    "InvalidVersion": "packkit.errors",
    "PackkitError": "packkit.errors",
    "Problem": "packkit.errors",
    "ScmError": "packkit.errors",
}


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from packkit._packkit import __version__

        return __version__
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'packkit' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
