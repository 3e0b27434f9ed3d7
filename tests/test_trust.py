"""Hostile input (issue: trust): what an sdist can make packkit do while pip builds it.

Every test here reproduces an attack or a silent wrong result that packkit once allowed, with
real files, real git and real frontends; the fix is one mechanism each (the ``paths`` module's
rules for every path packkit writes, ``atomic`` for every file it writes).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import packkit
import pytest
from helpers.backend import Venv, run
from helpers.git import Env, Repo
from packaging.licenses import canonicalize_license_expression


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


def test_concurrent_builds_into_one_folder_leave_valid_wheels(tmp_path: Path, scm_env: Env) -> None:
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


SUBPROJECT = {
    "sub/pyproject.toml": (
        '[project]\nname = "sub"\ndynamic = ["version"]\n\n[tool.packkit]\nroot = ".."\n'
    ),
    "sub/src/sub/__init__.py": "",
    "README.md": "the monorepo\n",
}


def _sdist_members(sdist: Path) -> set[str]:
    import tarfile

    with tarfile.open(sdist) as archive:
        return {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}


def test_a_subproject_is_built_the_same_however_its_path_is_spelled(
    make_repo: Callable[..., Repo], packkit_cli: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo("mono")
    repo.commit(files=SUBPROJECT)
    repo.tag("v1.0.0")
    repo.write("sub/.env", "SECRET=1\n")  # untracked, not ignored: never shipped
    sub = repo.path / "sub"
    by_full_path = _sdist_members(packkit.build_sdist(sub, repo.path / "full"))
    assert ".env" not in by_full_path and "src/sub/__init__.py" in by_full_path
    monkeypatch.chdir(sub)
    assert _sdist_members(packkit.build_sdist(".", repo.path / "dot")) == by_full_path
    assert _sdist_members(packkit.build_sdist("src/..", repo.path / "up")) == by_full_path
    run([*packkit_cli, "build", "--sdist", "-o", repo.path / "cli"], cwd=sub)
    (cli_sdist,) = (repo.path / "cli").glob("*.tar.gz")
    assert _sdist_members(cli_sdist) == by_full_path


def test_a_project_inside_an_unrelated_repository_is_not_built_silently_empty(
    make_repo: Callable[..., Repo],
) -> None:
    home = make_repo("home")
    home.commit(files={".bashrc": "alias ll='ls -l'\n"})
    project = home.path / "code" / "proj"
    (project / "src" / "proj").mkdir(parents=True)
    (project / "src" / "proj" / "__init__.py").write_text("")
    (project / "pyproject.toml").write_text(
        '[project]\nname = "proj"\ndynamic = ["version"]\n'
        '[tool.packkit]\nfallback-version = "0.1"\n'
    )
    with pytest.raises(packkit.BuildError) as info:
        packkit.build_sdist(project, home.path / "dist")
    message = str(info.value)
    assert "does not track its pyproject.toml" in message and "git init" in message
    assert not (home.path / "dist").exists() or not list((home.path / "dist").iterdir())
    # Once the project is its own repository, it builds with its code.
    own = Repo(project, home._env, [0]).init()
    own.add()
    assert "src/proj/__init__.py" in _sdist_members(packkit.build_sdist(project, home.path / "ok"))


@pytest.mark.parametrize("where", ["src/crafted/out", "out"])
def test_earlier_builds_in_an_output_folder_inside_the_project_are_never_sources(
    where: str, tmp_path: Path, scm_env: Env
) -> None:
    project = hostile_project(tmp_path, "src/crafted/_version.py", "V = {version!r}\n")
    out = project / where
    for _ in range(2):
        wheel = packkit.build_wheel(project, out)
        sdist = packkit.build_sdist(project, out)
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    assert not [name for name in names if name.endswith((".whl", ".tar.gz"))], names
    assert not [name for name in _sdist_members(sdist) if name.startswith(where)]


def untagged_project(make_repo: Callable[..., Repo], fallback: str | None) -> Repo:
    repo = make_repo("untagged")
    table = f'[tool.packkit]\nfallback-version = "{fallback}"\n' if fallback else ""
    repo.commit(
        files={
            "pyproject.toml": (
                '[build-system]\nrequires = ["packkit"]\nbuild-backend = "packkit.backend"\n'
                f'[project]\nname = "untagged"\ndynamic = ["version"]\n{table}'
            ),
            "src/untagged/__init__.py": "",
        }
    )
    return repo


@pytest.mark.parametrize(("fallback", "tag"), [(None, "v0.1.0"), ("2.3", "v2.3")])
def test_a_build_without_a_version_tag_says_so(
    fallback: str | None,
    tag: str,
    make_repo: Callable[..., Repo],
    packkit_cli: list[str],
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
) -> None:
    repo = untagged_project(make_repo, fallback)
    built = run([*packkit_cli, "build", "-o", tmp_path / "cli"], cwd=repo.path)
    assert "no version tag found" in built.stderr and f"`git tag {tag}`" in built.stderr
    assert "./." not in built.stderr  # the folder is named as `.`, not `./.`
    with caplog.at_level("WARNING", logger="packkit"):
        packkit.build_wheel(repo.path, tmp_path / "api")
    assert [r.getMessage() for r in caplog.records if "no version tag" in r.getMessage()]


@pytest.mark.slow
def test_python_m_build_shows_the_no_tag_warning(
    make_repo: Callable[..., Repo], tmp_path: Path
) -> None:
    repo = untagged_project(make_repo, None)
    # `build` runs the hooks in a fresh interpreter (here the test environment's, where the
    # packkit wheel under test is installed), as every frontend does.
    built = run(
        [sys.executable, "-m", "build", "--no-isolation", "-o", tmp_path / "dist", repo.path]
    )
    assert "packkit: warning: no version tag found" in built.stdout + built.stderr


def test_a_wheel_is_never_built_for_another_version_than_its_prepared_metadata(
    make_repo: Callable[..., Repo], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from packkit import backend

    repo = untagged_project(make_repo, None)
    repo.tag("v1.0")
    monkeypatch.chdir(repo.path)
    prepared = tmp_path / "prepared"
    prepared.mkdir()
    dist_info = prepared / backend.prepare_metadata_for_build_wheel(str(prepared))
    assert dist_info.name == "untagged-1.0.dist-info"
    # Unchanged: the wheel carries the prepared METADATA.
    name = backend.build_wheel(str(tmp_path / "ok"), metadata_directory=str(dist_info))
    with zipfile.ZipFile(tmp_path / "ok" / name) as archive:
        metadata = archive.read("untagged-1.0.dist-info/METADATA")
    assert metadata == (dist_info / "METADATA").read_bytes()
    # A commit between the two hooks: the wheel would be 1.1.dev1 under 1.0's metadata.
    repo.commit()
    with pytest.raises(packkit.BuildError, match=r"version changed during the build.*1\.0"):
        backend.build_wheel(str(tmp_path / "moved"), metadata_directory=str(dist_info))
    assert not (tmp_path / "moved").exists() or not list((tmp_path / "moved").iterdir())


def big_project(root: Path) -> Path:
    """A project whose wheel takes seconds to build: 150 MB that do not compress."""
    project = root / "big"
    (project / "src" / "big").mkdir(parents=True)
    (project / "pyproject.toml").write_text('[project]\nname = "big"\nversion = "1.0"\n')
    (project / "src" / "big" / "__init__.py").write_text("")
    for index in range(300):
        (project / "src" / "big" / f"blob{index}.bin").write_bytes(os.urandom(512 * 1024))
    return project


@pytest.mark.slow
def test_ctrl_c_stops_a_cli_build_between_files_and_leaves_nothing(
    tmp_path: Path, scm_env: Env, packkit_cli: list[str]
) -> None:
    project = big_project(tmp_path)
    out = tmp_path / "dist"
    build = subprocess.Popen(
        [*packkit_cli, "build", "--wheel", "-o", out, project],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(0.7)
    assert build.poll() is None, "the build ended before Ctrl-C: make the project bigger"
    build.send_signal(signal.SIGINT)
    _, stderr = build.communicate(timeout=60)
    assert build.returncode == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr
    # Nothing but the .gitignore of the folder packkit made: no archive, no temporary file.
    assert not out.exists() or [p.name for p in out.iterdir()] == [".gitignore"]


@pytest.mark.slow
def test_ctrl_c_interrupts_an_in_process_build(tmp_path: Path, scm_env: Env) -> None:
    project = big_project(tmp_path)
    out = tmp_path / "dist"
    timer = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            packkit.build_wheel(project, out)
    finally:
        timer.cancel()
    assert not out.exists() or list(out.iterdir()) == []
    # The next call is not stopped by the old request (the walk checks it between files).
    assert len(packkit.Project.load(project).files()["wheel"]) == 301


def test_an_output_that_cannot_be_written_is_an_error(
    tmp_path: Path, scm_env: Env, packkit_cli: list[str]
) -> None:
    project = hostile_project(tmp_path, "src/crafted/_version.py")
    with open("/dev/full", "w") as full:
        checked = subprocess.run(
            [*packkit_cli, "check", project], stdout=full, stderr=subprocess.PIPE, text=True
        )
    assert checked.returncode == 1
    assert "cannot write the output" in checked.stderr


CHECKED = {
    "package not found": (
        '[tool.packkit]\nfallback-version = "1.0"\n',
        [],
        "no Python package or module named `checked`",
    ),
    "data folder missing": (
        '[tool.packkit]\nfallback-version = "1.0"\n[tool.packkit.data]\nscripts = "bin"\n',
        ["src/checked/__init__.py"],
        '"bin" does not exist',
    ),
    "packages empty": (
        '[tool.packkit]\nfallback-version = "1.0"\npackages = []\n',
        ["src/checked/__init__.py"],
        "`tool.packkit.packages` is empty",
    ),
    "no git, no fallback": ("", ["src/checked/__init__.py"], "cannot find the version"),
}


@pytest.mark.parametrize("case", list(CHECKED))
def test_check_finds_what_a_build_would_fail_on(
    case: str, tmp_path: Path, scm_env: Env, packkit_cli: list[str]
) -> None:
    table, files, expected = CHECKED[case]
    project = tmp_path / "checked"
    project.mkdir()
    (project / "pyproject.toml").write_text(
        f'[project]\nname = "checked"\ndynamic = ["version"]\n{table}'
    )
    for relpath in files:
        (project / relpath).parent.mkdir(parents=True, exist_ok=True)
        (project / relpath).write_text("")
    with pytest.raises(packkit.PackkitError) as built:
        packkit.build_wheel(project, tmp_path / "dist")
    assert expected in str(built.value)
    problems = packkit.Project.load(project).validate()
    assert [p for p in problems if expected in p.message], problems
    checked = run([*packkit_cli, "check", project], check=False)
    assert checked.returncode == 1 and expected in checked.stderr
    assert not (project / "src" / "checked" / "_version.py").exists()


def test_check_reports_every_problem_in_one_run(
    tmp_path: Path, scm_env: Env, packkit_cli: list[str]
) -> None:
    project = tmp_path / "checked"
    (project / "src" / "checked").mkdir(parents=True)
    (project / "src" / "checked" / "__init__.py").write_text("")
    (tmp_path / "elsewhere").mkdir()
    (project / "src" / "checked" / "outside").symlink_to(tmp_path / "elsewhere")
    (project / "pyproject.toml").write_text('[project]\nname = "checked"\ndynamic = ["version"]\n')
    messages = [p.message for p in packkit.Project.load(project).validate()]
    assert len(messages) == 2, messages
    assert "cannot find the version" in messages[0] and "outside the project" in messages[1]
    checked = run([*packkit_cli, "check", project], check=False)
    assert "2 problems" in checked.stderr


def notebook_repo(make_repo: Callable[..., Repo]) -> Repo:
    repo = make_repo("analysis")
    repo.commit(
        files={
            "pyproject.toml": '[project]\nname = "analysis"\ndynamic = ["version"]\n',
            "src/analysis/__init__.py": "",
            "notebooks/explore.ipynb": "{}\n",
        }
    )
    repo.tag("v1.2.0")
    return repo


def test_a_notebook_in_a_subfolder_gets_its_projects_version(
    make_repo: Callable[..., Repo], monkeypatch: pytest.MonkeyPatch, packkit_cli: list[str]
) -> None:
    repo = notebook_repo(make_repo)
    monkeypatch.chdir(repo.path / "notebooks")
    assert packkit.get_version() == "1.2.0"
    described = packkit.describe()
    assert Path(described.root) == repo.path.resolve() and described.tag == "1.2.0"
    assert run([*packkit_cli, "version"], cwd=repo.path / "notebooks").stdout == "1.2.0\n"
    # An explicit folder is taken as given (setuptools_scm's `root`), with a hint that works.
    with pytest.raises(packkit.ScmError) as info:
        packkit.get_version(".")
    assert "has no pyproject.toml" in str(info.value)
    assert "no folder at all" in str(info.value)


def test_a_subproject_is_told_the_root_that_reaches_its_repository(
    make_repo: Callable[..., Repo],
) -> None:
    repo = make_repo("mono")
    repo.commit(files={"libs/core/pyproject.toml": '[project]\nname = "core"\n'})
    repo.tag("v3.0.0")
    with pytest.raises(packkit.ScmError, match=r'root = \\"\.\./\.\.\\"|root = "\.\./\.\."'):
        packkit.get_version(repo.path / "libs" / "core")
    repo.commit(
        files={
            "libs/core/pyproject.toml": '[project]\nname = "core"\n[tool.packkit]\nroot = "../.."\n'
        }
    )
    assert packkit.get_version(repo.path / "libs" / "core") == f"3.0.1.dev1+g{repo.head()[:9]}"


@pytest.mark.parametrize(
    ("license", "suggested"),
    [
        ("MIT License", "`MIT`"),
        ("BSD", "`BSD-3-Clause` or `BSD-2-Clause`"),
        ("Apache 2.0", "`Apache-2.0`"),
        ("Proprietary", "`LicenseRef-Proprietary`"),
    ],
)
def test_license_names_get_their_spdx_id_as_the_hint(
    license: str, suggested: str, tmp_path: Path, packkit_cli: list[str]
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        f'[project]\nname = "lic"\nversion = "1.0"\nlicense = "{license}"\n'
    )
    (tmp_path / "lic.py").write_text("")
    (problem,) = packkit.Project.load(tmp_path).validate()
    assert problem.key == "project.license" and "license name" in problem.message
    assert problem.hint is not None and f"did you mean {suggested}?" in problem.hint
    # What the hint says is accepted (packaging's canonical form).
    first = suggested.split("`")[1]
    (tmp_path / "pyproject.toml").write_text(
        f'[project]\nname = "lic"\nversion = "1.0"\nlicense = "{first}"\n'
    )
    assert packkit.Project.load(tmp_path).validate() == []
    assert canonicalize_license_expression(first) == first


def test_a_deprecated_license_id_is_built_with_a_warning_naming_the_choice(
    tmp_path: Path, packkit_cli: list[str]
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "lic"\nversion = "1.0"\nlicense = "GPL-3.0"\n'
    )
    (tmp_path / "lic.py").write_text("")
    built = run([*packkit_cli, "build", "--wheel", "-o", tmp_path / "dist"], cwd=tmp_path)
    assert "`GPL-3.0-only` or `GPL-3.0-or-later`" in built.stderr


def test_the_notebook_view_names_the_project_and_its_full_commit(
    make_repo: Callable[..., Repo], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = notebook_repo(make_repo)
    repo.write("src/analysis/__init__.py", "x = 1\n")  # modified: dirty
    monkeypatch.chdir(repo.path / "notebooks")
    described = packkit.describe()
    assert described.version == str(described) == packkit.get_version()
    assert described.project == "analysis"
    assert described.commit == repo.git("rev-parse", "HEAD").strip()
    html = described._repr_html_()
    assert "<caption><b>analysis</b>" in html and "<b>packkit</b>" not in html
    assert str(repo.path.resolve()) in html and described.commit in html
    assert "<th style='text-align:left'>exact</th>" in html
    dirty_row = html.split("<th style='text-align:left'>dirty</th>")[1].split("</tr>")[0]
    assert "color:" in dirty_row and "yes: src/analysis/__init__.py" in dirty_row
    assert described.modified == ["src/analysis/__init__.py"]
    assert repo.git("status", "--porcelain", "-uno").split() == ["M", *described.modified]
    markdown = described._repr_markdown_()
    assert "| commit |" in markdown and "| project root |" in markdown


@pytest.mark.slow
def test_a_stale_editable_install_is_flagged(
    make_repo: Callable[..., Repo], install_venv: Venv, packkit_wheelhouse: Path
) -> None:
    repo = notebook_repo(make_repo)
    repo.commit(
        "build system",
        files={
            "pyproject.toml": '[build-system]\nrequires = ["packkit"]\n'
            'build-backend = "packkit.backend"\n'
            '[project]\nname = "analysis"\ndynamic = ["version"]\n'
        },
    )
    installed = f"1.2.1.dev1+g{repo.head()[:9]}"
    install_venv.pip_install(
        "--no-build-isolation", "--no-deps", "-e", repo.path, wheelhouse=packkit_wheelhouse
    )
    probe = (
        "import logging, packkit; logging.basicConfig(format='%(message)s');"
        f"d = packkit.describe({str(repo.path)!r}); print(d.installed, d.stale)"
    )
    assert install_venv.eval(probe).split() == [installed, "False"]
    repo.commit("more work")
    after = run([install_venv.python, "-c", probe])
    assert after.stdout.split() == [installed, "True"]
    assert f"the installed analysis is {installed}" in after.stderr
    assert "reinstall it" in after.stderr


def test_small_things_a_careful_user_hits(
    make_repo: Callable[..., Repo], tmp_path: Path, packkit_cli: list[str], scm_env: Env
) -> None:
    repo = notebook_repo(make_repo)
    # The default output folder ignores itself: `git status` stays clean after a build.
    run([*packkit_cli, "build"], cwd=repo.path)
    assert (repo.path / "dist" / ".gitignore").read_text() == "*\n"
    assert repo.git("status", "--porcelain") == ""
    # --included-only leaves out the "-" lines.
    listing = run([*packkit_cli, "files", "--included-only"], cwd=repo.path).stdout
    assert "  + " in listing and "  - " not in listing
    # A bump never gives a version that Version() refuses.
    with pytest.raises(packkit.InvalidVersion, match=r"2\*\*64 - 1"):
        packkit.Version(f"{2**64 - 2}.0.0").bump("major")
    # SOURCE_DATE_EPOCH after 2107 cannot be a zip date: an error, not 1980.
    scm_env.set("SOURCE_DATE_EPOCH", str(4_354_819_200))
    with pytest.raises(packkit.BuildError, match="2107"):
        packkit.build_wheel(repo.path, tmp_path / "late")


def test_a_pyproject_that_is_not_utf8_is_located(tmp_path: Path, packkit_cli: list[str]) -> None:
    (tmp_path / "pyproject.toml").write_bytes(b'[project]\nname = "caf\xe9"\nversion = "1"\n')
    checked = run([*packkit_cli, "check", tmp_path], check=False)
    assert checked.returncode == 1
    assert "pyproject.toml:2:12: not UTF-8" in checked.stderr and "save" in checked.stderr


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        # A misspelt key stops the version settings: the package is still looked for.
        ('version-schem = "x"', ["unknown key", "no Python package or module named `checked`"]),
        # A wrong build setting stops the layout: the version is still looked for.
        ('exclude = "x"', ["expected an array", "cannot find the version"]),
    ],
)
def test_check_reports_configuration_and_build_problems_in_one_run(
    table: str, expected: list[str], tmp_path: Path, scm_env: Env, packkit_cli: list[str]
) -> None:
    # No git, no fallback and no package, with a problem in the configuration too.
    (tmp_path / "pyproject.toml").write_text(
        f'[project]\nname = "checked"\ndynamic = ["version"]\n[tool.packkit]\n{table}\n'
    )
    messages = [p.message for p in packkit.Project.load(tmp_path).validate()]
    assert len(messages) == 2, messages
    for message, part in zip(messages, expected, strict=True):
        assert part in message, messages
    checked = run([*packkit_cli, "check", tmp_path], check=False)
    assert checked.returncode == 1 and "2 problems" in checked.stderr


@pytest.mark.parametrize(
    "project_table",
    [
        # A static version: nothing to look for in git.
        '[project]\nname = "checked"\nversion = "1.0"\nlicense = "MIT License"\n',
        # Neither static nor dynamic: the reader says so; git is not asked.
        '[project]\nname = "checked"\nlicense = "MIT License"\n',
    ],
    ids=["static-version", "no-version"],
)
def test_check_looks_for_a_version_only_when_it_is_dynamic(
    project_table: str, tmp_path: Path, scm_env: Env
) -> None:
    # Not a git checkout and no fallback: looking for the version would be a problem.
    (tmp_path / "src" / "checked").mkdir(parents=True)
    (tmp_path / "src" / "checked" / "__init__.py").write_text("")
    (tmp_path / "pyproject.toml").write_text(project_table)
    problems = packkit.Project.load(tmp_path).validate()
    assert all(p.line is not None for p in problems), [p.text for p in problems]
    assert any(p.key == "project.license" for p in problems)
