"""The build backend end to end: layouts, metadata, archives, frontends and installs.

Every test works on a copy of a sample project from ``tests/backend_projects/`` (or a git
repository made from one). Artifacts are read back with ``zipfile``/``tarfile`` and checked
against the specs: core metadata with ``packaging.metadata.Metadata.from_email(validate=True)``,
RECORD with ``hashlib``, and the wheels are installed with pip and uv into fresh virtual
environments, with packkit itself coming from a local wheelhouse (``packkit_wheelhouse``).
"""

from __future__ import annotations

import base64
import configparser
import csv
import hashlib
import io
import json
import os
import shutil
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import packkit
import pytest
from helpers.backend import (
    Backend,
    Venv,
    addresses,
    dist_info,
    locate_wheelhouse,
    make_venv,
    parse_metadata,
    pkg_info,
    run,
    sdist_top,
    tar_file,
    tar_infos,
    tool,
    unpack_sdist,
    wheel_file,
    zip_entries,
    zip_infos,
)
from helpers.git import Repo
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

# --------------------------------------------------------------------------------------------
# What each sample project must produce


@dataclass(frozen=True)
class Expected:
    """The wheel's code files and the sdist's files (below its top folder) of a sample project."""

    stem: str
    wheel: tuple[str, ...]
    sdist: tuple[str, ...]
    dist_info: tuple[str, ...] = ("METADATA", "WHEEL")


EXPECTED = {
    "src-layout": Expected(
        "pk_src_layout-1.2.3",
        wheel=(
            "pk_src_layout/.hidden/settings.json",
            "pk_src_layout/__init__.py",
            "pk_src_layout/cli.py",
            "pk_src_layout/locale/de/LC_MESSAGES/messages.mo",
            "pk_src_layout/py.typed",
            "pk_src_layout/templates/index.html",
            "pk_src_layout/templates/partials/item.html",
        ),
        sdist=(
            "LICENSE",
            "PKG-INFO",
            "README.md",
            "docs/index.md",
            "pyproject.toml",
            "setup.py",
            "src/pk_src_layout/.hidden/settings.json",
            "src/pk_src_layout/__init__.py",
            "src/pk_src_layout/cli.py",
            "src/pk_src_layout/locale/de/LC_MESSAGES/messages.mo",
            "src/pk_src_layout/py.typed",
            "src/pk_src_layout/templates/index.html",
            "src/pk_src_layout/templates/partials/item.html",
            "tests/test_pk_src_layout.py",
        ),
        dist_info=("METADATA", "WHEEL", "entry_points.txt", "licenses/LICENSE"),
    ),
    "flat-layout": Expected(
        "pk_flat_layout-0.4.0",
        wheel=(
            "pk_flat_layout/__init__.py",
            "pk_flat_layout/core.py",
            "pk_flat_layout/data/defaults.toml",
        ),
        sdist=(
            "PKG-INFO",
            "README.rst",
            "pk_flat_layout/__init__.py",
            "pk_flat_layout/core.py",
            "pk_flat_layout/data/defaults.toml",
            "pyproject.toml",
            "tests/test_core.py",
        ),
    ),
    "module-src": Expected(
        "pk_module_src-0.1.0",
        wheel=("pk_module_src.py",),
        sdist=("PKG-INFO", "pyproject.toml", "src/pk_module_src.py"),
    ),
    "module-flat": Expected(
        "pk_module_flat-0.2.0",
        wheel=("pk_module_flat.py",),
        sdist=("PKG-INFO", "pk_module_flat.py", "pyproject.toml", "scripts/release_notes.py"),
    ),
    "renamed": Expected(
        "pk_renamed_dist-0.5.0",
        wheel=("renamed_impl/__init__.py",),
        sdist=("PKG-INFO", "pyproject.toml", "src/renamed_impl/__init__.py"),
    ),
    "multi": Expected(
        "pk_multi-0.6.0",
        wheel=("pk_multi_a/__init__.py", "pk_multi_b/__init__.py", "pk_multi_b/helpers.py"),
        sdist=(
            "PKG-INFO",
            "pyproject.toml",
            "src/pk_multi_a/__init__.py",
            "src/pk_multi_b/__init__.py",
            "src/pk_multi_b/helpers.py",
        ),
    ),
    "namespace-tools": Expected(
        "pk_acme_tools-1.0.0",
        wheel=("pkacme/tools/__init__.py", "pkacme/tools/hammer.py"),
        sdist=(
            "PKG-INFO",
            "pyproject.toml",
            "src/pkacme/tools/__init__.py",
            "src/pkacme/tools/hammer.py",
        ),
    ),
    "namespace-widgets": Expected(
        "pk_acme_widgets-1.0.0",
        wheel=("pkacme/widgets/__init__.py",),
        sdist=("PKG-INFO", "pyproject.toml", "src/pkacme/widgets/__init__.py"),
    ),
    "namespace-flag": Expected(
        "pk_nsflag-0.7.0",
        wheel=("pk_nsflag/core.py", "pk_nsflag/sub/__init__.py"),
        sdist=(
            "PKG-INFO",
            "pyproject.toml",
            "src/pk_nsflag/core.py",
            "src/pk_nsflag/sub/__init__.py",
        ),
    ),
    "full-metadata": Expected(
        "pk_full_metadata-3.1.0",
        wheel=(
            "pk_full_metadata/__init__.py",
            "pk_full_metadata/cli.py",
            "pk_full_metadata/plugins.py",
        ),
        sdist=(
            "LICENSE-APACHE",
            "LICENSE-MIT",
            "PKG-INFO",
            "README.md",
            "licenses/NOTICE.txt",
            "pyproject.toml",
            "src/pk_full_metadata/__init__.py",
            "src/pk_full_metadata/cli.py",
            "src/pk_full_metadata/plugins.py",
        ),
        dist_info=(
            "METADATA",
            "WHEEL",
            "entry_points.txt",
            "licenses/LICENSE-APACHE",
            "licenses/LICENSE-MIT",
            "licenses/licenses/NOTICE.txt",
        ),
    ),
}
STATIC = list(EXPECTED)


@dataclass(frozen=True)
class Built:
    project: Path
    wheel: Path
    sdist: Path


