"""packkit's versions from real git repositories, checked against setuptools_scm on the same tree.

Each scenario builds one repository (or archive, or sdist tree) with the ``git`` CLI, then
asks setuptools_scm 10.x (the oracle, in a subprocess) and ``packkit.get_version`` for the
version with the project's own configuration and with every version scheme x local scheme
pair. The answers must be equal; where setuptools_scm raises, packkit must raise a
``PackkitError``; where setuptools_scm returns a string that is not PEP 440, packkit must refuse
with an error naming that string.

The places where packkit deliberately differs (several tags on one commit, non-version tags,
shallow clones cut before any tag, invalid ``post-release`` results) have their own tests below,
each proving that setuptools_scm answers differently on the same repository.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import re
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import packkit
import pytest
from helpers.git import ARCHIVAL_TEMPLATE, Env, Repo
from helpers.oracle import OracleRequest, OracleResult, oracle_result, oracle_version, run_oracle
from helpers.pyproject import pyproject_text, write_pyproject
from packaging.version import InvalidVersion, Version

VERSION_SCHEMES = (
    "guess-next-dev",
    "post-release",
    "no-guess-dev",
    "only-version",
    "python-simplified-semver",
    "semver-pep440",
    "release-branch-semver",
    "semver-pep440-release-branch",
    "towncrier-fragments",
    "towncrier-fragments-zerover",
)
LOCAL_SCHEMES = (
    "node-and-date",
    "node-and-timestamp",
    "dirty-tag",
    "no-local-version",
    "fail-on-uncommitted-changes",
)
ALL_SCHEMES = [(v, loc) for v in VERSION_SCHEMES for loc in LOCAL_SCHEMES]
CALVER_SCHEMES = [("calver-by-date", loc) for loc in LOCAL_SCHEMES]
TOWNCRIER_SCHEMES = [("towncrier-fragments", loc) for loc in LOCAL_SCHEMES]

MakeRepo = Callable[..., Repo]


# --------------------------------------------------------------------------------------------
# Scenario plumbing


@dataclass
class Scenario:
    """A tree to version, and how both tools are asked about it."""

    project: Path
    """The directory holding pyproject.toml (what packkit.get_version is given)."""
    repo: Repo | None = None
    """The git checkout, when the project lives in one (for the git describe cross-check)."""
    oracle_config: dict[str, object] = field(default_factory=dict)
    """The [tool.packkit] settings in setuptools_scm's spelling, passed to it as overrides."""
    kwargs: dict[str, object] = field(default_factory=dict)
    """Keyword arguments given to packkit.get_version and, as overrides, to setuptools_scm."""
    env: dict[str, str] = field(default_factory=dict)
    schemes: list[tuple[str, str]] = field(default_factory=lambda: list(ALL_SCHEMES))
    check_describe: bool = True
    """Cross-check packkit.describe() with git itself (off when tag selection is configured)."""
    scope: list[str] | None = None
    """With a distance scope: the pathspec git's dirty check and untagged count are limited to."""


SCENARIOS: dict[str, Callable[[MakeRepo], Scenario]] = {}


def scenario(builder: Callable[[MakeRepo], Scenario]) -> Callable[[MakeRepo], Scenario]:
    SCENARIOS[builder.__name__.removeprefix("sc_")] = builder
    return builder


_ORACLE_KEYS = {
    "version-scheme": "version_scheme",
    "local-scheme": "local_scheme",
    "fallback-version": "fallback_version",
    "parentdir-prefix-version": "parentdir_prefix_version",
    "root": "root",
    "normalize": "normalize",
}
_ORACLE_GIT_KEYS = {"distance-scope": "distance_scope", "distance-count": "distance_count"}


def oracle_equivalent(config: Mapping[str, object]) -> dict[str, object]:
    """A [tool.packkit] table (kebab-case) as setuptools_scm configuration overrides."""
    out: dict[str, object] = {}
    tag: dict[str, object] = {}
    for key, value in config.items():
        if key == "tag-regex":
            tag["regex"] = value
        elif key == "tag-prefix":
            tag["prefix"] = value
        elif key in _ORACLE_GIT_KEYS:
            git = out.setdefault("scm", {"git": {}})
            assert isinstance(git, dict)
            git["git"][_ORACLE_GIT_KEYS[key]] = value
        else:
            out[_ORACLE_KEYS[key]] = value
    if tag:
        out["tag"] = tag
    return out


def start_project(
    make_repo: MakeRepo,
    *,
    config: Mapping[str, object] | None = None,
    scm_table: Mapping[str, object] | None = None,
    name: str = "demo",
    subdir: str = "",
    extra: str = "",
    files: Mapping[str, str] | None = None,
    repo_name: str = "repo",
) -> Scenario:
    """A repository whose first commit holds the project's pyproject.toml (and ``files``).

    ``config`` goes to ``[tool.packkit]`` (and to setuptools_scm as overrides); ``scm_table``
    goes to ``[tool.setuptools_scm]`` only, which both tools then read from the file.
    """
    repo = make_repo(repo_name)
    rel = f"{subdir}/pyproject.toml" if subdir else "pyproject.toml"
    text = pyproject_text(name=name, packkit=config, setuptools_scm=scm_table, extra=extra)
    repo.commit("initial", files={rel: text, **(files or {})})
    return Scenario(
        project=repo.path / subdir if subdir else repo.path,
        repo=repo,
        oracle_config=oracle_equivalent(config or {}),
    )


def tagged(
    make_repo: MakeRepo,
    tag: str,
    after: int = 0,
    *,
    annotated: bool = False,
    **project: Any,
) -> Scenario:
    """A project tagged ``tag`` on its first commit, with ``after`` commits on top."""
    sc = start_project(make_repo, **project)
    assert sc.repo is not None
    sc.repo.tag(tag, annotated=annotated)
    sc.repo.commits(after)
    return sc


def oracle_kwargs(kwargs: Mapping[str, object]) -> dict[str, object]:
    """packkit.get_version keyword arguments as setuptools_scm configuration overrides."""
    out = dict(kwargs)
    if "tag_prefix" in out:
        out["tag"] = {"prefix": out.pop("tag_prefix")}
    return out


def is_pep440(text: str) -> bool:
    try:
        Version(text)
    except InvalidVersion:
        return False
    return True


def compare(label: str, expected: OracleResult, call: Callable[[], str]) -> str | None:
    """None when packkit agrees with setuptools_scm's answer, else a line for the report."""
    got: str | None = None
    error: packkit.PackkitError | None = None
    try:
        got = call()
    except packkit.PackkitError as exc:
        error = exc
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # a PanicException, TypeError, ... is a packkit bug
        return f"{label}: packkit raised non-packkit {type(exc).__name__}: {exc}"
    if expected.version is None:
        if error is not None:
            return None
        return f"{label}: setuptools_scm raised {expected}; packkit returned {got!r}"
    if not is_pep440(expected.version):
        if error is not None and expected.version in str(error):
            return None
        return (
            f"{label}: setuptools_scm returns the invalid version {expected.version!r}; packkit "
            f"must refuse it with an error naming it, got "
            f"{f'{type(error).__name__}: {error}' if error else repr(got)}"
        )
    if error is not None:
        raised = f"{type(error).__name__}: {error}"
        return f"{label}: expected {expected.version!r}, packkit raised {raised}"
    if got != expected.version:
        return f"{label}: expected {expected.version!r} (setuptools_scm), got {got!r}"
    return None


# --------------------------------------------------------------------------------------------
# Scenarios: repository states


@scenario
def sc_no_tag(make_repo: MakeRepo) -> Scenario:
    sc = start_project(make_repo)
    assert sc.repo is not None
    sc.repo.commits(2)
    return sc


@scenario
def sc_no_tag_dirty(make_repo: MakeRepo) -> Scenario:
    sc = start_project(make_repo, files={"README.md": "hello\n"})
    assert sc.repo is not None
    sc.repo.commit()
    sc.repo.write("README.md", "changed\n")
    return sc


@scenario
def sc_no_commits(make_repo: MakeRepo) -> Scenario:
    repo = make_repo()
    write_pyproject(repo.path)
    return Scenario(project=repo.path, repo=repo, check_describe=False)


@scenario
def sc_no_commits_staged(make_repo: MakeRepo) -> Scenario:
    repo = make_repo()
    write_pyproject(repo.path)
    repo.write("src/demo/__init__.py", "")
    repo.add()
    return Scenario(project=repo.path, repo=repo, check_describe=False)


@scenario
def sc_exact_tag(make_repo: MakeRepo) -> Scenario:
    return tagged(make_repo, "v1.0.0")


@scenario
def sc_exact_annotated_tag(make_repo: MakeRepo) -> Scenario:
    return tagged(make_repo, "v1.0.0", annotated=True)


@scenario
def sc_distance(make_repo: MakeRepo) -> Scenario:
    return tagged(make_repo, "v1.0.0", 3)


@scenario
def sc_distance_annotated(make_repo: MakeRepo) -> Scenario:
    return tagged(make_repo, "v1.2.3", 1, annotated=True)


@scenario
def sc_two_part_tag(make_repo: MakeRepo) -> Scenario:
    return tagged(make_repo, "v1.2", 1)


@scenario
def sc_one_part_tag(make_repo: MakeRepo) -> Scenario:
    return tagged(make_repo, "v3", 2)


@scenario
def sc_dirty_modified_exact(make_repo: MakeRepo) -> Scenario:
    sc = tagged(make_repo, "v1.0.0", files={"README.md": "hello\n"})
    sc.project.joinpath("README.md").write_text("changed\n")
    return sc


@scenario
def sc_dirty_modified_distance(make_repo: MakeRepo) -> Scenario:
    sc = tagged(make_repo, "v1.0.0", 2, files={"README.md": "hello\n"})
    sc.project.joinpath("README.md").write_text("changed\n")
    return sc


@scenario
def sc_untracked_only_exact(make_repo: MakeRepo) -> Scenario:
    sc = tagged(make_repo, "v1.0.0")
    sc.project.joinpath("notes.txt").write_text("not tracked\n")
    return sc


