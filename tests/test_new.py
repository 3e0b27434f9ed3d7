"""``packkit new``: refusals that write nothing, license texts, the repository checked with the
real ``git`` CLI, and (slow) each generated variant installed into a fresh venv, where its own
tests, build, docs and version must work.

The slow tests run offline: packkit comes from its wheelhouse (``target/wheels-dev``) and the
generated project's pytest and Sphinx from ``target/wheelhouse-new``, which
``make wheelhouse-new`` fills from PyPI (``make ci`` and ``.ci/run`` do it first).
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import packkit
import pytest
import yaml
from helpers.backend import Venv, locate_wheelhouse, make_venv, run, tool
from helpers.git import Env
from helpers.hook_replicas import offline_config
from packaging.metadata import Metadata

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

REPO_ROOT = Path(__file__).resolve().parent.parent
STDLIB_LIST = REPO_ROOT / "src" / "scaffold" / "stdlib_module_names.txt"
NEW_WHEELHOUSE = REPO_ROOT / "target" / "wheelhouse-new"
DEV_VERSION = re.compile(r"^0\.1\.dev1\+g[0-9a-f]{9}$")
REQUIREMENTS_DEV = REPO_ROOT / "requirements-dev.txt"

DEFAULT_FILES = {
    "pyproject.toml",
    "README.md",
    "CHANGELOG.md",
    "LICENSE",
    ".gitignore",
    ".gitattributes",
    ".git_archival.txt",
    ".pre-commit-config.yaml",
    "noxfile.py",
    "src/my_project/__init__.py",
    "src/my_project/core.py",
    "src/my_project/py.typed",
    "tests/conftest.py",
    "tests/test_core.py",
    "docs/conf.py",
    "docs/index.rst",
    "docs/api.rst",
    "docs/changelog.rst",
}


def new(
    packkit_cli: list[str], cwd: Path, env: Env, *args: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*packkit_cli, "new", *args],
        cwd=cwd,
        env=env.as_dict(),
        capture_output=True,
        text=True,
        check=False,
    )


def git(path: Path, env: Env, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=path, env=env.as_dict(), capture_output=True, text=True, check=True
    ).stdout.strip()


def packkit_version(packkit_cli: list[str], path: Path, env: Env) -> str:
    return run([*packkit_cli, "version", path], env=env.as_dict()).stdout.strip()


def listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def project_files(root: Path) -> set[str]:
    return {
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


# --------------------------------------------------------------------------------------------
# Refusals: each says what is wrong and how to fix it, and writes nothing


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["my project"], "not a valid project name"),
        (["-x"], None),  # an option to clap: a usage error
        (["my-"], "not a valid project name"),
        (["../escape"], "not a valid project name"),
        (["3d-tools"], "starts with a digit"),
        (["import"], "Python keyword"),
        (["json"], "standard library"),
        (["email"], "standard library"),
        (["my-project", "--license", "WTFPL"], "no text for the license"),
        (["my-project", "--ci", "travis"], None),
        (["my-project", "missing/parent/my-project"], "does not exist"),
        (["my-project", "--author", 'Evil "Quote'], "cannot be used"),
        (["my-project", "--email", "not-an-email"], "cannot be used"),
        (["my-project", "--namespace", "acme.class"], "Python keyword"),
        (["my-project", "--namespace", "Acme.Tools"], "not a valid namespace"),
        (["my-project", "--namespace", "acme..tools"], "not a valid namespace"),
        (["my-project", "--namespace", "json.tools"], "standard library"),
        (["my-project", "--rst", "--markdown"], None),
    ],
)
def test_a_refusal_writes_nothing(
    packkit_cli: list[str], tmp_path: Path, scm_env: Env, args: list[str], expected: str | None
) -> None:
    before = listing(tmp_path)
    proc = new(packkit_cli, tmp_path, scm_env, *args)
    if expected is None:
        assert proc.returncode == 2, proc.stderr
    else:
        assert proc.returncode == 1, proc.stderr
        assert expected in proc.stderr
        assert "hint: " in proc.stderr
    assert proc.stdout == ""
    assert listing(tmp_path) == before


def test_a_non_empty_folder_is_refused_and_kept(
    packkit_cli: list[str], tmp_path: Path, scm_env: Env
) -> None:
    target = tmp_path / "my-project"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    proc = new(packkit_cli, tmp_path, scm_env, "my-project")
    assert proc.returncode == 1
    assert "already exists and is not empty" in proc.stderr
    assert "hint: " in proc.stderr
    assert listing(tmp_path) == ["my-project", "my-project/notes.txt"]
    assert (target / "notes.txt").read_text() == "mine"


def test_a_file_at_the_target_is_refused(
    packkit_cli: list[str], tmp_path: Path, scm_env: Env
) -> None:
    (tmp_path / "my-project").write_text("a file")
    proc = new(packkit_cli, tmp_path, scm_env, "my-project")
    assert proc.returncode == 1
    assert "not a folder" in proc.stderr
    assert (tmp_path / "my-project").read_text() == "a file"


def test_a_stdlib_name_is_accepted_with_force_name(
    packkit_cli: list[str], tmp_path: Path, scm_env: Env
) -> None:
    proc = new(packkit_cli, tmp_path, scm_env, "json", "--force-name", "--no-git")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "json" / "src" / "json" / "__init__.py").is_file()


def test_the_compiled_stdlib_list_covers_the_running_python() -> None:
    """The list compiled into packkit is the union of 3.10 to 3.13's: it holds every name of
    the running Python's (3.10 to 3.13)."""
    lines = STDLIB_LIST.read_text().splitlines()
    compiled = {line for line in lines if line and not line.startswith("#")}
    assert set(sys.stdlib_module_names) <= compiled
    assert {"json", "email", "tomllib", "asynchat", "distutils"} <= compiled