@pytest.fixture(scope="module")
def built(backend: Backend) -> dict[str, Built]:
    """Every static sample project built once, in-process (``packkit.build_wheel/_sdist``)."""
    result = {}
    for name in STATIC:
        project = backend.project(name)
        out = project.parent / "out"
        sdist = packkit.build_sdist(project, out)
        wheel = packkit.build_wheel(project, out)
        result[name] = Built(project, wheel, sdist)
    return result


@pytest.fixture(scope="module")
def git_project(backend: Backend) -> Repo:
    """``git-project`` committed to git, tagged v0.3.0, one commit on top, an executable file."""
    path = backend.tmp("git-project") / "git-project"
    shutil.copytree(Path(__file__).parent / "backend_projects" / "git-project", path)
    script = path / "scripts" / "check.sh"
    script.parent.mkdir()
    script.write_text("#!/bin/sh\necho ok\n")
    script.chmod(0o755)
    repo = backend.repo(path)
    repo.add()
    repo.commit("initial", files={})
    repo.tag("v0.3.0", annotated=True)
    repo.commit("more", files={"CHANGES.md": "# Changes\n\n* more\n"})
    return repo


@pytest.fixture(scope="module")
def git_version(git_project: Repo) -> str:
    """The version packkit computes for ``git_project`` (what every artifact must carry)."""
    version = packkit.get_version(git_project.path)
    assert version.startswith("0.3.1.dev1+g"), version
    return version


@pytest.fixture(scope="module")
def git_built(git_project: Repo, backend: Backend) -> Built:
    out = backend.tmp("git-out")
    sdist = packkit.build_sdist(git_project.path, out)
    wheel = packkit.build_wheel(git_project.path, out)
    return Built(git_project.path, wheel, sdist)


def code_files(wheel: Path) -> list[str]:
    prefix = dist_info(wheel) + "/"
    return [name for name in zip_entries(wheel) if not name.startswith(prefix)]


