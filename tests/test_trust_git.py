"""Hostile input (issue: trust), the git layer: what a repository can make packkit do.

packkit never gives a version from a history it could not read: a missing or damaged commit is
an error naming it; a broken commit-graph, a cache, is left out as git leaves it out.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import packkit
import pytest
from helpers.backend import run
from helpers.git import Repo

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
