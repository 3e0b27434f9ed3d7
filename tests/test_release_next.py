"""``packkit next`` and ``packkit changelog`` (and ``packkit.next_version`` /
``packkit.changelog``) on real repositories made with the git CLI, with merges, reverts and
non-conventional messages; the next version is cross-checked against commitizen's
``cz bump --get-next`` on seeded random histories.
"""

from __future__ import annotations

import json
import random
import subprocess
from collections.abc import Callable
from pathlib import Path

import packkit
import pytest
from helpers.backend import tool
from helpers.git import Repo
from helpers.pyproject import pyproject_text

MakeRepo = Callable[..., Repo]


def run(cli: list[str], *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*cli, *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=60
    )


def ok(cli: list[str], *args: str, cwd: Path | None = None) -> str:
    result = run(cli, *args, cwd=cwd)
    assert result.returncode == 0, result.stderr
    return result.stdout


def tagged(make_repo: MakeRepo, tag: str) -> Repo:
    """A project whose first commit is tagged ``tag``."""
    repo = make_repo()
    repo.commit("initial", files={"pyproject.toml": pyproject_text()})
    repo.tag(tag)
    return repo


def refused(cli: list[str], command: str, repo: Repo, extra: str) -> str:
    """Write ``pyproject.toml`` with ``extra`` tables; ``packkit COMMAND`` must fail: its stderr."""
    repo.write("pyproject.toml", pyproject_text(extra=extra))
    result = run(cli, command, str(repo.path))
    assert result.returncode == 1, result.stdout
    return result.stderr


@pytest.fixture
def released(make_repo: MakeRepo) -> Repo:
    """v1.2.0, then a feature branch (2 feat, 1 docs) merged into main (2 fix, 1 other)."""
    repo = make_repo()
    repo.commit("initial", files={"pyproject.toml": pyproject_text(), "README.md": "hi\n"})
    repo.tag("v1.2.0", annotated=True)
    repo.checkout("topic", create=True)
    repo.commit("feat(cli): add --explain")
    repo.commit("docs: explain --explain")
    repo.commit("feat: JSON output\n\nThe body says why.\n\nRefs #12")
    repo.checkout("main")
    repo.commit("fix: crash on empty history")
    repo.commit("update the notes")
    repo.merge("topic", message="Merge branch 'topic'")
    repo.commit("fix(parser): CRLF messages")
    return repo


def short_ids(repo: Repo, *args: str) -> list[str]:
    return repo.git("log", "--format=%h", *args).split()


def test_next_counts_first_parent_and_merged_commits_once(
    packkit_cli: list[str], released: Repo
) -> None:
    assert ok(packkit_cli, "next", str(released.path)) == (
        "1.3.0  (minor: 2 feat, 2 fix, 1 docs, 1 merge, 1 other; "
        "`packkit next --explain` lists them)\n"
    )


def test_next_explain_lists_every_commit_and_the_rule(
    packkit_cli: list[str], released: Repo
) -> None:
    out = ok(packkit_cli, "next", "--explain", cwd=released.path)
    lines = out.splitlines()
    assert lines[0] == "7 commits since v1.2.0 (1.2.0):"
    listed = [line.split()[0] for line in lines[1:8]]
    # Every commit since the tag, each once: what `git log v1.2.0..HEAD` lists.
    assert sorted(listed) == sorted(short_ids(released, "v1.2.0..HEAD"))
    feat = next(line for line in lines if line.endswith("add --explain"))
    assert feat.split()[1:5] == ["feat", "cli", "-", "minor"]
    merge = next(line for line in lines if "Merge branch" in line)
    assert merge.split()[1:5] == ["(merge)", "-", "-", "-"]
    assert lines[-2].startswith("rule: the highest change is feat → minor (")
    assert lines[-1] == "next: 1.2.0 → 1.3.0"


def test_next_json(packkit_cli: list[str], released: Repo) -> None:
    data = json.loads(ok(packkit_cli, "next", "--format", "json", str(released.path)))
    assert (data["version"], data["bump"], data["since"], data["since_version"]) == (
        "1.3.0",
        "minor",
        "v1.2.0",
        "1.2.0",
    )
    assert data["counts"] == {"feat": 2, "fix": 2, "docs": 1, "merge": 1, "other": 1}
    by_subject = {commit["subject"]: commit for commit in data["commits"]}
    json_output = by_subject["JSON output"]
    assert json_output["type"] == "feat" and json_output["bump"] == "minor"
    assert json_output["body"] == "The body says why."
    assert json_output["footers"] == [{"token": "Refs", "value": "#12"}]
    assert json_output["id"] == released.git("log", "-1", "--format=%H", "topic")