def file_tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def test_wheelhouse_is_located_or_the_test_fails_saying_how(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(pytest.fail.Exception, match="make install"):
        locate_wheelhouse(None, empty)
    with pytest.raises(pytest.fail.Exception, match=r"PACKKIT_WHEELHOUSE=.* holds no packkit"):
        locate_wheelhouse(str(empty), empty)
    (empty / "packkit-0.1.0-py3-none-any.whl").write_bytes(b"")
    assert locate_wheelhouse(None, empty) == empty
    assert locate_wheelhouse(str(empty), tmp_path / "elsewhere") == empty.resolve()


# --------------------------------------------------------------------------------------------
# Finding the code


@pytest.mark.parametrize("name", STATIC)
def test_wheel_holds_the_code_and_package_data(built: dict[str, Built], name: str) -> None:
    wheel, expected = built[name].wheel, EXPECTED[name]
    assert wheel.name == f"{expected.stem}-py3-none-any.whl"
    assert code_files(wheel) == list(expected.wheel)


@pytest.mark.parametrize("name", STATIC)
def test_dist_info_holds_metadata_wheel_entry_points_licenses_and_record(
    built: dict[str, Built], name: str
) -> None:
    wheel, expected = built[name].wheel, EXPECTED[name]
    prefix = f"{expected.stem}.dist-info/"
    listed = [n.removeprefix(prefix) for n in zip_entries(wheel) if n.startswith(prefix)]
    assert listed == [*sorted(expected.dist_info), "RECORD"]


@pytest.mark.parametrize("name", STATIC)
def test_sdist_holds_the_project_files(built: dict[str, Built], name: str) -> None:
    sdist, expected = built[name].sdist, EXPECTED[name]
    assert sdist.name == f"{expected.stem}.tar.gz"
    files = [m.name for m in tar_infos(sdist) if m.isfile()]
    assert files == [f"{expected.stem}/{path}" for path in sorted(expected.sdist)]


def test_namespace_package_has_no_init_at_its_top(built: dict[str, Built]) -> None:
    for name in ("namespace-tools", "namespace-widgets"):
        files = code_files(built[name].wheel)
        assert "pkacme/__init__.py" not in files
        assert all(f.startswith("pkacme/") for f in files)
    assert not any(
        f.endswith("pk_nsflag/__init__.py") for f in code_files(built["namespace-flag"].wheel)
    )


def test_building_runs_no_project_code(built: dict[str, Built]) -> None:
    project = built["src-layout"].project
    assert (project / "setup.py").exists()
    assert not (project / "SETUP_PY_WAS_RUN").exists()


@pytest.mark.slow
def test_layouts_install_and_import(
    built: dict[str, Built], install_venv: Venv, backend: Backend
) -> None:
    wheels = [
        built[name].wheel
        for name in (
            "flat-layout",
            "module-src",
            "module-flat",
            "renamed",
            "multi",
            "namespace-tools",
            "namespace-widgets",
            "namespace-flag",
        )
    ]
    install_venv.pip_install("--no-deps", *wheels, wheelhouse=backend.wheelhouse)
    report = install_venv.eval(
        "import importlib.metadata as md, importlib.resources as res, json\n"
        "import pk_flat_layout.core, pk_module_src, pk_module_flat, renamed_impl\n"
        "import pk_multi_a, pk_multi_b.helpers, pkacme.tools.hammer, pkacme.widgets\n"
        "import pk_nsflag.core, pk_nsflag.sub\n"
        "print(json.dumps({\n"
        "  'answer': pk_flat_layout.core.answer(),\n"
        "  'data': res.files('pk_flat_layout').joinpath('data/defaults.toml').read_text(),\n"
        "  'values': [pk_module_src.VALUE, pk_module_flat.VALUE, renamed_impl.VALUE,\n"
        "             pk_multi_a.VALUE, pk_multi_b.VALUE, pk_nsflag.core.VALUE],\n"
        "  'double': pk_multi_b.helpers.double(4),\n"
        "  'hammer': pkacme.tools.hammer.hit(), 'widgets': pkacme.widgets.NAME,\n"
        "  'pkacme_file': getattr(pkacme, '__file__', None),\n"
        "  'nsflag_file': getattr(pk_nsflag, '__file__', None),\n"
        "  'renamed_version': md.version('pk-renamed-dist'),\n"
        "  'dists': {k: v for k, v in md.packages_distributions().items()\n"
        "            if k in ('renamed_impl', 'pk_multi_a', 'pk_multi_b', 'pkacme')},\n"
        "}))"
    )
    facts = json.loads(report)
    assert facts["answer"] == 42
    assert facts["data"] == "answer = 42\n"
    assert facts["values"] == [
        "pk_module_src",
        "pk_module_flat",
        "renamed_impl",
        "a",
        "b",
        "pk_nsflag.core",
    ]
    assert facts["double"] == 8
    assert (facts["hammer"], facts["widgets"]) == ("bang", "widgets")
    assert facts["pkacme_file"] is None, "pkacme must be a PEP 420 namespace package"
    assert facts["nsflag_file"] is None, "pk_nsflag must be a PEP 420 namespace package"
    assert facts["renamed_version"] == "0.5.0"
    assert facts["dists"]["renamed_impl"] == ["pk-renamed-dist"]
    assert facts["dists"]["pk_multi_a"] == facts["dists"]["pk_multi_b"] == ["pk-multi"]
    assert sorted(facts["dists"]["pkacme"]) == ["pk-acme-tools", "pk-acme-widgets"]


@pytest.mark.slow
def test_pip_install_from_the_tree(backend: Backend, install_venv: Venv) -> None:
    """pip's own PEP 517 path (isolated build env, packkit from the wheelhouse), then the script."""
    project = backend.project("src-layout")
    before = file_tree(project)
    install_venv.pip_install("--no-deps", project, wheelhouse=backend.wheelhouse)
    assert file_tree(project) == before, "building must not write into the project"
    template = project / "src" / "pk_src_layout" / "templates" / "index.html"
    output = install_venv.run("pk-src-layout").strip()
    size = len(template.read_text())
    assert output == f"pk-src-layout 1.2.3: hello from pk_src_layout ({size} bytes)"
    data = install_venv.eval(
        "from importlib.resources import files\n"
        "pkg = files('pk_src_layout')\n"
        "print(pkg.joinpath('.hidden/settings.json').read_text().strip(),\n"
        "      pkg.joinpath('py.typed').is_file(),\n"
        "      len(pkg.joinpath('locale/de/LC_MESSAGES/messages.mo').read_bytes()),\n"
        "      pkg.joinpath('templates/partials/item.html').is_file())"
    )
    assert data == '{"hidden": true} True 28 True'


# --------------------------------------------------------------------------------------------
# include / exclude


@pytest.fixture(scope="module")
def globs_project(backend: Backend) -> Path:
    repo = backend.git_project("globs", tag=None)
    for relpath in ("generated/schema.json", "scratch.txt", "todo.txt"):
        repo.write(relpath, f"{relpath}: not tracked by git\n")
    return repo.path


GLOBS_WHEEL = ["pk_globs/__init__.py", "pk_globs/notes.txt"]
GLOBS_SDIST = [
    ".gitignore",
    "generated/schema.json",
    "pyproject.toml",
    "src/pk_globs/__init__.py",
    "src/pk_globs/notes.txt",
]


def test_include_and_exclude_globs_shape_wheel_and_sdist(
    globs_project: Path, backend: Backend
) -> None:
    out = backend.tmp("globs-out")
    wheel = packkit.build_wheel(globs_project, out)
    sdist = packkit.build_sdist(globs_project, out)
    assert code_files(wheel) == GLOBS_WHEEL
    top = sdist_top(sdist)
    assert [m.name for m in tar_infos(sdist)] == sorted(
        f"{top}/{p}" for p in [*GLOBS_SDIST, "PKG-INFO"]
    )


def test_files_json_says_why_each_file_is_in_or_out(
    globs_project: Path, packkit_cli: list[str]
) -> None:
    proc = run([*packkit_cli, "files", "--format", "json", globs_project])
    listing = json.loads(proc.stdout)
    assert set(listing) == {"wheel", "sdist"}
    for side in listing.values():
        assert set(side) == {"included", "excluded"}
        for item in side["included"] + side["excluded"]:
            assert set(item) == {"path", "reason"}
            assert isinstance(item["path"], str) and item["reason"]
    wheel_in = [item["path"] for item in listing["wheel"]["included"]]
    assert wheel_in == GLOBS_WHEEL
    wheel_out = {item["path"]: item["reason"] for item in listing["wheel"]["excluded"]}
    # An excluded folder is listed once, not file by file.
    assert set(wheel_out) == {"src/pk_globs/debug.log", "src/pk_globs/_dev/"}
    assert "*.log" in wheel_out["src/pk_globs/debug.log"]
    assert "src/pk_globs/_dev/" in wheel_out["src/pk_globs/_dev/"]

    sdist_in = {item["path"]: item["reason"] for item in listing["sdist"]["included"]}
    assert sorted(sdist_in) == GLOBS_SDIST
    assert "generated/*.json" in sdist_in["generated/schema.json"]
    assert "git" in sdist_in["src/pk_globs/__init__.py"]
    sdist_out = {item["path"]: item["reason"] for item in listing["sdist"]["excluded"]}
    # scratch.txt is ignored by git: never visited, so not listed.
    assert set(sdist_out) == {
        "notes.txt",
        "todo.txt",
        "src/pk_globs/debug.log",
        "src/pk_globs/_dev/",
    }
    assert "/notes.txt" in sdist_out["notes.txt"]
    assert "not tracked" in sdist_out["todo.txt"]

    api = packkit.Project.load(globs_project).files()
    assert [entry.path for entry in api["wheel"]] == wheel_in
    assert sorted(entry.path for entry in api["sdist"]) == GLOBS_SDIST
    for entry in api["wheel"] + api["sdist"]:
        assert Path(entry.source).is_file() and entry.reason


def test_files_text_lists_included_and_excluded(
    globs_project: Path, packkit_cli: list[str]
) -> None:
    lines = run([*packkit_cli, "files", globs_project]).stdout.splitlines()
    assert lines[0] == "wheel:"
    assert "sdist:" in lines
    assert any(line.startswith("  + pk_globs/__init__.py  (") for line in lines)
    assert any(line.startswith("  - src/pk_globs/debug.log  (") for line in lines)


# --------------------------------------------------------------------------------------------
# The command line


def test_cli_build_writes_wheel_and_sdist_into_dist(
    backend: Backend, packkit_cli: list[str]
) -> None:
    project = backend.project("flat-layout")
    proc = run([*packkit_cli, "build", project])
    written = [Path(line) for line in proc.stdout.splitlines()]
    assert [p.name for p in written] == [
        "pk_flat_layout-0.4.0.tar.gz",
        "pk_flat_layout-0.4.0-py3-none-any.whl",
    ]
    assert all(p.parent.resolve() == (project / "dist").resolve() and p.is_file() for p in written)
    # The old sdist in dist/ is neither touched nor packaged; a second build is identical.
    assert (project / "dist" / "pk_flat_layout-0.3.0.tar.gz").read_bytes() == b"an old sdist"
    first = {p.name: p.read_bytes() for p in written}
    run([*packkit_cli, "build", project])
    assert {p.name: p.read_bytes() for p in written} == first
    assert not any("/dist/" in m.name for m in tar_infos(written[0]))


@pytest.mark.parametrize("only", ["--wheel", "--sdist"])
def test_cli_build_one_kind_into_outdir(
    backend: Backend, packkit_cli: list[str], only: str
) -> None:
    project = backend.project("module-src")
    out = project.parent / "elsewhere"
    proc = run([*packkit_cli, "build", project, only, "-o", out])
    expected = (
        "pk_module_src-0.1.0-py3-none-any.whl"
        if only == "--wheel"
        else "pk_module_src-0.1.0.tar.gz"
    )
    assert sorted(os.listdir(out)) == [".gitignore", expected]  # the made folder ignores itself
    assert Path(proc.stdout.strip()).name == expected
    assert not (project / "dist").exists()


def test_cli_check_accepts_a_valid_project(built: dict[str, Built], packkit_cli: list[str]) -> None:
    for name in STATIC:
        proc = run([*packkit_cli, "check", built[name].project])
        assert "no problems found" in proc.stdout, name
        assert packkit.Project.load(built[name].project).validate() == []


def test_cli_exit_codes_for_errors(backend: Backend, packkit_cli: list[str]) -> None:
    project = backend.project("module-src")
    (project / "pyproject.toml").write_text('[project]\nname = "pk-module-src\nversion = "1"\n')
    for command in ("build", "check", "files"):
        proc = run([*packkit_cli, command, project], check=False)
        assert proc.returncode == 1, (command, proc.stderr)
        assert proc.stderr.startswith("error: "), proc.stderr
        assert f"{project / 'pyproject.toml'}:2:" in proc.stderr
        assert proc.stdout == ""
    assert not (project / "dist").exists() or not os.listdir(project / "dist")

    empty = backend.tmp("no-pyproject")
    proc = run([*packkit_cli, "check", empty], check=False)
    assert proc.returncode == 1 and "pyproject.toml" in proc.stderr

    usage = run([*packkit_cli, "build", "--no-such-option"], check=False)
    assert usage.returncode == 2


def test_cli_build_writes_nothing_when_the_wheel_cannot_be_built(
    backend: Backend, packkit_cli: list[str]
) -> None:
    """A `packages` entry that does not exist fails the build before any artifact is written
    (not after the sdist)."""
    project = backend.project("renamed")
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace("src/renamed_impl", "src/missing_impl"))
    out = project.parent / "out"
    proc = run([*packkit_cli, "build", project, "-o", out], check=False)
    assert proc.returncode == 1
    assert "src/missing_impl" in proc.stderr
    assert not out.exists() or os.listdir(out) == [], os.listdir(out)


