"""``packkit.update``: add pieces to a project that exists (``packkit new --update``)."""

from __future__ import annotations

from packkit._packkit import UpdateReport, update_project
from packkit._types import CiName, StrPath

__all__ = ["update"]


def update(
    path: StrPath,
    *,
    ci: CiName | None = None,
    data_science: bool = False,
    docs: bool = False,
    pre_commit: bool = False,
    nox: bool = False,
    dry_run: bool = False,
    allow_dirty: bool = False,
    write_conflicts: bool = False,
) -> UpdateReport:
    """Add the pieces named to the project at ``path``, as ``packkit new`` would make them.

    The pieces: ``ci`` (``"github"`` or ``"gitlab"``), ``data_science`` (``notebooks/``,
    ``data/``, ``models/``), ``docs`` (Sphinx ``docs/``), ``pre_commit``
    (``.pre-commit-config.yaml`` and ``[tool.ruff]``) and ``nox`` (``noxfile.py``), with the
    ``pyproject.toml`` keys they need (``project.optional-dependencies.test`` and ``docs``,
    ``tool.pytest.ini_options``, ``tool.ruff``). A missing file is created; a file that differs
    from packkit's version is never overwritten: its diff is in the report, and with
    ``write_conflicts`` packkit's version is written beside it as ``<file>.packkit-new``. A
    key already in ``pyproject.toml`` is kept as it is; added keys go in through packkit's
    editor, which keeps every other byte of the file.

    The project must be built by packkit (``packkit migrate`` switches one); its git tree must
    be clean unless ``allow_dirty``. With ``dry_run`` nothing is written (and the tree may be
    dirty). Raises :class:`~packkit.ConfigError` (another backend, no piece named, a path
    packkit will not write through), :class:`~packkit.ScmError` (a dirty tree) and
    :class:`~packkit.BuildError` (no ``pyproject.toml``).
    """
    return update_project(
        path,
        ci=ci,
        data_science=data_science,
        docs=docs,
        pre_commit=pre_commit,
        nox=nox,
        dry_run=dry_run,
        allow_dirty=allow_dirty,
        write_conflicts=write_conflicts,
    )
