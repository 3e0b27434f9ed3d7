"""Shared fixtures: deterministic git repositories and setuptools_scm as the reference oracle.

Every repository is built with the real ``git`` CLI in an isolated environment: no system or
global git configuration, a throw-away ``HOME``, fixed identities, and commit/tagger dates
from a per-repository clock (one hour per commit, starting 2024-01-01T00:00Z) unless a test
passes an explicit date. ``SOURCE_DATE_EPOCH`` is fixed for packkit and setuptools_scm alike.

The oracle runs setuptools_scm in one long-lived subprocess, so its warnings and global state
never leak into the test process; every request carries its own environment and directory.
It reads the project's ``pyproject.toml`` the way ``python -m setuptools_scm`` does, with extra
settings passed as overrides; packkit reads the same file from its ``[tool.packkit]`` table (or,
when a test wants it, only from ``[tool.setuptools_scm]``).
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

# The build-backend tests' fixtures (wheelhouse, venvs, sample projects).
pytest_plugins = ["backend_conftest"]

SOURCE_DATE_EPOCH = 1718452800  # 2024-06-15T12:00:00Z
CLOCK_START = 1704067200  # 2024-01-01T00:00:00Z
CLOCK_STEP = 3600

ISOLATED_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_AUTHOR_NAME": "Packkit Tester",
    "GIT_AUTHOR_EMAIL": "tester@example.invalid",
    "GIT_COMMITTER_NAME": "Packkit Tester",
    "GIT_COMMITTER_EMAIL": "tester@example.invalid",
    "SOURCE_DATE_EPOCH": str(SOURCE_DATE_EPOCH),
    "LC_ALL": "C",
    "TZ": "UTC",
}

#: Variables from the outer environment that would change either tool's answer.
_FOREIGN_PREFIXES = ("GIT_", "PACKKIT_", "SETUPTOOLS_SCM_", "VCS_VERSIONING_")


# --------------------------------------------------------------------------------------------
# The isolated environment


@pytest.fixture
def scm_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Env:
    """Isolate ``os.environ`` (packkit runs in-process) and return the same env for subprocesses."""
    home = tmp_path_factory.mktemp("home")
    for key in list(os.environ):
        if key.startswith(_FOREIGN_PREFIXES):
            monkeypatch.delenv(key)
    for key, value in {**ISOLATED_ENV, "HOME": str(home)}.items():
        monkeypatch.setenv(key, value)
    return Env(monkeypatch)


class Env:
    """The isolated environment, plus per-test variables set for packkit and the oracle alike."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self._monkeypatch = monkeypatch

    def set(self, key: str, value: str) -> None:
        self._monkeypatch.setenv(key, value)

    def unset(self, key: str) -> None:
        self._monkeypatch.delenv(key, raising=False)

    def as_dict(self, **extra: str) -> dict[str, str]:
        return {**os.environ, **extra}


# --------------------------------------------------------------------------------------------
# Repositories


def git_date(epoch: int) -> str:
    """A date git accepts unambiguously in GIT_AUTHOR_DATE / GIT_COMMITTER_DATE."""
    return f"@{epoch} +0000"