@scenario
def sc_untracked_only_distance(make_repo: MakeRepo) -> Scenario:
    sc = tagged(make_repo, "v1.0.0", 2)
    sc.project.joinpath("scratch").mkdir()
    sc.project.joinpath("scratch", "data.csv").write_text("a,b\n")
    return sc


@scenario
def sc_ignored_file_changed(make_repo: MakeRepo) -> Scenario:
    sc = tagged(make_repo, "v1.0.0", files={".gitignore": "*.log\n"})
    sc.project.joinpath("build.log").write_text("ignored\n")
    return sc


@scenario
def sc_deleted_file(make_repo: MakeRepo) -> Scenario:
    sc = tagged(make_repo, "v1.0.0", files={"README.md": "hello\n"})
    sc.project.joinpath("README.md").unlink()
    return sc


def staged(sc: Scenario, path: str) -> Scenario:
    """``sc`` with a new file at ``path`` staged."""
    assert sc.repo is not None
    sc.repo.write(path, "x = 1\n")
    sc.repo.add(path)
    return sc


@scenario
def sc_staged_new_file(make_repo: MakeRepo) -> Scenario:
    return staged(tagged(make_repo, "v1.0.0", 1), "src/demo/new.py")


@scenario
def sc_staged_deletion(make_repo: MakeRepo) -> Scenario:
    sc = tagged(make_repo, "v1.0.0", files={"README.md": "hello\n"})
    assert sc.repo is not None
    sc.repo.rm("README.md")
    return sc


@scenario
def sc_rewritten_same_content(make_repo: MakeRepo) -> Scenario:
    """A tracked file rewritten with identical bytes and a new mtime is not a change."""
    sc = tagged(make_repo, "v1.0.0", files={"README.md": "hello\n"})
    readme = sc.project / "README.md"
    readme.write_text("hello\n")
    future = readme.stat().st_mtime + 3600
    os.utime(readme, (future, future))
    return sc


# --------------------------------------------------------------------------------------------
# Scenarios: tag spellings


@scenario
def sc_rc_tag(make_repo: MakeRepo) -> Scenario:
    return tagged(make_repo, "1.0rc1", 2)


@scenario
def sc_rc_tag_exact(make_repo: MakeRepo) -> Scenario:
    return tagged(make_repo, "1.0rc1")


@scenario
def sc_post_tag(make_repo: MakeRepo) -> Scenario:
    return tagged(make_repo, "1.0.0.post1", 2)


@scenario
def sc_dev0_tag(make_repo: MakeRepo) -> Scenario:
    return tagged(make_repo, "2.0.0.dev0", 2)


@scenario
def sc_dev0_tag_exact(make_repo: MakeRepo) -> Scenario:
    return tagged(make_repo, "2.0.0.dev0")


@scenario
def sc_devn_tag(make_repo: MakeRepo) -> Scenario:
    """guess-next-dev refuses a .devN (N != 0) tag; packkit must refuse too, not guess."""
    return tagged(make_repo, "2.0.0.dev3", 1)


@scenario
def sc_uppercase_v_tag(make_repo: MakeRepo) -> Scenario:
    return tagged(make_repo, "V1.3.0", 1)


@scenario
def sc_pkg_prefixed_tag(make_repo: MakeRepo) -> Scenario:
    """The default tag regex strips a ``[\\w-]+-`` prefix: ``pkg-v1.2.0`` is 1.2.0."""
    return tagged(make_repo, "pkg-v1.2.0", 2)


@scenario
def sc_release_prefixed_tag(make_repo: MakeRepo) -> Scenario:
    return tagged(make_repo, "release-1.2.3", 1)


@scenario
def sc_epoch_tag(make_repo: MakeRepo) -> Scenario:
    return tagged(make_repo, "1!2.0.0", 1)


@scenario
def sc_tag_with_local_part(make_repo: MakeRepo) -> Scenario:
    return tagged(make_repo, "1.0.0+build.5", 2)


@scenario
def sc_leading_zeros_tag(make_repo: MakeRepo) -> Scenario:
    return tagged(make_repo, "v01.02.003", 1)


@scenario
def sc_semver_prerelease_tag(make_repo: MakeRepo) -> Scenario:
    return tagged(make_repo, "v2.0.0-rc.1", 1)


@scenario
def sc_normalize_false_exact(make_repo: MakeRepo) -> Scenario:
    return tagged(make_repo, "v1.0.0-rc1", config={"normalize": False})


@scenario
def sc_normalize_false_kwarg(make_repo: MakeRepo) -> Scenario:
    sc = tagged(make_repo, "v1.0.0-rc1")
    sc.kwargs = {"normalize": False}
    return sc


@scenario
def sc_nearest_tag_not_highest(make_repo: MakeRepo) -> Scenario:
    sc = tagged(make_repo, "v2.0.0", 1)
    assert sc.repo is not None
    sc.repo.tag("v1.5.0")
    sc.repo.commit()
    return sc


@scenario
def sc_digitless_tag_nearest(make_repo: MakeRepo) -> Scenario:
    """``latest`` has no digit: outside the describe glob for setuptools_scm, skipped by packkit."""
    sc = tagged(make_repo, "v1.0.0", 2)
    assert sc.repo is not None
    sc.repo.tag("latest")
    sc.check_describe = False  # git describe --tags would name `latest`
    return sc


@scenario
def sc_tag_prefix_monorepo(make_repo: MakeRepo) -> Scenario:
    sc = tagged(make_repo, "pkg-a-v1.0.0", 1, config={"tag-prefix": "pkg-a-v"})
    assert sc.repo is not None
    sc.repo.tag("pkg-b-v2.0.0")
    sc.repo.commit()
    sc.check_describe = False
    return sc


@scenario
def sc_tag_prefix_kwarg(make_repo: MakeRepo) -> Scenario:
    sc = tagged(make_repo, "pkg-a-v1.0.0", 1)
    assert sc.repo is not None
    sc.repo.tag("pkg-b-v2.0.0", annotated=True)
    sc.repo.commit()
    sc.kwargs = {"tag_prefix": "pkg-a-v"}
    sc.check_describe = False
    return sc


@scenario
def sc_tag_regex_config(make_repo: MakeRepo) -> Scenario:
    config = {"tag-regex": r"^app/(?P<version>\d+(?:\.\d+)*)$"}
    sc = tagged(make_repo, "app/1.2.3", 2, config=config)
    sc.check_describe = False
    return sc


# --------------------------------------------------------------------------------------------
# Scenarios: history shapes


@scenario
def sc_merge_no_ff(make_repo: MakeRepo) -> Scenario:
    sc = tagged(make_repo, "v1.0.0", 1)
    repo = sc.repo
    assert repo is not None
    repo.branch("feature")
    repo.checkout("feature")
    repo.commits(2)
    repo.checkout("main")
    repo.commit()
    repo.merge("feature")
    return sc


@scenario
def sc_merge_older_dates_after_tag(make_repo: MakeRepo) -> Scenario:
    sc = tagged(make_repo, "v1.0.0")
    repo = sc.repo
    assert repo is not None
    repo.checkout("feature", create=True)
    repo.commit(date="2023-06-01T10:00:00+00:00")
    repo.commit(date="2023-06-02T10:00:00+00:00")
    repo.checkout("main")
    repo.commits(2)
    repo.merge("feature")
    repo.commit()
    return sc


@scenario
def sc_merge_older_dates_tag_on_branch(make_repo: MakeRepo) -> Scenario:
    """Tag on a merged branch whose commits are older: git describe counts 6, rev-list 3."""
    sc = start_project(make_repo)
    repo = sc.repo
    assert repo is not None
    repo.commits(2)
    repo.checkout("feature", create=True)
    repo.commit(date="2023-06-01T10:00:00+00:00")
    repo.commit(date="2023-06-02T10:00:00+00:00")
    repo.tag("v1.0.0")
    repo.checkout("main")
    repo.commits(2)
    repo.merge("feature")
    described = int(repo.describe().split("-")[-2])
    counted = int(repo.git("rev-list", "--count", "v1.0.0..HEAD"))
    assert described != counted, "the scenario must exercise git describe's date-order count"
    return sc


@scenario
def sc_tag_on_merged_branch(make_repo: MakeRepo) -> Scenario:
    sc = tagged(make_repo, "v1.0.0", 1)
    repo = sc.repo
    assert repo is not None
    repo.checkout("release", create=True)
    repo.commit()
    repo.tag("v1.1.0", annotated=True)
    repo.checkout("main")
    repo.commit()
    repo.merge("release")
    return sc


@scenario
def sc_tags_on_both_parents(make_repo: MakeRepo) -> Scenario:
    sc = start_project(make_repo)
    repo = sc.repo
    assert repo is not None
    repo.checkout("other", create=True)
    repo.commit()
    repo.tag("v1.2.0")
    repo.commits(3)
    repo.checkout("main")
    repo.commit()
    repo.tag("v1.1.0")
    repo.commit()
    repo.merge("other")
    return sc


@scenario
def sc_detached_head_after_tag(make_repo: MakeRepo) -> Scenario:
    sc = tagged(make_repo, "v1.0.0", 2)
    assert sc.repo is not None
    sc.repo.checkout(sc.repo.git("rev-parse", "HEAD~1"))
    return sc


@scenario
def sc_detached_head_on_tag(make_repo: MakeRepo) -> Scenario:
    sc = tagged(make_repo, "v1.0.0", 2)
    assert sc.repo is not None
    sc.repo.checkout("v1.0.0")
    return sc


# --------------------------------------------------------------------------------------------
# Scenarios: branches and branch-aware schemes


def on_branch(sc: Scenario, branch: str, commits: int) -> Scenario:
    assert sc.repo is not None
    sc.repo.checkout(branch, create=True)
    sc.repo.commits(commits)
    return sc


@scenario
def sc_release_branch(make_repo: MakeRepo) -> Scenario:
    sc = tagged(make_repo, "1.2.0", config={"version-scheme": "release-branch-semver"})
    return on_branch(sc, "release-1.2", 2)


@scenario
def sc_release_branch_slash_v(make_repo: MakeRepo) -> Scenario:
    sc = tagged(make_repo, "v1.2.0", config={"version-scheme": "semver-pep440-release-branch"})
    return on_branch(sc, "release/v1.2", 1)


