"""Hostile input (issue: trust): what packkit writes into METADATA, PKG-INFO,
entry_points.txt, RECORD and the editable ``.pth``, and which folders are packages.

Each of these files is read line by line, so a line break inside a value starts another header,
entry, row or ``.pth`` line (which Python runs at start-up when it begins with ``import``). The
fix is one writer (``src/lines.rs``) that every value goes through, behind readers of
``pyproject.toml`` that refuse a control character in a one-line value with its location.
Artifacts are read back the way installers read them: ``packaging.metadata`` (with
validation), ``importlib.metadata``'s entry points, ``csv`` and ``site``.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tarfile
import zipfile
from pathlib import Path

import packkit
import pytest
from helpers.backend import (
    make_venv,
    parse_metadata,
    pkg_info,
    run,
    tool_environ,
    wheel_file,
    zip_entries,
)
from helpers.git import Env
from packaging.metadata import Metadata

PYPROJECT_HEAD = (
    "[build-system]\n"
    'requires = ["packkit"]\n'
    'build-backend = "packkit.backend"\n\n'
    '[project]\nname = "crafted"\nversion = "1.0"\ndependencies = ["requests"]\n'
)


def crafted(root: Path, extra: str, files: dict[str, bytes] | None = None) -> Path:
    """A project ``crafted`` (static version, one dependency) with ``extra`` TOML and files."""
    project = root / "crafted"
    (project / "src" / "crafted").mkdir(parents=True)
    (project / "src" / "crafted" / "__init__.py").write_text("def main(): pass\n")
    (project / "pyproject.toml").write_text(PYPROJECT_HEAD + extra, encoding="utf-8")
    for relpath, data in (files or {}).items():
        path = project / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return project


def packaging_license(text: str) -> str | None:
    """The ``License`` value ``packaging`` reads back from what ``packaging`` itself writes."""
    raw = {"metadata_version": "2.1", "name": "x", "version": "1.0", "license": text}
    written = Metadata.from_raw(raw).as_rfc822().as_string()
    return Metadata.from_email(written, validate=True).license


def unfolded(value: str | None) -> str | None:
    """A folded ``License`` value without its continuation indent (``len("License") + 2``)."""
    return None if value is None else value.replace("\n" + " " * 9, "\n")


# --------------------------------------------------------------------------------------------
# METADATA and PKG-INFO


@pytest.mark.parametrize("source", ["text", "file"])
@pytest.mark.parametrize(
    ("license_text", "expected"),
    [
        # A bare CR ends a header line for email.parser: an injected Requires-Dist...
        ("MIT\rRequires-Dist: evil", "MIT\nRequires-Dist: evil"),
        # ... or an empty line, which ends the headers: every later field became the body.
        ("MIT\r\rCopyright me", "MIT\n\nCopyright me"),
        # Every line boundary packaging folds; tabs stay.
        ("A\r\nB\x0bC\x0cD\x1cE\x85F\u2028G\tH  \n\n", "A\nB\nC\nD\nE\nF\nG\tH"),
    ],
    ids=["cr-requires-dist", "cr-cr-ends-headers", "every-boundary"],
)
def test_a_line_break_in_a_license_text_is_folded_never_a_header(
    source: str, license_text: str, expected: str, tmp_path: Path, scm_env: Env
) -> None:
    if source == "text":
        toml_text = license_text.encode("unicode_escape").decode().replace('"', '\\"')
        project = crafted(tmp_path, f'license = {{ text = "{toml_text}" }}\n')
    else:
        files = {"legal.txt": license_text.encode()}
        project = crafted(tmp_path, 'license = { file = "legal.txt" }\n', files)
    wheel = packkit.build_wheel(project, tmp_path / "dist")
    sdist = packkit.build_sdist(project, tmp_path / "dist")
    for text in (wheel_file(wheel, "METADATA"), pkg_info(sdist)):
        metadata = parse_metadata(text)
        assert [str(r) for r in metadata.requires_dist or []] == ["requests"]
        assert metadata.name == "crafted" and metadata.summary is None
        # Folded as packaging 26 folds it, so it reads back as packaging's own output does.
        assert metadata.license == packaging_license(expected)
        assert unfolded(metadata.license) == expected


def test_control_characters_in_a_license_file_are_refused_located(
    tmp_path: Path, scm_env: Env
) -> None:
    project = crafted(
        tmp_path, 'license = { file = "legal.txt" }\n', {"legal.txt": b"MIT\n\x1b[2J\n"}
    )
    (problem,) = packkit.Project.load(project).validate()
    assert (problem.key, problem.line) == ("project.license.file", 9)
    assert "legal.txt, line 2" in problem.message and "U+001B" in problem.message
    assert problem.hint and "SPDX" in problem.hint


@pytest.mark.parametrize(
    ("escaped", "found"),
    [
        ("\\u001b[31mred", "the control character U+001B"),
        ("\\u0000", "the control character U+0000"),
        ("a\\u0085b", "the control character U+0085"),
        ("a\\u2028b", "a line separator (U+2028)"),
        ("a\\rRequires-Dist: evil", "a carriage return (U+000D)"),
    ],
)
def test_control_characters_in_the_description_are_refused_located(
    escaped: str, found: str, tmp_path: Path, scm_env: Env, packkit_cli: list[str]
) -> None:
    project = crafted(tmp_path, f'description = "A summary{escaped}"\n')
    (problem,) = packkit.Project.load(project).validate()
    assert (problem.key, problem.line, problem.column) == ("project.description", 9, 15)
    assert found in problem.message
    assert problem.hint and "readme" in problem.hint
    with pytest.raises(packkit.ConfigError):
        packkit.build_wheel(project, tmp_path / "dist")
    check = run([*packkit_cli, "check", project], check=False)
    assert check.returncode == 1 and "`project.description`" in check.stderr


# --------------------------------------------------------------------------------------------
# entry_points.txt


@pytest.mark.parametrize(
    "scripts",
    [
        # The example.
        '[project.scripts]\nx = "crafted:main\\n[console_scripts]\\nevil = os:system"\n',
        # What the object-reference check let through: the rest read as an extras list, and
        # every entry after it became a console script.
        '[project.entry-points."crafted.plugins"]\n'
        'x = "crafted:main\\n[console_scripts]"\nevil = "os:system"\n',
    ],
    ids=["issue", "extras-list"],
)
def test_a_line_break_in_an_entry_point_cannot_add_a_console_script(
    scripts: str, tmp_path: Path, scm_env: Env
) -> None:
    project = crafted(tmp_path, scripts)
    (problem,) = packkit.Project.load(project).validate()
    assert problem.key is not None and problem.key.endswith(".x")
    assert problem.line == 10 and "a line feed (U+000A)" in problem.message
    with pytest.raises(packkit.ConfigError) as info:
        packkit.build_wheel(project, tmp_path / "dist")
    assert info.value.problems == [problem]
    assert not (tmp_path / "dist").exists() or not list((tmp_path / "dist").iterdir())


@pytest.mark.parametrize("name", ["#hidden", ";hidden"])
def test_an_entry_point_name_that_reads_as_a_comment_is_refused(
    name: str, tmp_path: Path, scm_env: Env
) -> None:
    project = crafted(tmp_path, f'[project.scripts]\n"{name}" = "crafted:main"\n')
    (problem,) = packkit.Project.load(project).validate()
    assert (problem.key, problem.line) == (f'project.scripts."{name}"', 10)


def test_entry_points_read_back_as_written(tmp_path: Path, scm_env: Env) -> None:
    from importlib.metadata import Distribution  # how pip and console scripts read them

    project = crafted(
        tmp_path,
        '[project.scripts]\ncrafted = "crafted:main"\n'
        '[project.entry-points."crafted.plugins"]\n'
        'a = "crafted:main [extra]"\n"dotted.name" = "crafted"\n',
    )
    wheel = packkit.build_wheel(project, tmp_path / "dist")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(tmp_path / "site")
    (dist,) = Distribution.discover(path=[str(tmp_path / "site")])
    assert sorted((ep.group, ep.name, ep.value) for ep in dist.entry_points) == [
        ("console_scripts", "crafted", "crafted:main"),
        ("crafted.plugins", "a", "crafted:main [extra]"),
        ("crafted.plugins", "dotted.name", "crafted"),
    ]


# --------------------------------------------------------------------------------------------
# RECORD


def record_rows(wheel: Path) -> tuple[list[list[str]], list[list[str]]]:
    """RECORD as csv reads it from a file, and as pip reads it (``splitlines`` first)."""
    entries = zip_entries(wheel)
    (record,) = [name for name in entries if name.endswith(".dist-info/RECORD")]
    text = entries[record].decode("utf-8")
    return list(csv.reader(io.StringIO(text, newline=""))), list(csv.reader(text.splitlines()))


def test_record_quotes_commas_and_quotes_and_refuses_line_breaks(
    tmp_path: Path, scm_env: Env
) -> None:
    project = crafted(
        tmp_path,
        "",
        {"src/crafted/a,b.txt": b"1", 'src/crafted/say "hi".txt': b"2", "src/crafted/c\rd": b"3"},
    )
    # pip reads RECORD with csv.reader(text.splitlines()): no quoting carries a line break.
    with pytest.raises(packkit.BuildError) as info:
        packkit.build_wheel(project, tmp_path / "dist")
    message = str(info.value)
    # The file selection refuses the name first (RECORD's writer would, as a last guard).
    assert '"src/crafted/c\\rd"' in message, message
    assert "control character" in message and "hint: rename the file" in message
    assert not (tmp_path / "dist").exists() or not list((tmp_path / "dist").iterdir())

    (project / "src" / "crafted" / "c\rd").unlink()
    wheel = packkit.build_wheel(project, tmp_path / "dist")
    by_file, like_pip = record_rows(wheel)
    assert by_file == like_pip
    assert [row[0] for row in by_file] == list(zip_entries(wheel))
    assert {"crafted/a,b.txt", 'crafted/say "hi".txt'} <= {row[0] for row in by_file}


# --------------------------------------------------------------------------------------------
# Package paths and the editable .pth


def test_a_line_break_in_a_package_path_never_reaches_the_pth(
    tmp_path: Path, scm_env: Env, packkit_cli: list[str]
) -> None:
    folder = "x\nimport os"
    project = crafted(
        tmp_path,
        '[tool.packkit]\npackages = ["x\\nimport os/crafted"]\n',
        {f"{folder}/crafted/__init__.py": b""},
    )
    (problem,) = packkit.Project.load(project).validate()
    assert (problem.key, problem.line) == ("tool.packkit.packages[0]", 10)
    assert "a line feed (U+000A)" in problem.message
    check = run([*packkit_cli, "check", project], check=False)
    assert check.returncode == 1 and "`tool.packkit.packages[0]`" in check.stderr
    from packkit import _packkit

    with pytest.raises(packkit.ConfigError):
        _packkit.build_wheel(os.fspath(project), os.fspath(tmp_path / "dist"), editable=True)


@pytest.mark.parametrize(
    ("package", "message"),
    [
        (".", "is the project folder itself"),
        ("./", "is the project folder itself"),
        (".//.", "is the project folder itself"),
        ("", "the path is empty"),
        ("/tmp", "must be relative to the project directory"),
        ("src/..", "must stay inside the project directory"),
        ("../crafted", "must stay inside the project directory"),
    ],
)
def test_a_package_path_must_name_a_folder_inside_the_project(
    package: str, message: str, tmp_path: Path, scm_env: Env, packkit_cli: list[str]
) -> None:
    project = crafted(tmp_path, f'[tool.packkit]\npackages = ["src/crafted", "{package}"]\n')
    (problem,) = packkit.Project.load(project).validate()
    assert (problem.key, problem.line, problem.column) == ("tool.packkit.packages[1]", 10, 28)
    assert message in problem.message
    assert problem.hint and "src/my_pkg" in problem.hint
    check = run([*packkit_cli, "check", project], check=False)
    assert check.returncode == 1 and "`tool.packkit.packages[1]`" in check.stderr
    with pytest.raises(packkit.ConfigError):
        packkit.build_wheel(project, tmp_path / "dist")


# --------------------------------------------------------------------------------------------
# With pip, into fresh virtual environments


def crafted_sdist(root: Path, name: str, files: dict[str, bytes]) -> Path:
    """An sdist made by hand (as an attacker would), not by packkit."""
    sdist = root / f"{name}-1.0.tar.gz"
    with tarfile.open(sdist, "w:gz") as archive:
        for relpath, data in files.items():
            info = tarfile.TarInfo(f"{name}-1.0/{relpath}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return sdist


@pytest.mark.slow
def test_pip_installs_nothing_a_crafted_sdist_smuggles(
    tmp_path: Path, packkit_wheelhouse: Path, scm_env: Env
) -> None:
    venv = make_venv(tmp_path / "venv")
    env = {**os.environ, **tool_environ(packkit_wheelhouse, tmp_path / "cache")}

    def pip_install(*args: str | os.PathLike[str]) -> str:
        proc = run([venv.python, "-m", "pip", "install", "--no-deps", *args], env=env, check=False)
        return proc.stdout + proc.stderr if proc.returncode else ""

    code = {"src/crafted/__init__.py": b"def main(): pass\n"}
    # A carriage return in the license file: the header is folded, no Requires-Dist added.
    pyproject = PYPROJECT_HEAD + 'license = { file = "legal.txt" }\n'
    sdist = crafted_sdist(
        tmp_path,
        "crafted",
        {**code, "pyproject.toml": pyproject.encode(), "legal.txt": b"MIT\rRequires-Dist: evil"},
    )
    assert pip_install(sdist) == ""
    requires = venv.eval("import importlib.metadata as m; print(m.requires('crafted'))")
    assert requires == "['requests']"

    # A line break in an entry point: refused, no console script `evil`.
    scripts = '[project.entry-points."crafted.plugins"]\nx = "crafted:main\\n[console_scripts]"\n'
    pyproject = PYPROJECT_HEAD.replace("crafted", "crafted2") + scripts + 'evil = "os:system"\n'
    sdist = crafted_sdist(
        tmp_path,
        "crafted2",
        {"src/crafted2/__init__.py": b"", "pyproject.toml": pyproject.encode()},
    )
    failed = pip_install(sdist)
    assert "project.entry-points" in failed and "line feed" in failed, failed
    assert not venv.script("evil").exists()

    # A line break in a package path: refused, no `import` line in any .pth.
    marker = tmp_path / "ran-at-startup"
    folder = f"x\nimport pathlib; pathlib.Path({str(marker)!r}).touch()"
    packages = folder.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')
    pyproject = (
        PYPROJECT_HEAD.replace("crafted", "crafted3")
        + f'[tool.packkit]\npackages = ["{packages}/crafted3"]\n'
    )
    sdist = crafted_sdist(
        tmp_path,
        "crafted3",
        {f"{folder}/crafted3/__init__.py": b"", "pyproject.toml": pyproject.encode()},
    )
    with tarfile.open(sdist) as archive:
        archive.extractall(tmp_path / "unpacked", filter="data")
    failed = pip_install("-e", tmp_path / "unpacked" / "crafted3-1.0")
    assert "tool.packkit.packages[0]" in failed and "line feed" in failed, failed
    venv.eval("pass")
    assert not marker.exists()
    for pth in venv.site_packages.glob("*.pth"):
        lines = pth.read_text().splitlines()
        assert not [
            line for line in lines if re.match(r"import[ \t]", line) and marker.name in line
        ]


@pytest.mark.slow
def test_editable_install_with_packages_in_several_folders_imports_them_all(
    tmp_path: Path, packkit_wheelhouse: Path, scm_env: Env
) -> None:
    project = crafted(
        tmp_path,
        '[tool.packkit]\npackages = ["src/crafted", "lib/helper", "src/extra", "tool.py"]\n',
        {
            "lib/helper/__init__.py": b"WHERE = 'lib'\n",
            "src/extra/__init__.py": b"WHERE = 'src'\n",
            "tool.py": b"WHERE = 'root'\n",
        },
    )
    venv = make_venv(tmp_path / "venv")
    env = {**os.environ, **tool_environ(packkit_wheelhouse, tmp_path / "cache")}
    run([venv.python, "-m", "pip", "install", "--no-deps", "-e", project], env=env)
    imported = venv.eval(
        "import crafted, helper, extra, tool; print(helper.WHERE, extra.WHERE, tool.WHERE)"
    )
    assert imported == "lib src root"
    # One line per distinct folder, in the order of `packages`.
    pth = (venv.site_packages / "crafted.pth").read_text().splitlines()
    real = project.resolve()
    assert pth == [str(real / "src"), str(real / "lib"), str(real)]
