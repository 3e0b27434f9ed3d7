"""Shared fixtures and hooks; the helpers they use are in the ``helpers`` package.

Git repositories are built with the real ``git`` CLI in an isolated environment
(``helpers.git``), and setuptools_scm answers as the reference oracle from one long-lived
subprocess (``helpers.oracle``), stopped at the end of the session.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from helpers.git import CLOCK_START, FOREIGN_PREFIXES, ISOLATED_ENV, Env, Repo
from helpers.oracle import close_oracle

# The build-backend tests' fixtures (wheelhouse, venvs, sample projects).
pytest_plugins = ["backend_conftest"]


# --------------------------------------------------------------------------------------------
# The isolated environment and repositories


@pytest.fixture
def scm_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Env:
    """Isolate ``os.environ`` (packkit runs in-process) and return the same env for subprocesses."""
    home = tmp_path_factory.mktemp("home")
    for key in list(os.environ):
        if key.startswith(FOREIGN_PREFIXES):
            monkeypatch.delenv(key)
    for key, value in {**ISOLATED_ENV, "HOME": str(home)}.items():
        monkeypatch.setenv(key, value)
    return Env(monkeypatch)


@pytest.fixture
def make_repo(tmp_path: Path, scm_env: Env) -> Callable[..., Repo]:
    """Factory: ``make_repo("name")`` is a fresh ``git init -b main`` under tmp_path."""
    clock = [CLOCK_START]

    def factory(name: str = "repo", *, branch: str = "main", init: bool = True) -> Repo:
        repo = Repo(tmp_path / name, scm_env, clock)
        if init:
            repo.init(branch)
        else:
            repo.path.mkdir(parents=True, exist_ok=True)
        return repo

    return factory


def pytest_sessionfinish(session: pytest.Session) -> None:
    close_oracle()


# --------------------------------------------------------------------------------------------
# packkit itself


@pytest.fixture(scope="session")
def packkit_cli() -> list[str]:
    """The installed console script (next to the interpreter running the tests)."""
    script = Path(sys.executable).with_name("packkit")
    found = str(script) if script.exists() else shutil.which("packkit")
    assert found, f"the packkit console script is not installed next to {sys.executable}"
    return [found]


@pytest.fixture
def isolated_cwd(tmp_path: Path) -> Iterator[Path]:
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(old)