def test_python_api_builds_and_returns_paths(backend: Backend) -> None:
    project = backend.project("module-flat")
    out = project.parent / "api-out"
    wheel = packkit.build_wheel(project, out)
    sdist = packkit.build_sdist(project, out)
    assert wheel == out / "pk_module_flat-0.2.0-py3-none-any.whl" and wheel.is_file()
    assert sdist == out / "pk_module_flat-0.2.0.tar.gz" and sdist.is_file()
    assert parse_metadata(packkit.Project.load(project).metadata).name == "pk-module-flat"


# --------------------------------------------------------------------------------------------
# Archives: RECORD, order, modes, timestamps, reproducibility


def check_record(wheel: Path) -> None:
    entries = zip_entries(wheel)
    record_path = f"{dist_info(wheel)}/RECORD"
    rows = list(csv.reader(io.StringIO(entries[record_path].decode("utf-8"))))
    paths = [row[0] for row in rows]
    assert len(paths) == len(set(paths)), "RECORD lists a file twice"
    assert sorted(paths) == sorted(entries), "RECORD and the archive list different files"
    for path, digest, size in rows:
        if path == record_path:
            assert (digest, size) == ("", "")
            continue
        algorithm, _, value = digest.partition("=")
        assert algorithm == "sha256", path
        data = entries[path]
        expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
        assert value == expected.decode(), f"wrong hash for {path}"
        assert int(size) == len(data), f"wrong size for {path}"


def check_wheel_archive(wheel: Path) -> None:
    infos = zip_infos(wheel)
    names = [info.filename for info in infos]
    prefix = dist_info(wheel) + "/"
    code = [n for n in names if not n.startswith(prefix)]
    meta = [n for n in names if n.startswith(prefix)]
    assert names == code + meta, "the .dist-info folder must come last"
    assert code == sorted(code), "entries must be sorted"
    assert meta[-1] == prefix + "RECORD", "RECORD must be the last entry"
    assert meta[:-1] == sorted(meta[:-1])
    for info in infos:
        assert not info.is_dir(), info.filename
        assert (info.external_attr >> 16) & 0o777 == 0o644, (
            info.filename,
            oct(info.external_attr >> 16),
        )
        assert info.compress_type in (zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED)
    check_record(wheel)


def check_sdist_archive(sdist: Path, project: Path) -> None:
    top = sdist_top(sdist)
    members = tar_infos(sdist)
    names = [m.name for m in members]
    assert names == sorted(names), "entries must be sorted"
    assert f"{top}/PKG-INFO" in names
    for member in members:
        assert member.name.startswith(f"{top}/"), f"{member.name} is outside {top}/"
        assert member.isfile() or member.isdir(), member.name
        assert (member.uid, member.gid, member.uname, member.gname) == (0, 0, "", ""), member.name
        relative = member.name.removeprefix(f"{top}/")
        if member.isfile():
            source = project / relative
            mode = 0o755 if os.access(source, os.X_OK) and source.exists() else 0o644
            assert member.mode == mode, (member.name, oct(member.mode))
    assert tar_file(sdist, f"{top}/pyproject.toml") == (project / "pyproject.toml").read_bytes()
    data = sdist.read_bytes()
    assert data[:3] == b"\x1f\x8b\x08", "not a gzip stream"
    assert data[3] & 0x08 == 0, "the gzip header must not carry a file name"
    assert int.from_bytes(data[4:8], "little") == 0, "the gzip header must not carry a time"


