"""Helpers of the build-backend tests (``test_backend*.py``): the wheelhouse, the tools, virtual
environments, the sample projects and readers of the built archives.

Everything the backend tests install comes from a local wheelhouse holding packkit's wheel
(``locate_wheelhouse``), with ``PIP_NO_INDEX=1`` and uv's ``--no-index`` (``tool_environ``), so
nothing needs the internet. The frontends (``build``, ``uv``, ``twine``,
``check-wheel-contents``, ``pyproject_hooks``) come from the venv running the tests
(``requirements-dev.txt``).

Sample projects live in ``tests/backend_projects/``; a test always works on a copy in a
temporary folder, with the files that cannot be committed (binary catalogs, caches, build
outputs) added by ``copy_project``. The fixtures using these (``packkit_wheelhouse``,
``install_venv``, ``backend``) are in ``backend_conftest.py``.
"""

from __future__ import annotations

import email.utils
import os
import shutil
import struct
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from packaging.metadata import Metadata

from helpers.git import CLOCK_START, Env, Repo

TESTS = Path(__file__).resolve().parent.parent
REPO_ROOT = TESTS.parent
PROJECTS = TESTS / "backend_projects"
#: Where `make install` leaves packkit's wheel.
DEFAULT_WHEELHOUSE = REPO_ROOT / "target" / "wheels-dev"

