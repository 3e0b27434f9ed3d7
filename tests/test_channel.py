"""``packkit channel``: a version's release channel, its target index, and every reason it may
not be published, on real repositories made with the ``git`` CLI. The channel of each version
is checked against ``packaging``'s reading of the same version."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers.backend import run
from helpers.git import Env, Repo
from packaging.version import Version

CHANNELS = """
[tool.packkit.channels]
unstable = { index = "http://localhost:3141/team/dev/", simple = "http://localhost:3141/x/" }
testing = { index = "http://127.0.0.1:3141/team/staging/", conda-label = "rc" }
stable = { index = "https://upload.example.org/legacy/" }
"""


def project(make_repo: Callable[..., Repo], extra: str = CHANNELS, head: str = "") -> Repo:
    repo = make_repo("demo")
    version = head or 'dynamic = ["version"]'
    repo.write("pyproject.toml", f'[project]\nname = "demo"\n{version}\n{extra}')
    repo.write("src/demo/__init__.py")
    repo.add()
    repo.commit("first")
    return repo


def channel(
    cli: list[str], repo: Repo, *args: str, env: dict[str, str] | None = None
) -> dict[str, Any]:
    proc = run([*cli, "channel", repo.path, "--format", "json", *args], env=env)
    parsed: dict[str, Any] = json.loads(proc.stdout)
    return parsed


def expected_channel(version: str) -> str:
    """The rule, said with packaging: development releases, then pre-releases, then the rest."""
    parsed = Version(version)
    if parsed.is_devrelease:
        return "unstable"
    return "testing" if parsed.pre is not None else "stable"


@pytest.mark.parametrize(
    ("tag", "commits_after", "version"),
    [
        ("v1.0", 0, "1.0"),
        ("v1.0.post2", 0, "1.0.post2"),
        ("v1.0rc1", 0, "1.0rc1"),
        ("v2.0a3", 0, "2.0a3"),
        ("v1.0b2", 0, "1.0b2"),
        ("v1.0", 2, "1.1.dev2"),
        ("v1.0rc1", 1, "1.0rc2.dev1"),  # a pre-release's development release is unstable
        ("v1.0.dev4", 0, "1.0.dev4"),
    ],
)
def test_the_channel_follows_the_version(
    tag: str,
    commits_after: int,
    version: str,
    make_repo: Callable[..., Repo],
    packkit_cli: list[str],
) -> None:
    # Without the local part, so that every one of them is publishable.
    repo = project(make_repo, CHANNELS + '[tool.packkit]\nlocal-scheme = "no-local-version"\n')
    repo.tag(tag)
    repo.commits(commits_after)
    found = channel(packkit_cli, repo)
    assert found["version"] == version
    assert found["channel"] == expected_channel(version)
    indexes = {
        "unstable": "http://localhost:3141/team/dev/",
        "testing": "http://127.0.0.1:3141/team/staging/",
        "stable": "https://upload.example.org/legacy/",
    }
    assert found["index"] == indexes[found["channel"]]
    assert found["publishable"] is True and found["refusals"] == []
    text = run([*packkit_cli, "channel", repo.path]).stdout.split()
    assert text == [found["channel"], version, "->", found["index"]]


def test_defaults_without_a_channels_table(
    make_repo: Callable[..., Repo], packkit_cli: list[str]
) -> None:
    repo = project(make_repo, "")
    repo.tag("v1.0rc1")
    found = channel(packkit_cli, repo)
    assert found == {
        "channel": "testing",
        "version": "1.0rc1",
        "index": "https://upload.pypi.org/legacy/",
        "simple": "https://pypi.org/simple/",
        "conda_label": "rc",
        "configured": False,
        "publishable": True,
        "refusals": [],
    }
    repo.commit()
    found = channel(packkit_cli, repo)
    assert (found["channel"], found["index"]) == ("unstable", "https://test.pypi.org/legacy/")


def refusals(cli: list[str], repo: Repo, env: dict[str, str] | None = None) -> list[str]:
    """The refusals' messages; and ``--check`` fails with each of them on stderr."""
    found = channel(cli, repo, env=env)
    messages = [r["message"] for r in found["refusals"]]
    assert found["publishable"] is (not messages)
    checked = run([*cli, "channel", repo.path, "--check"], env=env, check=False)
    assert checked.returncode == (1 if messages else 0), checked.stderr
    for message in messages:
        assert message in checked.stderr
    return messages


def test_a_local_version_is_refused(make_repo: Callable[..., Repo], packkit_cli: list[str]) -> None:
    repo = project(make_repo)
    repo.tag("v1.0")
    repo.commit()
    (message,) = refusals(packkit_cli, repo)
    assert "has a local part (+g" in message and "refuse local versions" in message