@pytest.mark.parametrize("name", STATIC)
def test_wheel_archive_and_record(built: dict[str, Built], name: str) -> None:
    check_wheel_archive(built[name].wheel)


@pytest.mark.parametrize("name", STATIC)
def test_sdist_archive(built: dict[str, Built], name: str) -> None:
    check_sdist_archive(built[name].sdist, built[name].project)


def test_git_artifacts_archives(git_built: Built, git_version: str) -> None:
    assert git_built.wheel.name == f"pk_git_project-{git_version}-py3-none-any.whl"
    assert git_built.sdist.name == f"pk_git_project-{git_version}.tar.gz"
    check_wheel_archive(git_built.wheel)
    check_sdist_archive(git_built.sdist, git_built.project)
    top = sdist_top(git_built.sdist)
    modes = {m.name: m.mode for m in tar_infos(git_built.sdist)}
    assert modes[f"{top}/scripts/check.sh"] == 0o755
    assert modes[f"{top}/README.md"] == 0o644
    assert f"{top}/.git" not in modes and not any("/.git/" in n for n in modes)
    assert code_files(git_built.wheel) == [
        "pk_git_project/__init__.py",
        "pk_git_project/cli.py",
        "pk_git_project/data/table.csv",
    ]


def test_wheel_metadata_file_is_standard(git_built: Built) -> None:
    lines = wheel_file(git_built.wheel, "WHEEL").splitlines()
    assert lines[0] == "Wheel-Version: 1.0"
    assert lines[1].startswith("Generator: packkit ")
    assert lines[2:] == ["Root-Is-Purelib: true", "Tag: py3-none-any"]


def build_both(project: Path, out: Path) -> dict[str, bytes]:
    return {
        p.name: p.read_bytes()
        for p in (packkit.build_wheel(project, out), packkit.build_sdist(project, out))
    }


def test_two_builds_are_byte_identical(git_project: Repo, backend: Backend) -> None:
    first = build_both(git_project.path, backend.tmp("repro-1"))
    # New mtimes (and a new inode order) must not change a byte.
    for path in git_project.path.rglob("*"):
        if ".git" not in path.parts and path.is_file():
            os.utime(path, (2_000_000_000, 2_000_000_000))
    second = build_both(git_project.path, backend.tmp("repro-2"))
    assert first == second