@scenario
def sc_release_branch_older_line(make_repo: MakeRepo) -> Scenario:
    return on_branch(tagged(make_repo, "1.2.0"), "release-1.1", 1)


@scenario
def sc_release_branch_rc(make_repo: MakeRepo) -> Scenario:
    return on_branch(tagged(make_repo, "2.0.0rc1"), "release-2.0", 1)


@scenario
def sc_release_branch_semver_on_main(make_repo: MakeRepo) -> Scenario:
    return tagged(make_repo, "1.2.0", 3, config={"version-scheme": "release-branch-semver"})


@scenario
def sc_feature_branch_simplified_semver(make_repo: MakeRepo) -> Scenario:
    sc = tagged(make_repo, "1.4.2", config={"version-scheme": "python-simplified-semver"})
    return on_branch(sc, "feature/login", 2)


@scenario
def sc_feature_branch_semver_pep440_rc(make_repo: MakeRepo) -> Scenario:
    sc = tagged(make_repo, "1.0rc1", config={"version-scheme": "semver-pep440"})
    return on_branch(sc, "feature-x", 2)


# --------------------------------------------------------------------------------------------
# Scenarios: shallow clones (history reaching a tag; the cut-off case is a test of its own)


@scenario
def sc_shallow_clone_tagged_tip(make_repo: MakeRepo) -> Scenario:
    origin = tagged(make_repo, "v1.0.0", 3, repo_name="origin").repo
    assert origin is not None
    origin.tag("v1.1.0")
    clone = origin.clone(origin.path.parent / "clone", depth=1)
    return Scenario(project=clone.path, repo=clone)


@scenario
def sc_shallow_clone_reaching_tag(make_repo: MakeRepo) -> Scenario:
    origin = start_project(make_repo, repo_name="origin").repo
    assert origin is not None
    origin.commit()
    origin.tag("v1.0.0")
    origin.commits(4)
    clone = origin.clone(origin.path.parent / "clone", depth=6)
    assert clone.git("rev-parse", "--is-shallow-repository") == "true"
    return Scenario(project=clone.path, repo=clone)


# --------------------------------------------------------------------------------------------
# Scenarios: git archive, sdists


ARCHIVAL_FILES = {".gitattributes": ".git_archival.txt export-subst\n"}


def archival_project(make_repo: MakeRepo) -> Repo:
    sc = start_project(make_repo, files={**ARCHIVAL_FILES, ".git_archival.txt": ARCHIVAL_TEMPLATE})
    assert sc.repo is not None
    return sc.repo


@scenario
def sc_archive_of_tag(make_repo: MakeRepo) -> Scenario:
    repo = archival_project(make_repo)
    repo.commit()
    repo.tag("v1.0.0", annotated=True)
    tree = repo.archive(repo.path.parent / "export")
    assert "$Format" not in (tree / ".git_archival.txt").read_text()
    return Scenario(project=tree)


@scenario
def sc_archive_after_tag(make_repo: MakeRepo) -> Scenario:
    repo = archival_project(make_repo)
    repo.tag("v1.0.0")
    repo.commits(2)
    return Scenario(project=repo.archive(repo.path.parent / "export"))


@scenario
def sc_archive_prefixed_tag(make_repo: MakeRepo) -> Scenario:
    repo = archival_project(make_repo)
    repo.tag("demo-v2.1.0", annotated=True)
    repo.commit()
    return Scenario(project=repo.archive(repo.path.parent / "export"))


@scenario
def sc_archive_without_tags(make_repo: MakeRepo) -> Scenario:
    repo = archival_project(make_repo)
    repo.commits(2)
    return Scenario(project=repo.archive(repo.path.parent / "export"))


PKG_INFO = "Metadata-Version: 2.1\nName: demo\nVersion: 3.1.4\n"


@scenario
def sc_sdist_pkg_info(make_repo: MakeRepo) -> Scenario:
    tree = make_repo("demo-3.1.4", init=False).path
    write_pyproject(tree)
    (tree / "PKG-INFO").write_text(PKG_INFO)
    return Scenario(project=tree)


@scenario
def sc_sdist_with_unprocessed_archival(make_repo: MakeRepo) -> Scenario:
    """An sdist made from a checkout: .git_archival.txt still has raw $Format$ placeholders."""
    tree = make_repo("sdist", init=False).path
    write_pyproject(tree)
    (tree / ".git_archival.txt").write_text(ARCHIVAL_TEMPLATE)
    (tree / "PKG-INFO").write_text(PKG_INFO)
    return Scenario(project=tree)


# --------------------------------------------------------------------------------------------
# Scenarios: projects in subdirectories, configuration tables


@scenario
def sc_subdirectory_root(make_repo: MakeRepo) -> Scenario:
    sc = tagged(make_repo, "v1.0.0", 1, subdir="python", config={"root": ".."})
    assert sc.repo is not None
    sc.repo.write("README.md", "outside the project, still dirty\n")
    sc.repo.add("README.md")
    return sc


@scenario
def sc_subdirectory_root_scm_table(make_repo: MakeRepo) -> Scenario:
    return tagged(make_repo, "v2.3.0", 2, subdir="pkg", scm_table={"root": ".."})


@scenario
def sc_monorepo_subdir_with_prefix(make_repo: MakeRepo) -> Scenario:
    config = {"root": "../..", "tag-prefix": "pkg-a-v"}
    sc = tagged(make_repo, "pkg-a-v1.0.0", 1, subdir="packages/a", name="pkg-a", config=config)
    assert sc.repo is not None
    sc.repo.tag("pkg-b-v3.0.0")
    sc.repo.commit()
    sc.check_describe = False
    return sc


@scenario
def sc_scm_table_only_schemes(make_repo: MakeRepo) -> Scenario:
    table = {"version_scheme": "no-guess-dev", "local_scheme": "no-local-version"}
    return tagged(make_repo, "v1.0.0", 2, scm_table=table)


@scenario
def sc_scm_table_only_tag_regex(make_repo: MakeRepo) -> Scenario:
    table = {"tag_regex": r"^rel_(?P<version>\d+\.\d+\.\d+)$", "local_scheme": "dirty-tag"}
    sc = tagged(make_repo, "rel_4.0.0", 1, scm_table=table)
    sc.check_describe = False
    return sc


@scenario
def sc_packkit_table_wins_over_scm_table(make_repo: MakeRepo) -> Scenario:
    return tagged(
        make_repo,
        "v1.0.0",
        2,
        config={"version-scheme": "post-release", "local-scheme": "no-local-version"},
        scm_table={"version_scheme": "no-guess-dev", "local_scheme": "node-and-date"},
    )


# --------------------------------------------------------------------------------------------
# Scenarios: pretend versions and fallbacks


def pretend(sc: Scenario, **env: str) -> Scenario:
    sc.env = env
    sc.check_describe = False
    return sc


@scenario
def sc_pretend_setuptools_scm_spelling(make_repo: MakeRepo) -> Scenario:
    sc = tagged(make_repo, "v1.0.0", 2)
    return pretend(sc, SETUPTOOLS_SCM_PRETEND_VERSION="5.0.0")


@scenario
def sc_pretend_packkit_spelling(make_repo: MakeRepo) -> Scenario:
    return pretend(tagged(make_repo, "v1.0.0", 2), PACKKIT_PRETEND_VERSION="5.0.1")


@scenario
def sc_pretend_packkit_for_name(make_repo: MakeRepo) -> Scenario:
    sc = tagged(make_repo, "v1.0.0", 1, name="demo-pkg")
    return pretend(
        sc, PACKKIT_PRETEND_VERSION="9.9.9", PACKKIT_PRETEND_VERSION_FOR_DEMO_PKG="2.0.0"
    )


@scenario
def sc_pretend_setuptools_scm_for_name(make_repo: MakeRepo) -> Scenario:
    sc = tagged(make_repo, "v1.0.0", 1, name="Demo.Pkg")
    return pretend(sc, SETUPTOOLS_SCM_PRETEND_VERSION_FOR_DEMO_PKG="2.0.1")


@scenario
def sc_pretend_for_other_name_ignored(make_repo: MakeRepo) -> Scenario:
    sc = tagged(make_repo, "v1.0.0", 1, name="demo-pkg")
    return pretend(sc, PACKKIT_PRETEND_VERSION_FOR_OTHER_PKG="7.0.0")


@scenario
def sc_pretend_for_dist_name_kwarg(make_repo: MakeRepo) -> Scenario:
    sc = tagged(make_repo, "v1.0.0", 1)
    sc.kwargs = {"dist_name": "other-name"}
    return pretend(sc, PACKKIT_PRETEND_VERSION_FOR_OTHER_NAME="4.2.0")


@scenario
def sc_pretend_without_git(make_repo: MakeRepo) -> Scenario:
    tree = make_repo("plain", init=False).path
    write_pyproject(tree)
    return pretend(Scenario(project=tree), PACKKIT_PRETEND_VERSION="1.2.3rc1")


@scenario
def sc_fallback_plain_dir(make_repo: MakeRepo) -> Scenario:
    tree = make_repo("plain", init=False).path
    write_pyproject(tree, packkit={"fallback-version": "0.5.0"})
    return Scenario(project=tree, oracle_config={"fallback_version": "0.5.0"})


@scenario
def sc_fallback_plain_dir_scm_table(make_repo: MakeRepo) -> Scenario:
    tree = make_repo("plain", init=False).path
    write_pyproject(tree, setuptools_scm={"fallback_version": "0.6.0"})
    return Scenario(project=tree)


@scenario
def sc_fallback_kwarg_plain_dir(make_repo: MakeRepo) -> Scenario:
    tree = make_repo("plain", init=False).path
    write_pyproject(tree)
    return Scenario(project=tree, kwargs={"fallback_version": "0.7.0"})


@scenario
def sc_fallback_untagged_repo(make_repo: MakeRepo) -> Scenario:
    sc = start_project(make_repo, config={"fallback-version": "1.2.3"})
    assert sc.repo is not None
    sc.repo.commit()
    return sc


@scenario
def sc_fallback_ignored_when_tagged(make_repo: MakeRepo) -> Scenario:
    return tagged(make_repo, "v1.0.0", 1, config={"fallback-version": "9.9.9"})


# --------------------------------------------------------------------------------------------
# Scenarios: the fail-on-uncommitted-changes local scheme (alone, and first in a list)