def test_python_api_agrees_with_the_cli(released: Repo) -> None:
    assert packkit.next_version(released.path) == "1.3.0"
    text = packkit.changelog(released.path)
    assert text.startswith("## Changes since v1.2.0\n")
    assert packkit.changelog(released.path, since="v1.2.0") == text


def test_breaking_changes_and_major_on_zero(packkit_cli: list[str], make_repo: MakeRepo) -> None:
    repo = tagged(make_repo, "v0.4.1")
    repo.commit("fix: small")
    repo.commit("feat(api): new call\n\nBREAKING CHANGE: the old call is gone")
    out = ok(packkit_cli, "next", "--explain", str(repo.path))
    assert out.splitlines()[-1] == "next: 0.4.1 → 0.5.0"
    assert "major-on-zero = false" in out
    repo.write(
        "pyproject.toml",
        pyproject_text(extra="[tool.packkit.release]\nmajor-on-zero = true\n"),
    )
    assert ok(packkit_cli, "next", str(repo.path)).startswith(
        "1.0.0  (major: 1 breaking, 1 feat, 1 fix;"
    )
    stderr = refused(
        packkit_cli,
        "next",
        repo,
        "[tool.packkit.release]\nmajor-on-zero = 1\nmajor_on_zro = true\n",
    )
    assert "pyproject.toml:6:17: `tool.packkit.release.major-on-zero`" in stderr
    assert "`tool.packkit.release.major_on_zro`: unknown key" in stderr


def test_check_accepts_the_release_table(packkit_cli: list[str], make_repo: MakeRepo) -> None:
    repo = make_repo()
    repo.commit(
        "initial",
        files={
            "pyproject.toml": pyproject_text(
                extra="[tool.packkit]\nrelease = { major-on-zero = true }\n"
            ),
            "demo/__init__.py": "",
        },
    )
    result = run(packkit_cli, "check", str(repo.path))
    assert result.returncode == 0, result.stderr
    stderr = refused(
        packkit_cli, "check", repo, "[tool.packkit]\nrelase = { major-on-zero = true }\n"
    )
    assert "`tool.packkit.relase`: unknown key" in stderr


def test_pre_release_tags_become_final(packkit_cli: list[str], make_repo: MakeRepo) -> None:
    repo = tagged(make_repo, "v1.3.0rc1")
    repo.commit("docs: only docs")
    assert ok(packkit_cli, "next", str(repo.path)).startswith("1.3.0  (final: 1 docs;")
    repo.commit("feat!: a breaking change")
    assert ok(packkit_cli, "next", str(repo.path)).startswith("2.0.0  (major:")


def test_nothing_to_release_is_an_error(packkit_cli: list[str], make_repo: MakeRepo) -> None:
    repo = tagged(make_repo, "v2.0.0")
    repo.commit("docs: a typo")
    repo.commit("wip")
    repo.commit("feat: reverted later")
    repo.git("revert", "--no-edit", "HEAD")
    result = run(packkit_cli, "next", str(repo.path))
    # commitizen's rule: a revert moves nothing and the reverted commit still counts.
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("2.1.0  (minor: 1 feat, 1 docs, 1 revert, 1 other;")
    repo.git("reset", "-q", "--hard", "HEAD~2")
    result = run(packkit_cli, "next", str(repo.path))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        "error: nothing to release since v2.0.0: 1 docs, 1 other\n"
        "hint: a release needs a feat, fix or perf commit, or a breaking change "
        "(`packkit next --explain` lists the commits)\n"
    )
    assert packkit.next_version(repo.path) is None
    data = json.loads(ok(packkit_cli, "next", "--format", "json", str(repo.path)))
    assert data["version"] is None and data["bump"] is None


def test_without_a_tag_the_base_is_zero(packkit_cli: list[str], make_repo: MakeRepo) -> None:
    repo = make_repo()
    repo.commit("feat: first", files={"pyproject.toml": pyproject_text()})
    repo.commit("fix: second")
    out = ok(packkit_cli, "next", "--explain", str(repo.path))
    assert out.startswith("2 commits, no version tag (counted from 0.0.0):\n")
    assert out.endswith("next: 0.0.0 → 0.1.0\n")


