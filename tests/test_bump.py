"""``packkit bump``: the next version from the last version tag, tagged (annotated, with
gix) at HEAD; checked with the real ``git`` CLI (``git cat-file``, ``git describe``) and with
``packkit version`` reading the new tag back. Every refusal has its message tested, and a
refused bump writes nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from helpers.backend import run
from helpers.git import Env, Repo


def project(make_repo: Callable[..., Repo], extra: str = "") -> Repo:
    repo = make_repo("demo")
    repo.write("pyproject.toml", f'[project]\nname = "demo"\ndynamic = ["version"]\n{extra}')
    repo.write("src/demo/__init__.py")
    repo.add()
    repo.commit("first")
    return repo


def bump(cli: list[str], repo: Repo, *args: str, ok: bool = True) -> str:
    proc = run([*cli, "bump", *args, repo.path], check=False, env=None)
    assert (proc.returncode == 0) is ok, proc.stdout + proc.stderr
    return proc.stdout if ok else proc.stderr


def tags(repo: Repo) -> list[str]:
    return repo.git("tag", "-l").split()


@pytest.mark.parametrize(
    ("last", "part", "expected"),
    [
        ("v1.2.0", "major", "v2.0.0"),
        ("v1.2.0", "minor", "v1.3.0"),
        ("v1.2.0", "patch", "v1.2.1"),
        ("v1.2.0", "rc", "v1.2.1rc1"),
        ("v1.3.0rc1", "rc", "v1.3.0rc2"),
        ("v1.3.0rc2", "final", "v1.3.0"),
        ("v1.4.0rc2", "major", "v2.0.0"),
        ("v1.3.0a1", "beta", "v1.3.0b1"),
        ("v1.3.0", "post", "v1.3.0.post1"),
        ("1.2", "minor", "1.3.0"),  # the last tag's spelling (no `v`) is kept
    ],
)
def test_bump_tags_the_next_version(
    last: str,
    part: str,
    expected: str,
    make_repo: Callable[..., Repo],
    packkit_cli: list[str],
) -> None:
    repo = project(make_repo)
    repo.tag(last)
    repo.commit("feat: more")
    out = bump(packkit_cli, repo, part)
    version = expected.removeprefix("v")
    assert out.splitlines() == [
        f"tagged {expected} ({version}, after {last})",
        f"push it: git push origin {expected}",
    ]
    # An annotated tag, at HEAD, by the committer git would record, with the message.
    assert repo.git("cat-file", "-t", expected) == "tag"
    assert repo.git("rev-parse", f"{expected}^{{commit}}") == repo.head()
    tag_object = repo.git("cat-file", "-p", expected)
    assert "tagger Packkit Tester <tester@example.invalid>" in tag_object
    assert tag_object.endswith(f"Release {version}")
    assert repo.git("describe", "--exact-match") == expected
    assert run([*packkit_cli, "version", repo.path]).stdout.strip() == version


def test_dry_run_writes_nothing(make_repo: Callable[..., Repo], packkit_cli: list[str]) -> None:
    repo = project(make_repo)
    repo.tag("v1.2.0")
    repo.commit()
    out = bump(packkit_cli, repo, "minor", "--dry-run")
    assert out.strip() == "would tag v1.3.0 (1.3.0, after v1.2.0); nothing written (dry run)"
    assert tags(repo) == ["v1.2.0"]


def test_the_message_and_the_first_tag(
    make_repo: Callable[..., Repo], packkit_cli: list[str]
) -> None:
    repo = project(make_repo)
    out = bump(packkit_cli, repo, "minor", "-m", "First release\n\nWith notes.")
    assert out.startswith("tagged v0.1.0 (0.1.0, the first version tag)")
    assert repo.git("tag", "-l", "--format=%(contents)", "v0.1.0") == "First release\n\nWith notes."


def test_a_tag_prefix_names_the_first_tag(
    make_repo: Callable[..., Repo], packkit_cli: list[str]
) -> None:
    repo = project(make_repo, '[tool.packkit]\ntag-prefix = "pkg-a-"\n')
    bump(packkit_cli, repo, "patch")
    repo.commit()
    bump(packkit_cli, repo, "minor")
    assert tags(repo) == ["pkg-a-v0.0.1", "pkg-a-v0.1.0"]
    assert run([*packkit_cli, "version", repo.path]).stdout.strip() == "0.1.0"


def test_the_identity_comes_from_the_repository_then_the_user(
    make_repo: Callable[..., Repo], packkit_cli: list[str], scm_env: Env
) -> None:
    repo = project(make_repo)
    scm_env.unset("GIT_COMMITTER_NAME")
    scm_env.unset("GIT_COMMITTER_EMAIL")
    err = bump(packkit_cli, repo, "patch", ok=False)
    assert "user.name is not set" in err and "git config --global user.name" in err
    assert tags(repo) == []
    repo.git("config", "user.name", "Local Person")
    repo.git("config", "user.email", "local@example.org")
    bump(packkit_cli, repo, "patch")
    assert "tagger Local Person <local@example.org>" in repo.git("cat-file", "-p", "v0.0.1")


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("dirty", "the working tree has uncommitted changes"),
        ("detached", "HEAD is detached"),
        ("higher-elsewhere", "1.3.0 would not be the highest version: the tag v2.0.0 is 2.0.0"),
        ("same-version", "the tag v1.3 names 1.3.0 already"),
        ("backwards", "cannot make an alpha of 1.2.0rc1"),
        ("shallow", "the clone is shallow"),
    ],
)
def test_refusals_write_nothing(
    setup: str, message: str, make_repo: Callable[..., Repo], packkit_cli: list[str]
) -> None:
    repo = project(make_repo)
    repo.tag("v1.2.0rc1" if setup == "backwards" else "v1.2.0")
    repo.commit()
    part = "alpha" if setup == "backwards" else "minor"
    if setup == "dirty":
        repo.write("src/demo/__init__.py", "changed = 1\n")
    elif setup == "detached":
        repo.checkout(repo.head())
    elif setup == "higher-elsewhere":
        repo.checkout("side", create=True)
        repo.commit()
        repo.tag("v2.0.0")
        repo.checkout("main")
    elif setup == "same-version":
        repo.checkout("side", create=True)
        repo.commit()
        repo.tag("v1.3")
        repo.checkout("main")
    elif setup == "shallow":
        repo.commit()
        clone = make_repo("shallow", init=False)
        clone.run("git", "clone", "-q", "--depth", "1", f"file://{repo.path}", ".")
        repo = clone
    before = tags(repo)
    err = bump(packkit_cli, repo, part, ok=False)
    assert message in err, err
    assert "hint:" in err
    assert tags(repo) == before


def test_allow_detached(make_repo: Callable[..., Repo], packkit_cli: list[str]) -> None:
    repo = project(make_repo)
    repo.tag("v1.2.0")
    repo.commit()
    repo.checkout(repo.head())
    bump(packkit_cli, repo, "patch", "--allow-detached")
    assert repo.git("describe", "--exact-match") == "v1.2.1"


def test_an_unknown_part_is_a_usage_error(
    make_repo: Callable[..., Repo], packkit_cli: list[str]
) -> None:
    repo = project(make_repo)
    proc = run([*packkit_cli, "bump", "dev", repo.path], check=False)
    assert proc.returncode == 2 and "possible values: major, minor, patch" in proc.stderr
