"""Local stand-ins for the hook repositories of a ``.pre-commit-config.yaml`` written by
``packkit new``, so that ``pre-commit run --all-files`` runs offline.

pre-commit clones each ``repo:`` URL at its ``rev:`` and, for a ``language: python`` hook,
``pip install``\\ s that clone into a virtualenv of its own. There is no GitHub here, so each
known repository is replaced by a local git repository (a *replica*) that has, at a tag named
as the ``rev``:

* a ``.pre-commit-hooks.yaml`` declaring the hooks the config uses, with the ids, entries and
  file types of the real repository at that rev (written out below, in ``HOOKS``);
* a ``pyproject.toml`` whose only dependency is the tool at the version the rev stands for
  (``ruff==0.17.6`` for ruff-pre-commit ``v0.17.6``), which pip installs from the local
  wheelhouse (``PIP_NO_INDEX``, ``PIP_FIND_LINKS``; setuptools, the replica's build backend,
  comes from there too).

The real ruff-pre-commit repository is exactly this (a ``.pre-commit-hooks.yaml`` and a
package depending on ``ruff==<rev>``); pre-commit-hooks and nbstripout are the packages
themselves, published on PyPI at the same versions. So the hooks that run are the real tools at
the pinned versions, on the real files; what differs is only where the hook definitions are
cloned from. The config is copied with only its ``repo:`` URLs rewritten to the replicas;
every ``rev:``, hook id and argument is left as generated.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import yaml

#: For each hook repository packkit new writes: the PyPI distribution its rev pins, and the
#: definitions of its hooks (as in that repository's .pre-commit-hooks.yaml).
HOOKS: dict[str, tuple[str, list[dict[str, object]]]] = {
    "https://github.com/astral-sh/ruff-pre-commit": (
        "ruff",
        [
            {
                "id": hook_id,
                "name": hook_id,
                "entry": f"ruff {command} --force-exclude",
                "language": "python",
                "types_or": ["python", "pyi", "jupyter"],
                "require_serial": True,
                "minimum_pre_commit_version": "2.9.2",
            }
            for hook_id, command in [("ruff-check", "check"), ("ruff-format", "format")]
        ],
    ),
    "https://github.com/pre-commit/pre-commit-hooks": (
        "pre-commit-hooks",
        [
            {"id": "check-toml", "entry": "check-toml", "types": ["toml"]},
            {"id": "check-yaml", "entry": "check-yaml", "types": ["yaml"]},
            {"id": "end-of-file-fixer", "entry": "end-of-file-fixer", "types": ["text"]},
            {"id": "trailing-whitespace", "entry": "trailing-whitespace-fixer", "types": ["text"]},
        ],
    ),
    "https://github.com/kynan/nbstripout": (
        "nbstripout",
        [{"id": "nbstripout", "entry": "nbstripout", "types": ["jupyter"]}],
    ),
}


def _git(cwd: Path, *args: str, env: dict[str, str]) -> None:
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def _replica(folder: Path, url: str, rev: str, env: dict[str, str]) -> None:
    """A git repository at ``folder`` standing for ``url`` at the tag ``rev``."""
    distribution, hooks = HOOKS[url]
    version = rev.removeprefix("v")
    folder.mkdir(parents=True)
    definitions = [{"name": hook["id"], "language": "python", **hook} for hook in hooks]
    (folder / ".pre-commit-hooks.yaml").write_text(yaml.safe_dump(definitions, sort_keys=False))
    (folder / "pyproject.toml").write_text(
        "[build-system]\n"
        'requires = ["setuptools>=61"]\n'
        'build-backend = "setuptools.build_meta"\n\n'
        "[project]\n"
        f'name = "{distribution}-hook-replica"\n'
        'version = "0"\n'
        f'dependencies = ["{distribution}=={version}"]\n\n'
        "[tool.setuptools]\n"
        "py-modules = []\n"
    )
    _git(folder, "init", "-q", "-b", "main", env=env)
    _git(folder, "add", "-A", env=env)
    _git(folder, "commit", "-q", "-m", f"replica of {url} at {rev}", env=env)
    _git(folder, "tag", rev, env=env)


def offline_config(config: Path, replicas: Path, env: dict[str, str]) -> Path:
    """Build a replica for every ``repo:`` of ``config``; return a copy of ``config`` (beside
    ``replicas``) whose ``repo:`` URLs, and nothing else, point at them. A repository packkit
    does not know fails the test (KeyError): the config may only use the ones above."""
    text = config.read_text()
    for index, repo in enumerate(yaml.safe_load(text)["repos"]):
        url, rev = repo["repo"], repo["rev"]
        folder = replicas / f"{index}-{url.rsplit('/', 1)[-1]}"
        _replica(folder, url, rev, env)
        text = text.replace(f"repo: {url}\n", f"repo: {folder.as_uri()}\n", 1)
    copy = replicas.parent / "pre-commit-config.offline.yaml"
    copy.write_text(text)
    return copy
