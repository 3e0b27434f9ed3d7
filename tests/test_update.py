"""``packkit new --update`` and ``packkit.update``: pieces added to projects that exist, in real
git repositories made with the ``git`` CLI. A hand-written ``pyproject.toml`` keeps every byte
outside the keys added; a file that differs from packkit's is never overwritten (its diff is
printed, or packkit's version written beside it); a dirty tree is refused; a dry run writes
nothing; a second run changes nothing; symlinks out of the project are refused.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import packkit
import pytest
import yaml
from helpers.git import Env, Repo

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

# A pyproject.toml as people write them: comments everywhere, odd spacing, tabs, quoted and
# dotted keys, a multi-line array with a trailing comma, an optional-dependencies table that
# already has a group, and tables after it.
HAND_WRITTEN = """\
# Hand-written; every byte of this file is mine.

[build-system]
requires = [ "packkit" ]        # the backend
build-backend   =   "packkit.backend"

[project]
name = "hand-made"   # not made by packkit new
dynamic = [ 'version' ]
description = 'Mine, all mine.'
authors = [ { name = "Grace Hopper", email = "grace@example.org" } ]
dependencies = [
\t"requests >=2",   # tab-indented
    'rich',
]
urls."Source Code" = "https://example.org/hand-made"

[project.optional-dependencies]
# groups of extras
dev = ["ipython"]   # mine

[tool.black]
line-length=88
"quoted key" = true

# the end
"""

# Where the keys packkit adds go: `test` and `docs` at the end of the existing
# [project.optional-dependencies] table, `[tool.pytest.ini_options]` and `[tool.ruff]` after
# the last tool table.
EXTRAS_END = 'dev = ["ipython"]   # mine\n'

# Every piece whose files packkit's templates have today.
EVERY_PIECE = ("--ci", "github", "--docs", "--pre-commit", "--nox")


def packkit_run(
    packkit_cli: list[str], env: Env, *args: str | os.PathLike[str], cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*packkit_cli, *map(str, args)],
        cwd=cwd,
        env=env.as_dict(),
        capture_output=True,
        text=True,
        check=False,
    )


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (``.git`` included) with its bytes; symlinks as their target."""
    found: dict[str, bytes] = {}
    for path in sorted(root.rglob("*")):
        key = path.relative_to(root).as_posix()
        if path.is_symlink():
            found[key] = b"-> " + os.readlink(path).encode()
        elif path.is_file():
            found[key] = path.read_bytes()
    return found


@pytest.fixture
def hand_made(make_repo: Callable[..., Repo]) -> Repo:
    """A project not made by packkit, committed: the hand-written pyproject and a package."""
    repo = make_repo("hand-made")
    repo.commit(
        "first",
        files={
            "pyproject.toml": HAND_WRITTEN,
            "src/hand_made/__init__.py": '"""Hand made."""\n',
            "README.md": "# hand-made\n",
        },
    )
    return repo