@pytest.mark.parametrize(
    ("epoch", "zip_date", "tar_time"),
    [
        (1718452800, (2024, 6, 15, 12, 0, 0), 1718452800),
        (0, (1980, 1, 1, 0, 0, 0), 315532800),
    ],
    ids=["2024", "clamped-to-1980"],
)
def test_source_date_epoch_sets_every_timestamp(
    git_project: Repo,
    backend: Backend,
    monkeypatch: pytest.MonkeyPatch,
    epoch: int,
    zip_date: tuple[int, ...],
    tar_time: int,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    first = build_both(git_project.path, backend.tmp("sde-1"))
    second = build_both(git_project.path, backend.tmp("sde-2"))
    assert first == second
    out = backend.tmp("sde-3")
    wheel = packkit.build_wheel(git_project.path, out)
    sdist = packkit.build_sdist(git_project.path, out)
    assert {info.date_time for info in zip_infos(wheel)} == {zip_date}
    assert {m.mtime for m in tar_infos(sdist)} == {tar_time}


def test_sdist_time_is_the_head_commit_time_without_source_date_epoch(
    git_built: Built, git_project: Repo
) -> None:
    head_time = int(git_project.git("log", "-1", "--format=%ct"))
    assert {m.mtime for m in tar_infos(git_built.sdist)} == {head_time}


@pytest.mark.parametrize("epoch", [None, "1718452800"], ids=["default", "source-date-epoch"])
def test_wheel_from_sdist_equals_wheel_from_tree(
    git_project: Repo,
    git_version: str,
    backend: Backend,
    monkeypatch: pytest.MonkeyPatch,
    epoch: str | None,
) -> None:
    if epoch is not None:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    out = backend.tmp("tree")
    sdist = packkit.build_sdist(git_project.path, out)
    from_tree = packkit.build_wheel(git_project.path, out)
    unpacked = unpack_sdist(sdist, backend.tmp("unpacked"))
    assert not (unpacked / ".git").exists()
    assert parse_metadata(packkit.Project.load(unpacked).metadata).version is not None
    from_sdist = packkit.build_wheel(unpacked, backend.tmp("from-sdist"))
    assert from_sdist.name == from_tree.name == f"pk_git_project-{git_version}-py3-none-any.whl"
    assert zip_entries(from_sdist) == zip_entries(from_tree)
    assert from_sdist.read_bytes() == from_tree.read_bytes()


# --------------------------------------------------------------------------------------------
# Unsafe trees and failed builds


@pytest.mark.parametrize("kind", ["file", "directory"])
def test_symlink_out_of_the_project_is_refused(
    backend: Backend, packkit_cli: list[str], kind: str
) -> None:
    project = backend.project("renamed")
    outside = backend.tmp("outside")
    (outside / "secret.txt").write_text("not yours\n")
    link = project / "src" / "renamed_impl" / ("secret.txt" if kind == "file" else "vendor")
    link.symlink_to(outside / "secret.txt" if kind == "file" else outside)
    relative = link.relative_to(project).as_posix()
    out = project.parent / "out"
    out.mkdir()
    for build in (packkit.build_wheel, packkit.build_sdist):
        with pytest.raises(packkit.BuildError) as excinfo:
            build(project, out)
        assert relative in str(excinfo.value), str(excinfo.value)
        assert "outside the project" in str(excinfo.value)
        assert os.listdir(out) == [], "a failed build must leave nothing in the output folder"
    proc = run([*packkit_cli, "build", project, "-o", out], check=False)
    assert proc.returncode == 1
    assert relative in proc.stderr
    assert os.listdir(out) == []


def test_symlink_inside_the_project_is_followed(backend: Backend) -> None:
    project = backend.project("renamed")
    (project / "data.txt").write_text("shared data\n")
    (project / "src" / "renamed_impl" / "data.txt").symlink_to(project / "data.txt")
    wheel = packkit.build_wheel(project, project.parent / "out")
    assert zip_entries(wheel)["renamed_impl/data.txt"] == b"shared data\n"


@pytest.mark.parametrize("kind", ["wheel", "sdist"])
def test_failed_write_leaves_no_partial_file(backend: Backend, kind: str) -> None:
    """The final name is taken by a folder: the rename fails and the temporary file goes."""
    project = backend.project("module-src")
    out = project.parent / "out"
    name = (
        "pk_module_src-0.1.0-py3-none-any.whl" if kind == "wheel" else "pk_module_src-0.1.0.tar.gz"
    )
    (out / name).mkdir(parents=True)
    build = packkit.build_wheel if kind == "wheel" else packkit.build_sdist
    with pytest.raises(packkit.PackkitError):
        build(project, out)
    assert os.listdir(out) == [name]
    assert os.listdir(out / name) == []


def test_invalid_configuration_fails_before_writing(backend: Backend) -> None:
    project = backend.project("module-src")
    text = (project / "pyproject.toml").read_text()
    (project / "pyproject.toml").write_text(
        text.replace('version = "0.1.0"', 'version = "0.1.0"\nversion = "2"')
    )
    out = project.parent / "out"
    with pytest.raises(packkit.ConfigError) as excinfo:
        packkit.build_wheel(project, out)
    assert str(project / "pyproject.toml") in str(excinfo.value)
    assert not out.exists() or os.listdir(out) == []


# --------------------------------------------------------------------------------------------
# PEP 517 / 660 hooks through a real hook caller


HOOK_SCRIPT = (
    "import json, sys\n"
    "import packkit.backend as backend\n"
    "print(json.dumps(getattr(backend, sys.argv[1])(*json.loads(sys.argv[2]))))\n"
)


def call_hook(python: Path, project: Path, hook: str, *args: Any) -> Any:
    """Call a backend hook in a fresh interpreter with cwd=project (pyproject_hooks if present)."""
    try:
        from pyproject_hooks import BuildBackendHookCaller, quiet_subprocess_runner
    except ImportError:  # the same thing, by hand
        proc = run([python, "-c", HOOK_SCRIPT, hook, json.dumps(args)], cwd=project)
        return json.loads(proc.stdout.splitlines()[-1])
    caller = BuildBackendHookCaller(
        str(project),
        "packkit.backend",
        python_executable=str(python),
        runner=quiet_subprocess_runner,
    )
    return getattr(caller, hook)(*args)


@pytest.mark.slow
def test_get_requires_hooks_return_nothing(built: dict[str, Built], install_venv: Venv) -> None:
    project = built["module-src"].project
    for kind in ("wheel", "sdist", "editable"):
        assert call_hook(install_venv.python, project, f"get_requires_for_build_{kind}") == []


@pytest.mark.slow
def test_importing_the_backend_is_cheap(install_venv: Venv) -> None:
    loaded = install_venv.eval(
        "import sys; import packkit.backend\n"
        "print(sorted(m for m in sys.modules if m.startswith('packkit')))"
    )
    assert loaded == "['packkit', 'packkit.backend']"


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["wheel", "editable"])
@pytest.mark.parametrize("which", ["git-project", "full-metadata"])
def test_prepared_metadata_is_the_metadata_of_the_wheel(
    which: str,
    kind: str,
    git_project: Repo,
    built: dict[str, Built],
    install_venv: Venv,
    backend: Backend,
) -> None:
    project = git_project.path if which == "git-project" else built[which].project
    metadata_dir = backend.tmp("prepared")
    name = call_hook(
        install_venv.python, project, f"prepare_metadata_for_build_{kind}", str(metadata_dir)
    )
    prepared = file_tree(metadata_dir / name)
    assert "METADATA" in prepared and "RECORD" not in prepared
    parse_metadata(prepared["METADATA"].decode())

    out = backend.tmp("after-prepare")
    wheel = out / call_hook(
        install_venv.python, project, f"build_{kind}", str(out), None, str(metadata_dir / name)
    )
    entries = zip_entries(wheel)
    assert dist_info(wheel) == name
    for relpath, data in prepared.items():
        assert entries[f"{name}/{relpath}"] == data, relpath
    check_record(wheel)

    out = backend.tmp("without-prepare")
    again = out / call_hook(install_venv.python, project, f"build_{kind}", str(out))
    assert zip_entries(again)[f"{name}/METADATA"] == prepared["METADATA"]


# --------------------------------------------------------------------------------------------
# Core metadata (the metadata module's fields; packaging is the judge)


@pytest.mark.parametrize("name", STATIC)
def test_metadata_and_pkg_info_parse_with_validation(built: dict[str, Built], name: str) -> None:
    wheel, sdist = built[name].wheel, built[name].sdist
    stem = EXPECTED[name].stem
    for text in (wheel_file(wheel, "METADATA"), pkg_info(sdist)):
        metadata = parse_metadata(text)
        assert f"{canonicalize_name(metadata.name).replace('-', '_')}-{metadata.version}" == stem


@pytest.fixture(scope="module")
def full_metadata(built: dict[str, Built]) -> Any:
    return parse_metadata(wheel_file(built["full-metadata"].wheel, "METADATA"))


README = (Path(__file__).parent / "backend_projects" / "full-metadata" / "README.md").read_text(
    encoding="utf-8"
)

FULL_FIELDS: dict[str, Any] = {
    "metadata_version": "2.4",
    "name": "pk-full-metadata",
    "version": "3.1.0",
    "summary": "Every PEP 621 field, checked against packaging",
    "description": README.rstrip("\n"),
    "description_content_type": "text/markdown",
    "requires_python": ">=3.9",
    "license_expression": "MIT OR Apache-2.0",
    "license_files": ["LICENSE-APACHE", "LICENSE-MIT", "licenses/NOTICE.txt"],
    "author": "Grace Hopper",
    "keywords": ["packaging", "testing"],
    "classifiers": [
        "Development Status :: 4 - Beta",
        "Programming Language :: Python :: 3",
        "Typing :: Typed",
    ],
    "project_urls": {
        "Homepage": "https://example.org/pk-full-metadata",
        "Bug Tracker": "https://example.org/pk-full-metadata/issues",
    },
    "provides_extra": ["dev-tools", "docs"],
    "dynamic": None,
}


