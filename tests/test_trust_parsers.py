"""Hostile input (issue: trust), the parsers: what a downloaded sdist, a git archive or the
environment hands packkit must give a version, or a clear error, never a panic, a hang or a
silently wrong value.

The mechanisms: ``src/read.rs`` (regular files only, for every file packkit reads),
``version::clean`` (a version used as written loses the white space around it and must be PEP
440), the ``version-file`` template rendered as ``str.format`` with Python literals, and the
RFC 822 readers of ``.git_archival.txt`` and ``PKG-INFO`` made to read as Python's email parser
(setuptools_scm's ``data_from_mime``). ``src/properties.rs`` feeds the same parsers arbitrary
input from ``cargo test``.
"""

from __future__ import annotations

import json
import os
import subprocess
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import packkit
import pytest
from helpers.backend import Venv, run
from helpers.git import ARCHIVAL_TEMPLATE, Env, Repo
from helpers.oracle import oracle_result, oracle_version
from helpers.pyproject import write_pyproject
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from packaging.version import Version
from vcs_versioning._dump_version import write_version_to_path

PY_VERSION_FILE = "src/crafted/_version.py"


def crafted(root: Path, tool: str = "", project: str = "") -> Path:
    """A project outside git (no fallback version unless ``tool`` sets one)."""
    path = root / "crafted"
    (path / "src" / "crafted").mkdir(parents=True)
    (path / "src" / "crafted" / "__init__.py").write_text("")
    (path / "pyproject.toml").write_text(
        "[build-system]\n"
        'requires = ["packkit"]\n'
        'build-backend = "packkit.backend"\n\n'
        f'[project]\nname = "crafted"\ndynamic = ["version"]\n{project}\n'
        f"[tool.packkit]\n{tool}"
    )
    return path


def version_module(wheel: Path) -> str:
    with zipfile.ZipFile(wheel) as archive:
        return archive.read("crafted/_version.py").decode()


def compiles_to(source: str) -> dict[str, object]:
    """The module's globals, after checking that the source compiles (and runs) as Python."""
    namespace: dict[str, object] = {}
    exec(compile(source, "_version.py", "exec"), namespace)
    return namespace


# --------------------------------------------------------------------------------------------
# Item 9: no input panics


def test_a_non_ascii_node_in_git_archival_is_an_error_not_a_panic(
    tmp_path: Path, scm_env: Env, packkit_cli: list[str]
) -> None:
    project = crafted(tmp_path)
    # Odd: `g` + this is cut inside a character at byte 10.
    (project / ".git_archival.txt").write_text("node: ééééééééé\n", encoding="utf-8")
    with pytest.raises(packkit.ScmError) as info:
        packkit.get_version(project)
    message = str(info.value)
    assert ".git_archival.txt" in message and "not a commit hash" in message
    assert "internal error" not in message
    cli = run([*packkit_cli, "version", project, "--format", "json"], check=False)
    assert cli.returncode == 1 and "not a commit hash" in cli.stderr, cli.stderr


@contextmanager
def environment(**values: str) -> Iterator[None]:
    """``os.environ`` with ``values`` for the duration (Hypothesis examples share a test)."""
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, old in saved.items():
            if old is None:
                del os.environ[key]
            else:
                os.environ[key] = old


def clean_failure(error: BaseException) -> None:
    """A refusal is a ``PackkitError`` or ``ValueError`` that is not a caught bug."""
    assert isinstance(error, (packkit.PackkitError, ValueError)), repr(error)
    assert "internal error" not in str(error), str(error)