def test_every_stdlib_module_name_is_refused(tmp_path: Path) -> None:
    """Through the Python API (in-process, fast): every importable name of the running
    Python's stdlib that is a valid project name is refused, and nothing is written."""
    names = [
        n for n in sorted(sys.stdlib_module_names) if re.fullmatch(r"[a-z][a-z0-9_]*[a-z0-9]", n)
    ]
    assert len(names) > 150
    for name in names:
        with pytest.raises(packkit.ConfigError, match="standard library"):
            packkit.new(tmp_path / name, git=False)
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------------------------
# License texts


LICENSE_TEXTS = {
    "MIT": ("MIT License", "Copyright (c) {year} Packkit Tester", "DEALINGS IN THE SOFTWARE."),
    "Apache-2.0": ("Apache License", "Version 2.0, January 2004", "limitations under the License."),
    "BSD-3-Clause": (
        "Copyright (c) {year} Packkit Tester.",
        "Redistribution and use in source and binary forms",
        "POSSIBILITY OF SUCH DAMAGE.",
    ),
    "GPL-3.0-or-later": (
        "GNU GENERAL PUBLIC LICENSE",
        "END OF TERMS AND CONDITIONS",
        "https://www.gnu.org/philosophy/why-not-lgpl.html>.",
    ),
    "MPL-2.0": (
        "Mozilla Public License Version 2.0",
        'Exhibit B - "Incompatible With Secondary Licenses" Notice',
        "defined by the Mozilla Public License, v. 2.0.",
    ),
    "LicenseRef-Proprietary": (
        "Copyright (c) {year} Packkit Tester. All rights reserved.",
        "proprietary and confidential",
        "CONNECTION WITH THE SOFTWARE OR ITS USE.",
    ),
}
MINIMUM_LENGTH = {"Apache-2.0": 10_000, "GPL-3.0-or-later": 34_000, "MPL-2.0": 16_000}


