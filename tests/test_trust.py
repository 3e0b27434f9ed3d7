"""Hostile input (issue: trust): what an sdist can make packkit do while pip builds it.

Every test here reproduces an attack or a silent wrong result that packkit once allowed, with
real files, real git and real frontends; the fix is one mechanism each (the ``paths`` module's
rules for every path packkit writes, ``atomic`` for every file it writes).
"""

from __future__ import annotations

import os
import threading
import zipfile
from pathlib import Path

import packkit
import pytest
from helpers.backend import Venv, run
from helpers.git import Env


def hostile_project(root: Path, version_file: str, template: str = "import os\n") -> Path:
    """A project outside git (fallback version) whose ``version-file`` is ``version_file``."""
    project = root / "crafted"
    (project / "src" / "crafted").mkdir(parents=True)
    (project / "src" / "crafted" / "__init__.py").write_text("")
    template_toml = template.replace("\n", "\\n")
    (project / "pyproject.toml").write_text(
        "[build-system]\n"
        'requires = ["packkit"]\n'
        'build-backend = "packkit.backend"\n\n'
        '[project]\nname = "crafted"\ndynamic = ["version"]\n\n'
        "[tool.packkit]\n"
        'fallback-version = "1.0"\n'
        f"version-file = {version_file!r}\n".replace("'", '"')
        + f'version-file-template = "{template_toml}"\n'
    )
    return project


@pytest.mark.parametrize("kind", ["absolute", "parent", "symlinked-folder"])
def test_version_file_outside_the_project_is_refused_everywhere(
    kind: str, tmp_path: Path, scm_env: Env, packkit_cli: list[str]
) -> None:
    outside = tmp_path / "site-packages"
    outside.mkdir()
    victim = outside / "zz.pth"
    if kind == "absolute":
        version_file = str(victim)
    elif kind == "parent":
        version_file = "../site-packages/zz.pth"
    else:
        version_file = "src/crafted/linked/zz.pth"
    project = hostile_project(tmp_path, version_file)
    if kind == "symlinked-folder":
        (project / "src" / "crafted" / "linked").symlink_to(outside)

    (problem,) = packkit.Project.load(project).validate()
    assert (problem.key, problem.line) == ("tool.packkit.version-file", 11)
    assert "project directory" in problem.message and version_file in problem.message

    for build in (packkit.build_wheel, packkit.build_sdist):
        with pytest.raises(packkit.ConfigError) as info:
            build(project, tmp_path / "dist")
        assert info.value.problems == [problem]
    with pytest.raises(packkit.ConfigError):
        packkit.get_version(project, write_version_file=True)
    check = run([*packkit_cli, "check", project], check=False)
    assert check.returncode == 1 and "`tool.packkit.version-file`" in check.stderr
    assert not victim.exists()
    assert list(outside.iterdir()) == []


@pytest.mark.slow
def test_pip_building_a_crafted_project_writes_nothing_outside(
    tmp_path: Path, install_venv: Venv, packkit_wheelhouse: Path, scm_env: Env
) -> None:
    outside = tmp_path / "site-packages"
    outside.mkdir()
    project = hostile_project(tmp_path, str(outside / "zz.pth"))
    built = run(
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
            project,
        ],
        check=False,
    )
    assert built.returncode != 0
    assert "tool.packkit.version-file" in built.stdout + built.stderr
    assert list(outside.iterdir()) == []


def test_a_version_file_inside_is_written_through_a_fresh_file(
    tmp_path: Path, scm_env: Env
) -> None:
    project = hostile_project(tmp_path, "src/crafted/_version.py", "V = {version!r}\n")
    outside = tmp_path / "victim.py"
    outside.write_text("untouched\n")
    # A symlink planted where the file goes is replaced, never written through.
    (project / "src" / "crafted" / "_version.py").symlink_to(outside)
    with pytest.raises(packkit.ConfigError, match="symbolic link"):
        packkit.build_wheel(project, tmp_path / "dist")
    (project / "src" / "crafted" / "_version.py").unlink()
    wheel = packkit.build_wheel(project, tmp_path / "dist")
    with zipfile.ZipFile(wheel) as archive:
        assert archive.read("crafted/_version.py") == b"V = '1.0'\n"
    assert outside.read_text() == "untouched\n"


def test_a_planted_symlink_at_the_temporary_name_is_not_followed(
    tmp_path: Path, scm_env: Env
) -> None:
    project = hostile_project(tmp_path, "src/crafted/_version.py", "V = {version!r}\n")
    out = tmp_path / "dist"
    out.mkdir()
    victim = tmp_path / "victim"
    victim.write_text("untouched\n")
    # The name the old writer used: predictable from the wheel name and the process id.
    name = "crafted-1.0-py3-none-any.whl"
    (out / f".{name}.{os.getpid()}.part").symlink_to(victim)
    wheel = packkit.build_wheel(project, out)
    assert victim.read_text() == "untouched\n"
    with zipfile.ZipFile(wheel) as archive:
        assert archive.testzip() is None


def test_concurrent_builds_into_one_folder_leave_valid_wheels(
    tmp_path: Path, scm_env: Env
) -> None:
    project = hostile_project(tmp_path, "src/crafted/_version.py", "V = {version!r}\n")
    (project / "src" / "crafted" / "data.bin").write_bytes(os.urandom(2_000_000))
    out = tmp_path / "dist"
    errors: list[BaseException] = []

    def build() -> None:
        try:
            packkit.build_wheel(project, out)
        except BaseException as error:  # reported by the assertion below
            errors.append(error)

    for _ in range(4):
        threads = [threading.Thread(target=build) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        (wheel,) = out.iterdir()
        with zipfile.ZipFile(wheel) as archive:
            assert archive.testzip() is None
        # Only the wheel: no temporary file left behind.
        assert [p.name for p in out.iterdir()] == ["crafted-1.0-py3-none-any.whl"]
