"""Which files ship (issue: trust): one selection for the wheel and the sdist.

The wheel once took every file of the package folder (git-ignored secrets included) while the
sdist took what git tracks, so ``pip install .`` and a wheel built from the sdist differed; an
ignored virtual environment or a link to a mounted disk stopped every build; odd file names
were renamed or dropped. Each test builds real repositories and real archives.
"""

from __future__ import annotations

import os
import tarfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import packkit
import pytest
from helpers.backend import Venv, run, unpack_sdist
from helpers.git import Env, Repo

PYPROJECT = """\
[build-system]
requires = ["packkit"]
build-backend = "packkit.backend"

[project]
name = "sel"
dynamic = ["version"]

[tool.packkit]
fallback-version = "1.0"
version-file = "src/sel/_version.py"
"""

SECRETS = {
    "src/sel/.env": "API_KEY=hunter2\n",
    "src/sel/dump.csv": "a,b\n1,2\n",
    "src/sel/.ipynb_checkpoints/explore-checkpoint.ipynb": "{}\n",
}


def sel_repo(make_repo: Callable[..., Repo]) -> Repo:
    repo = make_repo("sel")
    repo.commit(
        files={
            "pyproject.toml": PYPROJECT,
            ".gitignore": ".env\n*.csv\n.ipynb_checkpoints/\n_version.py\n",
            "src/sel/__init__.py": "from ._version import __version__\n",
            "src/sel/data.json": "{}\n",
        }
    )
    repo.tag("v2.0.0")
    for relpath, content in SECRETS.items():
        repo.write(relpath, content)
    return repo


def wheel_names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return {n for n in archive.namelist() if ".dist-info/" not in n}


def sdist_names(sdist: Path) -> set[str]:
    with tarfile.open(sdist) as archive:
        return {n.split("/", 1)[1] for n in archive.getnames() if "/" in n}


def package_files_of_sdist(sdist: Path) -> set[str]:
    return {n.removeprefix("src/") for n in sdist_names(sdist) if n.startswith("src/sel/")}


def test_git_ignored_files_in_the_package_are_in_no_archive(
    make_repo: Callable[..., Repo], tmp_path: Path, packkit_cli: list[str]
) -> None:
    repo = sel_repo(make_repo)
    wheel = packkit.build_wheel(repo.path, tmp_path / "api")
    sdist = packkit.build_sdist(repo.path, tmp_path / "api")
    assert wheel_names(wheel) == {"sel/__init__.py", "sel/data.json", "sel/_version.py"}
    # The version file is ignored by git but written by the build: in both archives.
    assert wheel_names(wheel) == package_files_of_sdist(sdist)
    run([*packkit_cli, "build", "-o", tmp_path / "cli", repo.path])
    (cli_wheel,) = (tmp_path / "cli").glob("*.whl")
    assert wheel_names(cli_wheel) == wheel_names(wheel)
    # The wheel built from the unpacked sdist (no git there: its .gitignore rules) is the same.
    unpacked = unpack_sdist(sdist, tmp_path / "unpacked")
    for relpath, content in SECRETS.items():  # as if the user dropped them there too
        (unpacked / relpath).parent.mkdir(parents=True, exist_ok=True)
        (unpacked / relpath).write_text(content)
    again = packkit.build_wheel(unpacked, tmp_path / "from-sdist")
    assert wheel_names(again) == wheel_names(wheel)


@pytest.mark.slow
def test_pip_wheel_leaves_git_ignored_secrets_out(
    make_repo: Callable[..., Repo], tmp_path: Path, install_venv: Venv
) -> None:
    repo = sel_repo(make_repo)
    run(
        [
            install_venv.python,
            *("-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index"),
            *("--wheel-dir", tmp_path / "wheels", repo.path),
        ]
    )
    (wheel,) = (tmp_path / "wheels").glob("*.whl")
    assert wheel_names(wheel) == {"sel/__init__.py", "sel/data.json", "sel/_version.py"}


def test_a_new_module_not_yet_added_is_an_error_naming_it(
    make_repo: Callable[..., Repo], tmp_path: Path
) -> None:
    repo = sel_repo(make_repo)
    repo.write("src/sel/features.py", "def f(): ...\n")
    repo.write("src/sel/scratch.ipynb", "{}\n")
    for build in (
        lambda: packkit.build_wheel(repo.path, tmp_path / "out"),
        lambda: packkit.Project.load(repo.path).files(),
    ):
        with pytest.raises(packkit.BuildError) as info:
            build()
        message = str(info.value)
        assert "src/sel/features.py" in message and "src/sel/scratch.ipynb" in message
        assert "git add" in message and ".gitignore" in message
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.whl"))
    # Added: in both archives. The other one, ignored: in neither.
    repo.add("src/sel/features.py")
    (repo.path / ".git" / "info" / "exclude").write_text("*.ipynb\n")
    wheel = packkit.build_wheel(repo.path, tmp_path / "ok")
    sdist = packkit.build_sdist(repo.path, tmp_path / "ok")
    assert "sel/features.py" in wheel_names(wheel)
    assert wheel_names(wheel) == package_files_of_sdist(sdist)