@pytest.mark.parametrize("license_id", sorted(LICENSE_TEXTS))
def test_each_license_text_is_whole_and_matches_the_metadata(
    tmp_path: Path, scm_env: Env, license_id: str
) -> None:
    import datetime as dt

    path = packkit.new(tmp_path / "lic", "lic-demo", license=license_id, git=False)  # type: ignore[arg-type]
    text = (path / "LICENSE").read_text()
    year = dt.datetime.now(dt.timezone.utc).year
    first, middle, last = (part.format(year=year) for part in LICENSE_TEXTS[license_id])
    assert text.splitlines()[0].strip() == first
    assert middle in text
    assert text.rstrip().endswith(last)
    assert len(text) >= MINIMUM_LENGTH.get(license_id, 400)
    assert "{{" not in text
    project = tomllib.loads((path / "pyproject.toml").read_text())["project"]
    assert project["license"] == license_id
    assert project["license-files"] == ["LICENSE"]
    # The core metadata packkit writes for it is valid and says the same (PEP 639).
    scm_env.set("PACKKIT_PRETEND_VERSION", "0.1.0")
    metadata = Metadata.from_email(packkit.Project.load(path).metadata, validate=True)
    assert str(metadata.license_expression) == license_id
    assert [str(f) for f in metadata.license_files or []] == ["LICENSE"]


# --------------------------------------------------------------------------------------------
# The repository, checked with the real git CLI


def test_the_repository_is_clean_with_one_commit_by_the_author(
    packkit_cli: list[str], tmp_path: Path, scm_env: Env
) -> None:
    proc = new(packkit_cli, tmp_path, scm_env, "my-project")
    assert proc.returncode == 0, proc.stderr
    root = tmp_path / "my-project"
    assert proc.stdout.strip() == "my-project"
    assert "created my-project/" in proc.stderr
    assert listing(tmp_path)[0] == "my-project"  # no staging folder left beside it
    assert project_files(root) == DEFAULT_FILES | {".github/workflows/ci.yml"}

    assert git(root, scm_env, "status", "--porcelain", "--untracked-files=all") == ""
    assert git(root, scm_env, "branch", "--show-current") == "main"
    log = git(root, scm_env, "log", "--format=%an <%ae>|%cn <%ce>|%s").splitlines()
    assert log == [
        "Packkit Tester <tester@example.invalid>|Packkit Tester <tester@example.invalid>|"
        "Create the project with packkit new"
    ]
    git(root, scm_env, "fsck", "--strict", "--no-dangling")
    tracked = set(git(root, scm_env, "ls-files").splitlines())
    assert tracked == project_files(root)
    # The index has the files' stat data: git finds nothing to refresh.
    assert git(root, scm_env, "diff-files", "--name-only") == ""

    head = git(root, scm_env, "rev-parse", "--short=9", "HEAD")
    version = packkit_version(packkit_cli, root, scm_env)
    assert DEV_VERSION.match(version), version
    assert version == f"0.1.dev1+g{head}"
    git(root, scm_env, "tag", "v0.1.0")
    assert packkit_version(packkit_cli, root, scm_env) == "0.1.0"

    # `git archive` fills in .git_archival.txt: the tarball knows its version.
    archive = subprocess.run(
        ["git", "archive", "--format=tar", "HEAD"],
        cwd=root,
        env=scm_env.as_dict(),
        capture_output=True,
        check=True,
    ).stdout
    unpacked = tmp_path / "unpacked"
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(unpacked, filter="data")
    assert "describe-name: v0.1.0" in (unpacked / ".git_archival.txt").read_text()
    assert packkit_version(packkit_cli, unpacked, scm_env) == "0.1.0"


def test_the_author_comes_from_the_git_configuration(
    packkit_cli: list[str], tmp_path: Path, scm_env: Env
) -> None:
    config = tmp_path / "gitconfig"
    config.write_text("[user]\n\tname = Grace Hopper\n\temail = grace@example.org\n")
    for key in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        scm_env.unset(key)
    scm_env.set("GIT_CONFIG_GLOBAL", str(config))
    work = tmp_path / "work"
    work.mkdir()
    proc = new(packkit_cli, work, scm_env, "my-project")
    assert proc.returncode == 0, proc.stderr
    root = work / "my-project"
    assert git(root, scm_env, "log", "--format=%an <%ae>") == "Grace Hopper <grace@example.org>"
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    assert project["authors"] == [{"name": "Grace Hopper", "email": "grace@example.org"}]
    assert "Copyright (c) " in (root / "LICENSE").read_text()
    assert "Grace Hopper" in (root / "LICENSE").read_text()


