"""Hostile input (issue: trust), the git layer: what a repository can make packkit do.

A ``.git`` folder can come with an sdist, so its configuration is input like any other:
packkit never runs a program it names (``scm::git::open`` keeps only the configuration that
reads objects, refs, the index and the work tree), and never gives a version from a history
it could not read (a missing or damaged commit is an error naming it; a broken commit-graph,
a cache, is left out as git leaves it out).
"""

from __future__ import annotations

import os
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path

import packkit
import pytest
from helpers.backend import Venv, run
from helpers.git import Repo

PYPROJECT = (
    "[build-system]\n"
    'requires = ["packkit"]\n'
    'build-backend = "packkit.backend"\n\n'
    '[project]\nname = "hostile"\ndynamic = ["version"]\n'
)


def program(marker: Path) -> str:
    """A command that leaves ``marker`` behind if it ever runs (and passes its input on)."""
    return f"sh -c 'touch {marker} && cat'"


def hostile_configuration(marker: Path, include: Path, filter_key: str) -> str:
    """Every key of ``.git/config`` that names a program git (or gix) may run."""
    cmd = program(marker)
    include.write_text(f'[filter "other"]\n\tclean = {cmd}\n\tprocess = {cmd}\n')
    return (
        f'[filter "evil"]\n\t{filter_key} = {cmd}\n\tsmudge = {cmd}\n\trequired = true\n'
        f'[diff "evil"]\n\ttextconv = {cmd}\n\tcommand = {cmd}\n'
        f"[diff]\n\texternal = {cmd}\n"
        f'[merge "evil"]\n\tdriver = {cmd}\n'
        f"[core]\n\tfsmonitor = {cmd}\n\thooksPath = hooks\n\tsshCommand = {cmd}\n"
        f"\taskPass = {cmd}\n\teditor = {cmd}\n\tpager = {cmd}\n"
        f"[credential]\n\thelper = !{cmd}\n"
        f"[gpg]\n\tprogram = {cmd}\n"
        f"[include]\n\tpath = {include}\n"
    )


def arm(repo: Repo, marker: Path, filter_key: str) -> None:
    """Name programs in ``repo``'s configuration and hooks, once its commits are made (so git
    itself never ran them), and give every tracked file a new modification time, so that a
    status check must compare contents (where clean filters run)."""
    tracked = repo.git("ls-files").splitlines()
    git_dir = repo.path / ".git"
    with (git_dir / "config").open("a") as config:
        config.write(hostile_configuration(marker, git_dir / "more.config", filter_key))
    for hooks in (git_dir / "hooks", repo.path / "hooks"):
        hooks.mkdir(exist_ok=True)
        for name in ("post-checkout", "post-index-change", "pre-commit", "fsmonitor-watchman"):
            hook = hooks / name
            hook.write_text(f"#!/bin/sh\ntouch {marker}\n")
            hook.chmod(hook.stat().st_mode | stat.S_IXUSR)
    later = os.stat(repo.path / "pyproject.toml").st_mtime + 100
    for name in tracked:
        os.utime(repo.path / name, (later, later))


def hostile_repo(make_repo: Callable[..., Repo], marker: Path, filter_key: str) -> Repo:
    repo = make_repo("hostile")
    repo.commit(
        files={
            "pyproject.toml": PYPROJECT,
            "src/hostile/__init__.py": "",
            ".gitattributes": "* filter=evil diff=evil merge=evil\n*.py filter=other\n",
            "data.txt": "some data\n",
        }
    )
    repo.tag("v1.0.0")
    repo.commit()
    arm(repo, marker, filter_key)
    return repo