def field_value(metadata: Any, field: str) -> Any:
    value = getattr(metadata, field)
    if field == "version":
        return str(value)
    if field == "description" and value:
        return value.rstrip("\n")
    if field == "description_content_type" and value:
        return value.split(";")[0].strip()
    if field in ("license_files",):
        return sorted(str(v) for v in value) if value else value
    if field == "provides_extra":
        return sorted(value) if value else value
    if field == "license_expression" and value is not None:
        return str(value)
    return value


@pytest.mark.parametrize("field", list(FULL_FIELDS))
def test_full_metadata_field(full_metadata: Any, field: str) -> None:
    assert field_value(full_metadata, field) == FULL_FIELDS[field]


def test_full_metadata_people_are_quoted_per_rfc_822(full_metadata: Any) -> None:
    assert addresses(full_metadata.author_email) == [
        ("Ada Lovelace", "ada@example.org"),
        ("", "team@example.org"),
        ("J. R. Doe", "jrd@example.org"),
    ]
    assert addresses(full_metadata.maintainer_email) == [("Linus Maintainer", "linus@example.org")]


def test_full_metadata_requirements_and_extras(full_metadata: Any) -> None:
    requirements = sorted(str(r) for r in full_metadata.requires_dist or [])
    expected = sorted(
        str(Requirement(r))
        for r in (
            "packaging>=24",
            "tomli>=1.1; python_version < '3.11'",
            'pytest>=8; extra == "dev-tools"',
            'ruff; extra == "dev-tools"',
            'sphinx>=7; extra == "docs"',
        )
    )
    assert requirements == expected