def test_without_an_identity_git_is_refused_but_no_git_works(
    packkit_cli: list[str], tmp_path: Path, scm_env: Env
) -> None:
    for key in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL"):
        scm_env.unset(key)
    proc = new(packkit_cli, tmp_path, scm_env, "my-project")
    assert proc.returncode == 1
    assert "--no-git" in proc.stderr
    assert list(tmp_path.iterdir()) == []
    proc = new(packkit_cli, tmp_path, scm_env, "my-project", "--no-git")
    assert proc.returncode == 0, proc.stderr
    assert not (tmp_path / "my-project" / ".git").exists()
    project = tomllib.loads((tmp_path / "my-project" / "pyproject.toml").read_text())["project"]
    assert "authors" not in project


def test_an_empty_folder_is_filled(packkit_cli: list[str], tmp_path: Path, scm_env: Env) -> None:
    (tmp_path / "here").mkdir()
    proc = new(packkit_cli, tmp_path, scm_env, "my-project", "here", "--ci", "none")
    assert proc.returncode == 0, proc.stderr
    assert project_files(tmp_path / "here") == DEFAULT_FILES


DATA_SCIENCE_FILES = {
    "notebooks/example.ipynb",
    "data/raw/.gitkeep",
    "data/processed/.gitkeep",
    "models/.gitkeep",
}
NAMESPACED = {
    path.replace("src/my_project/", "src/acme/tools/my_project/") for path in DEFAULT_FILES
}
GITHUB = {".github/workflows/ci.yml"}

#: Each variant's options and the exact files it makes.
VARIANT_FILES = {
    "default": ([], DEFAULT_FILES | GITHUB),
    "rst": (["--rst"], (DEFAULT_FILES - {"README.md"}) | {"README.rst"} | GITHUB),
    "namespace": (["--namespace", "acme.tools"], NAMESPACED | GITHUB),
    "data-science": (["--data-science"], DEFAULT_FILES | GITHUB | DATA_SCIENCE_FILES),
    "gitlab": (["--ci", "gitlab"], DEFAULT_FILES | {".gitlab-ci.yml"}),
    "no-ci": (["--ci", "none"], DEFAULT_FILES),
    "no-git": (["--no-git"], DEFAULT_FILES | GITHUB),
    "all": (
        ["--rst", "--namespace", "acme.tools", "--data-science", "--ci", "gitlab"],
        (NAMESPACED - {"README.md"}) | {"README.rst", ".gitlab-ci.yml"} | DATA_SCIENCE_FILES,
    ),
}


@pytest.mark.parametrize("variant", sorted(VARIANT_FILES))
def test_each_variant_makes_its_files_says_how_many_and_commits_them(
    packkit_cli: list[str], tmp_path: Path, scm_env: Env, variant: str
) -> None:
    args, expected = VARIANT_FILES[variant]
    proc = new(packkit_cli, tmp_path, scm_env, "my-project", *args)
    assert proc.returncode == 0, proc.stderr
    root = tmp_path / "my-project"
    assert project_files(root) == expected
    repository = "" if "--no-git" in args else " and a git repository with a first commit"
    assert f"created my-project/ ({len(expected)} files){repository}\n" in proc.stderr
    extras = "test,notebook" if "--data-science" in args else "test"
    assert f"next: cd my-project && pip install -e '.[{extras}]' && pytest\n" in proc.stderr
    project = tomllib.loads((root / "pyproject.toml").read_text())
    assert project["project"]["readme"] == ("README.rst" if "--rst" in args else "README.md")
    if "--no-git" not in args:
        # Every file is committed, the .gitkeep files too, though their folders are ignored.
        assert set(git(root, scm_env, "ls-files").splitlines()) == expected
        assert git(root, scm_env, "status", "--porcelain", "--untracked-files=all") == ""