FAIL_FIRST = ["fail-on-uncommitted-changes", "node-and-date"]


@scenario
def sc_fail_on_uncommitted_dirty(make_repo: MakeRepo) -> Scenario:
    sc = tagged(make_repo, "v1.0.0", 1, scm_table={"local_scheme": FAIL_FIRST})
    assert sc.repo is not None
    sc.repo.write("pyproject.toml", sc.repo.path.joinpath("pyproject.toml").read_text() + "\n")
    return sc


@scenario
def sc_fail_on_uncommitted_clean(make_repo: MakeRepo) -> Scenario:
    return tagged(make_repo, "v1.0.0", 2, scm_table={"local_scheme": FAIL_FIRST})


@scenario
def sc_fail_on_uncommitted_alone(make_repo: MakeRepo) -> Scenario:
    """Alone it gives no local part, so setuptools_scm's default `+unknown` follows."""
    return tagged(make_repo, "v1.0.0", 2, config={"local-scheme": "fail-on-uncommitted-changes"})


@scenario
def sc_fail_on_uncommitted_after_dirty_tag(make_repo: MakeRepo) -> Scenario:
    """After a scheme that gives a part it never runs: a dirty tree still has a version."""
    table = {"local_scheme": ["dirty-tag", "fail-on-uncommitted-changes"]}
    sc = tagged(make_repo, "v1.0.0", 0, scm_table=table)
    assert sc.repo is not None
    sc.repo.write("pyproject.toml", sc.repo.path.joinpath("pyproject.toml").read_text() + "\n")
    return sc


# --------------------------------------------------------------------------------------------
# Scenarios: configuration overrides from the environment (SETUPTOOLS_SCM_OVERRIDES...)


def with_env(sc: Scenario, **env: str) -> Scenario:
    sc.env = env
    sc.check_describe = False
    return sc


@scenario
def sc_overrides_for_named_dist(make_repo: MakeRepo) -> Scenario:
    sc = tagged(make_repo, "v1.0.0", 2, name="demo-pkg", config={"local-scheme": "dirty-tag"})
    return with_env(sc, SETUPTOOLS_SCM_OVERRIDES_FOR_DEMO_PKG='{local_scheme = "no-local-version"}')


@scenario
def sc_overrides_for_all(make_repo: MakeRepo) -> Scenario:
    sc = tagged(make_repo, "v1.0.0", 2, scm_table={"version_scheme": "no-guess-dev"})
    return with_env(sc, SETUPTOOLS_SCM_OVERRIDES='{version_scheme = "post-release"}')


@scenario
def sc_overrides_packkit_spelling_document(make_repo: MakeRepo) -> Scenario:
    """A whole TOML document (not an inline table), in packkit's spelling."""
    sc = tagged(make_repo, "v1.0.0", 1, name="Demo.Pkg")
    document = (
        'version_scheme = "no-guess-dev"\n'
        'local_scheme = ["fail-on-uncommitted-changes", "dirty-tag"]\n'
    )
    return with_env(sc, PACKKIT_OVERRIDES_FOR_DEMO_PKG=document)


@scenario
def sc_overrides_named_used_whole(make_repo: MakeRepo) -> Scenario:
    """The variable for the distribution wins and is not merged with the general one."""
    sc = tagged(make_repo, "v1.0.0", 2, name="demo-pkg")
    return with_env(
        sc,
        SETUPTOOLS_SCM_OVERRIDES='{version_scheme = "post-release", local_scheme = "dirty-tag"}',
        SETUPTOOLS_SCM_OVERRIDES_FOR_DEMO_PKG='{local_scheme = "no-local-version"}',
    )


@scenario
def sc_overrides_for_other_dist_ignored(make_repo: MakeRepo) -> Scenario:
    sc = tagged(make_repo, "v1.0.0", 2, name="demo-pkg")
    return with_env(sc, SETUPTOOLS_SCM_OVERRIDES_FOR_OTHER='{local_scheme = "no-local-version"}')


@scenario
def sc_overrides_vcs_versioning_spelling(make_repo: MakeRepo) -> Scenario:
    sc = tagged(make_repo, "v1.0.0", 2)
    return with_env(sc, VCS_VERSIONING_OVERRIDES='{local_scheme = "no-local-version"}')


@scenario
def sc_overrides_tag_regex(make_repo: MakeRepo) -> Scenario:
    sc = tagged(make_repo, "v1.0.0", 1)
    assert sc.repo is not None
    sc.repo.tag("rel_4.0.0")
    sc.repo.commit()
    regex = r"^rel_(?P<version>\\d+\\.\\d+\\.\\d+)$"
    return with_env(sc, SETUPTOOLS_SCM_OVERRIDES=f'{{tag_regex = "{regex}"}}')


@scenario
def sc_overrides_fallback_outside_git(make_repo: MakeRepo) -> Scenario:
    tree = make_repo("plain", init=False).path
    write_pyproject(tree)
    return with_env(Scenario(project=tree), SETUPTOOLS_SCM_OVERRIDES='{fallback_version = "3.1.0"}')


# --------------------------------------------------------------------------------------------
# Scenarios: pretend metadata (SETUPTOOLS_SCM_PRETEND_METADATA...)


@scenario
def sc_pretend_metadata_distance_node(make_repo: MakeRepo) -> Scenario:
    sc = tagged(make_repo, "v1.0.0", 1)
    return with_env(sc, SETUPTOOLS_SCM_PRETEND_METADATA='{distance = 3, node = "gdeadbeef"}')


@scenario
def sc_pretend_metadata_for_name_dirty_time(make_repo: MakeRepo) -> Scenario:
    """`time` is the build time of the `d…` parts, its wall clock as written."""
    sc = tagged(make_repo, "v1.0.0", 2, name="demo-pkg")
    return with_env(
        sc,
        PACKKIT_PRETEND_METADATA_FOR_DEMO_PKG="{dirty = true, time = 2020-01-01T02:03:04+05:00}",
        SETUPTOOLS_SCM_PRETEND_METADATA="{distance = 7}",
    )


@scenario
def sc_pretend_metadata_clean_on_dirty_tree(make_repo: MakeRepo) -> Scenario:
    sc = tagged(make_repo, "v1.0.0", 0)
    assert sc.repo is not None
    sc.repo.write("pyproject.toml", sc.repo.path.joinpath("pyproject.toml").read_text() + "\n")
    return with_env(sc, SETUPTOOLS_SCM_PRETEND_METADATA="{dirty = false}")


@scenario
def sc_pretend_metadata_preformatted_tag(make_repo: MakeRepo) -> Scenario:
    sc = tagged(make_repo, "v1.0.0", 1)
    return with_env(
        sc, SETUPTOOLS_SCM_PRETEND_METADATA='{tag = "2.0.0", preformatted = true, distance = 3}'
    )


@scenario
def sc_pretend_metadata_preformatted_git_tag(make_repo: MakeRepo) -> Scenario:
    sc = tagged(make_repo, "v1.0.0", 2)
    return with_env(sc, SETUPTOOLS_SCM_PRETEND_METADATA="{preformatted = true}")


@scenario
def sc_pretend_metadata_on_pretend_version(make_repo: MakeRepo) -> Scenario:
    """`preformatted = false` turns a pretend version into a tag the schemes format."""
    sc = tagged(make_repo, "v1.0.0", 1)
    return with_env(
        sc,
        SETUPTOOLS_SCM_PRETEND_VERSION="2.0",
        SETUPTOOLS_SCM_PRETEND_METADATA="{preformatted = false, distance = 3}",
    )


@scenario
def sc_pretend_metadata_branch(make_repo: MakeRepo) -> Scenario:
    sc = tagged(make_repo, "v1.0.0", 1)
    return with_env(sc, SETUPTOOLS_SCM_PRETEND_METADATA='{branch = "release-1.2", distance = 2}')


@scenario
def sc_pretend_metadata_untagged(make_repo: MakeRepo) -> Scenario:
    sc = start_project(make_repo)
    assert sc.repo is not None
    sc.repo.commits(2)
    return with_env(
        sc, SETUPTOOLS_SCM_PRETEND_METADATA='distance = 9\nnode = "g0123456789abcdef"\n'
    )


# --------------------------------------------------------------------------------------------
# Scenarios: parentdir_prefix_version (a tarball unpacked as project-1.4.2/)


@scenario
def sc_parentdir_tarball(make_repo: MakeRepo) -> Scenario:
    tree = make_repo("demo-1.4.2", init=False).path
    write_pyproject(tree, setuptools_scm={"parentdir_prefix_version": "demo-"})
    return Scenario(project=tree)


@scenario
def sc_parentdir_v_prefix_packkit_key(make_repo: MakeRepo) -> Scenario:
    tree = make_repo("demo-v2.0.0-rc.1", init=False).path
    config = {"parentdir-prefix-version": "demo-"}
    write_pyproject(tree, packkit=config)
    return Scenario(project=tree, oracle_config=oracle_equivalent(config))


@scenario
def sc_parentdir_no_match_falls_back(make_repo: MakeRepo) -> Scenario:
    tree = make_repo("other-1.0", init=False).path
    table = {"parentdir_prefix_version": "demo-", "fallback_version": "0.5.0"}
    write_pyproject(tree, setuptools_scm=table)
    return Scenario(project=tree)


@scenario
def sc_parentdir_without_version_falls_back(make_repo: MakeRepo) -> Scenario:
    tree = make_repo("demo-main", init=False).path
    table = {"parentdir_prefix_version": "demo-", "fallback_version": "0.6.0"}
    write_pyproject(tree, setuptools_scm=table)
    return Scenario(project=tree)


@scenario
def sc_parentdir_after_pkg_info(make_repo: MakeRepo) -> Scenario:
    tree = make_repo("demo-1.4.2", init=False).path
    write_pyproject(tree, setuptools_scm={"parentdir_prefix_version": "demo-"})
    (tree / "PKG-INFO").write_text(PKG_INFO)
    return Scenario(project=tree)


@scenario
def sc_parentdir_in_git_checkout(make_repo: MakeRepo) -> Scenario:
    return tagged(
        make_repo,
        "v1.0.0",
        1,
        scm_table={"parentdir_prefix_version": "repo-"},
        repo_name="repo-9.9",
    )