@pytest.fixture
def made_by_new(packkit_cli: list[str], tmp_path: Path, scm_env: Env) -> Path:
    """A project made by ``packkit new`` without CI."""
    proc = packkit_run(packkit_cli, scm_env, "new", "made", "--ci", "none", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    return tmp_path / "made"


def git_status(root: Path, env: Env) -> str:
    return subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=root,
        env=env.as_dict(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout


# --------------------------------------------------------------------------------------------
# pyproject.toml: edited, never rewritten


def test_a_hand_written_pyproject_keeps_every_byte_outside_the_added_keys(
    packkit_cli: list[str], hand_made: Repo, scm_env: Env
) -> None:
    root = hand_made.path
    proc = packkit_run(packkit_cli, scm_env, "new", "--update", root, *EVERY_PIECE)
    assert proc.returncode == 0, proc.stderr
    after = (root / "pyproject.toml").read_text()

    # Split the original where the keys go: the bytes before and after each insertion are
    # the original's, in order.
    head, tail = HAND_WRITTEN.split(EXTRAS_END)
    head += EXTRAS_END
    assert after.startswith(head)
    rest = after[len(head) :]
    assert rest.startswith('test = ["pytest>=8"]\ndocs = ["sphinx>=7"]\n'), rest
    rest = rest[len('test = ["pytest>=8"]\ndocs = ["sphinx>=7"]\n') :]
    # The comment that ends the file stays at its end, after the new tables.
    assert tail.endswith("\n# the end\n")
    tail = tail.removesuffix("\n# the end\n")
    assert rest.startswith(tail), rest
    assert rest.endswith("\n# the end\n"), rest
    added = rest[len(tail) : -len("\n# the end\n")]
    assert added.startswith("\n[tool.pytest.ini_options]\ntestpaths"), added
    assert "\n[tool.ruff]\nline-length = 100\n" in added
    assert "\n[tool.ruff.lint]\n" in added

    parsed = tomllib.loads(after)
    assert parsed["project"]["optional-dependencies"] == {
        "dev": ["ipython"],
        "test": ["pytest>=8"],
        "docs": ["sphinx>=7"],
    }
    assert parsed["tool"]["pytest"]["ini_options"]["testpaths"] == ["tests"]
    assert parsed["tool"]["black"] == {"line-length": 88, "quoted key": True}
    assert parsed["tool"]["ruff"]["line-length"] == 100

    # What was printed: each file created and each key added, and the diff of pyproject.toml.
    for line in [
        "created .github/workflows/ci.yml",
        "created docs/conf.py",
        "created noxfile.py",
        "pyproject.toml: added `project.optional-dependencies.test`",
        "pyproject.toml: added `tool.ruff`",
        '+test = ["pytest>=8"]',
    ]:
        assert line in proc.stdout, proc.stdout
    # The new files have the project's name and package, and the author of [project].
    conf = (root / "docs/conf.py").read_text()
    assert 'project = "hand-made"' in conf
    assert "Grace Hopper" in conf
    assert ".. automodule:: hand_made\n" in (root / "docs/api.rst").read_text()
    workflow = yaml.safe_load((root / ".github/workflows/ci.yml").read_text())
    assert workflow["jobs"]["test"]["steps"][0]["with"]["fetch-depth"] == 0
    # The project is still valid for packkit.
    check = packkit_run(packkit_cli, scm_env, "check", root)
    assert check.returncode == 0, check.stderr


def test_running_it_twice_changes_nothing_the_second_time(
    packkit_cli: list[str], hand_made: Repo, scm_env: Env
) -> None:
    root = hand_made.path
    args = ("new", "--update", root, "--ci", "gitlab", "--docs", "--nox", "--pre-commit")
    first = packkit_run(packkit_cli, scm_env, *args)
    assert first.returncode == 0, first.stderr
    hand_made.git("add", "-A")
    hand_made.commit("packkit new --update")
    before = snapshot(root)
    second = packkit_run(packkit_cli, scm_env, *args)
    assert second.returncode == 0, second.stderr
    assert "nothing to do" in second.stdout
    assert "unchanged .gitlab-ci.yml" in second.stdout
    assert "`project.optional-dependencies.docs` is there, kept as it is" in second.stdout
    assert snapshot(root) == before
    assert git_status(root, scm_env) == ""
    report = packkit.update(root, ci="gitlab", docs=True, nox=True, pre_commit=True)
    assert not report.changed
    assert report.created == []
    assert report.added_keys == []
    assert "docs/conf.py" in report.unchanged


def test_a_key_that_is_there_is_kept_whatever_its_value(hand_made: Repo, scm_env: Env) -> None:
    root = hand_made.path
    mine = HAND_WRITTEN.replace(
        'dev = ["ipython"]   # mine\n', 'dev = ["ipython"]   # mine\ndocs = ["mkdocs"]\n'
    )
    hand_made.commit("mkdocs", files={"pyproject.toml": mine})
    report = packkit.update(root, docs=True)
    assert report.kept_keys == ["project.optional-dependencies.docs"]
    assert report.added_keys == []
    assert report.pyproject_diff is None
    assert (root / "pyproject.toml").read_text() == mine


# --------------------------------------------------------------------------------------------
# Files: created, unchanged, or a conflict that is never overwritten


def test_a_file_the_user_changed_is_not_overwritten_and_its_diff_is_printed(
    packkit_cli: list[str], made_by_new: Path, scm_env: Env
) -> None:
    root = made_by_new
    noxfile = root / "noxfile.py"
    packkits = noxfile.read_text()
    mine = packkits.replace('nox.options.sessions = ["tests", "docs"]', "# mine")
    noxfile.write_text(mine)
    subprocess.run(["git", "commit", "-qam", "my nox"], cwd=root, env=scm_env.as_dict(), check=True)

    proc = packkit_run(packkit_cli, scm_env, "new", "--update", root, "--nox")
    assert proc.returncode == 0, proc.stderr
    assert noxfile.read_text() == mine
    assert "conflict noxfile.py: yours differs, left as it is" in proc.stdout
    assert "--- noxfile.py (yours)\n+++ noxfile.py (packkit)\n" in proc.stdout
    assert '-# mine\n+nox.options.sessions = ["tests", "docs"]\n' in proc.stdout
    assert "--write-conflicts" in proc.stdout
    assert git_status(root, scm_env) == ""

    proc = packkit_run(packkit_cli, scm_env, "new", "--update", root, "--nox", "--write-conflicts")
    assert proc.returncode == 0, proc.stderr
    assert "packkit's version is in noxfile.py.packkit-new" in proc.stdout
    assert noxfile.read_text() == mine
    assert (root / "noxfile.py.packkit-new").read_text() == packkits
    assert git_status(root, scm_env) == "?? noxfile.py.packkit-new\n"


def test_a_project_made_by_new_gets_only_the_new_options_files(
    made_by_new: Path, scm_env: Env
) -> None:
    root = made_by_new
    before = snapshot(root)
    report = packkit.update(root, ci="github", docs=True, nox=True)
    assert report.created == [".github/workflows/ci.yml"]
    assert report.conflicts == []
    assert report.added_keys == []
    assert sorted(report.kept_keys) == [
        "project.optional-dependencies.docs",
        "project.optional-dependencies.test",
        "tool.pytest.ini_options",
    ]
    assert "docs/conf.py" in report.unchanged
    assert "noxfile.py" in report.unchanged
    after = snapshot(root)
    assert set(after) - set(before) == {".github/workflows/ci.yml"}
    assert {k: v for k, v in after.items() if k in before} == before
    assert git_status(root, scm_env) == "?? .github/workflows/ci.yml\n"


def test_pieces_removed_from_a_new_project_come_back_as_packkit_new_made_them(
    made_by_new: Path, scm_env: Env
) -> None:
    """The update renders what ``packkit new`` renders: the files and keys it adds back are
    byte for byte those ``packkit new`` wrote (so its tests of the generated project hold)."""
    root = made_by_new
    made = snapshot(root)
    pyproject = made["pyproject.toml"].decode()
    ruff = pyproject[pyproject.index("\n[tool.ruff]\n") :]
    assert ruff.endswith('"RUF"]\n')
    without = pyproject.replace('docs = ["sphinx>=7"]\n', "").replace(ruff, "")
    (root / "pyproject.toml").write_text(without)
    for path in ["noxfile.py", *(p for p in made if p.startswith("docs/"))]:
        (root / path).unlink()
    subprocess.run(
        ["git", "commit", "-qam", "no docs, nox or ruff"],
        cwd=root,
        env=scm_env.as_dict(),
        check=True,
    )
    report = packkit.update(root, docs=True, nox=True, pre_commit=True)
    assert sorted(report.created) == sorted(
        ["noxfile.py", *(p for p in made if p.startswith("docs/"))]
    )
    assert report.added_keys == ["project.optional-dependencies.docs", "tool.ruff"]
    after = snapshot(root)
    assert {k: v for k, v in after.items() if not k.startswith(".git/")} == {
        k: v for k, v in made.items() if not k.startswith(".git/")
    }


# --------------------------------------------------------------------------------------------
# Safety: a dirty tree, a dry run, another backend, symlinks


def test_a_dirty_tree_is_refused_with_a_clear_error_and_allow_dirty_works(
    packkit_cli: list[str], hand_made: Repo, scm_env: Env
) -> None:
    root = hand_made.path
    (root / "README.md").write_text("# changed, not committed\n")
    before = snapshot(root)
    proc = packkit_run(packkit_cli, scm_env, "new", "--update", root, "--docs")
    assert proc.returncode == 1
    assert "has uncommitted changes (README.md)" in proc.stderr
    assert "hint: commit or stash them first" in proc.stderr
    assert "--allow-dirty" in proc.stderr
    assert proc.stdout == ""
    assert snapshot(root) == before
    with pytest.raises(packkit.ScmError, match="uncommitted changes"):
        packkit.update(root, docs=True)

    proc = packkit_run(packkit_cli, scm_env, "new", "--update", root, "--docs", "--allow-dirty")
    assert proc.returncode == 0, proc.stderr
    assert (root / "docs/conf.py").is_file()
    assert (root / "README.md").read_text() == "# changed, not committed\n"


def test_a_dry_run_writes_nothing(packkit_cli: list[str], hand_made: Repo, scm_env: Env) -> None:
    root = hand_made.path
    before = snapshot(root)
    proc = packkit_run(packkit_cli, scm_env, "new", "--update", root, *EVERY_PIECE, "--dry-run")
    assert proc.returncode == 0, proc.stderr
    assert "would create .github/workflows/ci.yml" in proc.stdout
    assert "pyproject.toml: would add `tool.ruff`" in proc.stdout
    assert "+[tool.ruff]" in proc.stdout
    assert proc.stdout.rstrip().endswith("(dry run: nothing written)")
    assert snapshot(root) == before
    report = packkit.update(root, docs=True, dry_run=True)
    assert report.dry_run
    assert "docs/conf.py" in report.created
    assert report.pyproject_diff is not None
    assert snapshot(root) == before


def test_another_backend_is_pointed_to_migrate(
    packkit_cli: list[str], make_repo: Callable[..., Repo], scm_env: Env
) -> None:
    repo = make_repo("hatch")
    text = HAND_WRITTEN.replace('"packkit.backend"', '"hatchling.build"').replace(
        '"packkit"', '"hatchling"'
    )
    repo.commit("hatch", files={"pyproject.toml": text, "src/hand_made/__init__.py": ""})
    before = snapshot(repo.path)
    proc = packkit_run(packkit_cli, scm_env, "new", "--update", repo.path, "--docs")
    assert proc.returncode == 1
    assert '`build-system.build-backend`: the project is built by "hatchling.build"' in proc.stderr
    assert "hint: switch the project to packkit first with `packkit migrate`" in proc.stderr
    with pytest.raises(packkit.ConfigError, match="packkit migrate") as caught:
        packkit.update(repo.path, docs=True)
    assert caught.value.key == "build-system.build-backend"
    assert snapshot(repo.path) == before


def test_a_symlink_leading_out_of_the_project_is_refused_not_followed(
    packkit_cli: list[str], hand_made: Repo, scm_env: Env, tmp_path: Path
) -> None:
    root = hand_made.path
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "victim.py").write_text("keep me\n")
    # A file the piece writes is a symlink out of the project...
    (root / "noxfile.py").symlink_to(outside / "victim.py")
    hand_made.git("add", "noxfile.py")
    hand_made.commit("a link")
    before = snapshot(root)
    proc = packkit_run(packkit_cli, scm_env, "new", "--update", root, "--docs", "--nox")
    assert proc.returncode == 1
    assert "noxfile.py: packkit will not write here" in proc.stderr
    assert "symbolic link" in proc.stderr
    assert (outside / "victim.py").read_text() == "keep me\n"
    assert snapshot(root) == before
    assert sorted(p.name for p in outside.iterdir()) == ["victim.py"]

    # ... or a folder it writes into is.
    (root / "noxfile.py").unlink()
    (root / "docs").symlink_to(outside, target_is_directory=True)
    with pytest.raises(packkit.ConfigError, match="will not write here") as caught:
        packkit.update(root, docs=True, allow_dirty=True)
    assert "docs/" in str(caught.value)
    assert sorted(p.name for p in outside.iterdir()) == ["victim.py"]


# --------------------------------------------------------------------------------------------
# The command line and the Python object


def test_the_command_line_refuses_what_does_not_fit(
    packkit_cli: list[str], hand_made: Repo, scm_env: Env
) -> None:
    # Update-only options need --update; options of a new project do not fit --update.
    for args in (
        ["new", "x", "--docs"],
        ["new", "--update", "--no-git", "--docs"],
        ["new", "--update", "--license", "MIT", "--docs"],
    ):
        proc = packkit_run(packkit_cli, scm_env, *args, cwd=hand_made.path)
        assert proc.returncode == 2, (args, proc.stderr)
    proc = packkit_run(packkit_cli, scm_env, "new", "--update", cwd=hand_made.path)
    assert proc.returncode == 1
    assert "no piece to add is named" in proc.stderr
    assert "hint: name what to add: --ci github|gitlab" in proc.stderr


def test_the_project_is_found_from_the_current_folder_and_json_lists_everything(
    packkit_cli: list[str], hand_made: Repo, scm_env: Env
) -> None:
    proc = packkit_run(
        packkit_cli,
        scm_env,
        "new",
        "--update",
        "--nox",
        "--dry-run",
        "--format",
        "json",
        cwd=hand_made.path / "src" / "hand_made",
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["dry_run"] is True
    assert Path(report["root"]).resolve() == hand_made.path.resolve()
    assert report["files"] == [{"path": "noxfile.py", "status": "created"}]
    assert [key["key"] for key in report["keys"]] == [
        "project.optional-dependencies.test",
        "project.optional-dependencies.docs",
        "tool.pytest.ini_options",
    ]
    assert all(key["added"] for key in report["keys"])
    assert report["pyproject_diff"].startswith("--- pyproject.toml (yours)\n")


def test_the_report_is_a_frozen_typed_object_with_text_and_html(
    made_by_new: Path, scm_env: Env
) -> None:
    root = made_by_new
    (root / "noxfile.py").write_text("# <mine> & yours\n")
    subprocess.run(["git", "commit", "-qam", "mine"], cwd=root, env=scm_env.as_dict(), check=True)
    report = packkit.update(root, nox=True, ci="gitlab", write_conflicts=True)
    assert isinstance(report, packkit.UpdateReport)
    assert report.root == root
    assert report.created == [".gitlab-ci.yml"]
    assert report.conflicts == ["noxfile.py"]
    assert report.written_aside == ["noxfile.py.packkit-new"]
    assert report.diffs["noxfile.py"].startswith("--- noxfile.py (yours)\n")
    assert report.changed
    with pytest.raises(AttributeError):
        report.created = []  # type: ignore[misc]
    text = str(report)
    assert "created .gitlab-ci.yml" in text
    assert (
        "conflict noxfile.py: yours differs, left as it is; "
        "packkit's version is in noxfile.py.packkit-new"
    ) in text
    html = report._repr_html_()
    assert "<table>" in html
    assert "-# &lt;mine&gt; &amp; yours" in html
    assert "<mine>" not in html
    assert repr(report).startswith("<UpdateReport ")
    assert "conflicts=1" in repr(report)