def test_data_and_models_are_ignored_but_their_folders_kept(
    packkit_cli: list[str], tmp_path: Path, scm_env: Env
) -> None:
    proc = new(packkit_cli, tmp_path, scm_env, "my-project", "--data-science")
    assert proc.returncode == 0, proc.stderr
    root = tmp_path / "my-project"
    dumps = [
        "data/raw/customers.csv",
        "data/processed/features.parquet",
        "data/processed/2026/part-0.parquet",
        "models/churn.pkl",
        "notebooks/.ipynb_checkpoints/example-checkpoint.ipynb",
    ]
    for dump in dumps:
        (root / dump).parent.mkdir(parents=True, exist_ok=True)
        (root / dump).write_text("secret")
    (root / "notebooks" / "explore.ipynb").write_text("{}")
    assert git(root, scm_env, "status", "--porcelain", "--untracked-files=all") == (
        "?? notebooks/explore.ipynb"
    )
    # Nor does the sdist take them (packkit selects what git would).
    sdist = {entry.path for entry in packkit.Project.load(root).files()["sdist"]}
    assert not {dump for dump in dumps if any(p.endswith(dump) for p in sdist)}, sdist
    assert any(p.endswith("data/raw/.gitkeep") for p in sdist), sdist


def test_pre_commit_pins_the_ruff_packkit_is_linted_with(
    packkit_cli: list[str], tmp_path: Path, scm_env: Env
) -> None:
    """The generated project's ruff hook is the ruff of requirements-dev.txt, the one
    ``test_the_generated_code_passes_ruff`` runs: the code packkit writes passes its own hook."""
    pinned = re.search(r"^ruff==([0-9.]+)", REQUIREMENTS_DEV.read_text(), re.MULTILINE)
    assert pinned
    path = packkit.new(tmp_path / "my-project", git=False, data_science=True)
    config = yaml.safe_load((path / ".pre-commit-config.yaml").read_text())
    revs = {repo["repo"].rsplit("/", 1)[-1]: repo["rev"] for repo in config["repos"]}
    assert revs["ruff-pre-commit"] == f"v{pinned[1]}"
    hooks = {
        repo["repo"].rsplit("/", 1)[-1]: [h["id"] for h in repo["hooks"]]
        for repo in config["repos"]
    }
    assert hooks == {
        "ruff-pre-commit": ["ruff-check", "ruff-format"],
        "pre-commit-hooks": [
            "check-toml",
            "check-yaml",
            "end-of-file-fixer",
            "trailing-whitespace",
        ],
        "nbstripout": ["nbstripout"],
    }
    plain = packkit.new(tmp_path / "plain", git=False)
    assert "nbstripout" not in (plain / ".pre-commit-config.yaml").read_text()


@pytest.mark.parametrize(
    "variant", [[], ["--data-science"], ["--namespace", "acme.tools"]], ids=str
)
def test_the_generated_code_passes_ruff(
    packkit_cli: list[str], tmp_path: Path, scm_env: Env, variant: list[str]
) -> None:
    """With the project's own ruff settings and packkit's pinned ruff (notebooks included)."""
    proc = new(packkit_cli, tmp_path, scm_env, "my-project", "--no-git", *variant)
    assert proc.returncode == 0, proc.stderr
    root = tmp_path / "my-project"
    run([tool("ruff"), "check", "--no-cache", "."], cwd=root)
    run([tool("ruff"), "format", "--check", "--no-cache", "."], cwd=root)


def test_a_namespace_package_builds_without_init_files_above_it(
    tmp_path: Path, scm_env: Env
) -> None:
    """``--namespace acme.tools``: the wheel holds ``acme/tools/my_project/`` and no
    ``acme/__init__.py`` or ``acme/tools/__init__.py`` (PEP 420), from the tree and from the
    sdist alike, and the editable install puts ``src`` on ``sys.path``."""
    root = packkit.new(tmp_path / "my-project", namespace="acme.tools", git=False)
    assert not (root / "src" / "acme" / "__init__.py").exists()
    assert not (root / "src" / "acme" / "tools" / "__init__.py").exists()
    scm_env.set("PACKKIT_PRETEND_VERSION", "0.1.0")
    wheel = packkit.build_wheel(root, tmp_path / "dist")
    sdist = packkit.build_sdist(root, tmp_path / "dist")
    with zipfile.ZipFile(wheel) as archive:
        code = sorted(n for n in archive.namelist() if ".dist-info/" not in n)
    assert code == [
        "acme/tools/my_project/__init__.py",
        "acme/tools/my_project/core.py",
        "acme/tools/my_project/py.typed",
    ]
    with tarfile.open(sdist) as tar:
        assert "my_project-0.1.0/src/acme/tools/my_project/core.py" in tar.getnames()