# Text that environment variables and files can hold (no NUL, no lone surrogate).
TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=40)
VERSIONISH = st.from_regex(
    r"[ \t\n]*v?[0-9]{1,3}(\.[0-9]{1,3}){0,3}([ab]|rc|\.post|\.dev)?"
    r"[0-9]?(\+[a-z0-9.]{1,6})?[ \t\r\n]*",
    fullmatch=True,
)
HEADER_LINES = st.lists(
    st.one_of(
        st.tuples(
            st.sampled_from(["node", "node-date", "describe-name", "ref-names", "Version"]),
            # Short non-ASCII values too: what byte slicing cuts inside a character.
            st.one_of(TEXT, VERSIONISH, st.text("0aé😀 \t", min_size=4, max_size=12)),
        ).map(lambda kv: f"{kv[0]}: {kv[1]}"),
        TEXT,
    ),
    max_size=5,
).map("\n".join)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    value=st.one_of(TEXT, VERSIONISH),
    variable=st.sampled_from(["SETUPTOOLS_SCM_PRETEND_VERSION", "PACKKIT_PRETEND_VERSION"]),
)
def test_any_pretend_version_gives_a_version_or_a_clean_error(
    value: str, variable: str, tmp_path_factory: pytest.TempPathFactory, scm_env: Env
) -> None:
    project = tmp_path_factory.mktemp("pretend")
    write_pyproject(project)
    with environment(**{variable: value}):
        try:
            version = packkit.get_version(project)
        except BaseException as error:
            clean_failure(error)
            assert variable in str(error)
        else:
            assert version == value.strip()
            assert str(Version(version)) == str(Version(value))


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.one_of(HEADER_LINES, TEXT),
    raw=st.binary(max_size=20),
    as_bytes=st.booleans(),
    name=st.sampled_from([".git_archival.txt", "PKG-INFO"]),
)
def test_any_archival_or_pkg_info_file_gives_a_version_or_a_clean_error(
    text: str,
    raw: bytes,
    as_bytes: bool,
    name: str,
    tmp_path_factory: pytest.TempPathFactory,
    scm_env: Env,
) -> None:
    project = tmp_path_factory.mktemp("archive")
    write_pyproject(project)
    if as_bytes:
        (project / name).write_bytes(raw)
    else:
        (project / name).write_text(text, encoding="utf-8")
    try:
        version = packkit.get_version(project)
        facts = packkit.describe(project)
    except BaseException as error:
        clean_failure(error)
    else:
        assert version == str(version).strip() and Version(version)
        assert facts.node is None or facts.node.isascii()


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(TEXT, VERSIONISH))
def test_any_version_text_gives_a_version_or_invalid_version(text: str) -> None:
    try:
        version = packkit.Version(text)
    except BaseException as error:
        clean_failure(error)
        assert isinstance(error, packkit.InvalidVersion)
    else:
        assert str(version) == str(Version(text))


# --------------------------------------------------------------------------------------------
# Item 10: pretend versions and the version file


@pytest.mark.parametrize(
    "variable",
    [
        "SETUPTOOLS_SCM_PRETEND_VERSION",
        "SETUPTOOLS_SCM_PRETEND_VERSION_FOR_CRAFTED",
        "PACKKIT_PRETEND_VERSION",
        "PACKKIT_PRETEND_VERSION_FOR_CRAFTED",
    ],
)
@pytest.mark.parametrize("value", ["1.2.3\n", " 1.2.3 ", "\t1.2.3\r\n"])
def test_pretend_version_with_white_space_around_is_used_without_it(
    variable: str, value: str, tmp_path: Path, scm_env: Env
) -> None:
    project = crafted(tmp_path, tool=f'version-file = "{PY_VERSION_FILE}"\n')
    scm_env.set(variable, value)
    assert packkit.get_version(project) == "1.2.3"
    wheel = packkit.build_wheel(project, tmp_path / "dist")
    assert wheel.name == "crafted-1.2.3-py3-none-any.whl"
    module = compiles_to(version_module(wheel))
    assert module["__version__"] == "1.2.3" and module["__version_tuple__"] == (1, 2, 3)
    # setuptools_scm keeps the white space in the string (so its own `_version.py` holds
    # '1.2.3\n'); it is the same version once packaging reads it, as in the metadata.
    assert Version(oracle_version(project, env={variable: value})) == Version("1.2.3")


@pytest.mark.parametrize(
    "value", ["", "  \n", "1.2.3\nimport os", "1.0'; import os; os.system('id') #", "1.0\\n"]
)
def test_a_pretend_version_that_is_not_pep_440_after_stripping_is_refused(
    value: str, tmp_path: Path, scm_env: Env, packkit_cli: list[str]
) -> None:
    project = crafted(tmp_path, tool=f'version-file = "{PY_VERSION_FILE}"\n')
    scm_env.set("SETUPTOOLS_SCM_PRETEND_VERSION_FOR_CRAFTED", value)
    with pytest.raises(packkit.ScmError, match="SETUPTOOLS_SCM_PRETEND_VERSION_FOR_CRAFTED"):
        packkit.build_wheel(project, tmp_path / "dist")
    assert not (project / PY_VERSION_FILE).exists()
    cli = run([*packkit_cli, "version", project], check=False)
    assert cli.returncode == 1
    assert "SETUPTOOLS_SCM_PRETEND_VERSION_FOR_CRAFTED" in cli.stderr and "hint:" in cli.stderr