@scenario
def sc_parentdir_from_env_overrides(make_repo: MakeRepo) -> Scenario:
    tree = make_repo("demo-3.0", init=False).path
    write_pyproject(tree)
    return with_env(
        Scenario(project=tree), SETUPTOOLS_SCM_OVERRIDES='{parentdir_prefix_version = "demo-"}'
    )


# --------------------------------------------------------------------------------------------
# Scenarios: the monorepo distance scope (scm.git.distance_scope): only commits and changes
# under the project's folder (and the extra paths) count. Scenarios whose name ends in
# "_refused" are errors in both tools.

MONOREPO_FILES = {
    "packages/b/pyproject.toml": "[project]\nname = 'b'\n",
    "libs/shared/util.py": "x = 1\n",
    "README.md": "monorepo\n",
}


def monorepo(
    make_repo: MakeRepo,
    scope: bool | list[str] = True,
    count: str | None = None,
    *,
    tag: str | None = "v1.0.0",
    packkit_keys: bool = False,
    **more: object,
) -> Scenario:
    """The project in packages/a of a repository with packages/b and libs/shared beside it,
    tagged on its first commit; the scope read from [tool.setuptools_scm] (or [tool.packkit])."""
    git: dict[str, object] = {"distance_scope": scope}
    if count is not None:
        git["distance_count"] = count
    files = {**MONOREPO_FILES, "packages/a/src/a/__init__.py": ""}
    if packkit_keys:
        config = {"root": "../..", **{k.replace("_", "-"): v for k, v in git.items()}}
        sc = start_project(make_repo, config=config, subdir="packages/a", files=files)
    else:
        table = {"root": "../..", "scm": {"git": git}, **more}
        sc = start_project(make_repo, scm_table=table, subdir="packages/a", files=files)
    assert sc.repo is not None
    if tag is not None:
        sc.repo.tag(tag)
    sc.check_describe = False
    if scope is not False:
        sc.scope = ["packages/a", *(scope if isinstance(scope, list) else [])]
    return sc


def touch(sc: Scenario, *paths: str) -> None:
    """One commit changing each of ``paths``."""
    assert sc.repo is not None
    for path in paths:
        sc.repo.commit(files={path: f"{path} {sc.repo.head()}\n"})


@scenario
def sc_scope_commits_in_project(make_repo: MakeRepo) -> Scenario:
    sc = monorepo(make_repo)
    touch(sc, "packages/b/b.py", "packages/a/src/a/core.py", "README.md", "packages/a/x.txt")
    touch(sc, "packages/b/b.py")
    return sc


@scenario
def sc_scope_no_commit_in_project(make_repo: MakeRepo) -> Scenario:
    sc = monorepo(make_repo)
    touch(sc, "packages/b/b.py", "libs/shared/util.py", "packages/ab.txt")
    return sc


@scenario
def sc_scope_extra_paths(make_repo: MakeRepo) -> Scenario:
    sc = monorepo(make_repo, ["libs/shared", "README.md"])
    touch(sc, "libs/shared/util.py", "packages/b/b.py", "README.md", "libs/other.py")
    return sc


@scenario
def sc_scope_packkit_keys(make_repo: MakeRepo) -> Scenario:
    sc = monorepo(make_repo, ["libs/shared/"], "first-parent", packkit_keys=True)
    touch(sc, "libs/shared/util.py", "packages/b/b.py", "packages/a/x.txt")
    return sc


def scope_merges(sc: Scenario) -> Scenario:
    """A feature branch touching the project merged into main, a branch that changes only
    packages/b, and a branch started before the tag (v1.0.0, made here) that touches the
    project: its first commit's parent is neither the tag nor after it."""
    repo = sc.repo
    assert repo is not None
    repo.branch("early", "HEAD")
    touch(sc, "packages/a/before.py")
    repo.tag("v1.0.0")
    touch(sc, "packages/b/b.py")
    repo.checkout("feature", create=True)
    touch(sc, "packages/a/feature.py", "packages/b/b.py", "packages/a/feature.py")
    repo.checkout("main")
    touch(sc, "README.md")
    repo.merge("feature")
    repo.checkout("other", create=True)
    touch(sc, "packages/b/c.py")
    repo.checkout("main")
    repo.merge("other")
    repo.checkout("early")
    touch(sc, "packages/a/early.py")
    repo.checkout("main")
    repo.merge("early")
    return sc


@scenario
def sc_scope_merges_full_history(make_repo: MakeRepo) -> Scenario:
    return scope_merges(monorepo(make_repo, tag=None))


@scenario
def sc_scope_merges_first_parent(make_repo: MakeRepo) -> Scenario:
    return scope_merges(monorepo(make_repo, count="first-parent", tag=None))


@scenario
def sc_scope_from_env_overrides(make_repo: MakeRepo) -> Scenario:
    sc = monorepo(make_repo, False)
    touch(sc, "packages/b/b.py", "libs/shared/util.py", "packages/b/b.py")
    scm = '{git = {distance_scope = ["libs/shared"], distance_count = "first-parent"}}'
    # describe() in the git cross-check reads no environment: the whole tree there.
    return with_env(sc, SETUPTOOLS_SCM_OVERRIDES_FOR_DEMO=f"{{scm = {scm}}}")


@scenario
def sc_scope_replaced_by_env_overrides(make_repo: MakeRepo) -> Scenario:
    """The environment's ``scm`` table replaces the file's whole: the scope is off."""
    sc = monorepo(make_repo, ["libs/shared"])
    touch(sc, "packages/b/b.py", "packages/b/b.py")
    sc.scope = None
    return with_env(sc, SETUPTOOLS_SCM_OVERRIDES="{scm = {git = {}}}")


@scenario
def sc_scope_dirty_inside(make_repo: MakeRepo) -> Scenario:
    sc = monorepo(make_repo)
    touch(sc, "packages/b/b.py")
    sc.project.joinpath("src/a/__init__.py").write_text("changed = True\n")
    return sc


@scenario
def sc_scope_staged_inside(make_repo: MakeRepo) -> Scenario:
    return staged(monorepo(make_repo), "packages/a/src/a/new.py")


@scenario
def sc_scope_dirty_outside(make_repo: MakeRepo) -> Scenario:
    sc = monorepo(make_repo)
    touch(sc, "packages/a/x.txt")
    assert sc.repo is not None
    sc.repo.write("packages/b/pyproject.toml", "changed\n")
    sc.repo.write("libs/shared/util.py", "changed\n")
    sc.repo.add("libs/shared/util.py")
    sc.repo.write("packages/a/untracked.txt", "not tracked\n")
    return sc


@scenario
def sc_scope_dirty_in_extra_path(make_repo: MakeRepo) -> Scenario:
    sc = monorepo(make_repo, ["libs/shared"])
    assert sc.repo is not None
    sc.repo.write("libs/shared/util.py", "changed\n")
    return sc


@scenario
def sc_scope_no_tag(make_repo: MakeRepo) -> Scenario:
    sc = monorepo(make_repo, tag=None)
    touch(sc, "packages/b/b.py", "packages/a/x.txt", "README.md")
    return sc


@scenario
def sc_scope_no_tag_nothing_in_project(make_repo: MakeRepo) -> Scenario:
    """The first commit created the project, so it counts even when nothing else does."""
    sc = monorepo(make_repo, ["libs/shared"], tag=None)
    touch(sc, "packages/b/b.py")
    return sc


@scenario
def sc_scope_no_tag_fallback_version(make_repo: MakeRepo) -> Scenario:
    sc = monorepo(make_repo, tag=None, fallback_version="2.1.0")
    touch(sc, "packages/a/x.txt", "packages/b/b.py")
    return sc


@scenario
def sc_scope_project_at_root_refused(make_repo: MakeRepo) -> Scenario:
    sc = tagged(make_repo, "v1.0.0", 2, scm_table={"scm": {"git": {"distance_scope": True}}})
    sc.check_describe = False
    return sc


@scenario
def sc_scope_shallow_clone_refused(make_repo: MakeRepo) -> Scenario:
    sc = monorepo(make_repo)
    touch(sc, "packages/a/x.txt", "packages/b/b.py", "packages/a/x.txt")
    assert sc.repo is not None
    clone = sc.repo.clone(sc.repo.path.parent / "clone", depth=2)
    return Scenario(project=clone.path / "packages/a", repo=clone, check_describe=False)


@scenario
def sc_scope_shallow_clone_at_tag(make_repo: MakeRepo) -> Scenario:
    sc = monorepo(make_repo)
    touch(sc, "packages/a/x.txt", "packages/b/b.py")
    assert sc.repo is not None
    sc.repo.tag("v1.1.0")
    clone = sc.repo.clone(sc.repo.path.parent / "clone", depth=1)
    assert clone.git("rev-parse", "--is-shallow-repository") == "true"
    return Scenario(
        project=clone.path / "packages/a", repo=clone, check_describe=False, scope=sc.scope
    )


@scenario
def sc_scope_off(make_repo: MakeRepo) -> Scenario:
    sc = monorepo(make_repo, False, "first-parent")
    touch(sc, "packages/b/b.py", "packages/a/x.txt")
    return sc


# --------------------------------------------------------------------------------------------
# Scenarios: setuptools_scm's describe command, mapped onto tag selection (never run)

DESCRIBE = "git describe --dirty --tags --long --abbrev=40"


def describe_scenario(make_repo: MakeRepo, table: dict[str, object]) -> Scenario:
    """v1.0.0, then rel-2.0.0 and v1.1.0rc1 on later commits: the globs choose among them."""
    sc = tagged(make_repo, "v1.0.0", 1, scm_table=table)
    assert sc.repo is not None
    sc.repo.tag("rel-2.0.0")
    sc.repo.commit()
    sc.repo.tag("v1.1.0rc1")
    sc.repo.commit()
    sc.check_describe = False
    return sc


@scenario
def sc_describe_command_match(make_repo: MakeRepo) -> Scenario:
    return describe_scenario(make_repo, {"git_describe_command": f"{DESCRIBE} --match 'rel-*'"})