@pytest.mark.slow
@pytest.mark.parametrize("variant", [[], ["--namespace", "acme.tools"]], ids=str)
def test_the_generated_package_and_tests_pass_mypy_strict(
    packkit_cli: list[str], tmp_path: Path, scm_env: Env, variant: list[str]
) -> None:
    """The package is typed (py.typed): its code and tests pass packkit's pinned mypy, also
    inside namespace folders without ``__init__.py`` (with the project's ``[tool.mypy]``)."""
    proc = new(packkit_cli, tmp_path, scm_env, "my-project", "--no-git", *variant)
    assert proc.returncode == 0, proc.stderr
    root = tmp_path / "my-project"
    cache = tmp_path / "mypy-cache"
    run([tool("mypy"), "--strict", "--cache-dir", cache, "src", "tests"], cwd=root)


# --------------------------------------------------------------------------------------------
# The Python API


def test_python_api_returns_the_path_and_raises_packkit_errors(
    tmp_path: Path, scm_env: Env
) -> None:
    path = packkit.new(tmp_path / "api-demo", ci="gitlab", license="Apache-2.0")
    assert path == tmp_path / "api-demo"
    assert isinstance(path, Path)
    assert (path / ".gitlab-ci.yml").is_file()
    assert DEV_VERSION.match(packkit.get_version(path))
    with pytest.raises(packkit.ConfigError, match="not empty") as info:
        packkit.new(path)
    assert info.value.key == "path"
    with pytest.raises(packkit.ConfigError, match="no text for the license"):
        packkit.new(tmp_path / "other", license="WTFPL")  # type: ignore[arg-type]
    with pytest.raises(packkit.ConfigError, match="unknown CI"):
        packkit.new(tmp_path / "other", ci="travis")  # type: ignore[arg-type]
    assert not (tmp_path / "other").exists()


# --------------------------------------------------------------------------------------------
# The generated project, in a fresh venv (offline)


def new_wheelhouse() -> Path:
    folder = Path(os.environ.get("PACKKIT_NEW_WHEELHOUSE", NEW_WHEELHOUSE))
    needed = ["pytest", "sphinx", "nox", "pre_commit", "nbclient", "ipykernel", "nbstripout"]
    missing = [name for name in needed if not any(folder.glob(f"{name}-*.whl"))]
    if missing:
        pytest.fail(
            f"no {', '.join(missing)} wheels in {folder}: run `make wheelhouse-new` (it "
            "downloads them once), or set PACKKIT_NEW_WHEELHOUSE to a folder holding them",
            pytrace=False,
        )
    return folder


def offline_environ(cache: Path) -> dict[str, str]:
    """pip (also inside nox's and pre-commit's virtualenvs) from the two wheelhouses only."""
    packkit_wheels = locate_wheelhouse(os.environ.get("PACKKIT_WHEELHOUSE"))
    return {
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": f"{packkit_wheels} {new_wheelhouse()}",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "PIP_CACHE_DIR": str(cache / "pip"),
        # virtualenv (nox, pre-commit) seeds from its bundled wheels, never downloads.
        "VIRTUALENV_OVERRIDE_APP_DATA": str(cache / "virtualenv"),
        "VIRTUALENV_NO_PERIODIC_UPDATE": "1",
        "PRE_COMMIT_HOME": str(cache / "pre-commit"),
    }


