"""Fixtures and hooks of the build-backend tests (``test_backend*.py``); their helpers are in
``helpers/backend.py``.

Loaded as a plugin by ``tests/conftest.py`` (``pytest_plugins``). Everything the backend tests
install comes from a local wheelhouse holding packkit's wheel (``packkit_wheelhouse``), with
``PIP_NO_INDEX=1`` and uv's ``--no-index``, so nothing needs the internet.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.backend import (
    FOREIGN_NAMES,
    FOREIGN_PREFIXES,
    PROJECTS,
    Backend,
    Venv,
    locate_wheelhouse,
    make_venv,
    run,
    tool_environ,
)
from helpers.git import ISOLATED_ENV, Env


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """The sample projects' own ``tests/`` folders are data, not tests of packkit."""
    if collection_path == PROJECTS or PROJECTS in collection_path.parents:
        return True
    return None


# --------------------------------------------------------------------------------------------
# Fixtures


@pytest.fixture(scope="session")
def packkit_wheelhouse() -> Path:
    """A folder with packkit's wheel: ``$PACKKIT_WHEELHOUSE``, else ``target/wheels-dev``."""
    return locate_wheelhouse(os.environ.get("PACKKIT_WHEELHOUSE"))


@pytest.fixture(scope="session")
def install_venv(packkit_wheelhouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Venv:
    """One fresh venv for the session, with packkit installed from the wheelhouse.

    Tests install their sample projects into it (each under its own name) and call the PEP 517
    hooks with its interpreter, so packkit there is the wheel the users get.
    """
    root = tmp_path_factory.mktemp("install-venv")
    venv = make_venv(root / "venv")
    env = {**os.environ, **tool_environ(packkit_wheelhouse, root / "cache")}
    run(
        [
            venv.python,
            "-m",
            "pip",
            "install",
            "--no-index",
            "--find-links",
            packkit_wheelhouse,
            "packkit",
        ],
        env=env,
    )
    return venv


@pytest.fixture(scope="module")
def backend(
    packkit_wheelhouse: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Backend]:
    """Isolate ``os.environ`` for the whole module (packkit runs in-process and in subprocesses).

    Like ``scm_env`` of conftest (no outer git, packkit or setuptools_scm variables; fixed git
    identities), but without ``SOURCE_DATE_EPOCH`` (tests that want it set it themselves), and
    with pip and uv pointed at the wheelhouse only.
    """
    monkeypatch = pytest.MonkeyPatch()
    try:
        home = tmp_path_factory.mktemp("backend-home")
        for key in list(os.environ):
            if key.startswith(FOREIGN_PREFIXES) or key in FOREIGN_NAMES:
                monkeypatch.delenv(key)
        settings = {
            **ISOLATED_ENV,
            "HOME": str(home),
            **tool_environ(packkit_wheelhouse, home / ".cache"),
        }
        for key, value in settings.items():
            monkeypatch.setenv(key, value)
        monkeypatch.delenv("SOURCE_DATE_EPOCH")
        yield Backend(packkit_wheelhouse, Env(monkeypatch), tmp_path_factory)
    finally:
        monkeypatch.undo()