class Repo:
    """A git working tree driven through the ``git`` CLI, with deterministic dates.

    ``commit()`` without arguments writes a fresh file so every commit changes the tree.
    ``date`` arguments take anything git understands (``"2024-01-05T10:00:00+00:00"``).
    """

    def __init__(self, path: Path, env: Env, clock: list[int]) -> None:
        self.path = path
        self._env = env
        self._clock = clock
        self._counter = 0

    # -- plumbing -----------------------------------------------------------------------------

    def _next_date(self) -> str:
        self._clock[0] += CLOCK_STEP
        return git_date(self._clock[0])

    def run(
        self,
        *cmd: str,
        check: bool = True,
        date: str | None = None,
        input: bytes | None = None,
        cwd: Path | None = None,
    ) -> subprocess.CompletedProcess[bytes]:
        """Run any command in the repository with the isolated environment."""
        extra = {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date} if date else {}
        proc = subprocess.run(
            cmd,
            cwd=cwd or self.path,
            env=self._env.as_dict(**extra),
            input=input,
            capture_output=True,
            check=False,
        )
        if check and proc.returncode != 0:
            raise AssertionError(
                f"{' '.join(cmd)} failed ({proc.returncode}) in {cwd or self.path}:\n"
                f"{proc.stdout.decode(errors='replace')}{proc.stderr.decode(errors='replace')}"
            )
        return proc

    def git(self, *args: str, date: str | None = None, check: bool = True) -> str:
        """Run ``git ARGS`` and return its stripped stdout."""
        return self.run("git", *args, date=date, check=check).stdout.decode().strip()

    # -- porcelain ----------------------------------------------------------------------------

    def init(self, branch: str = "main") -> Repo:
        self.path.mkdir(parents=True, exist_ok=True)
        self.git("-c", f"init.defaultBranch={branch}", "init", "-q", "-b", branch)
        return self

    def write(self, relpath: str, content: str = "") -> Path:
        target = self.path / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
        return target

    def add(self, *paths: str) -> None:
        self.git("add", "--", *(paths or (".",)))

    def rm(self, *paths: str, cached: bool = False) -> None:
        self.git("rm", "-q", *(["--cached"] if cached else []), "--", *paths)

    def commit(
        self,
        message: str | None = None,
        *,
        files: Mapping[str, str] | None = None,
        date: str | None = None,
    ) -> None:
        """Commit ``files`` (default: one new file) plus whatever is already staged."""
        self._counter += 1
        if files is None:
            files = {f"file{self._counter}.txt": f"change {self._counter}\n"}
        for relpath, content in files.items():
            self.write(relpath, content)
        if files:
            self.add(*files)
        self.git(
            "commit",
            "-q",
            "--allow-empty",
            "--no-verify",
            "-m",
            message or f"commit {self._counter}",
            date=date or self._next_date(),
        )

    def commits(self, count: int) -> None:
        for _ in range(count):
            self.commit()

    def tag(
        self,
        name: str,
        *,
        annotated: bool = False,
        message: str | None = None,
        ref: str = "HEAD",
        date: str | None = None,
    ) -> None:
        """A lightweight tag, or an annotated one (``-a -m``) when asked or given a message."""
        if annotated or message is not None:
            tag_date = date or self._next_date()
            self.git("tag", "-a", name, "-m", message or f"release {name}", ref, date=tag_date)
        else:
            self.git("tag", name, ref)

    def branch(self, name: str, start: str = "HEAD") -> None:
        self.git("branch", name, start)

    def checkout(self, ref: str, *, create: bool = False) -> None:
        self.git("checkout", "-q", *(["-b"] if create else []), ref)

    def merge(self, ref: str, *, message: str | None = None, date: str | None = None) -> None:
        self.git(
            "merge",
            "-q",
            "--no-ff",
            "-m",
            message or f"merge {ref}",
            ref,
            date=date or self._next_date(),
        )

    def head(self) -> str:
        return self.git("rev-parse", "HEAD")

    def describe(self) -> str:
        """``git describe --tags --long --dirty`` (what packkit's facts must agree with)."""
        return self.git("describe", "--tags", "--long", "--dirty", "--abbrev=9")

    def clone(
        self,
        dest: Path,
        *,
        depth: int | None = None,
        branch: str | None = None,
        no_tags: bool = False,
    ) -> Repo:
        """Clone through a ``file://`` URL, so ``--depth`` really produces a shallow clone."""
        args = ["clone", "-q"]
        if depth is not None:
            args += ["--depth", str(depth)]
        if branch is not None:
            args += ["--branch", branch]
        if no_tags:
            args.append("--no-tags")
        self.git(*args, self.path.resolve().as_uri(), str(dest))
        return Repo(dest, self._env, self._clock)

    def archive(self, dest: Path, ref: str = "HEAD", prefix: str = "") -> Path:
        """Export ``ref`` with ``git archive`` (export-subst applied) and unpack it into dest."""
        args = ["git", "archive", "--format=tar"]
        if prefix:
            args.append(f"--prefix={prefix}")
        data = self.run(*args, ref).stdout
        dest.mkdir(parents=True, exist_ok=True)
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            tar.extractall(dest, filter="data")
        return dest


