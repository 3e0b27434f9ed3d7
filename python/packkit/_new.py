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
    rst: bool = False,
    namespace: str | None = None,
    data_science: bool = False,
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
    configuration, ``.pre-commit-config.yaml`` (ruff) and ``noxfile.py``; with ``git``, a
    repository on branch ``main`` with a first commit, so that :func:`packkit.get_version` gives
    ``0.1.dev1+g…`` at once. ``author`` and ``email`` default to git's
    (``GIT_AUTHOR_NAME``/``EMAIL``, else ``user.name``/``user.email``).

    ``rst`` writes ``README.rst`` instead of ``README.md``. ``namespace="a.b"`` puts the
    package in ``src/a/b/<package>/``, importable as ``a.b.<package>``, where ``a`` and
    ``a.b`` are PEP 420 namespace packages (no ``__init__.py``). ``data_science`` adds
    ``notebooks/example.ipynb``, ``data/raw``, ``data/processed`` and ``models/`` (contents
    git-ignored), a ``notebook`` extra and nbstripout in pre-commit.

    Everything is checked before anything is written, and the project appears whole or not at
    all. Raises :class:`~packkit.ConfigError` for a refused name (invalid, a Python keyword, a
    standard-library module unless ``force_name``), namespace, license, author or target
    folder, and
    :class:`~packkit.ScmError` when the repository cannot be made. Returns ``Path(path)``.
    """
    return Path(
        new_project(
            path,
            name,
            license=license,
            ci=ci,
            rst=rst,
            namespace=namespace,
            data_science=data_science,
            git=git,
            force_name=force_name,
            author=author,
            email=email,
        )
    )