@scenario
def sc_describe_command_exclude(make_repo: MakeRepo) -> Scenario:
    command = f"{DESCRIBE} --match 'v*' --exclude '*rc*'"
    return describe_scenario(make_repo, {"scm": {"git": {"describe_command": command}}})


@scenario
def sc_describe_command_list(make_repo: MakeRepo) -> Scenario:
    command = [*DESCRIBE.split(), "--match=v*", "--match=rel-*", "--exclude", "v1.1*"]
    return describe_scenario(make_repo, {"scm": {"git": {"describe_command": command}}})


@scenario
def sc_describe_command_from_env_overrides(make_repo: MakeRepo) -> Scenario:
    sc = describe_scenario(make_repo, {})
    command = f"{DESCRIBE} --match rel-*"
    return with_env(sc, SETUPTOOLS_SCM_OVERRIDES=f'{{git_describe_command = "{command}"}}')


# --------------------------------------------------------------------------------------------
# Scenarios: calver-by-date (dates in UTC from the commits; "today" is SOURCE_DATE_EPOCH)


def calver(make_repo: MakeRepo, tag: str, tag_date: str) -> Scenario:
    sc = start_project(make_repo, config={"version-scheme": "calver-by-date"})
    assert sc.repo is not None
    sc.repo.commit(date=tag_date)
    sc.repo.tag(tag)
    sc.schemes = list(CALVER_SCHEMES)
    return sc


@scenario
def sc_calver_same_day(make_repo: MakeRepo) -> Scenario:
    sc = calver(make_repo, "v2024.01.05.0", "2024-01-05T10:00:00+00:00")
    assert sc.repo is not None
    sc.repo.commit(date="2024-01-05T11:00:00+00:00")
    sc.repo.commit(date="2024-01-05T12:00:00+00:00")
    return sc


@scenario
def sc_calver_later_day_short_year(make_repo: MakeRepo) -> Scenario:
    sc = calver(make_repo, "24.01.05", "2024-01-05T10:00:00+00:00")
    assert sc.repo is not None
    sc.repo.commit(date="2024-01-08T10:00:00+00:00")
    sc.repo.commit(date="2024-01-09T10:00:00+00:00")
    return sc


@scenario
def sc_calver_commit_date_in_utc(make_repo: MakeRepo) -> Scenario:
    sc = calver(make_repo, "v2024.01.05.0", "2024-01-05T10:00:00+00:00")
    assert sc.repo is not None
    sc.repo.commit(date="2024-01-05T23:30:00-05:00")  # 2024-01-06 in UTC
    return sc


@scenario
def sc_calver_exact(make_repo: MakeRepo) -> Scenario:
    return calver(make_repo, "2024.03.01", "2024-03-01T09:00:00+00:00")


@scenario
def sc_calver_exact_dirty(make_repo: MakeRepo) -> Scenario:
    sc = calver(make_repo, "v2024.01.05.0", "2024-01-05T10:00:00+00:00")
    sc.project.joinpath("pyproject.toml").write_text(
        sc.project.joinpath("pyproject.toml").read_text() + "\n"
    )
    return sc


@scenario
def sc_calver_release_branch(make_repo: MakeRepo) -> Scenario:
    sc = calver(make_repo, "v2024.01.05.0", "2024-01-05T10:00:00+00:00")
    assert sc.repo is not None
    sc.repo.checkout("release-2024.02.01", create=True)
    sc.repo.commit(date="2024-01-20T10:00:00+00:00")
    return sc


@scenario
def sc_calver_untagged(make_repo: MakeRepo) -> Scenario:
    sc = start_project(make_repo, config={"version-scheme": "calver-by-date"})
    assert sc.repo is not None
    sc.repo.commit(date="2024-02-29T10:00:00+00:00")
    sc.schemes = list(CALVER_SCHEMES)
    return sc


# --------------------------------------------------------------------------------------------
# Scenarios: towncrier-fragments


def towncrier(
    make_repo: MakeRepo, tag: str, fragments: Mapping[str, str], extra: str = ""
) -> Scenario:
    sc = tagged(make_repo, tag, config={"version-scheme": "towncrier-fragments"}, extra=extra)
    assert sc.repo is not None
    sc.repo.commit("news", files=dict(fragments) or None)
    sc.schemes = [*TOWNCRIER_SCHEMES, ("guess-next-dev", "no-local-version")]
    return sc


@scenario
def sc_towncrier_feature(make_repo: MakeRepo) -> Scenario:
    return towncrier(make_repo, "1.2.3", {"changelog.d/12.feature.md": "Add a thing.\n"})


@scenario
def sc_towncrier_breaking(make_repo: MakeRepo) -> Scenario:
    return towncrier(make_repo, "0.4.1", {"changelog.d/7.breaking.md": "Remove a thing.\n"})


@scenario
def sc_towncrier_bugfix_and_doc(make_repo: MakeRepo) -> Scenario:
    fragments = {"changelog.d/3.bugfix.md": "Fix.\n", "changelog.d/4.doc.md": "Docs.\n"}
    return towncrier(make_repo, "v1.2.3", fragments)


@scenario
def sc_towncrier_no_fragments(make_repo: MakeRepo) -> Scenario:
    return towncrier(make_repo, "1.2.3", {})


@scenario
def sc_towncrier_configured_directory(make_repo: MakeRepo) -> Scenario:
    extra = '[tool.towncrier]\ndirectory = "news"\n'
    return towncrier(make_repo, "1.2.3", {"news/5.removal.md": "Gone.\n"}, extra=extra)


# --------------------------------------------------------------------------------------------
# The parity tests


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_version_matches_setuptools_scm(name: str, make_repo: MakeRepo, scm_env: Env) -> None:
    sc = SCENARIOS[name](make_repo)
    for key, value in sc.env.items():
        scm_env.set(key, value)
    overrides = {**sc.oracle_config, **oracle_kwargs(sc.kwargs)}
    (default,), matrix = run_oracle(
        sc.project, [OracleRequest(overrides), OracleRequest(overrides, sc.schemes)], sc.env
    )
    problems = [compare("configured", default, functools.partial(_packkit, sc))]
    for (version_scheme, local_scheme), expected in zip(sc.schemes, matrix, strict=True):
        call = functools.partial(_packkit, sc, version_scheme, local_scheme)
        problems.append(compare(f"{version_scheme} + {local_scheme}", expected, call))
    failures = [p for p in problems if p]
    assert not failures, f"{len(failures)} of {len(problems)} differ:\n" + "\n".join(failures)


def _packkit(
    sc: Scenario, version_scheme: str | None = None, local_scheme: str | None = None
) -> str:
    return packkit.get_version(
        sc.project, version_scheme=version_scheme, local_scheme=local_scheme, **sc.kwargs
    )


def _git_scenarios() -> list[str]:
    probe = {
        "no_commits",
        "no_commits_staged",
        "sdist_pkg_info",
        "sdist_with_unprocessed_archival",
        "pretend_without_git",
        "fallback_plain_dir",
        "fallback_plain_dir_scm_table",
        "fallback_kwarg_plain_dir",
        "overrides_fallback_outside_git",
        "parentdir_tarball",
        "parentdir_v_prefix_packkit_key",
        "parentdir_no_match_falls_back",
        "parentdir_without_version_falls_back",
        "parentdir_after_pkg_info",
        "parentdir_from_env_overrides",
    }
    return sorted(
        n
        for n in SCENARIOS
        if n not in probe and not n.startswith("archive_") and not n.endswith("_refused")
    )


@pytest.mark.parametrize("name", _git_scenarios())
def test_describe_agrees_with_git(name: str, make_repo: MakeRepo, scm_env: Env) -> None:
    """describe()'s facts are git's: tag, distance and dirty from ``git describe --dirty``."""
    sc = SCENARIOS[name](make_repo)
    repo = sc.repo
    assert repo is not None
    facts = packkit.describe(sc.project, **sc.kwargs)
    head = repo.head()
    pathspec = ["--", *sc.scope] if sc.scope is not None else []
    status = repo.git("status", "--porcelain", "--untracked-files=no", *pathspec)
    assert facts.source == "git"
    assert facts.node == "g" + head[:9]
    assert facts.dirty is bool(status)
    assert facts.branch == repo.git("rev-parse", "--abbrev-ref", "HEAD")
    assert facts.shallow is (repo.git("rev-parse", "--is-shallow-repository") == "true")
    committed = dt.datetime.fromisoformat(repo.git("log", "-1", "--format=%cI"))
    assert facts.node_date == committed.astimezone(dt.timezone.utc).date()
    assert Path(facts.root).resolve() == sc.project.resolve()
    described = repo.run(
        "git", "describe", "--tags", "--long", "--dirty", "--abbrev=9", check=False
    )
    if described.returncode != 0:  # no tag reachable at all
        assert facts.tag_name is None
        counted = repo.git("rev-list", "--count", "--full-history", "HEAD", *pathspec)
        assert facts.distance == int(counted)
        if "fallback_version" not in sc.oracle_config:  # else the fallback may stand in
            assert facts.tag is None
            assert facts.exact is False
    elif sc.check_describe:
        match = re.fullmatch(
            r"(?P<tag>.+)-(?P<distance>\d+)-g(?P<node>[0-9a-f]+)(?P<dirty>-dirty)?",
            described.stdout.decode().strip(),
        )
        assert match, described.stdout
        assert facts.tag_name == match["tag"]
        assert facts.distance == int(match["distance"])
        assert facts.dirty is bool(match["dirty"])
        assert head.startswith(match["node"])
        assert facts.tag is not None and is_pep440(facts.tag)
        assert facts.exact is (facts.distance == 0 and not facts.dirty)
    # The facts keep the settings they were described with (keywords included): rendering
    # them again reads nothing from the disk and gives get_version()'s answer.
    try:
        want = packkit.get_version(sc.project, **sc.kwargs)
    except packkit.PackkitError as error:
        with pytest.raises(type(error)):
            facts.render()
    else:
        assert facts.render() == want
    for version_scheme, local_scheme in [
        ("guess-next-dev", "node-and-date"),
        ("no-guess-dev", "dirty-tag"),
        ("release-branch-semver", "node-and-timestamp"),
        ("only-version", "no-local-version"),
    ]:
        try:
            want = packkit.get_version(
                sc.project, version_scheme=version_scheme, local_scheme=local_scheme, **sc.kwargs
            )
        except packkit.PackkitError:
            with pytest.raises(packkit.PackkitError):
                facts.render(version_scheme=version_scheme, local_scheme=local_scheme)
            continue
        assert facts.render(version_scheme=version_scheme, local_scheme=local_scheme) == want


