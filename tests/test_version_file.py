"""`version-file`: written only on request or by a build, with setuptools_scm's templates and
fields; reading a project (its files, metadata, problems) never writes."""

from __future__ import annotations

import runpy
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import packkit
import pytest
from helpers.git import Repo
from helpers.pyproject import write_pyproject
from vcs_versioning._version_cls import _version_as_tuple


def tagged_project(make_repo: Callable[..., Repo], **packkit_table: object) -> Repo:
    repo = make_repo()
    write_pyproject(repo.path, packkit=packkit_table)
    (repo.path / ".gitignore").write_text("_version.*\n")
    repo.commit(files={"pyproject.toml": (repo.path / "pyproject.toml").read_text()})
    repo.tag("v1.0.0")
    repo.commits(3)
    return repo


def test_python_version_file_matches_setuptools_scm_fields(make_repo: Callable[..., Repo]) -> None:
    repo = tagged_project(make_repo, **{"version-file": "src/demo/_version.py"})
    target = repo.path / "src/demo/_version.py"

    version = packkit.get_version(repo.path)
    assert not target.exists(), "get_version writes nothing unless asked"

    assert packkit.get_version(repo.path, write_version_file=True) == version
    module = runpy.run_path(str(target))
    assert module["__version__"] == module["version"] == version
    assert module["__version_tuple__"] == _version_as_tuple(version)
    assert module["__commit_id__"] == "g" + repo.head()[:9]
    assert not packkit.describe(repo.path).dirty, "the ignored version file does not dirty"


def test_rewriting_the_same_content_leaves_the_file_alone(make_repo: Callable[..., Repo]) -> None:
    repo = tagged_project(make_repo, **{"version-file": "_version.txt"})
    packkit.get_version(repo.path, write_version_file=True)
    target = repo.path / "_version.txt"
    assert target.read_text() == packkit.get_version(repo.path)
    stamp = target.stat().st_mtime_ns
    packkit.get_version(repo.path, write_version_file=True)
    assert target.stat().st_mtime_ns == stamp


def test_custom_template_and_cli_flag(
    make_repo: Callable[..., Repo], packkit_cli: list[str]
) -> None:
    template = "v={version} t={version_tuple}\n"
    repo = tagged_project(
        make_repo, **{"version-file": "_version.cfg", "version-file-template": template}
    )
    done = subprocess.run(
        [*packkit_cli, "version", str(repo.path), "--write-version-file"],
        capture_output=True,
        text=True,
        check=True,
    )
    version = done.stdout.strip()
    assert "_version.cfg" in done.stderr
    text = (repo.path / "_version.cfg").read_text()
    assert text == f"v={version} t={_version_as_tuple(version)!r}\n"


def test_unknown_extension_without_template_is_a_config_error(
    make_repo: Callable[..., Repo],
) -> None:
    repo = tagged_project(make_repo, **{"version-file": "VERSION.json"})
    with pytest.raises(packkit.ConfigError, match="version-file-template"):
        packkit.get_version(repo.path, write_version_file=True)
    assert not (repo.path / "VERSION.json").exists()


def _tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (``.git`` included) by relative path, with its bytes."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_listing_and_checking_leave_the_tree_byte_identical(
    make_repo: Callable[..., Repo], packkit_cli: list[str]
) -> None:
    repo = tagged_project(make_repo, **{"version-file": "src/demo/_version.py"})
    (repo.path / "src/demo").mkdir(parents=True)
    (repo.path / "src/demo/__init__.py").write_text('"""Demo."""\n')
    repo.commit(files={"src/demo/__init__.py": '"""Demo."""\n'})
    before = _tree(repo.path)

    project = packkit.Project.load(repo.path)
    assert project.validate() == []
    assert "Name: demo" in project.metadata
    assert "demo/__init__.py" in {entry.path for entry in project.files()["wheel"]}
    for command in (["files"], ["files", "--format", "json"], ["check"]):
        subprocess.run([*packkit_cli, *command, str(repo.path)], check=True, capture_output=True)
    packkit.describe(repo.path)
    packkit.get_version(repo.path)
    assert _tree(repo.path) == before

    # Building is what writes it, and the wheel carries it.
    out = repo.path.parent / "out"
    wheel = packkit.build_wheel(repo.path, out)
    written = (repo.path / "src/demo/_version.py").read_text()
    assert f"__version__ = version = {packkit.get_version(repo.path)!r}" in written
    with zipfile.ZipFile(wheel) as archive:
        assert archive.read("demo/_version.py").decode() == written