@pytest.mark.slow
def test_pip_wheel_with_a_pretend_version_ending_in_a_newline_ships_a_valid_version_file(
    tmp_path: Path, install_venv: Venv, packkit_wheelhouse: Path, scm_env: Env
) -> None:
    project = crafted(tmp_path, tool=f'version-file = "{PY_VERSION_FILE}"\n')
    env = {**os.environ, "SETUPTOOLS_SCM_PRETEND_VERSION": "2.0.1\n", "PIP_NO_INDEX": "1"}
    run(
        [
            install_venv.python,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            tmp_path / "wheels",
            project,
        ],
        env=env,
    )
    (wheel,) = (tmp_path / "wheels").iterdir()
    assert wheel.name == "crafted-2.0.1-py3-none-any.whl"
    assert compiles_to(version_module(wheel))["__version__"] == "2.0.1"


TEMPLATES = [
    "VERSION = {{'version': {version!r}, 'tuple': {version_tuple}}}\n",
    'V = "{version}"  # {{not a field}}\n',
    "T = {version_tuple!r}\nN = {scm_version.short_node!r}\n",
    "D = '''{version}'''\nS = {version!r}\n",
]


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("version", ["1.0", "1!2.0rc1.post3.dev4+local.7", "0.1.dev3"])
def test_version_file_templates_render_as_str_format_like_setuptools_scm(
    template: str, version: str, tmp_path: Path, scm_env: Env
) -> None:
    # A JSON string is a TOML basic string.
    tool = f'version-file = "{PY_VERSION_FILE}"\nversion-file-template = {json.dumps(template)}\n'
    project = crafted(tmp_path, tool=tool)
    scm_env.set("PACKKIT_PRETEND_VERSION", version)
    written = version_module(packkit.build_wheel(project, tmp_path / "dist"))
    reference = tmp_path / "reference.py"
    write_version_to_path(reference, template, version, scm_version=None)
    assert written == reference.read_text()
    compiles_to(written)


@pytest.mark.parametrize(
    ("template", "problem"),
    [
        ("V = {version", "without its `}`"),
        ("V = }{version}", "single `}`"),
        ("V = {scm_version.distance}", "unknown field `scm_version.distance`"),
        ("V = {version:>10}", "format specifications"),
    ],
)
def test_a_template_str_format_would_refuse_is_reported_with_its_key(
    template: str, problem: str, tmp_path: Path, scm_env: Env
) -> None:
    project = crafted(
        tmp_path,
        tool=f'fallback-version = "1.0"\nversion-file = "_v.txt"\n'
        f'version-file-template = "{template}"\n',
    )
    (found,) = packkit.Project.load(project).validate()
    assert found.key == "tool.packkit.version-file-template" and found.line == 12
    assert problem in found.message and "{{" in (found.hint or "")


# --------------------------------------------------------------------------------------------
# Item 16: a named pipe where a file is read


FIFO_CASES = {
    "pyproject.toml": ("version", ""),
    "README.md": ("check", 'readme = "README.md"\n'),
    "LICENSE": ("check", 'license = { file = "LICENSE" }\n'),
    "PKG-INFO": ("version", ""),
    ".git_archival.txt": ("version", ""),
}


@pytest.mark.parametrize("name", list(FIFO_CASES))
def test_a_named_pipe_instead_of_a_file_is_an_error_not_a_hang(
    name: str, tmp_path: Path, scm_env: Env, packkit_cli: list[str]
) -> None:
    command, project_extra = FIFO_CASES[name]
    project = crafted(tmp_path, project=project_extra)
    target = project / name
    target.unlink(missing_ok=True)
    os.mkfifo(target)
    try:
        done = subprocess.run(
            [*packkit_cli, command, str(project)],
            capture_output=True,
            text=True,
            timeout=20,
            env=scm_env.as_dict(),
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"packkit {command} hangs on a named pipe called {name}")
    assert done.returncode == 1, done.stderr
    assert name in done.stderr and "not a regular file (a named pipe)" in done.stderr, done.stderr