# --------------------------------------------------------------------------------------------
# Deliberate improvements over setuptools_scm. Each test computes packkit's expected value with
# setuptools_scm on a repository without the trap, and shows setuptools_scm falls into it.

SEVERAL_TAGS = {
    "moving-major-tag": ([("v1", False), ("v1.2.3", False)], 0, "v1.2.3"),
    "moving-major-tag-then-commits": ([("v1", False), ("v1.2.3", False)], 2, "v1.2.3"),
    "annotated-lower-version": ([("v1.0.0", True), ("v1.1.0", False)], 0, "v1.1.0"),
    "annotated-lower-version-dirty": ([("v2.0.0", True), ("v2.0.1", False)], -1, "v2.0.1"),
}


@pytest.mark.parametrize("case", sorted(SEVERAL_TAGS))
def test_several_tags_on_nearest_commit_highest_wins(
    case: str, make_repo: MakeRepo, scm_env: Env
) -> None:
    tags, after, highest = SEVERAL_TAGS[case]
    sc = start_project(make_repo, files={"README.md": "hello\n"})
    repo = sc.repo
    assert repo is not None
    for name, annotated in tags:
        repo.tag(name, annotated=annotated)
    if after < 0:
        repo.write("README.md", "dirty\n")
    repo.commits(max(after, 0))

    got = packkit.get_version(sc.project)
    facts = packkit.describe(sc.project)
    setuptools_scm_says = oracle_version(sc.project)
    for name, _ in tags:
        if name != highest:
            repo.git("tag", "-d", name)
    expected = oracle_version(sc.project)

    assert got == expected
    assert facts.tag_name == highest
    assert setuptools_scm_says != expected, "setuptools_scm should pick the other tag here"


@pytest.mark.parametrize("bad_tag", ["nightly2024", "release/1.2", "2026-event"])
def test_non_version_tag_nearest_head_is_skipped(
    bad_tag: str, make_repo: MakeRepo, scm_env: Env
) -> None:
    sc = tagged(make_repo, "v1.0.0", 1)
    repo = sc.repo
    assert repo is not None
    repo.tag(bad_tag)
    repo.commit()

    got = packkit.get_version(sc.project)
    facts = packkit.describe(sc.project)
    setuptools_scm_says = oracle_result(sc.project)
    repo.git("tag", "-d", bad_tag)
    expected = oracle_version(sc.project)

    assert got == expected
    assert (facts.tag_name, facts.distance) == ("v1.0.0", 2)
    assert setuptools_scm_says.version is None, f"setuptools_scm gave {setuptools_scm_says}"


def shallow_clone_cut_before_tags(make_repo: MakeRepo, **clone_args: Any) -> Repo:
    origin = tagged(make_repo, "v1.0.0", 4, repo_name="origin").repo
    assert origin is not None
    clone = origin.clone(origin.path.parent / "clone", **clone_args)
    assert clone.git("rev-parse", "--is-shallow-repository") == "true"
    return clone


@pytest.mark.parametrize(
    "clone_args", [{"depth": 1}, {"depth": 3}, {"depth": 2, "no_tags": True}], ids=str
)
def test_shallow_clone_cut_before_any_tag_is_an_error(
    clone_args: dict[str, Any], make_repo: MakeRepo, scm_env: Env
) -> None:
    clone = shallow_clone_cut_before_tags(make_repo, **clone_args)
    setuptools_scm_says = oracle_version(clone.path)
    assert setuptools_scm_says.startswith("0.1.dev"), "setuptools_scm silently guesses"

    with pytest.raises(packkit.ScmError) as info:
        packkit.get_version(clone.path)
    assert "git fetch --unshallow" in str(info.value)


def test_shallow_clone_cut_before_any_tag_with_fallback(make_repo: MakeRepo, scm_env: Env) -> None:
    clone = shallow_clone_cut_before_tags(make_repo, depth=2)
    got = packkit.get_version(clone.path, fallback_version="1.2.3")
    # Either the fallback itself or setuptools_scm's "fallback as the base tag" is acceptable.
    assert got in {"1.2.3", oracle_version(clone.path, fallback_version="1.2.3")}


def test_shallow_clone_cut_before_any_tag_with_fallback_config(
    make_repo: MakeRepo, scm_env: Env
) -> None:
    origin = tagged(make_repo, "v1.0.0", 4, config={"fallback-version": "0.9.0"}).repo
    assert origin is not None
    clone = origin.clone(origin.path.parent / "clone", depth=1)
    got = packkit.get_version(clone.path)
    assert got in {"0.9.0", oracle_version(clone.path, fallback_version="0.9.0")}


@pytest.mark.parametrize("variable", ["PACKKIT_PRETEND_VERSION", "SETUPTOOLS_SCM_PRETEND_VERSION"])
def test_shallow_clone_cut_before_any_tag_with_pretend_version(
    variable: str, make_repo: MakeRepo, scm_env: Env
) -> None:
    clone = shallow_clone_cut_before_tags(make_repo, depth=1)
    scm_env.set(variable, "4.5.6")
    assert packkit.get_version(clone.path) == "4.5.6"
    assert oracle_version(clone.path, env={variable: "4.5.6"}) == "4.5.6"


@pytest.mark.parametrize(
    ("tag", "invalid"), [("1.0.0.post1", "1.0.0.post1.post2"), ("2.0.0.dev0", "2.0.0.dev0.post2")]
)
@pytest.mark.parametrize("configured", [False, True], ids=["kwarg", "pyproject"])
def test_post_release_refuses_an_invalid_result(
    tag: str, invalid: str, configured: bool, make_repo: MakeRepo, scm_env: Env
) -> None:
    schemes = {"version-scheme": "post-release", "local-scheme": "no-local-version"}
    sc = tagged(make_repo, tag, 2, config=schemes if configured else None)
    kwargs = {} if configured else oracle_equivalent(schemes)

    setuptools_scm_says = oracle_version(sc.project, **oracle_equivalent(schemes))
    assert setuptools_scm_says == invalid
    assert not is_pep440(invalid)

    with pytest.raises(packkit.InvalidVersion) as info:
        packkit.get_version(sc.project, **kwargs)
    assert invalid in str(info.value)


# --------------------------------------------------------------------------------------------
# Bad input: the error class and what the message says


@pytest.mark.parametrize("with_pyproject", [True, False])
def test_not_a_repository_without_fallback(
    with_pyproject: bool, tmp_path: Path, scm_env: Env
) -> None:
    project = tmp_path / "not-a-repo"
    project.mkdir()
    if with_pyproject:
        write_pyproject(project)
        assert oracle_result(project).version is None
    with pytest.raises(packkit.ScmError) as info:
        packkit.get_version(project)
    message = str(info.value)
    assert str(project) in message or str(project.resolve()) in message
    assert "fallback-version" in message


@pytest.mark.parametrize("damage", ["head-garbage", "gitfile-to-nowhere", "missing-objects"])
def test_corrupt_git_directory(damage: str, make_repo: MakeRepo, scm_env: Env) -> None:
    sc = tagged(make_repo, "v1.0.0", 1)
    git_dir = sc.project / ".git"
    if damage == "head-garbage":
        (git_dir / "HEAD").write_text("this is not a ref\n\x00\x01garbage")
    elif damage == "gitfile-to-nowhere":
        shutil.rmtree(git_dir)
        git_dir.write_text("gitdir: /nonexistent/packkit/.git\n")
    else:
        shutil.rmtree(git_dir / "objects")
        (git_dir / "objects").mkdir()
    with pytest.raises(packkit.ScmError) as info:
        packkit.get_version(sc.project)
    message = str(info.value)
    assert str(sc.project) in message or ".git" in message