@pytest.mark.parametrize("filter_key", ["clean", "process"])
def test_repository_configuration_never_runs_a_program(
    filter_key: str, make_repo: Callable[..., Repo], tmp_path: Path, packkit_cli: list[str]
) -> None:
    marker = tmp_path / "ran"
    repo = hostile_repo(make_repo, marker, filter_key)
    node = repo.head()[:9]
    assert not marker.exists()

    # The contents are those committed: clean, compared without the filter.
    assert packkit.get_version(repo.path) == f"1.0.1.dev1+g{node}"
    assert packkit.describe(repo.path).dirty is False
    run([*packkit_cli, "version"], cwd=repo.path)
    run([*packkit_cli, "build", "-o", tmp_path / "cli"], cwd=repo.path)
    assert sorted(p.name for p in (tmp_path / "cli").iterdir()) == [
        ".gitignore",  # the folder packkit made ignores itself
        f"hostile-1.0.1.dev1+g{node}-py3-none-any.whl",
        f"hostile-1.0.1.dev1+g{node}.tar.gz",
    ]
    packkit.build_sdist(repo.path, tmp_path / "dist")
    packkit.build_wheel(repo.path, tmp_path / "dist")
    assert not marker.exists()

    # The configuration is live: git itself runs the filter on the same status check (and
    # fails, a `process` filter that only echoes being no filter protocol).
    repo.git("status", check=False)
    assert marker.exists()


def test_a_submodule_configuration_never_runs_a_program(
    make_repo: Callable[..., Repo], tmp_path: Path
) -> None:
    marker = tmp_path / "ran"
    library = make_repo("library")
    library.commit(files={".gitattributes": "* filter=evil\n", "lib.txt": "library\n"})
    repo = make_repo("super")
    repo.commit(files={"pyproject.toml": PYPROJECT, "src/hostile/__init__.py": ""})
    repo.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", str(library.path), "lib")
    repo.commit()
    repo.tag("v2.0.0")
    git_dir = repo.path / ".git" / "modules" / "lib"
    with (git_dir / "config").open("a") as config:
        config.write(f'[filter "evil"]\n\tclean = {program(marker)}\n')
    later = os.stat(repo.path / "lib" / "lib.txt").st_mtime + 100
    os.utime(repo.path / "lib" / "lib.txt", (later, later))

    assert packkit.get_version(repo.path) == "2.0.0"
    assert not marker.exists()
    repo.git("status")  # git recurses into the submodule and runs its filter
    assert marker.exists()


@pytest.mark.slow
def test_pip_building_a_repository_that_names_programs_runs_none(
    make_repo: Callable[..., Repo], tmp_path: Path, install_venv: Venv, packkit_wheelhouse: Path
) -> None:
    marker = tmp_path / "ran"
    repo = hostile_repo(make_repo, marker, "clean")
    run(
        [
            install_venv.python,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--wheel-dir",
            tmp_path / "wheels",
            repo.path,
        ]
    )
    (wheel,) = (tmp_path / "wheels").iterdir()
    assert wheel.name == f"hostile-1.0.1.dev1+g{repo.head()[:9]}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as archive:
        assert archive.testzip() is None
    assert not marker.exists()


# --------------------------------------------------------------------------------------------
# The dirty check without filters agrees with git


def git_says_dirty(repo: Repo) -> bool:
    """``git status`` (without refreshing the index) and ``git describe --dirty`` agree."""
    porcelain = repo.git("--no-optional-locks", "status", "--porcelain", "--untracked-files=no")
    described = repo.git("describe", "--tags", "--dirty").endswith("-dirty")
    assert bool(porcelain) == described, (porcelain, described)
    return described


CHECKOUT = b""  # check the file out again (as a clone would), with the conversion in force

CRLF_CASES = {
    # name: (.gitattributes, configuration, new content of a.txt or CHECKOUT, dirty)
    "modified": ("", {}, b"one\nthree\n", True),
    "same content": ("", {}, b"one\ntwo\n", False),
    "autocrlf=true, checked out": ("", {"core.autocrlf": "true"}, CHECKOUT, False),
    "autocrlf=input, checked out": ("", {"core.autocrlf": "input"}, CHECKOUT, False),
    "text eol=crlf, checked out": ("*.txt text eol=crlf\n", {}, CHECKOUT, False),
    # A new size is a change for git, whatever the conversion would make of the content.
    "autocrlf=true, CRLF written": ("", {"core.autocrlf": "true"}, b"one\r\ntwo\r\n", True),
    "autocrlf=false, CRLF written": ("", {"core.autocrlf": "false"}, b"one\r\ntwo\r\n", True),
    "-text, CRLF written": ("*.txt -text\n", {"core.autocrlf": "true"}, b"one\r\ntwo\r\n", True),
    "identity filter": (
        "*.txt filter=same\n",
        {"filter.same.clean": "cat", "filter.same.smudge": "cat"},
        CHECKOUT,
        False,
    ),
}