def test_shallow_clones_are_refused(packkit_cli: list[str], released: Repo, tmp_path: Path) -> None:
    clone = tmp_path / "shallow"
    released.git("clone", "-q", "--depth", "2", f"file://{released.path}", str(clone))
    for command in (["next"], ["changelog"]):
        result = run(packkit_cli, *command, str(clone))
        assert result.returncode == 1
        assert "is a shallow clone" in result.stderr, result.stderr
        assert "git fetch --unshallow --tags" in result.stderr
    with pytest.raises(packkit.ScmError, match="shallow clone"):
        packkit.next_version(clone)


def test_changelog_markdown(packkit_cli: list[str], released: Repo) -> None:
    ids = dict(
        reversed(line.split(" ", 1))
        for line in released.git("log", "--format=%h %s", "v1.2.0..HEAD").splitlines()
    )
    assert ok(packkit_cli, "changelog", str(released.path)) == (
        "## Changes since v1.2.0\n\n"
        "### Features\n\n"
        f"- JSON output ({ids['feat: JSON output']})\n"
        f"- **cli:** add --explain ({ids['feat(cli): add --explain']})\n\n"
        "### Fixes\n\n"
        f"- **parser:** CRLF messages ({ids['fix(parser): CRLF messages']})\n"
        f"- crash on empty history ({ids['fix: crash on empty history']})\n\n"
        "### Other\n\n"
        f"- docs: explain --explain ({ids['docs: explain --explain']})\n\n"
        "2 commits without a Conventional Commits header are not listed.\n"
    )


def test_changelog_since_and_json(packkit_cli: list[str], released: Repo) -> None:
    released.tag("v1.3.0")
    released.commit("perf: faster walk")
    # The default start is the last version tag; --since goes further back.
    assert ok(packkit_cli, "changelog", str(released.path)).count("\n- ") == 1
    data = json.loads(
        ok(packkit_cli, "changelog", "--since", "v1.2.0", "--format", "json", str(released.path))
    )
    assert data["since"] == "v1.2.0"
    assert [group["title"] for group in data["groups"]] == [
        "Features",
        "Fixes",
        "Performance",
        "Other",
    ]
    assert data["not_listed"] == 2


def test_changelog_unknown_tag_names_the_nearest(packkit_cli: list[str], released: Repo) -> None:
    released.tag("v1.3.0")
    released.tag("nightly")
    result = run(packkit_cli, "changelog", "--since", "v1.2", str(released.path))
    assert result.returncode == 1
    assert 'error: there is no tag "v1.2" in' in result.stderr
    assert "hint: the nearest tags: v1.2.0, v1.3.0, nightly\n" in result.stderr
    with pytest.raises(packkit.ScmError, match=r"the nearest tags: v1\.2\.0"):
        packkit.changelog(released.path, since="v1.2")


# --------------------------------------------------------------------------------------------
# Cross-check with commitizen


TYPES = ["feat", "fix", "perf", "docs", "chore", "test", "ci", "build", "style"]
SCOPES = ["cli", "api", "parser", "docs/api"]
OTHER = ["update README", "WIP", "Fix typo", "bump deps", "fixup! something"]


def random_message(rng: random.Random, quiet: bool = False) -> str:
    """A commit message both tools read alike: conventional headers (scopes, `!`, bodies,
    footers, BREAKING CHANGE footers) and non-conventional ones."""
    if rng.random() < 0.2:
        return rng.choice(OTHER)
    # A quiet history has no feat, fix or perf: only a breaking change would release it.
    weights = [0, 0, 0, 2, 2, 1, 1, 1, 1] if quiet else [3, 4, 1, 2, 2, 1, 1, 1, 1]
    kind = rng.choices(TYPES, weights=weights)[0]
    scope = f"({rng.choice(SCOPES)})" if rng.random() < 0.4 else ""
    bang = "!" if rng.random() < 0.02 else ""
    message = f"{kind}{scope}{bang}: change {rng.randrange(1000)}"
    if rng.random() < 0.3:
        message += "\n\nA body paragraph\nover two lines.\n\nAnd a second one."
    footers = []
    if rng.random() < 0.2:
        footers.append(f"Refs #{rng.randrange(100)}")
    if rng.random() < 0.02:
        footers.append("BREAKING CHANGE: the old way is gone")
    if footers:
        message += "\n\n" + "\n".join(footers)
    return message