def test_full_metadata_entry_points(built: dict[str, Built]) -> None:
    parser = configparser.ConfigParser(delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keep the case
    parser.read_string(wheel_file(built["full-metadata"].wheel, "entry_points.txt"))
    groups = {section: dict(parser[section]) for section in parser.sections()}
    assert groups == {
        "console_scripts": {"pk-full": "pk_full_metadata.cli:main"},
        "gui_scripts": {"pk-full-gui": "pk_full_metadata.cli:gui"},
        "pk.plugins": {"basic": "pk_full_metadata.plugins:Basic"},
    }


def test_full_metadata_license_files_in_dist_info(built: dict[str, Built]) -> None:
    project = built["full-metadata"].project
    entries = zip_entries(built["full-metadata"].wheel)
    prefix = f"{EXPECTED['full-metadata'].stem}.dist-info/licenses/"
    licenses = {k.removeprefix(prefix): v for k, v in entries.items() if k.startswith(prefix)}
    assert licenses == {
        path: (project / path).read_bytes()
        for path in ("LICENSE-APACHE", "LICENSE-MIT", "licenses/NOTICE.txt")
    }


def test_pkg_info_carries_the_same_metadata(built: dict[str, Built]) -> None:
    wheel = parse_metadata(wheel_file(built["full-metadata"].wheel, "METADATA"))
    sdist = parse_metadata(pkg_info(built["full-metadata"].sdist))
    for field in (*FULL_FIELDS, "author_email", "maintainer_email", "requires_dist"):
        assert field_value(sdist, field) == field_value(wheel, field), field


def metadata_of(project: Path) -> Any:
    return parse_metadata(packkit.Project.load(project).metadata)


def write_project(root: Path, project_table: str, files: dict[str, str] | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(
        f'[project]\nname = "pk-meta"\nversion = "1.0"\n{project_table}\n', encoding="utf-8"
    )
    (root / "src" / "pk_meta").mkdir(parents=True, exist_ok=True)
    (root / "src" / "pk_meta" / "__init__.py").write_text("")
    for relpath, text in (files or {}).items():
        (root / relpath).write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("readme", "files", "content_type", "body"),
    [
        ('"README.md"', {"README.md": "# Title\n"}, "text/markdown", "# Title\n"),
        ('"README.rst"', {"README.rst": "Title\n=====\n"}, "text/x-rst", "Title\n=====\n"),
        ('"README.txt"', {"README.txt": "plain text\n"}, "text/plain", "plain text\n"),
        (
            '{ file = "README.txt", content-type = "text/markdown" }',
            {"README.txt": "# md in .txt\n"},
            "text/markdown",
            "# md in .txt\n",
        ),
        (
            '{ text = "Inline *readme*", content-type = "text/x-rst" }',
            {},
            "text/x-rst",
            "Inline *readme*",
        ),
    ],
    ids=["md", "rst", "txt", "file-table", "inline-text"],
)
def test_readme_content_types(
    backend: Backend, readme: str, files: dict[str, str], content_type: str, body: str
) -> None:
    project = write_project(backend.tmp("readme") / "p", f"readme = {readme}", files)
    metadata = metadata_of(project)
    assert field_value(metadata, "description_content_type") == content_type
    assert (metadata.description or "").rstrip("\n") == body.rstrip("\n")


@pytest.mark.parametrize(
    ("license_value", "files", "expected"),
    [
        ('{ text = "Licensed under the Foo terms." }', {}, "Licensed under the Foo terms."),
        ('{ file = "COPYING" }', {"COPYING": "The COPYING terms.\n"}, "The COPYING terms."),
    ],
    ids=["text", "file"],
)
def test_legacy_license_table(
    backend: Backend, license_value: str, files: dict[str, str], expected: str
) -> None:
    project = write_project(backend.tmp("license") / "p", f"license = {license_value}", files)
    metadata = metadata_of(project)
    assert (metadata.license or "").strip() == expected
    assert metadata.license_expression is None


def test_lowest_metadata_version(built: dict[str, Built]) -> None:
    """Name, version and summary need nothing above 2.1; an SPDX license needs 2.4."""
    assert (
        parse_metadata(wheel_file(built["module-src"].wheel, "METADATA")).metadata_version == "2.1"
    )
    assert (
        parse_metadata(wheel_file(built["src-layout"].wheel, "METADATA")).metadata_version == "2.4"
    )


def test_name_as_written_and_normalized_in_file_names(backend: Backend) -> None:
    root = backend.tmp("odd-name") / "p"
    (root / "src" / "pk_odd_name").mkdir(parents=True)
    (root / "src" / "pk_odd_name" / "__init__.py").write_text('"""Odd."""\n')
    (root / "pyproject.toml").write_text('[project]\nname = "Pk_Odd.Name"\nversion = "1.0.0-RC1"\n')
    out = root.parent / "out"
    wheel = packkit.build_wheel(root, out)
    sdist = packkit.build_sdist(root, out)
    assert wheel.name == "pk_odd_name-1.0.0rc1-py3-none-any.whl"
    assert sdist.name == "pk_odd_name-1.0.0rc1.tar.gz"
    assert dist_info(wheel) == "pk_odd_name-1.0.0rc1.dist-info"
    assert code_files(wheel) == ["pk_odd_name/__init__.py"]
    assert {m.name.split("/")[0] for m in tar_infos(sdist)} == {"pk_odd_name-1.0.0rc1"}
    for text in (wheel_file(wheel, "METADATA"), pkg_info(sdist)):
        metadata = parse_metadata(text)
        assert metadata.name == "Pk_Odd.Name"
        assert str(metadata.version) == "1.0.0rc1"


# --------------------------------------------------------------------------------------------
# Editable installs


@pytest.mark.slow
def test_editable_install(backend: Backend, install_venv: Venv) -> None:
    repo = backend.git_project("editable", tag="v2.0.0", commits_after=1)
    version = packkit.get_version(repo.path)
    assert version.startswith("2.0.1.dev1+g"), version
    install_venv.pip_install("--no-deps", "-e", repo.path, wheelhouse=backend.wheelhouse)

    source = repo.path / "src" / "pk_editable" / "__init__.py"
    where = install_venv.eval("import pk_editable; print(pk_editable.__file__)")
    assert Path(where).resolve() == source.resolve()
    assert (
        install_venv.eval("import importlib.metadata as md; print(md.version('pk-editable'))")
        == version
    )
    assert install_venv.run("pk-editable").strip() == "pk-editable says original"

    pth = install_venv.site_packages / "pk_editable.pth"
    assert pth.read_text().splitlines() == [str((repo.path / "src").resolve())]
    assert "import" not in pth.read_text(), "a plain path, not an import hook"

    source.write_text(source.read_text().replace('"original"', '"edited"'))
    assert install_venv.run("pk-editable").strip() == "pk-editable says edited"
    repo.commit("later", files={"later.txt": "x\n"})
    assert (
        install_venv.eval("import importlib.metadata as md; print(md.version('pk-editable'))")
        == version
    ), "the installed version is the one computed at install time"


# --------------------------------------------------------------------------------------------
# Frontends: python -m build, uv build, uv pip install, twine, check-wheel-contents


@pytest.fixture(scope="module")
def wheelhouse_built(git_project: Repo, install_venv: Venv, backend: Backend) -> Built:
    """``git_project`` built from the tree by the packkit of the wheelhouse (its CLI), the same
    packkit the frontends below install into their isolated build environments."""
    out = backend.tmp("wheelhouse-built")
    install_venv.run("packkit", "build", git_project.path, "-o", out)
    (sdist,) = out.glob("*.tar.gz")
    (wheel,) = out.glob("*.whl")
    return Built(git_project.path, wheel, sdist)


def frontend_outputs(out: Path) -> list[str]:
    return sorted(name for name in os.listdir(out) if name != ".gitignore")  # uv adds one


@pytest.mark.slow
def test_python_m_build_isolated(
    git_project: Repo,
    git_version: str,
    wheelhouse_built: Built,
    backend: Backend,
    install_venv: Venv,
) -> None:
    """``python -m build``: sdist from the tree, then the wheel from the unpacked sdist (no git
    there: the version comes from PKG-INFO), in isolated environments fed by the wheelhouse."""
    out = backend.tmp("pybuild")
    run([sys.executable, "-m", "build", "--outdir", out, git_project.path])
    expected = wheelhouse_built
    assert frontend_outputs(out) == sorted([expected.sdist.name, expected.wheel.name])
    wheel = out / expected.wheel.name
    assert wheel.name == f"pk_git_project-{git_version}-py3-none-any.whl"
    assert wheel.read_bytes() == expected.wheel.read_bytes()
    assert (out / expected.sdist.name).read_bytes() == expected.sdist.read_bytes()

    install_venv.pip_install("--no-deps", wheel, wheelhouse=backend.wheelhouse)
    assert install_venv.run("pk-git-project").strip() == f"pk-git-project {git_version}"
    assert (
        install_venv.eval(
            "import importlib.metadata as md, pk_git_project; print(md.version('pk-git-project'))"
        )
        == git_version
    )


@pytest.mark.slow
def test_uv_build_and_uv_pip_install(
    git_project: Repo, git_version: str, wheelhouse_built: Built, backend: Backend
) -> None:
    out = backend.tmp("uvbuild")
    uv = tool("uv")
    run(
        [
            uv,
            "build",
            "--no-index",
            "--find-links",
            backend.wheelhouse,
            "--python",
            sys.executable,
            "--out-dir",
            out,
            git_project.path,
        ]
    )
    expected = wheelhouse_built
    assert frontend_outputs(out) == sorted([expected.sdist.name, expected.wheel.name])
    wheel = out / expected.wheel.name
    assert wheel.read_bytes() == expected.wheel.read_bytes()
    assert (out / expected.sdist.name).read_bytes() == expected.sdist.read_bytes()

    venv = make_venv(backend.tmp("uv-venv") / "venv", with_pip=False)
    run(
        [
            uv,
            "pip",
            "install",
            "--no-index",
            "--find-links",
            backend.wheelhouse,
            "--python",
            venv.python,
            wheel,
        ]
    )
    assert venv.run("pk-git-project").strip() == f"pk-git-project {git_version}"
    assert (
        venv.eval(
            "import importlib.metadata as md, pk_git_project; print(md.version('pk-git-project'))"
        )
        == git_version
    )


@pytest.mark.parametrize("name", ["src-layout", "flat-layout", "full-metadata", "git-project"])
def test_twine_check_strict(built: dict[str, Built], git_built: Built, name: str) -> None:
    artifacts = git_built if name == "git-project" else built[name]
    proc = run(
        [tool("twine"), "check", "--strict", artifacts.wheel, artifacts.sdist],
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "WARNING" not in proc.stdout + proc.stderr, proc.stdout + proc.stderr


def test_check_wheel_contents(built: dict[str, Built], git_built: Built) -> None:
    # `multi` is left out on purpose: two top-level packages are its point (W009).
    wheels = [built[name].wheel for name in STATIC if name != "multi"] + [git_built.wheel]
    proc = run([tool("check-wheel-contents"), *wheels], check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count(": OK") == len(wheels), proc.stdout