#: Variables of the outer environment that would change what packkit, git, pip or uv do.
FOREIGN_PREFIXES = ("GIT_", "PACKKIT_", "SETUPTOOLS_SCM_", "VCS_VERSIONING_", "PIP_", "UV_")
FOREIGN_NAMES = ("SOURCE_DATE_EPOCH", "VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "CONDA_PREFIX")


# --------------------------------------------------------------------------------------------
# The wheelhouse and the tools


def _has_packkit_wheel(folder: Path) -> bool:
    return folder.is_dir() and any(folder.glob("packkit-*.whl"))


def locate_wheelhouse(configured: str | None, default: Path = DEFAULT_WHEELHOUSE) -> Path:
    """``configured`` (``$PACKKIT_WHEELHOUSE``) if set, else ``default`` if it holds a packkit
    wheel; otherwise the test fails, saying how to make one (never a skip)."""
    if configured:
        folder = Path(configured).resolve()
        if not _has_packkit_wheel(folder):
            pytest.fail(
                f"PACKKIT_WHEELHOUSE={configured} holds no packkit-*.whl: build one with "
                "`make install` (it leaves it in target/wheels-dev) or point the variable at "
                "a folder that has one",
                pytrace=False,
            )
        return folder
    if _has_packkit_wheel(default):
        return default
    pytest.fail(
        f"no packkit wheel in {default}: run `make install` (it builds the wheel there), "
        "or set PACKKIT_WHEELHOUSE to a folder holding packkit-*.whl",
        pytrace=False,
    )


def tool_environ(wheelhouse: Path, cache: Path) -> dict[str, str]:
    """pip and uv settings: the wheelhouse only, no index, no prompts, caches under ``cache``."""
    return {
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(wheelhouse),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "PIP_NO_INPUT": "1",
        "PIP_CACHE_DIR": str(cache / "pip"),
        "UV_NO_INDEX": "1",
        "UV_FIND_LINKS": str(wheelhouse),
        "UV_CACHE_DIR": str(cache / "uv"),
        "UV_PYTHON_DOWNLOADS": "never",
        "UV_NO_PROGRESS": "1",
    }


def tool(name: str) -> str:
    """A console script of the test venv (``build``'s, ``uv``, ``twine``...)."""
    script = Path(sys.executable).with_name(name)
    found = str(script) if script.exists() else shutil.which(name)
    if not found:
        pytest.fail(
            f"`{name}` is not installed next to {sys.executable}: "
            "pip install -r requirements-dev.txt",
            pytrace=False,
        )
    return found


def run(
    cmd: Sequence[str | os.PathLike[str]],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    check: bool = True,
    timeout: float = 600,
) -> subprocess.CompletedProcess[str]:
    """Run a command; when ``check``, fail with its whole output unless it exits 0."""
    args = [os.fspath(c) for c in cmd]
    proc = subprocess.run(
        args,
        cwd=cwd,
        env=dict(env) if env is not None else None,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if check and proc.returncode != 0:
        raise AssertionError(
            f"`{' '.join(args)}` exited with {proc.returncode} (in {cwd or os.getcwd()}):\n"
            f"--- stdout\n{proc.stdout}--- stderr\n{proc.stderr}"
        )
    return proc


@dataclass(frozen=True)
class Venv:
    """A fresh virtual environment."""

    path: Path

    @property
    def python(self) -> Path:
        return self.path / "bin" / "python"

    def script(self, name: str) -> Path:
        return self.path / "bin" / name

    def run(self, program: str, *args: str | os.PathLike[str], cwd: Path | None = None) -> str:
        """Run ``bin/PROGRAM ARGS`` (``"python"`` is the interpreter); return its stdout."""
        return run([self.script(program), *args], cwd=cwd).stdout

    def pip_install(self, *args: str | os.PathLike[str], wheelhouse: Path) -> str:
        return self.run(
            "python",
            "-m",
            "pip",
            "install",
            "--no-index",
            "--find-links",
            wheelhouse,
            *args,
        )

    def eval(self, code: str) -> str:
        """Run Python code in the venv (from a neutral folder); return its stripped stdout."""
        return run([self.python, "-c", code], cwd=self.path).stdout.strip()

    @property
    def site_packages(self) -> Path:
        return Path(self.eval("import sysconfig; print(sysconfig.get_path('purelib'))"))


def make_venv(path: Path, *, with_pip: bool = True) -> Venv:
    """``python -m venv`` (with pip, or without for uv)."""
    run([sys.executable, "-m", "venv", *([] if with_pip else ["--without-pip"]), path])
    return Venv(path)


# --------------------------------------------------------------------------------------------
# Sample projects


def mo_catalog() -> bytes:
    """An empty but valid GNU gettext catalog (what `msgfmt` writes for no messages)."""
    return struct.pack("<7I", 0x950412DE, 0, 0, 28, 28, 0, 28)


#: Files added to a copied sample project: binary data and the caches and build outputs that
#: must never be packaged (none of them can be committed to this repository).
UNSHIPPED: dict[str, dict[str, bytes]] = {
    "src-layout": {
        "src/pk_src_layout/locale/de/LC_MESSAGES/messages.mo": mo_catalog(),
        "src/pk_src_layout/__pycache__/cli.cpython-311.pyc": b"\x00compiled",
        "src/pk_src_layout/stale.pyc": b"\x00compiled",
        "src/pk_src_layout/.DS_Store": b"\x00finder",
    },
    "flat-layout": {
        "pk_flat_layout/__pycache__/core.cpython-311.pyc": b"\x00compiled",
        "build/lib/pk_flat_layout/core.py": b"stale = True\n",
        "dist/pk_flat_layout-0.3.0.tar.gz": b"an old sdist",
        ".venv/pyvenv.cfg": b"home = /usr/bin\n",
        ".tox/py311/log.txt": b"tox log\n",
        ".mypy_cache/3.11/cache.json": b"{}",
        ".hg/store/data": b"mercurial",
        "pk_flat_layout.egg-info/PKG-INFO": b"Name: stale\n",
    },
}


def copy_project(name: str, dest: Path) -> Path:
    """Copy ``backend_projects/NAME`` to ``dest/NAME`` and add its unshipped files."""
    target = dest / name
    shutil.copytree(PROJECTS / name, target)
    for relpath, data in UNSHIPPED.get(name, {}).items():
        path = target / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return target


@dataclass
class Backend:
    """The isolated environment of one test module, and its temporary folders and repositories."""

    wheelhouse: Path
    env: Env
    factory: pytest.TempPathFactory
    clock: list[int] = field(default_factory=lambda: [CLOCK_START])

    def tmp(self, name: str) -> Path:
        return self.factory.mktemp(name)

    def project(self, name: str) -> Path:
        """A fresh copy of a sample project (not a git repository)."""
        return copy_project(name, self.tmp(name))

    def repo(self, path: Path) -> Repo:
        """A git repository at ``path`` (initialised), with the isolated git of the tests."""
        return Repo(path, self.env, self.clock).init()

    def git_project(self, name: str, *, tag: str | None = "v0.3.0", commits_after: int = 0) -> Repo:
        """A copy of a sample project committed to git, tagged, with commits on top."""
        path = copy_project(name, self.tmp(name))
        repo = self.repo(path)
        repo.add()
        repo.commit("initial", files={})
        if tag is not None:
            repo.tag(tag, annotated=True)
        for index in range(commits_after):
            repo.commit(f"change {index}", files={f"CHANGES/{index}.md": f"change {index}\n"})
        return repo


# --------------------------------------------------------------------------------------------
# Reading artifacts


def zip_entries(wheel: Path) -> dict[str, bytes]:
    """The wheel's members, in archive order."""
    with zipfile.ZipFile(wheel) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def zip_infos(wheel: Path) -> list[zipfile.ZipInfo]:
    with zipfile.ZipFile(wheel) as archive:
        return archive.infolist()


def dist_info(wheel: Path) -> str:
    """``name-version.dist-info`` of a wheel, from its file name."""
    name, version = wheel.name.split("-")[:2]
    return f"{name}-{version}.dist-info"


def wheel_file(wheel: Path, name: str) -> str:
    """A ``.dist-info`` file of the wheel, as text."""
    return zip_entries(wheel)[f"{dist_info(wheel)}/{name}"].decode("utf-8")


def tar_infos(sdist: Path) -> list[tarfile.TarInfo]:
    with tarfile.open(sdist) as archive:
        return archive.getmembers()


def tar_file(sdist: Path, member: str) -> bytes:
    with tarfile.open(sdist) as archive:
        extracted = archive.extractfile(member)
        assert extracted is not None, f"{member} is not a file in {sdist.name}"
        return extracted.read()


def sdist_top(sdist: Path) -> str:
    return sdist.name.removesuffix(".tar.gz")


def pkg_info(sdist: Path) -> str:
    return tar_file(sdist, f"{sdist_top(sdist)}/PKG-INFO").decode("utf-8")


def parse_metadata(text: str) -> Metadata:
    """Core metadata as ``packaging`` reads it, every field validated."""
    return Metadata.from_email(text, validate=True)


def addresses(value: str | None) -> list[tuple[str, str]]:
    """``Author-email``-style values as (name, address) pairs."""
    return email.utils.getaddresses([value]) if value else []


def unpack_sdist(sdist: Path, dest: Path) -> Path:
    """Extract the sdist (``data`` filter) and return its top folder."""
    with tarfile.open(sdist) as archive:
        archive.extractall(dest, filter="data")
    return dest / sdist_top(sdist)
