"""Deterministic git repositories for the tests, driven through the real ``git`` CLI.

Every repository lives in an isolated environment: no system or global git configuration, a
throw-away ``HOME``, fixed identities, and commit/tagger dates from a per-repository clock (one
hour per commit, starting 2024-01-01T00:00Z) unless a test passes an explicit date.
``SOURCE_DATE_EPOCH`` is fixed for packkit and setuptools_scm alike. The ``scm_env`` and
``make_repo`` fixtures of ``conftest.py`` set this up.
"""

from __future__ import annotations

import io
import os
import subprocess
import tarfile
from collections.abc import Mapping
from pathlib import Path

import pytest

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
FOREIGN_PREFIXES = ("GIT_", "PACKKIT_", "SETUPTOOLS_SCM_", "VCS_VERSIONING_")


# --------------------------------------------------------------------------------------------
# The isolated environment


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
