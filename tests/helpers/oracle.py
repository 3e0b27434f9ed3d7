"""setuptools_scm as the reference oracle.

The oracle runs setuptools_scm in one long-lived subprocess, so its warnings and global state
never leak into the test process; every request carries its own environment and directory.
It reads the project's ``pyproject.toml`` the way ``python -m setuptools_scm`` does, with extra
settings passed as overrides; packkit reads the same file from its ``[tool.packkit]`` table (or,
when a test wants it, only from ``[tool.setuptools_scm]``). ``conftest.py`` stops the process
at the end of the session (``close_oracle``).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


def close_oracle() -> None:
    """Stop the setuptools_scm process (at the end of the session)."""
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