MALFORMED = {
    "unterminated-string": (
        '[project]\nname = "demo"\ndynamic = ["version"]\n\n'
        '[tool.packkit]\nversion-scheme = "guess-next-dev\n',
        6,
    ),
    "duplicate-key": (
        '[project]\nname = "demo"\n\n[tool.packkit]\nlocal-scheme = "dirty-tag"\n'
        'local-scheme = "no-local-version"\n',
        6,
    ),
    "missing-value": ('[project]\nname = "demo"\n[tool.packkit]\nroot =\n', 4),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_pyproject(case: str, make_repo: MakeRepo, scm_env: Env) -> None:
    text, line = MALFORMED[case]
    repo = make_repo()
    repo.commit(files={"pyproject.toml": text})
    repo.tag("v1.0.0")
    with pytest.raises(packkit.ConfigError) as info:
        packkit.get_version(repo.path)
    error = info.value
    assert error.line == line, f"{error} (line {error.line})"
    assert error.path is not None and Path(error.path).name == "pyproject.toml"
    assert "pyproject.toml" in str(error)


def _packkit_project(make_repo: MakeRepo, body: str) -> tuple[Path, int]:
    """A tagged repo whose [tool.packkit] table is ``body``; returns its path and body's line."""
    header = '[project]\nname = "demo"\ndynamic = ["version"]\n\n[tool.packkit]\n'
    repo = make_repo()
    repo.commit(files={"pyproject.toml": header + body})
    repo.tag("v1.0.0")
    return repo.path, header.count("\n") + 1


def test_invalid_tag_regex_in_pyproject(make_repo: MakeRepo, scm_env: Env) -> None:
    project, line = _packkit_project(make_repo, 'tag-regex = "^(?P<version>[0-9.]+"\n')
    with pytest.raises(packkit.ConfigError) as info:
        packkit.get_version(project)
    assert "tag-regex" in str(info.value)
    assert info.value.line == line
    assert info.value.key is not None and info.value.key.endswith("tag-regex")


def test_invalid_tag_regex_keyword(make_repo: MakeRepo, scm_env: Env) -> None:
    project, _ = _packkit_project(make_repo, "")
    with pytest.raises(packkit.ConfigError) as info:
        packkit.get_version(project, tag_regex="(unclosed")
    assert re.search(r"tag[-_]regex", str(info.value))


@pytest.mark.parametrize(
    ("key", "value", "suggestion"),
    [
        ("version-scheme", "guess-next-devv", "guess-next-dev"),
        ("version-scheme", "release-branch-semvr", "release-branch-semver"),
        ("local-scheme", "node-and-dat", "node-and-date"),
        ("local-scheme", "no-local", "no-local-version"),
    ],
)
def test_unknown_scheme_name_in_pyproject(
    key: str, value: str, suggestion: str, make_repo: MakeRepo, scm_env: Env
) -> None:
    project, line = _packkit_project(make_repo, f'{key} = "{value}"\n')
    with pytest.raises(packkit.ConfigError) as info:
        packkit.get_version(project)
    message = str(info.value)
    assert value in message and suggestion in message
    assert info.value.line == line


@pytest.mark.parametrize("keyword", ["version_scheme", "local_scheme"])
def test_unknown_scheme_name_keyword_lists_valid_names(
    keyword: str, make_repo: MakeRepo, scm_env: Env
) -> None:
    project, _ = _packkit_project(make_repo, "")
    with pytest.raises(packkit.ConfigError) as info:
        packkit.get_version(project, **{keyword: "nonsense"})
    message = str(info.value)
    assert "nonsense" in message
    valid = VERSION_SCHEMES if keyword == "version_scheme" else LOCAL_SCHEMES
    assert all(name in message for name in valid[:4]), message


@pytest.mark.parametrize(
    ("body", "suggestion"),
    [
        ('version-schem = "post-release"\n', "version-scheme"),
        ('fallback_version = "1.0.0"\n', "fallback-version"),
        ('tag-prefx = "v"\n', "tag-prefix"),
    ],
    ids=["typo", "snake-case", "typo-2"],
)
def test_unknown_packkit_key_did_you_mean(
    body: str, suggestion: str, make_repo: MakeRepo, scm_env: Env
) -> None:
    project, line = _packkit_project(make_repo, body)
    with pytest.raises(packkit.ConfigError) as info:
        packkit.get_version(project)
    message = str(info.value)
    assert "did you mean" in message.lower() and suggestion in message
    assert info.value.line == line
    assert info.value.key is not None and info.value.key.endswith(body.split(" ")[0])


# --------------------------------------------------------------------------------------------
# Environment variables are untrusted text: where setuptools_scm only logs garbage and carries
# on (publishing the version the variable meant to replace), packkit refuses it, naming the
# variable, the place in its value and a fix.


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("SETUPTOOLS_SCM_PRETEND_METADATA", "{distance = }", ":1:13: invalid TOML"),
        ("SETUPTOOLS_SCM_PRETEND_METADATA", "garbage{", ": invalid TOML"),
        ("SETUPTOOLS_SCM_PRETEND_METADATA", "{distanse = 3}", "unknown key `distanse`"),
        ("PACKKIT_PRETEND_METADATA_FOR_DEMO", "{node = 'x'\n", ": invalid TOML"),
        ("SETUPTOOLS_SCM_OVERRIDES_FOR_DEMO", "{local_schme = 'dirty-tag'}", "did you mean"),
        ("SETUPTOOLS_SCM_OVERRIDES", "{tag = {prefix = 'v'}}", "unknown key `tag`"),
    ],
    ids=["syntax", "not-toml", "unknown-field", "unclosed", "typo", "tag-table"],
)
def test_garbage_in_environment_is_refused_where_setuptools_scm_ignores_it(
    variable: str, value: str, expected: str, make_repo: MakeRepo, scm_env: Env
) -> None:
    sc = tagged(make_repo, "v1.0.0", 1)
    clean = oracle_version(sc.project)
    setuptools_scm_says = oracle_result(sc.project, {variable: value})
    assert setuptools_scm_says.version == clean, f"setuptools_scm gave {setuptools_scm_says}"

    scm_env.set(variable, value)
    with pytest.raises(packkit.ConfigError) as info:
        packkit.get_version(sc.project)
    message = str(info.value)
    assert message.startswith(variable), message
    assert expected in message, message
    assert "hint:" in message, message


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("SETUPTOOLS_SCM_PRETEND_METADATA", "{distance = '3'}"),
        ("SETUPTOOLS_SCM_PRETEND_METADATA", "{tag = '2.0'}"),
        ("SETUPTOOLS_SCM_PRETEND_METADATA", "{time = 2020-01-01}"),
        ("SETUPTOOLS_SCM_OVERRIDES", "{version_scheme = 'nope'}"),
        ("SETUPTOOLS_SCM_OVERRIDES", "{parse = 'x'}"),
    ],
    ids=["distance-type", "tag-without-preformatted", "time-type", "scheme", "unsupported"],
)
def test_refused_by_both(variable: str, value: str, make_repo: MakeRepo, scm_env: Env) -> None:
    sc = tagged(make_repo, "v1.0.0", 1)
    setuptools_scm_says = oracle_result(sc.project, {variable: value})
    assert setuptools_scm_says.version is None, f"setuptools_scm gave {setuptools_scm_says}"
    scm_env.set(variable, value)
    with pytest.raises(packkit.PackkitError) as info:
        packkit.get_version(sc.project)
    assert str(info.value).startswith(variable), str(info.value)


@pytest.mark.parametrize(
    ("command", "reason"),
    [
        ("git describe --dirty --tags --long --match 'v*'", "without --abbrev=40"),
        (f"{DESCRIBE} --first-parent", "`--first-parent`"),
        ("git describe --dirty --long --abbrev=40", "without --tags"),
    ],
    ids=["git-abbreviates", "first-parent", "annotated-only"],
)
def test_describe_command_that_cannot_be_mapped_is_refused_naming_the_key(
    command: str, reason: str, make_repo: MakeRepo, scm_env: Env
) -> None:
    sc = describe_scenario(make_repo, {"git_describe_command": command})
    setuptools_scm_says = oracle_version(sc.project)
    with pytest.raises(packkit.ConfigError) as info:
        packkit.get_version(sc.project)
    message = str(info.value)
    assert "`tool.setuptools_scm.git_describe_command`" in message, message
    assert reason in message, message
    if reason == "without --abbrev=40":  # git's own abbreviation: a shorter node than packkit's
        assert re.search(r"\+g[0-9a-f]{7,8}$", setuptools_scm_says), setuptools_scm_says


@pytest.mark.parametrize("prefix", [None, "pkg-a-v"], ids=["all-tags", "tag-prefix"])
def test_scope_warns_when_the_reachable_tags_belong_to_several_projects(
    prefix: str | None, make_repo: MakeRepo, scm_env: Env, caplog: pytest.LogCaptureFixture
) -> None:
    """setuptools_scm's ``_warn_if_tags_span_namespaces``: the nearest tag may be a sibling's."""
    git: dict[str, object] = {"distance_scope": True}
    table = {
        "root": "../..",
        "scm": {"git": git},
        **({"tag": {"prefix": prefix}} if prefix else {}),
    }
    sc = start_project(make_repo, scm_table=table, subdir="packages/a")
    assert sc.repo is not None
    sc.repo.tag("pkg-a-v1.0.0")
    touch(sc, "packages/a/x.txt", "packages/b/b.py")
    sc.repo.tag("pkg-b-v2.0.0")
    touch(sc, "packages/a/x.txt")
    with caplog.at_level(logging.WARNING, logger="packkit"):
        version = packkit.get_version(sc.project)
    assert version == oracle_version(sc.project)
    messages = [record.getMessage() for record in caplog.records]
    if prefix is None:
        assert version.startswith("2.0.1.dev1+"), version
        assert len(messages) == 1, messages
        assert "belong to several projects" in messages[0], messages
        assert '"pkg-a-v", "pkg-b-v"' in messages[0], messages
    else:
        assert version.startswith("1.0.1.dev2+"), version
        assert messages == []


def test_scope_warns_that_an_archive_counts_the_whole_repository(
    make_repo: MakeRepo, scm_env: Env, caplog: pytest.LogCaptureFixture
) -> None:
    table = {"scm": {"git": {"distance_scope": ["src"]}}}
    sc = start_project(
        make_repo, scm_table=table, files={**ARCHIVAL_FILES, ".git_archival.txt": ARCHIVAL_TEMPLATE}
    )
    assert sc.repo is not None
    sc.repo.tag("v1.0.0")
    sc.repo.commits(2)
    export = sc.repo.archive(sc.repo.path.parent / "export")
    with caplog.at_level(logging.WARNING, logger="packkit"):
        version = packkit.get_version(export)
    assert version == oracle_version(export) and version.startswith("1.0.1.dev2+")
    messages = [record.getMessage() for record in caplog.records]
    assert len(messages) == 1 and "counts every commit of the repository" in messages[0]


@pytest.mark.parametrize("name", ["scope_project_at_root_refused", "scope_shallow_clone_refused"])
def test_scope_refusals_name_the_key_and_the_fix(
    name: str, make_repo: MakeRepo, scm_env: Env
) -> None:
    sc = SCENARIOS[name](make_repo)
    assert oracle_result(sc.project).version is None
    with pytest.raises(packkit.ScmError) as info:
        packkit.get_version(sc.project)
    message = str(info.value)
    assert "`tool.setuptools_scm.scm.git.distance_scope` is set" in message, message
    hint = "is the top of the git work tree" if "root" in name else "git fetch --unshallow"
    assert hint in message, message


def test_scope_in_a_shallow_clone_at_a_tag_that_is_no_version_is_refused(
    make_repo: MakeRepo, scm_env: Env
) -> None:
    """setuptools_scm accepts any tag at HEAD of a shallow clone, then counts the cut history;
    packkit accepts only a version tag there (non-version tags are skipped)."""
    sc = monorepo(make_repo)
    touch(sc, "packages/a/x.txt", "packages/a/y.txt")
    assert sc.repo is not None
    sc.repo.tag("nightly")
    clone = sc.repo.clone(sc.repo.path.parent / "clone", depth=1)
    project = clone.path / "packages/a"
    setuptools_scm_says = oracle_version(project)
    assert setuptools_scm_says.startswith("0.1.dev1+"), "setuptools_scm counts the cut history"
    with pytest.raises(packkit.ScmError, match="is a shallow clone"):
        packkit.get_version(project)