@pytest.mark.parametrize("case", CRLF_CASES, ids=list(CRLF_CASES))
def test_the_dirty_check_agrees_with_git(case: str, make_repo: Callable[..., Repo]) -> None:
    attributes, configuration, content, dirty = CRLF_CASES[case]
    repo = make_repo()
    repo.commit(files={"a.txt": "one\ntwo\n", ".gitattributes": attributes})
    repo.tag("v1.0.0")
    for key, value in configuration.items():
        repo.git("config", key, value)
    if content == CHECKOUT:
        (repo.path / "a.txt").unlink()
        repo.git("checkout", "--", "a.txt")
    else:
        (repo.path / "a.txt").write_bytes(content)
    # A new modification time: the contents must be compared.
    later = os.stat(repo.path / ".gitattributes").st_mtime + 100
    os.utime(repo.path / "a.txt", (later, later))
    # packkit first: git refreshes the index, after which no content is compared.
    assert packkit.describe(repo.path).dirty is dirty
    assert git_says_dirty(repo) is dirty


def test_a_clean_filter_that_changes_content_is_not_run(make_repo: Callable[..., Repo]) -> None:
    """The documented difference: what a clean filter made of a file is not recomputed, so a
    file whose committed content differs from the work tree's counts as modified."""
    repo = make_repo()
    repo.git("config", "filter.upper.clean", "tr a-z A-Z")
    repo.commit(files={"a.txt": "lower\n", ".gitattributes": "*.txt filter=upper\n"})
    repo.tag("v1.0.0")
    assert repo.git("show", "HEAD:a.txt") == "LOWER"
    # Another timestamp than the index records (older: not "racily clean" for git either).
    earlier = os.stat(repo.path / ".gitattributes").st_mtime - 100
    os.utime(repo.path / "a.txt", (earlier, earlier))
    assert packkit.describe(repo.path).dirty is True
    assert git_says_dirty(repo) is False
    # Once git has recorded the timestamp (`git status` refreshes the index), they agree.
    repo.git("status")
    assert packkit.describe(repo.path).dirty is False


SUBMODULE_CASES = ["clean", "modified file", "new commit", "untracked file", "not checked out"]


@pytest.mark.parametrize("case", SUBMODULE_CASES)
def test_submodules_are_dirty_as_git_says(case: str, make_repo: Callable[..., Repo]) -> None:
    library = make_repo("library")
    library.commit(files={"lib.txt": "library\n"})
    repo = make_repo("super")
    repo.commit(files={"pyproject.toml": PYPROJECT})
    repo.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", str(library.path), "lib")
    repo.commit()
    repo.tag("v1.0.0")
    sub = Repo(repo.path / "lib", repo._env, [0])
    if case == "modified file":
        sub.write("lib.txt", "changed\n")
    elif case == "new commit":
        sub.commit()
    elif case == "untracked file":
        sub.write("new.txt", "new\n")
    elif case == "not checked out":
        repo.git("submodule", "deinit", "-q", "--force", "lib")
    assert packkit.describe(repo.path).dirty is git_says_dirty(repo)


# --------------------------------------------------------------------------------------------
# Missing and damaged objects


def loose_object(repo: Repo, oid: str) -> Path:
    path = repo.path / ".git" / "objects" / oid[:2] / oid[2:]
    assert path.is_file(), f"{oid} is not a loose object"
    return path


@pytest.mark.parametrize("tagged", [True, False], ids=["tagged", "untagged"])
@pytest.mark.parametrize("damage", ["missing", "corrupt"])
def test_a_damaged_commit_mid_history_is_an_error_naming_it(
    tagged: bool, damage: str, make_repo: Callable[..., Repo], packkit_cli: list[str]
) -> None:
    repo = make_repo()
    repo.commits(2)
    if tagged:
        repo.tag("v1.0.0")
    repo.commits(3)
    victim = repo.git("rev-parse", "HEAD~2")
    path = loose_object(repo, victim)
    if damage == "missing":
        path.unlink()
    else:
        path.chmod(0o644)
        path.write_bytes(b"x\x9c garbage, not zlib")
    assert repo.run("git", "describe", "--tags", "--long", check=False).returncode != 0

    for call in (packkit.get_version, packkit.describe):
        with pytest.raises(packkit.ScmError) as info:
            call(repo.path)
        message = str(info.value)
        assert victim in message and "git fsck" in message, message
    cli = run([*packkit_cli, "version"], cwd=repo.path, check=False)
    assert cli.returncode == 1 and victim in cli.stderr and "hint:" in cli.stderr