def random_history(repo: Repo, rng: random.Random, tag: str, quiet: bool) -> None:
    repo.commit("initial", files={"README.md": "hi\n"})
    repo.commit("feat: before the tag")
    repo.tag(tag, annotated=rng.random() < 0.5)
    branches = 0
    for _ in range(rng.randrange(1, 12)):
        roll = rng.random()
        if roll < 0.2:
            branches += 1
            branch = f"topic-{branches}"
            repo.checkout(branch, create=True)
            for _ in range(rng.randrange(1, 4)):
                repo.commit(random_message(rng, quiet))
            repo.checkout("main")
            if rng.random() < 0.5:
                repo.commit(random_message(rng, quiet))
            repo.merge(branch, message=f"Merge branch '{branch}'")
        elif roll < 0.27:
            repo.commit(random_message(rng, quiet))
            repo.git("revert", "--no-edit", "HEAD")
        else:
            repo.commit(random_message(rng, quiet))


TAGS = ["1.2.3", "0.4.1", "0.0.3", "2.0.0", "1.3.0rc1", "0.9.0b2", "3.1.4", "10.0.0"]


def commitizen_next(repo: Repo, major_version_zero: bool) -> str | None:
    """`cz bump --get-next`: the next version, or None for NO_COMMITS_TO_BUMP (exit 21)."""
    repo.write(
        "pyproject.toml",
        pyproject_text(
            extra='[tool.commitizen]\nname = "cz_conventional_commits"\n'
            'version_provider = "scm"\ntag_format = "v$version"\n'
            f"major_version_zero = {'true' if major_version_zero else 'false'}\n"
        ),
    )
    result = repo.run(tool("cz"), "--no-raise", "21", "bump", "--get-next", "--yes", check=False)
    if result.returncode == 0 and not result.stdout.strip():
        return None
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.decode().strip().splitlines()[-1]


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(20))
def test_next_agrees_with_commitizen(make_repo: MakeRepo, seed: int) -> None:
    rng = random.Random(seed)
    tag = TAGS[seed % len(TAGS)]
    repo = make_repo()
    random_history(repo, rng, f"v{tag}", quiet=seed % 5 == 4)
    major_on_zero = seed % 3 == 0
    # commitizen's `major_version_zero` is packkit's `major-on-zero = false`, and is an error
    # on a version whose major is not 0.
    theirs = commitizen_next(repo, major_version_zero=tag.startswith("0.") and not major_on_zero)
    repo.write(
        "pyproject.toml",
        pyproject_text(
            extra=f"[tool.packkit.release]\nmajor-on-zero = {str(major_on_zero).lower()}\n"
        ),
    )
    ours = packkit.next_version(repo.path)
    log = repo.git("log", "--format=%h %p %s", f"v{tag}..HEAD")
    assert ours == theirs, f"seed {seed}, tag v{tag}:\n{log}"


@pytest.mark.parametrize(
    ("count", "flag", "next_version"),
    [("full-history", "--full-history", "1.1.0"), ("first-parent", "--first-parent", "1.0.1")],
)
def test_a_distance_scope_limits_the_commits_to_the_project(
    count: str, flag: str, next_version: str, packkit_cli: list[str], make_repo: MakeRepo
) -> None:
    """With ``distance_scope``, next and changelog read the commits the version counts:
    those ``git log <flag> v1.0.0..HEAD -- packages/a`` lists."""
    repo = make_repo()
    git = f'{{distance_scope = true, distance_count = "{count}"}}'
    scm = f'[tool.setuptools_scm]\nroot = "../.."\nscm.git = {git}\n'
    project = "packages/a"
    repo.commit("initial", files={f"{project}/pyproject.toml": pyproject_text(extra=scm)})
    repo.tag("v1.0.0")
    repo.commit("feat!: rewrite b", files={"packages/b/b.py": "b = 2\n"})
    repo.commit("fix(a): crash", files={f"{project}/a.py": "a = 1\n"})
    repo.checkout("topic", create=True)
    repo.commit("feat(a): new option", files={f"{project}/a.py": "a = 2\n"})
    repo.commit("docs: b", files={"packages/b/README.md": "b\n"})
    repo.checkout("main")
    repo.merge("topic", message="Merge branch 'topic'")

    data = json.loads(ok(packkit_cli, "next", "--format", "json", str(repo.path / project)))
    listed = {commit["id"] for commit in data["commits"]}
    counted = repo.git("log", "--format=%H", flag, "v1.0.0..HEAD", "--", project).split()
    assert listed == set(counted) and len(counted) >= 2
    assert data["version"] == next_version
    assert packkit.next_version(repo.path / project) == next_version
    changelog = packkit.changelog(repo.path / project)
    assert "crash" in changelog and "rewrite b" not in changelog
    assert ("new option" in changelog) is (count == "full-history")
    # The whole repository without the scope: the breaking change in packages/b counts.
    assert packkit.next_version(repo.path) == "2.0.0"