ARCHIVAL_TEMPLATE = (
    "node: $Format:%H$\n"
    "node-date: $Format:%cI$\n"
    "describe-name: $Format:%(describe:tags=true,match=*[0-9]*)$\n"
)


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


# --------------------------------------------------------------------------------------------
# pyproject.toml


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string is a valid TOML basic string
    raise TypeError(f"no TOML spelling for {value!r}")


def _toml_table(header: str, table: Mapping[str, object]) -> str:
    lines = [f"[{header}]"]
    nested = []
    for key, value in table.items():
        if isinstance(value, Mapping):
            nested.append(_toml_table(f"{header}.{key}", value))
        else:
            lines.append(f"{key} = {_toml_value(value)}")
    return "\n".join([*lines, "", *nested])


def pyproject_text(
    *,
    name: str = "demo",
    packkit: Mapping[str, object] | None = None,
    setuptools_scm: Mapping[str, object] | None = None,
    extra: str = "",
) -> str:
    parts = [f'[project]\nname = {_toml_value(name)}\ndynamic = ["version"]\n']
    if packkit is not None:
        parts.append(_toml_table("tool.packkit", packkit))
    if setuptools_scm is not None:
        parts.append(_toml_table("tool.setuptools_scm", setuptools_scm))
    if extra:
        parts.append(extra)
    return "\n".join(parts).rstrip() + "\n"


def write_pyproject(directory: Path, **kwargs: Any) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "pyproject.toml"
    path.write_text(pyproject_text(**kwargs), encoding="utf-8")
    return path


# --------------------------------------------------------------------------------------------
# The oracle: setuptools_scm 10.x on the same tree

_ORACLE = r"""
import dataclasses, functools, importlib.metadata, json, os, sys, warnings
warnings.simplefilter("ignore")

# setuptools_scm looks its schemes up with importlib.metadata.entry_points() on every call,
# which rescans every installed distribution; the set is fixed while the oracle runs.
_entry_points = importlib.metadata.entry_points
_cached = functools.lru_cache(maxsize=None)(lambda items: _entry_points(**dict(items)))
importlib.metadata.entry_points = lambda **kw: _cached(tuple(sorted(kw.items())))

from setuptools_scm import _get_version
from vcs_versioning._environment import VcsEnvironment
from vcs_versioning._get_version_impl import _finalize, _resolve_version
from vcs_versioning.overrides import GlobalOverrides


def error(exc):
    return {"version": None, "error": type(exc).__name__, "message": str(exc)}


def answer(req):
    with GlobalOverrides.from_env("SETUPTOOLS_SCM"):
        env = VcsEnvironment.from_env("SETUPTOOLS_SCM")
        try:
            config = env.build_config(name=req["pyproject"], **req["overrides"])
            if req["schemes"] is None:
                version = _get_version(config, force_write_version_files=False)
                if version is None:
                    raise LookupError("setuptools_scm found no version")
                return [{"version": version}]
            # Ask git once, then let setuptools_scm format the same facts with every scheme.
            scm_version = _resolve_version(config)
            if scm_version is None:
                raise LookupError("setuptools_scm found no version")
        except BaseException as exc:  # SystemExit included: the oracle always answers
            return [error(exc)] * len(req["schemes"] or [None])
        results = []
        for version_scheme, local_scheme in req["schemes"]:
            try:
                cfg = dataclasses.replace(
                    config, version_scheme=version_scheme, local_scheme=local_scheme
                )
                version = _finalize(
                    dataclasses.replace(scm_version, config=cfg), cfg, force_write=False
                )
                results.append({"version": version})
            except BaseException as exc:
                results.append(error(exc))
        return results


# One JSON batch per line in, one JSON line of answers out; each request carries its whole
# environment and working directory.
for line in sys.stdin:
    out = []
    for req in json.loads(line):
        os.environ.clear()
        os.environ.update(req["env"])
        os.chdir(req["cwd"])
        out.append(answer(req))
    print(json.dumps(out), flush=True)
"""


