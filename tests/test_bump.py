"""``packkit bump``: the next version from the last version tag, tagged (annotated, with
gix) at HEAD; checked with the real ``git`` CLI (``git cat-file``, ``git describe``) and with
``packkit version`` reading the new tag back. Every refusal has its message tested, and a
refused bump writes nothing."""

from __future__ import annotations

import re
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


# --------------------------------------------------------------------------------------------
# --changelog: the release's section committed before the tag

TEMPLATE = (
    "# Changelog\n\nAll notable changes to this project are listed here.\n\n"
    "## Unreleased\n\n- The project is created.\n"
)


def history(repo: Repo) -> None:
    repo.tag("v1.2.0")
    repo.commit("feat(plots): a palette= argument")
    repo.commit("fix: no crash on empty frames")
    repo.commit("docs: explain palettes")
    repo.commit("tidy up")


def check_committed(repo: Repo, changelog: str = "CHANGELOG.md") -> None:
    """git itself sees one commit changing only the changelog, tagged, and a clean tree."""
    assert repo.git("log", "-1", "--format=%s") == "chore(release): 1.3.0"
    assert repo.git("diff", "--name-only", "HEAD~1", "HEAD") == changelog
    assert repo.git("rev-parse", "v1.3.0^{commit}") == repo.head()
    assert repo.git("status", "--porcelain") == ""
    staged = repo.git("ls-files", "-s", changelog).split()[1]
    assert staged == repo.git("rev-parse", f"HEAD:{changelog}")
    repo.git("fsck", "--no-progress")
    assert "tagger Packkit Tester" in repo.git("cat-file", "-p", "v1.3.0")
    assert "author Packkit Tester" in repo.git("cat-file", "-p", "HEAD")


def test_changelog_is_committed_before_the_tag(
    make_repo: Callable[..., Repo], packkit_cli: list[str]
) -> None:
    repo = project(make_repo)
    repo.commit("changelog", files={"CHANGELOG.md": TEMPLATE})
    history(repo)
    out = bump(packkit_cli, repo, "minor", "--changelog").splitlines()
    assert re.fullmatch(
        r"committed CHANGELOG\.md \(chore\(release\): 1\.3\.0\) as [0-9a-f]{9}", out[0]
    )
    assert out[2] == "push it: git push origin HEAD v1.3.0"
    check_committed(repo)
    text = (repo.path / "CHANGELOG.md").read_text()
    # Everything that was there is kept, byte for byte; the section follows "Unreleased".
    assert text.startswith(TEMPLATE + "\n## 1.3.0 (")
    section = text[len(TEMPLATE) + 1 :]
    assert "### Features\n\n- **plots:** a palette= argument (" in section
    assert "### Fixes\n\n- no crash on empty frames (" in section
    assert "tidy up" not in section  # not a Conventional Commit: counted, not listed
    assert run([*packkit_cli, "version", repo.path]).stdout.strip() == "1.3.0"


def test_changelog_keeps_every_byte_around_the_section(
    make_repo: Callable[..., Repo], packkit_cli: list[str]
) -> None:
    repo = project(make_repo)
    head = "# Log\r\n\r\nHand-written intro   \r\n<!-- keep -->\r\n\r\n"
    tail = "## 1.2.0\r\n\r\n- old entry\t\r\n"
    (repo.path / "CHANGELOG.md").write_bytes((head + tail).encode())
    repo.add()
    repo.commit("changelog")
    history(repo)
    bump(packkit_cli, repo, "minor", "--changelog")
    check_committed(repo)
    data = (repo.path / "CHANGELOG.md").read_bytes().decode()
    assert data.startswith(head + "## 1.3.0 (") and data.endswith("\r\n\r\n" + tail)
    middle = data[len(head) : -len(tail)]
    assert "\n" not in middle.replace("\r\n", "")  # the inserted lines end as the file's do


def test_changelog_is_created_in_the_project_folder(
    make_repo: Callable[..., Repo], packkit_cli: list[str]
) -> None:
    repo = make_repo("mono")
    repo.write(
        "pkg/pyproject.toml",
        '[project]\nname = "pkg"\ndynamic = ["version"]\n[tool.packkit]\nroot = ".."\n',
    )
    repo.write("pkg/src/pkg/__init__.py")
    repo.add()
    repo.commit("first")
    history(repo)
    proc = run([*packkit_cli, "bump", "minor", "--changelog", repo.path / "pkg"])
    assert proc.stdout.startswith("committed CHANGELOG.md")
    check_committed(repo, "pkg/CHANGELOG.md")
    assert (repo.path / "pkg" / "CHANGELOG.md").read_text().startswith("# Changelog\n\n## 1.3.0 (")


def test_changelog_dry_run_writes_nothing(
    make_repo: Callable[..., Repo], packkit_cli: list[str]
) -> None:
    repo = project(make_repo)
    repo.commit("changelog", files={"CHANGELOG.md": TEMPLATE})
    history(repo)
    head = repo.head()
    out = bump(packkit_cli, repo, "minor", "--changelog", "--dry-run")
    assert out.startswith("would add to CHANGELOG.md and commit:\n## 1.3.0 (")
    assert (repo.path / "CHANGELOG.md").read_text() == TEMPLATE
    assert repo.head() == head and tags(repo) == ["v1.2.0"]


def test_an_untracked_changelog_is_refused(
    make_repo: Callable[..., Repo], packkit_cli: list[str]
) -> None:
    repo = project(make_repo)
    history(repo)
    repo.write("CHANGELOG.md", TEMPLATE)
    head = repo.head()
    err = bump(packkit_cli, repo, "minor", "--changelog", ok=False)
    assert "CHANGELOG.md is not tracked by git" in err and "git add CHANGELOG.md" in err
    assert (repo.path / "CHANGELOG.md").read_text() == TEMPLATE
    assert repo.head() == head and tags(repo) == ["v1.2.0"]