def test_a_dirty_tree_is_refused(make_repo: Callable[..., Repo], packkit_cli: list[str]) -> None:
    repo = project(make_repo)
    repo.tag("v1.0")
    repo.write("src/demo/__init__.py", "changed = True\n")
    messages = refusals(packkit_cli, repo)
    assert any("uncommitted changes" in m for m in messages), messages


def test_a_shallow_clone_is_refused(
    make_repo: Callable[..., Repo], packkit_cli: list[str], tmp_path: Path
) -> None:
    repo = project(make_repo)
    repo.tag("v1.0")
    repo.commit()
    repo.tag("v1.1")
    shallow = make_repo("shallow", init=False)
    shallow.run("git", "clone", "-q", "--depth", "1", f"file://{repo.path}", ".")
    messages = refusals(packkit_cli, shallow)
    assert any("the clone is shallow" in m for m in messages), messages


def test_a_version_that_disagrees_with_the_exact_tag_is_refused(
    make_repo: Callable[..., Repo], packkit_cli: list[str], scm_env: Env
) -> None:
    repo = project(make_repo)
    repo.tag("v1.0")
    env = scm_env.as_dict(SETUPTOOLS_SCM_PRETEND_VERSION="2.0")
    (message,) = refusals(packkit_cli, repo, env)
    assert message == "HEAD is tagged v1.0 (1.0) but the version is 2.0"
    # The same version as the tag, spelt otherwise, is the tag's version.
    assert (
        refusals(packkit_cli, repo, scm_env.as_dict(SETUPTOOLS_SCM_PRETEND_VERSION="1.0.0")) == []
    )


def test_a_static_version_that_disagrees_with_the_exact_tag_is_refused(
    make_repo: Callable[..., Repo], packkit_cli: list[str]
) -> None:
    repo = project(make_repo, head='version = "1.1"')
    repo.tag("v1.0")
    (message,) = refusals(packkit_cli, repo)
    assert message == "HEAD is tagged v1.0 (1.0) but the version is 1.1"


def test_a_static_version_outside_git_has_no_git_refusals(
    tmp_path: Path, packkit_cli: list[str], scm_env: Env
) -> None:
    (tmp_path / "src" / "demo").mkdir(parents=True)
    (tmp_path / "src" / "demo" / "__init__.py").write_text("")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "demo"\nversion = "1.2"\n')
    found = run([*packkit_cli, "channel", tmp_path, "--format", "json"]).stdout
    assert json.loads(found)["publishable"] is True


def test_plain_http_to_another_machine_is_refused(
    make_repo: Callable[..., Repo], packkit_cli: list[str]
) -> None:
    extra = '[tool.packkit.channels]\nstable = { index = "http://pypi.example.org/legacy/" }\n'
    repo = project(make_repo, extra)
    repo.tag("v1.0")
    (message,) = refusals(packkit_cli, repo)
    assert "plain http to another machine" in message


STABLE = "tool.packkit.channels.stable"


@pytest.mark.parametrize(
    ("table", "key", "line", "part"),
    [
        ('stabel = { index = "https://x.org/" }', "tool.packkit.channels.stabel", 5, "stable"),
        ('stable = { index = "ftp://x.org/" }', "tool.packkit.channels.stable.index", 5, "http"),
        ('stable = { index = "x.org/legacy" }', "tool.packkit.channels.stable.index", 5, "URL"),
        (
            'stable = { index = "https://me:s3cret@x.org/" }',
            "tool.packkit.channels.stable.index",
            5,
            "credentials",
        ),
        ('stable = { index = "https://x.org/", label = "a" }', f"{STABLE}.label", 5, "conda-label"),
        ('stable = { simple = "https://x.org/simple/" }', STABLE, 5, "no `index`"),
        ('stable = "https://x.org/"', STABLE, 5, "a table"),
    ],
)
def test_a_wrong_channels_table_is_located(
    table: str,
    key: str,
    line: int,
    part: str,
    tmp_path: Path,
    packkit_cli: list[str],
    scm_env: Env,
) -> None:
    (tmp_path / "src" / "demo").mkdir(parents=True)
    (tmp_path / "src" / "demo" / "__init__.py").write_text("")
    (tmp_path / "pyproject.toml").write_text(
        f'[project]\nname = "demo"\nversion = "1.0"\n[tool.packkit.channels]\n{table}\n'
    )
    checked = run([*packkit_cli, "check", tmp_path], check=False)
    assert checked.returncode == 1
    where = f"pyproject.toml:{line}:"
    assert where in checked.stderr and f"`{key}`" in checked.stderr, checked.stderr
    assert part in checked.stderr
    assert "s3cret" not in checked.stderr  # a password is never shown
    assert run([*packkit_cli, "channel", tmp_path], check=False).returncode == 1


def test_check_accepts_a_channels_table(
    make_repo: Callable[..., Repo], packkit_cli: list[str]
) -> None:
    repo = project(make_repo)
    checked = run([*packkit_cli, "check", repo.path])
    assert "no problems found" in checked.stdout