def test_outside_git_the_projects_gitignore_is_honoured(tmp_path: Path, scm_env: Env) -> None:
    project = tmp_path / "sel"
    for relpath, content in {
        "pyproject.toml": PYPROJECT,
        ".gitignore": "*.csv\n.env\n",
        "src/sel/__init__.py": "",
        **SECRETS,
    }.items():
        (project / relpath).parent.mkdir(parents=True, exist_ok=True)
        (project / relpath).write_text(content)
    wheel = packkit.build_wheel(project, tmp_path / "dist")
    sdist = packkit.build_sdist(project, tmp_path / "dist")
    assert wheel_names(wheel) == {
        "sel/__init__.py",
        "sel/_version.py",
        "sel/.ipynb_checkpoints/explore-checkpoint.ipynb",  # not in this .gitignore
    }
    assert wheel_names(wheel) == package_files_of_sdist(sdist)


def test_ignored_virtualenvs_and_links_out_of_the_project_do_not_stop_a_build(
    make_repo: Callable[..., Repo], tmp_path: Path
) -> None:
    repo = sel_repo(make_repo)
    mount = tmp_path / "mnt" / "data"
    mount.mkdir(parents=True)
    (mount / "huge.bin").write_bytes(b"x")
    for venv in ("env", "myenv", "src/sel/.venv-old"):
        (repo.path / venv / "lib").mkdir(parents=True)
        (repo.path / venv / "pyvenv.cfg").write_text("home = /usr/bin\n")
        (repo.path / venv / "lib" / "link").symlink_to(mount)
    (repo.path / "data").symlink_to(mount)
    # `myenv` and `data` are ignored; `env` and `.venv-old` are virtualenvs by their pyvenv.cfg.
    ignored = (repo.path / ".gitignore").read_text() + "myenv/\ndata\n"
    repo.commit("ignore the environment", files={".gitignore": ignored})
    sdist = packkit.build_sdist(repo.path, tmp_path / "dist")
    wheel = packkit.build_wheel(repo.path, tmp_path / "dist")
    assert not [n for n in sdist_names(sdist) if "env" in n.split("/")[0] or n.startswith("data")]
    assert wheel_names(wheel) == package_files_of_sdist(sdist)
    # A link out of the project that git does not ignore is refused; `exclude` wins over it.
    (repo.path / "src" / "sel" / "linked").symlink_to(mount)
    with pytest.raises(packkit.BuildError, match="outside the project"):
        packkit.build_wheel(repo.path, tmp_path / "refused")
    excluding = PYPROJECT + 'exclude = ["src/sel/linked"]\n'
    repo.commit("exclude the link", files={"pyproject.toml": excluding})
    assert "sel/linked/huge.bin" not in wheel_names(packkit.build_wheel(repo.path, tmp_path / "x"))


@pytest.mark.parametrize("name", [b"caf\xe9.txt", b"Icon\r", b"two\nlines.py"])
def test_file_names_an_archive_cannot_hold_are_refused_by_name(
    name: bytes, tmp_path: Path, scm_env: Env
) -> None:
    project = tmp_path / "sel"
    (project / "src" / "sel").mkdir(parents=True)
    (project / "pyproject.toml").write_text(PYPROJECT)
    (project / "src" / "sel" / "__init__.py").write_text("")
    odd = os.path.join(os.fsencode(project / "src" / "sel"), name)
    with open(odd, "wb") as file:
        file.write(b"data\n")
    for build in (packkit.build_wheel, packkit.build_sdist):
        with pytest.raises(packkit.BuildError) as info:
            build(project, tmp_path / "dist")
        message = str(info.value)
        assert f"src/sel/{name[:3].decode()}" in message and "rename" in message
    # Left out by `exclude` (or .gitignore), the project builds.
    with (project / "pyproject.toml").open("a") as pyproject:
        pyproject.write('exclude = ["src/sel/[!_]*"]\n')
    assert wheel_names(packkit.build_wheel(project, tmp_path / "ok")) == {
        "sel/__init__.py",
        "sel/_version.py",
    }


def test_an_empty_dot_git_file_ends_the_search_for_a_repository(
    make_repo: Callable[..., Repo], tmp_path: Path
) -> None:
    """uv unpacks sdists into a cache folder holding an empty ``.git`` file, as a stop sign."""
    outer = make_repo("outer")
    outer.commit(files={"README.md": "not the project's\n"})
    cache = outer.path / "cache"
    cache.mkdir()
    (cache / ".git").write_text("")
    project = cache / "sel"
    (project / "src" / "sel").mkdir(parents=True)
    (project / "pyproject.toml").write_text(PYPROJECT)
    (project / "src" / "sel" / "__init__.py").write_text("")
    wheel = packkit.build_wheel(project, tmp_path / "dist")
    assert wheel_names(wheel) == {"sel/__init__.py", "sel/_version.py"}
    assert packkit.get_version(project) == "1.0"


def test_the_one_package_under_another_name_is_found_and_said(
    tmp_path: Path, scm_env: Env, packkit_cli: list[str]
) -> None:
    project = tmp_path / "churn-model"
    for relpath in ("src/churn/__init__.py", "src/churn/model.py", "tests/test_model.py"):
        (project / relpath).parent.mkdir(parents=True, exist_ok=True)
        (project / relpath).write_text("")
    (project / "pyproject.toml").write_text('[project]\nname = "churn-model"\nversion = "1.0"\n')
    wheel = packkit.build_wheel(project, tmp_path / "dist")
    assert wheel_names(wheel) == {"churn/__init__.py", "churn/model.py"}
    listing = run([*packkit_cli, "files", project]).stdout
    assert "found as the only package in src/" in listing
    # Two candidates: an error that lists them and the key to set.
    (project / "src" / "other").mkdir()
    (project / "src" / "other" / "__init__.py").write_text("")
    with pytest.raises(packkit.BuildError) as info:
        packkit.build_wheel(project, tmp_path / "again")
    assert 'packages = ["src/churn", "src/other"]' in str(info.value)
