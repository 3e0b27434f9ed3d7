"""``packkit.new``: a complete new project, made by the Rust engine (``packkit new``)."""

from __future__ import annotations

from pathlib import Path

from packkit._packkit import new_project
from packkit._types import CiName, LicenseId, StrPath

__all__ = ["new"]


def new(
    path: StrPath,
    name: str | None = None,
    *,
    license: LicenseId = "MIT",
    ci: CiName = "github",
    git: bool = True,
    force_name: bool = False,
    author: str | None = None,
    email: str | None = None,
) -> Path:
    """Create a new project in the folder ``path``, which must not exist or be empty.

    ``name`` is the project name (PEP 508; default: the folder's name); the package imports
    as its normalized form (``my-project`` → ``my_project``). The project gets
    ``pyproject.toml`` (packkit as build backend, version from git tags), ``src/<package>/``,
    passing tests, Sphinx docs, README, CHANGELOG, the full ``license`` text, and the ``ci``
    configuration; with ``git``, a repository on branch ``main`` with a first commit, so that
    :func:`packkit.get_version` gives ``0.1.dev1+g…`` at once. ``author`` and ``email`` default
    to git's (``GIT_AUTHOR_NAME``/``EMAIL``, else ``user.name``/``user.email``).

    Everything is checked before anything is written, and the project appears whole or not at
    all. Raises :class:`~packkit.ConfigError` for a refused name (invalid, a Python keyword, a
    standard-library module unless ``force_name``), license, author or target folder, and
    :class:`~packkit.ScmError` when the repository cannot be made. Returns ``Path(path)``.
    """
    return Path(
        new_project(
            path,
            name,
            license=license,
            ci=ci,
            git=git,
            force_name=force_name,
            author=author,
            email=email,
        )
    )