class _OracleServer:
    """One long-lived setuptools_scm process for the session (it costs ~0.2 s to start)."""

    def __init__(self) -> None:
        self._proc: subprocess.Popen[str] | None = None

    def ask(self, payload: list[dict[str, object]]) -> list[list[dict[str, Any]]]:
        if self._proc is None or self._proc.poll() is not None:
            self._proc = subprocess.Popen(
                [sys.executable, "-c", _ORACLE],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                cwd="/",
            )
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._proc.stdin.write(json.dumps(payload) + "\n")
        self._proc.stdin.flush()
        line = self._proc.stdout.readline()
        if not line:
            self._proc.stdin.close()
            stderr = self._proc.stderr.read() if self._proc.stderr else ""
            self._proc.wait()
            self._proc = None
            raise AssertionError(f"the setuptools_scm oracle crashed:\n{stderr}")
        answers: list[list[dict[str, Any]]] = json.loads(line)
        return answers

    def close(self) -> None:
        if self._proc is not None:
            for stream in (self._proc.stdin, self._proc.stdout, self._proc.stderr):
                if stream is not None:
                    stream.close()
            self._proc.wait()
            self._proc = None


_SERVER = _OracleServer()


def pytest_sessionfinish(session: pytest.Session) -> None:
    _SERVER.close()


@dataclass(frozen=True)
class OracleResult:
    version: str | None
    error: str | None = None
    message: str = ""

    def __str__(self) -> str:
        return self.version if self.version is not None else f"<{self.error}: {self.message}>"


@dataclass(frozen=True)
class OracleRequest:
    """One setuptools_scm run: config overrides, and optionally many schemes to format with."""

    overrides: Mapping[str, object]
    schemes: list[tuple[str, str]] | None = None


def run_oracle(
    project: Path,
    requests: list[OracleRequest],
    env: Mapping[str, str] | None = None,
) -> list[list[OracleResult]]:
    """setuptools_scm's answers for each request, on ``project/pyproject.toml``.

    A request without ``schemes`` is one plain ``_get_version`` call (one answer); a request
    with ``schemes`` asks git once and formats the facts with each (version, local) scheme pair,
    exactly as setuptools_scm's own pipeline does after discovery. ``env`` adds variables for
    this call only; ``PACKKIT_*`` names are translated to the ``SETUPTOOLS_SCM_*`` spelling so
    both tools see the same request.
    """
    translated = {}
    for key, value in (env or {}).items():
        translated[re.sub(r"^PACKKIT_", "SETUPTOOLS_SCM_", key)] = value
    request_env = {**os.environ, **translated}
    payload: list[dict[str, object]] = [
        {
            "pyproject": str(project / "pyproject.toml"),
            "overrides": dict(request.overrides),
            "schemes": request.schemes,
            "env": request_env,
            "cwd": str(project),
        }
        for request in requests
    ]
    batches = _SERVER.ask(payload)
    return [[OracleResult(**item) for item in batch] for batch in batches]


def oracle_result(
    project: Path, env: Mapping[str, str] | None = None, **overrides: object
) -> OracleResult:
    """setuptools_scm's answer (a version or an error) for one set of overrides."""
    ((result,),) = run_oracle(project, [OracleRequest(overrides)], env)
    return result


def oracle_version(project: Path, env: Mapping[str, str] | None = None, **overrides: object) -> str:
    """setuptools_scm's version for one request; fails the test if setuptools_scm raised."""
    result = oracle_result(project, env, **overrides)
    assert result.version is not None, f"setuptools_scm failed unexpectedly: {result}"
    return result.version


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