@pytest.fixture(scope="module")
def shared_venv(tmp_path_factory: pytest.TempPathFactory) -> Venv:
    """One venv for the variants, with packkit, pytest and Sphinx installed once: each variant
    test installs its project into it (``pip install -e``), replacing the previous one. This
    saves a venv and its Sphinx install per variant (about 15 s each)."""
    folder = tmp_path_factory.mktemp("new-venv")
    venv = make_venv(folder / "venv")
    env = {**os.environ, **offline_environ(folder)}
    for key in ("PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "VIRTUAL_ENV", "PYTHONPATH"):
        env.pop(key, None)
    run([venv.python, "-m", "pip", "install", "-q", "packkit", "pytest>=8", "sphinx>=7"], env=env)
    return venv


#: The slow variants: the options, and what more is run on them.
SLOW_VARIANTS = {
    "default": [],
    "rst": ["--rst"],
    "namespace": ["--namespace", "acme.tools"],
    "data-science": ["--data-science"],
    "gitlab-apache": ["--ci", "gitlab", "--license", "Apache-2.0"],
    "no-git": ["--no-git"],
}

RUN_NOTEBOOK = """
import json, sys
import nbclient, nbformat

notebook = nbformat.read(sys.argv[1], as_version=4)
nbformat.validate(notebook)
client = nbclient.NotebookClient(
    notebook, timeout=120, kernel_name="python3",
    resources={"metadata": {"path": sys.argv[2]}},
)
client.execute()
print(json.dumps([cell.get("outputs", []) for cell in notebook.cells]))
"""


@pytest.mark.slow
@pytest.mark.parametrize("variant", sorted(SLOW_VARIANTS))
def test_the_generated_project_installs_tests_builds_and_documents_itself(
    packkit_cli: list[str],
    tmp_path: Path,
    scm_env: Env,
    monkeypatch: pytest.MonkeyPatch,
    shared_venv: Venv,
    variant: str,
) -> None:
    """In a venv: ``pip install -e '.[test,docs]'``, the project's pytest, Sphinx with -W,
    ``python -m build`` and ``twine check --strict``, the YAML files and CI settings, the
    version before and after ``git tag v0.1.0``. Also, by variant: ``nox -s tests`` (default),
    ``pre-commit run --all-files`` and the example notebook run by nbclient (data-science)."""
    options = SLOW_VARIANTS[variant]
    for key in ("PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "VIRTUAL_ENV", "PYTHONPATH"):
        monkeypatch.delenv(key, raising=False)
    for key, value in offline_environ(tmp_path / "cache").items():
        monkeypatch.setenv(key, value)
    env = scm_env.as_dict()
    venv = shared_venv
    package = "acme.tools.my_project" if "--namespace" in options else "my_project"

    proc = new(packkit_cli, tmp_path, scm_env, "my-project", *options)
    assert proc.returncode == 0, proc.stderr
    root = tmp_path / "my-project"
    if "--no-git" in options:
        assert not (root / ".git").exists()
        failed = subprocess.run(
            [*packkit_cli, "version", root], env=env, capture_output=True, text=True, check=False
        )
        assert failed.returncode == 1
        # Put it under git as a user would; from here on it is like the others.
        git(root, scm_env, "init", "-q", "-b", "main")
        git(root, scm_env, "add", "-A")
        git(root, scm_env, "commit", "-q", "-m", "first")
    assert git(root, scm_env, "status", "--porcelain") == ""
    version = packkit_version(packkit_cli, root, scm_env)
    assert DEV_VERSION.match(version), version

    # Every YAML file parses; the CI clones the whole history.
    yaml_files = [*root.rglob("*.yml"), *root.rglob("*.yaml")]
    assert root / ".pre-commit-config.yaml" in yaml_files
    for path in yaml_files:
        yaml.safe_load(path.read_text())
    workflow = root / ".github" / "workflows" / "ci.yml"
    if "--ci" not in options:
        jobs = yaml.safe_load(workflow.read_text())["jobs"]
        checkouts = [
            step
            for job in jobs.values()
            for step in job["steps"]
            if step.get("uses", "").startswith("actions/checkout")
        ]
        assert checkouts
        assert all(step["with"]["fetch-depth"] == 0 for step in checkouts)
        assert jobs["test"]["strategy"]["matrix"]["python-version"] == [
            "3.10",
            "3.11",
            "3.12",
            "3.13",
        ]
        assert "id-token" in jobs["publish"]["permissions"]
    else:
        assert not workflow.exists()
        gitlab = yaml.safe_load((root / ".gitlab-ci.yml").read_text())
        assert gitlab["variables"]["GIT_DEPTH"] == 0

    if variant == "data-science":
        # The hooks pass on the fresh project and change nothing (see helpers.hook_replicas
        # for what stands in for GitHub).
        run([venv.python, "-m", "pip", "install", "-q", "pre-commit"], env=env)
        config = offline_config(root / ".pre-commit-config.yaml", tmp_path / "replicas", env)
        hooks = run(
            [venv.script("pre-commit"), "run", "--all-files", "--config", config],
            cwd=root,
            env=env,
        )
        passed = re.findall(r"(?m)^([\w-]+)\.+Passed$", hooks.stdout)
        assert passed == [
            "ruff-check",
            "ruff-format",
            "check-toml",
            "check-yaml",
            "end-of-file-fixer",
            "trailing-whitespace",
            "nbstripout",
        ], hooks.stdout
        assert git(root, scm_env, "status", "--porcelain") == ""

    # The project, editable, with its extras, into the shared venv (packkit is there).
    extras = "test,docs,notebook" if variant == "data-science" else "test,docs"
    run(
        [
            venv.python,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-build-isolation",
            "-e",
            f"{root}[{extras}]",
        ],
        env=env,
    )
    assert venv.eval(f"import {package}; print({package}.__version__)") == version
    # The project's own tests pass (pytest's cache stays out of the tree).
    tests = run([venv.python, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=root, env=env)
    assert "2 passed" in tests.stdout
    # Its docs build, warnings being errors, with the real version.
    html = tmp_path / "html"
    run([venv.script("sphinx-build"), "-W", "-q", "-b", "html", root / "docs", html], env=env)
    assert version in (html / "index.html").read_text()
    assert "greet" in (html / "api.html").read_text()
    # Its wheel and sdist build and pass twine's strict check.
    dist = tmp_path / "dist"
    run([sys.executable, "-m", "build", "--no-isolation", "--outdir", dist, root], env=env)
    built = sorted(p.name for p in dist.iterdir())
    wheel_name = f"my_project-{version}-py3-none-any.whl"
    assert built == [wheel_name, f"my_project-{version}.tar.gz"]
    run([tool("twine"), "check", "--strict", *sorted(dist.iterdir())], env=env)
    with zipfile.ZipFile(dist / wheel_name) as wheel:
        metadata = wheel.read(f"my_project-{version}.dist-info/METADATA").decode()
        assert f"{package.replace('.', '/')}/core.py" in wheel.namelist()
    content_type = "text/x-rst" if "--rst" in options else "text/markdown"
    assert f"Description-Content-Type: {content_type}\n" in metadata

    if variant == "default":
        # nox makes its own virtualenv and installs the project there, offline.
        run([venv.python, "-m", "pip", "install", "-q", "nox"], env=env)
        session = f"tests-{sys.version_info.major}.{sys.version_info.minor}"
        nox = run([venv.script("nox"), "-s", session], cwd=root, env=env)
        assert "2 passed" in nox.stdout + nox.stderr
        assert f"Session {session} was successful" in nox.stderr
    if variant == "data-science":
        # The example notebook runs in the project's kernel and shows its version.
        notebook = root / "notebooks" / "example.ipynb"
        outputs = venv.run("python", "-c", RUN_NOTEBOOK, notebook, notebook.parent)
        cells = json.loads(outputs)
        printed = "".join(out.get("text", "") for out in cells[1])
        assert printed.strip() == version
        results = [out for out in cells[2] if out["output_type"] == "execute_result"]
        assert len(results) == 1, cells[2]
        shown = results[0]["data"]
        # The notebook view (HTML) names the version; the plain repr is setuptools_scm's
        # facts-only one (tag, distance, node...).
        assert version in shown["text/html"]
        assert "node='g" in shown["text/plain"]
        assert json.loads(notebook.read_text())["cells"][1]["outputs"] == []

    # Nothing above dirtied the tree; a tag makes the release version.
    assert git(root, scm_env, "status", "--porcelain") == ""
    git(root, scm_env, "tag", "v0.1.0")
    assert packkit_version(packkit_cli, root, scm_env) == "0.1.0"