def test_a_missing_head_commit_is_an_error_naming_it(make_repo: Callable[..., Repo]) -> None:
    repo = make_repo()
    repo.commits(2)
    repo.tag("v1.0.0")
    head = repo.head()
    loose_object(repo, head).unlink()
    with pytest.raises(packkit.ScmError) as info:
        packkit.get_version(repo.path)
    assert head in str(info.value) and "git fsck" in str(info.value)


def history(make_repo: Callable[..., Repo]) -> Repo:
    """A history with merges, tags on both sides and commit dates out of order."""
    repo = make_repo()
    repo.commits(3)
    repo.tag("v1.0.0")
    repo.branch("side")
    repo.commits(4)
    repo.tag("v1.1.0")
    repo.checkout("side")
    repo.commit(date="2023-06-01T00:00:00+00:00")
    repo.tag("v1.0.1")
    repo.commits(2)
    repo.checkout("main")
    repo.merge("side")
    repo.commits(2)
    return repo


def chunks(graph: bytes) -> dict[bytes, int]:
    """The chunk table of a commit-graph file: chunk id -> offset."""
    count = graph[6]
    table = {}
    for index in range(count + 1):
        entry = graph[8 + 12 * index : 8 + 12 * (index + 1)]
        table[entry[:4]] = int.from_bytes(entry[4:], "big")
    return table


def out_of_range_parents(graph: bytes) -> bytes:
    """Every commit's first parent pointing past the last commit."""
    data = bytearray(graph)
    table = chunks(graph)
    commits = int.from_bytes(graph[table[b"OIDF"] + 255 * 4 :][:4], "big")
    for index in range(commits):
        at = table[b"CDAT"] + index * 36 + 20
        if int.from_bytes(data[at : at + 4], "big") != 0x70000000:  # not "no parent"
            data[at : at + 4] = (0x6FFFFFFF).to_bytes(4, "big")
    return bytes(data)


def flipped(graph: bytes, start: int, length: int) -> bytes:
    data = bytearray(graph)
    for at in range(start, start + length):
        data[at] ^= 0xFF
    return bytes(data)


BREAKAGES: dict[str, Callable[[bytes], bytes]] = {
    "truncated": lambda graph: graph[: len(graph) // 2],
    "truncated header": lambda graph: graph[:6],
    "empty": lambda graph: b"",
    "signature flipped": lambda graph: flipped(graph, 0, 4),
    "chunk table flipped": lambda graph: flipped(graph, 8, 24),
    "commit ids flipped": lambda graph: flipped(graph, chunks(graph)[b"OIDL"] + 3, 40),
    "parents out of range": out_of_range_parents,
}


@pytest.mark.parametrize("breakage", BREAKAGES, ids=list(BREAKAGES))
def test_a_broken_commit_graph_is_left_out(breakage: str, make_repo: Callable[..., Repo]) -> None:
    repo = history(make_repo)
    without_graph = packkit.get_version(repo.path)
    facts = packkit.describe(repo.path)
    expected = repo.git("describe", "--tags", "--long", "--abbrev=9")
    assert f"{facts.tag_name}-{facts.distance}-{facts.node}" == expected

    repo.git("commit-graph", "write", "--reachable")
    graph = repo.path / ".git" / "objects" / "info" / "commit-graph"
    graph.chmod(0o644)
    graph.write_bytes(BREAKAGES[breakage](graph.read_bytes()))

    assert packkit.get_version(repo.path) == without_graph
    facts = packkit.describe(repo.path)
    assert f"{facts.tag_name}-{facts.distance}-{facts.node}" == expected
    # git leaves out a commit-graph that does not open; one that opens but lies misleads it
    # (flipped ids give another tag) or stops it ("invalid parent position").
    if breakage not in ("commit ids flipped", "parents out of range"):
        assert repo.git("describe", "--tags", "--long", "--abbrev=9") == expected
