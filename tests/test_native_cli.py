"""The native ``packkit`` executable: what ``pip install packkit`` (or of packkit's sdist) puts
on the environment's PATH is a Rust binary that answers without starting Python; ``python -m
packkit`` stays, and both say the same."""

from __future__ import annotations

import importlib.util
import os
import shutil
import stat
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import packkit
import pytest
from helpers.backend import REPO_ROOT, Venv, make_venv, run
from helpers.git import Repo

ELF_MAGIC = b"\x7fELF"
# rustup and cargo find the toolchain and the crates under the real home, which the test
# fixtures replace: taken when the module is imported, before any fixture runs.
RUST_HOMES = {
    "RUSTUP_HOME": os.environ.get("RUSTUP_HOME", str(Path.home() / ".rustup")),
    "CARGO_HOME": os.environ.get("CARGO_HOME", str(Path.home() / ".cargo")),
}


def tagged_project(make_repo: Callable[..., Repo]) -> Repo:
    repo = make_repo("native")
    repo.commit(
        files={
            "pyproject.toml": '[project]\nname = "native"\ndynamic = ["version"]\n',
            "src/native/__init__.py": "",
        }
    )
    repo.tag("v2.3.0")
    repo.commit()
    return repo


def executed_programs(command: list[str | os.PathLike[str]], log: Path) -> list[str]:
    """The programs ``command`` and every process it starts execute, as strace sees them."""
    strace = shutil.which("strace")
    assert strace, "strace is needed (.ci/run installs it with apt)"
    run([strace, "-f", "-qq", "-e", "trace=execve", "-o", log, *command])
    calls = [line for line in log.read_text().splitlines() if "execve(" in line]
    return [line.split('execve("', 1)[1].split('"', 1)[0] for line in calls]


@pytest.mark.slow
def test_packkit_on_path_is_native_and_starts_no_python(
    make_repo: Callable[..., Repo], install_venv: Venv, tmp_path: Path
) -> None:
    repo = tagged_project(make_repo)
    native = install_venv.script("packkit")
    assert native.read_bytes()[:4] == ELF_MAGIC, "bin/packkit is not a native executable"
    programs = executed_programs([native, "version", repo.path], tmp_path / "strace.log")
    assert programs == [str(native)], programs
    # The same answer as the Python entry point and the in-process call.
    answer = run([native, "version", repo.path]).stdout
    assert answer == run([install_venv.python, "-m", "packkit", "version", repo.path]).stdout
    assert answer.strip() == packkit.get_version(repo.path)
    assert answer.startswith("2.3.1.dev1+g")
    # The strace check can fail: the same tracing sees the interpreter `python -m` starts.
    python_programs = executed_programs(
        [install_venv.python, "-m", "packkit", "version", repo.path], tmp_path / "py.log"
    )
    assert python_programs[0] == str(install_venv.python)


@pytest.mark.slow
def test_native_errors_and_usage_match_python_m_packkit(
    make_repo: Callable[..., Repo], install_venv: Venv, tmp_path: Path
) -> None:
    native = str(install_venv.script("packkit"))
    python_m = [str(install_venv.python), "-m", "packkit"]
    not_a_project = tmp_path / "empty"
    not_a_project.mkdir()
    for args in (
        ["version", str(not_a_project)],
        ["no-such-command"],
        ["version", "--format", "yaml"],
        ["--version"],
    ):
        got = subprocess.run([native, *args], capture_output=True, text=True, check=False)
        want = subprocess.run([*python_m, *args], capture_output=True, text=True, check=False)
        assert (got.returncode, got.stdout, got.stderr) == (
            want.returncode,
            want.stdout,
            want.stderr,
        ), args


def load_build_backend() -> ModuleType:
    path = REPO_ROOT / "build_backend" / "packkit_build_backend.py"
    spec = importlib.util.spec_from_file_location("packkit_build_backend", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("maturin_args", "cargo_args"),
    [
        ([], ["--profile", "release"]),
        (["--profile", "dev"], ["--profile", "dev"]),
        (["--profile=dev", "--locked"], ["--profile=dev", "--locked"]),
        (
            ["-r", "--target", "x86_64-unknown-linux-musl"],
            ["--profile", "release", "--target", "x86_64-unknown-linux-musl"],
        ),
        (["--compatibility", "off", "--strip", "--offline"], ["--offline", "--profile", "release"]),
    ],
)
def test_the_binary_is_built_as_maturin_builds_the_extension(
    maturin_args: list[str], cargo_args: list[str]
) -> None:
    """Same profile, target and lock options as maturin's arguments; maturin's own dropped."""
    assert load_build_backend().cargo_options(maturin_args) == cargo_args


@pytest.mark.slow
def test_packkits_sdist_builds_a_wheel_with_the_native_executable(
    make_repo: Callable[..., Repo], tmp_path: Path
) -> None:
    """``pip install`` of packkit's own sdist goes through build_backend/, which puts the
    binary into the wheel's scripts. Built with the dev profile in the repository's target
    folder so the dependencies are not compiled again."""
    sdists = tmp_path / "sdist"
    env = {**os.environ, **RUST_HOMES}
    build = [sys.executable, "-m", "build", "--sdist", "--no-isolation"]
    run([*build, "-o", sdists, REPO_ROOT], env=env)
    (sdist,) = sdists.glob("packkit-*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = archive.getnames()
    assert "packkit-0.1.0/build_backend/packkit_build_backend.py" in names
    assert not [n for n in names if "/target/" in n], "a built binary is in the sdist"
    wheels = tmp_path / "wheels"
    env = {
        **env,
        "CARGO_TARGET_DIR": str(REPO_ROOT / "target"),
        "MATURIN_PEP517_ARGS": "--profile dev",
        "PIP_NO_INDEX": "1",
    }
    command = [sys.executable, "-m", "pip", "wheel", "--no-build-isolation", "--no-deps"]
    run([*command, "-w", wheels, sdist], env=env, timeout=1800)
    (wheel,) = wheels.glob("packkit-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        (script,) = [n for n in archive.namelist() if n.endswith(".data/scripts/packkit")]
        assert archive.read(script)[:4] == ELF_MAGIC
        assert stat.S_IMODE(archive.getinfo(script).external_attr >> 16) & 0o111
        assert not [n for n in archive.namelist() if n.endswith("entry_points.txt")]
    venv = make_venv(tmp_path / "venv")
    venv.pip_install("--no-deps", wheel, wheelhouse=wheels)
    repo = tagged_project(make_repo)
    assert venv.run("packkit", "version", repo.path).startswith("2.3.1.dev1+g")
