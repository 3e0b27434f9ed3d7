"""The command line: ``packkit version`` through the console script and ``python -m packkit``.

Versions printed by the CLI are compared with setuptools_scm on the same repository; the
facts in ``--format json`` are compared with git itself.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers.git import Env, Repo
from helpers.oracle import oracle_version
from helpers.pyproject import pyproject_text, write_pyproject

JSON_KEYS = {
    "version",
    "tag",
    "tag_name",
    "distance",
    "node",
    "dirty",
    "branch",
    "node_date",
    "shallow",
    "source",
    "exact",
}

MakeRepo = Callable[..., Repo]


@pytest.fixture(params=["console-script", "python-m"])
def cli(request: pytest.FixtureRequest, packkit_cli: list[str]) -> list[str]:
    """Both ways of starting the CLI; every test runs with each."""
    if request.param == "console-script":
        return packkit_cli
    return [sys.executable, "-m", "packkit"]


def run(cli: list[str], *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the CLI in the (already isolated) environment of the test process."""
    return subprocess.run(
        [*cli, *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=60
    )


@pytest.fixture
def project(make_repo: MakeRepo) -> Repo:
    """A project tagged v1.2.0 with two commits on top, on branch main."""
    repo = make_repo()
    repo.commit("initial", files={"pyproject.toml": pyproject_text(), "README.md": "hi\n"})
    repo.tag("v1.2.0", annotated=True)
    repo.commits(2)
    return repo


def test_version_prints_setuptools_scm_version(cli: list[str], project: Repo) -> None:
    result = run(cli, "version", str(project.path))
    assert result.returncode == 0, result.stderr
    assert result.stdout == oracle_version(project.path) + "\n"


def test_version_defaults_to_the_current_directory(cli: list[str], project: Repo) -> None:
    result = run(cli, "version", cwd=project.path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == oracle_version(project.path) + "\n"


def test_version_of_a_dirty_tree_on_the_tag(cli: list[str], make_repo: MakeRepo) -> None:
    repo = make_repo()
    repo.commit("initial", files={"pyproject.toml": pyproject_text(), "README.md": "hi\n"})
    repo.tag("2.0.0")
    repo.write("README.md", "changed\n")
    result = run(cli, "version", str(repo.path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == oracle_version(repo.path)
    assert result.stdout.strip().endswith(".d20240615")


def test_version_json_keys_and_facts(cli: list[str], project: Repo) -> None:
    result = run(cli, "version", str(project.path), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == JSON_KEYS
    committed = dt.datetime.fromisoformat(project.git("log", "-1", "--format=%cI"))
    assert data == {
        "version": oracle_version(project.path),
        "tag": "1.2.0",
        "tag_name": "v1.2.0",
        "distance": 2,
        "node": "g" + project.head()[:9],
        "dirty": False,
        "branch": "main",
        "node_date": committed.astimezone(dt.timezone.utc).date().isoformat(),
        "shallow": False,
        "source": "git",
        "exact": False,
    }


def test_version_json_exact_and_untagged(cli: list[str], make_repo: MakeRepo) -> None:
    repo = make_repo()
    repo.commit("initial", files={"pyproject.toml": pyproject_text()})
    untagged = json.loads(run(cli, "version", str(repo.path), "--format", "json").stdout)
    assert (untagged["tag"], untagged["tag_name"], untagged["exact"]) == (None, None, False)
    assert untagged["distance"] == 1
    assert untagged["version"] == oracle_version(repo.path)

    repo.tag("v0.3.0")
    exact = json.loads(run(cli, "version", str(repo.path), "--format", "json").stdout)
    assert (exact["version"], exact["tag"], exact["exact"]) == ("0.3.0", "0.3.0", True)


def test_version_json_format_text_is_the_default(cli: list[str], project: Repo) -> None:
    text = run(cli, "version", str(project.path), "--format", "text")
    default = run(cli, "version", str(project.path))
    assert text.returncode == 0 and text.stdout == default.stdout


@pytest.mark.parametrize(
    "scheme",
    ["post-release", "no-guess-dev", "only-version", "release-branch-semver", "semver-pep440"],
)
def test_version_scheme_flag(cli: list[str], project: Repo, scheme: str) -> None:
    result = run(cli, "version", str(project.path), "--version-scheme", scheme)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == oracle_version(project.path, version_scheme=scheme)


@pytest.mark.parametrize(
    "scheme", ["node-and-date", "node-and-timestamp", "dirty-tag", "no-local-version"]
)
def test_local_scheme_flag(cli: list[str], project: Repo, scheme: str) -> None:
    project.write("README.md", "dirty\n")
    result = run(cli, "version", str(project.path), "--local-scheme", scheme)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == oracle_version(project.path, local_scheme=scheme)


def test_flags_override_pyproject(cli: list[str], make_repo: MakeRepo) -> None:
    repo = make_repo()
    config = {"version-scheme": "post-release", "local-scheme": "dirty-tag"}
    repo.commit("initial", files={"pyproject.toml": pyproject_text(packkit=config)})
    repo.tag("v1.0.0")
    repo.commit()
    configured = run(cli, "version", str(repo.path))
    assert configured.stdout.strip() == "1.0.0.post1"
    result = run(
        cli,
        "version",
        str(repo.path),
        "--version-scheme",
        "no-guess-dev",
        "--local-scheme",
        "no-local-version",
    )
    assert result.returncode == 0, result.stderr
    expected = oracle_version(
        repo.path, version_scheme="no-guess-dev", local_scheme="no-local-version"
    )
    assert result.stdout.strip() == expected == "1.0.0.post1.dev1"


def test_pretend_version_environment(cli: list[str], project: Repo, scm_env: Env) -> None:
    scm_env.set("PACKKIT_PRETEND_VERSION", "9.8.7")
    result = run(cli, "version", str(project.path), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["version"], data["source"]) == ("9.8.7", "pretend")


def test_pkg_info_tree(cli: list[str], tmp_path: Path, scm_env: Env) -> None:
    tree = tmp_path / "demo-3.1.4"
    write_pyproject(tree)
    (tree / "PKG-INFO").write_text("Metadata-Version: 2.1\nName: demo\nVersion: 3.1.4\n")
    result = run(cli, "version", str(tree), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["version"], data["source"]) == ("3.1.4", "pkg-info")


@pytest.mark.parametrize("args", [["--help"], ["version", "--help"], ["-h"]])
def test_help_exits_zero(cli: list[str], args: list[str], scm_env: Env) -> None:
    result = run(cli, *args)
    assert result.returncode == 0, result.stderr
    assert "usage" in result.stdout.lower()
    assert "version" in result.stdout


def test_version_flag_prints_packkit_version(cli: list[str], scm_env: Env) -> None:
    import packkit

    result = run(cli, "--version")
    assert result.returncode == 0, result.stderr
    assert packkit.__version__ in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["version", "--no-such-flag"],
        ["version", "--format", "yaml"],
        ["no-such-command"],
        ["version", "--version-scheme"],
    ],
)
def test_usage_errors_exit_two(cli: list[str], project: Repo, args: list[str]) -> None:
    result = run(cli, *args, cwd=project.path)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert result.stderr.strip()


def test_not_a_repository_exits_one(cli: list[str], tmp_path: Path, scm_env: Env) -> None:
    plain = tmp_path / "plain"
    write_pyproject(plain)
    result = run(cli, "version", str(plain))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("error:"), result.stderr
    assert "hint:" in result.stderr
    assert "fallback-version" in result.stderr


def test_malformed_pyproject_exits_one(cli: list[str], make_repo: MakeRepo) -> None:
    repo = make_repo()
    text = '[project]\nname = "demo"\n\n[tool.packkit]\nversion-scheme = "post-release\n'
    repo.commit("initial", files={"pyproject.toml": text})
    repo.tag("v1.0.0")
    result = run(cli, "version", str(repo.path))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("error:"), result.stderr
    assert "pyproject.toml:5" in result.stderr


def test_unknown_scheme_in_pyproject_exits_one(cli: list[str], make_repo: MakeRepo) -> None:
    repo = make_repo()
    text = pyproject_text(packkit={"local-scheme": "node-and-dat"})
    repo.commit("initial", files={"pyproject.toml": text})
    result = run(cli, "version", str(repo.path), "--format", "json")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("error:"), result.stderr
    assert "node-and-date" in result.stderr


def test_a_missing_project_directory_is_named(packkit_cli: list[str], tmp_path: Path) -> None:
    missing = tmp_path / "no-such-project"
    done = subprocess.run(
        [*packkit_cli, "version", str(missing)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == f"error: {missing}: No such file or directory\n"