# --------------------------------------------------------------------------------------------
# Small things in the same parsers, each cross-checked against setuptools_scm


def archive_project(make_repo: Callable[..., Repo], archival: str, **config: object) -> Repo:
    repo = make_repo()
    write_pyproject(repo.path, packkit=config or None)
    repo.commit(
        files={
            "pyproject.toml": (repo.path / "pyproject.toml").read_text(),
            ".gitattributes": ".git_archival.txt export-subst\n",
            ".git_archival.txt": archival,
        }
    )
    return repo


def test_archival_node_date_is_read_as_setuptools_scm_reads_it(
    make_repo: Callable[..., Repo],
) -> None:
    # setuptools_scm 10.3.4 does not read `node-date` from an archive: `node_date` stays
    # unset and calver-by-date counts from the build date (SOURCE_DATE_EPOCH), not the commit's.
    repo = archive_project(make_repo, ARCHIVAL_TEMPLATE, **{"version-scheme": "calver-by-date"})
    repo.tag("v2023.01.01")
    repo.commits(2)
    tree = repo.archive(repo.path.parent / "export")
    assert "node-date: 2024-01-01T03:00:00" in (tree / ".git_archival.txt").read_text()
    assert packkit.describe(tree).node_date is None
    version = packkit.get_version(tree)
    assert version == oracle_version(tree, version_scheme="calver-by-date")
    assert version.startswith("2024.6.15.0.dev2+g"), version


@pytest.mark.parametrize("refs", ["%D", "%d"])
def test_archival_ref_names_with_several_tags_take_the_first_written_like_setuptools_scm(
    refs: str, make_repo: Callable[..., Repo]
) -> None:
    repo = archive_project(make_repo, f"node: $Format:%H$\nref-names: $Format:{refs}$\n")
    repo.tag("v1.9")
    repo.tag("v1.10")
    repo.tag("latest")
    repo.commit()  # HEAD moves on: the archived commit's decoration has only its tags
    tree = repo.archive(repo.path.parent / "export", ref="v1.9")
    text = (tree / ".git_archival.txt").read_text()
    assert "tag: v1.9, tag: v1.10" in text, text  # git writes them in reverse name order
    assert packkit.get_version(tree) == oracle_version(tree) == "1.9"


@pytest.mark.parametrize(
    ("pkg_info", "expected"),
    [
        ("Version:\n 1.2.3\n", "1.2.3"),
        ("Version: \n\t1.2.3\r\n", "1.2.3"),
        ("Version: 1.2.3\nName: demo\n\nVersion: 9\n", "1.2.3"),
    ],
)
def test_pkg_info_version_header_is_read_as_email_reads_it(
    pkg_info: str, expected: str, tmp_path: Path, scm_env: Env
) -> None:
    project = crafted(tmp_path, tool=f'version-file = "{PY_VERSION_FILE}"\n')
    (project / "PKG-INFO").write_text("Metadata-Version: 2.1\nName: crafted\n" + pkg_info)
    assert packkit.get_version(project) == expected
    # setuptools_scm keeps the folded text ('\n 1.2.3'); packaging reads the same version.
    assert Version(oracle_version(project)) == Version(expected)
    wheel = packkit.build_wheel(project, tmp_path / "dist")
    assert compiles_to(version_module(wheel))["__version__"] == expected


@pytest.mark.parametrize("pkg_info", ["Version: 1.0\n 2\n", "Version: 1.0\nVersion: 2.0\n"])
def test_pkg_info_without_one_clear_version_is_refused(
    pkg_info: str, tmp_path: Path, scm_env: Env
) -> None:
    project = crafted(tmp_path)
    (project / "PKG-INFO").write_text(pkg_info)
    with pytest.raises(packkit.ScmError, match="PKG-INFO"):
        packkit.get_version(project)
    if "\n 2" in pkg_info:  # setuptools_scm refuses it too
        assert oracle_result(project).version is None
