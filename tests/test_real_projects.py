"""Real projects from PyPI, rebuilt with packkit in place of their own backend.

``tests/real_projects.toml`` pins the sdists (exact version and sha256), the reference backends
and, per project, the edits packkit's copy of ``pyproject.toml`` needs and the differences from
the project's own wheel that are deliberate. For each project the session fixture

1. downloads the sdist with ``pip download --no-deps --no-binary :all:`` (hash-checked),
2. builds the project's own wheel with its own backend, through the PEP 517 hook, in a
   virtual environment that holds exactly the pinned backends (no build isolation),

and each test then unpacks the sdist again, swaps ``[build-system]`` for packkit, applies the
listed edits and builds the wheel through packkit's PEP 517 hook. The two wheels must agree on
every METADATA field, the entry points, the member names and the contents of the members both
carry; every difference not listed as deliberate fails, each on its own line.

Everything slow is cached across runs in ``$PACKKIT_REAL_PROJECTS_CACHE`` (default: a folder
in the system temporary directory, outside any git work tree, so that neither packkit nor
setuptools-scm can mistake a surrounding repository for the project's): the backend venv
keyed by the pinned requirements, the sdists by file name (their hashes are checked on every
run) and the reference wheels keyed by project, sdist hash and backend pins.
"""

from __future__ import annotations

import ast
import configparser
import contextlib
import email.utils
import fnmatch
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
import warnings
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyproject_hooks
import pytest
from packaging.metadata import Metadata
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name, parse_wheel_filename

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

SPEC_FILE = Path(__file__).with_name("real_projects.toml")
SPEC: dict[str, Any] = tomllib.loads(SPEC_FILE.read_text(encoding="utf-8"))
SOURCE_DATE_EPOCH = "1718452800"  # 2024-06-15T12:00:00Z, the same for both backends
#: Bump when the way reference wheels are built changes (invalidates their cache).
REFERENCE_FORMAT = "1"
#: Variables from the outer environment that would change a backend's answer.
_FOREIGN_PREFIXES = ("GIT_", "PACKKIT_", "SETUPTOOLS_SCM_", "VCS_VERSIONING_", "HATCH_", "PDM_")
_FOREIGN_NAMES = ("PIP_NO_INDEX", "PIP_REQUIRE_VIRTUALENV", "PYTHONPATH", "PYTHONHOME")


# --------------------------------------------------------------------------------------------
# The pinned list


@dataclass(frozen=True)
class Deliberate:
    """A difference from the project's own wheel that packkit makes on purpose."""

    field: str
    reason: str
    only_theirs: tuple[str, ...] = ()
    only_ours: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    backends: tuple[str, ...] = ()  # global entries: only for projects built with these

    @classmethod
    def load(cls, raw: Mapping[str, Any]) -> Deliberate:
        unknown = set(raw) - {"field", "reason", "only-theirs", "only-ours", "changed", "backends"}
        assert not unknown, f"real_projects.toml: unknown keys {sorted(unknown)} in {raw}"
        assert raw.get("reason"), (
            f"real_projects.toml: a deliberate difference needs a reason: {raw}"
        )
        return cls(
            field=raw["field"],
            reason=raw["reason"],
            only_theirs=tuple(raw.get("only-theirs", ())),
            only_ours=tuple(raw.get("only-ours", ())),
            changed=tuple(raw.get("changed", ())),
            backends=tuple(raw.get("backends", ())),
        )

    def accepts(self, difference: Difference) -> bool:
        if difference.field != self.field:
            return False
        selectors = {"theirs": self.only_theirs, "ours": self.only_ours, "changed": self.changed}
        if not any(selectors.values()):
            return True
        if difference.element is None:
            return False
        return any(fnmatch.fnmatchcase(difference.element, g) for g in selectors[difference.kind])


@dataclass(frozen=True)
class Edit:
    """A change to packkit's copy of pyproject.toml: set, delete, or remove list items."""

    key: str
    reason: str
    value: Any = None
    delete: bool = False
    remove: tuple[Any, ...] = ()


@dataclass(frozen=True)
class RealProject:
    name: str
    version: str
    sdist: str
    sha256: str
    backend: str
    layout: str
    features: tuple[str, ...]
    edits: tuple[Edit, ...]
    deliberate: tuple[Deliberate, ...]

    @classmethod
    def load(cls, raw: Mapping[str, Any]) -> RealProject:
        edits = []
        for edit in raw.get("edits", ()):
            assert edit.get("reason"), f"real_projects.toml: {raw['name']}: an edit needs a reason"
            actions = [k for k in ("value", "delete", "remove") if k in edit]
            assert len(actions) == 1, (
                f"real_projects.toml: {raw['name']}: give an edit one of value, delete = true "
                f"or remove = [...], not {actions}"
            )
            edits.append(
                Edit(
                    edit["key"],
                    edit["reason"],
                    edit.get("value"),
                    edit.get("delete", False),
                    tuple(edit.get("remove", ())),
                )
            )
        return cls(
            name=raw["name"],
            version=raw["version"],
            sdist=raw["sdist"],
            sha256=raw["sha256"].lower(),
            backend=raw["backend"],
            layout=raw["layout"],
            features=tuple(raw.get("features", ())),
            edits=tuple(edits),
            deliberate=tuple(Deliberate.load(d) for d in raw.get("deliberate", ())),
        )

    @property
    def requirement(self) -> str:
        return f"{self.name}=={self.version}"


PROJECTS = [RealProject.load(raw) for raw in SPEC["projects"]]
GLOBAL_DELIBERATE = tuple(Deliberate.load(d) for d in SPEC.get("deliberate", ()))
BACKEND_REQUIREMENTS: list[str] = sorted(SPEC["backends"]["requirements"])


def test_the_pinned_list_is_well_formed() -> None:
    names = [canonicalize_name(p.name) for p in PROJECTS]
    assert len(names) == len(set(names)), "a project is listed twice"
    assert len(PROJECTS) >= 10
    backends = {p.backend for p in PROJECTS}
    assert backends >= {"hatchling", "flit_core", "setuptools", "pdm-backend"}, backends
    assert {p.layout for p in PROJECTS} >= {"src", "flat"}
    for project in PROJECTS:
        assert re.fullmatch(r"[0-9a-f]{64}", project.sha256), project.name
        stem = f"{canonicalize_name(project.name).replace('-', '_')}-{project.version}"
        assert project.sdist == f"{stem}.tar.gz", f"{project.name}: not a PEP 625 sdist name"
    for requirement in BACKEND_REQUIREMENTS:
        assert "==" in requirement, f"backend requirement not pinned: {requirement}"


def test_requirements_compare_by_meaning_not_spelling() -> None:
    same = [
        ('Foo_Bar >= 1.0, <2 ; python_version < "3.11" and extra == "Dev"',
         'foo-bar<2,>=1.0; extra == "dev" and python_version < "3.11"',
         "foo-bar (<2,>=1.0) ; (python_version<'3.11') and extra=='dev'"),
        ('x; (os_name == "nt" or sys_platform == "cygwin") and extra == "win"',
         'x ; extra == "win" and (os_name == "nt" or sys_platform == "cygwin")'),
        ("pytest-ruff>=0.2.1; sys_platform != 'cygwin' and extra == 'check'",
         'pytest-ruff>=0.2.1; extra == "check" and sys_platform != "cygwin"'),
    ]  # fmt: skip
    for spellings in same:
        assert len({normalize_requirement(s) for s in spellings}) == 1, spellings
    different = ['x; extra == "a"', 'x; extra == "b"', "x", "x>=1", 'x; os_name == "nt"', "x[y]"]
    assert len({normalize_requirement(s) for s in different}) == len(different)


def test_toml_writer_round_trips() -> None:
    document = {
        "build-system": {"requires": ["packkit"], "build-backend": "packkit.backend"},
        "project": {
            "name": "demo",
            "authors": [{"name": 'Zoë "Z" Ü', "email": "z@example.org"}],
            "dynamic": [],
            "urls": {"Home page": "https://example.org", "a.b": "c"},
            "entry-points": {"pipx.run": {"demo": "demo:main"}},
        },
        "tool": {"x": {"nested": {"deep": [1, 2.5, True, {"k": {"v": "\t\n\x7f"}}]}}},
    }
    assert tomllib.loads(dump_toml(document)) == document


def test_deliberate_entries_select_what_they_name() -> None:
    entry = Deliberate(field="files", reason="r", only_theirs=("*.dist-info/top_level.txt",))
    assert entry.accepts(Difference("files", "theirs", "a-1.dist-info/top_level.txt"))
    assert not entry.accepts(Difference("files", "ours", "a-1.dist-info/top_level.txt"))
    assert not entry.accepts(Difference("files", "theirs", "a/top_level.txt"))
    assert not entry.accepts(Difference("classifiers", "theirs", "a-1.dist-info/top_level.txt"))
    broad = Deliberate(field="license", reason="r")
    assert broad.accepts(Difference("license", "changed", None, "MIT", None))
    assert _module_values(b"__version__ = version = '1.0'\nx: tuple = (1, 0)\ny = f()\n") == {
        "__version__": "'1.0'",
        "version": "'1.0'",
        "x": "(1, 0)",
    }


# --------------------------------------------------------------------------------------------
# Environment, cache and subprocesses


def clean_env(**extra: str) -> dict[str, str]:
    """The outer environment minus anything that would steer a backend or pip."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(_FOREIGN_PREFIXES) and key not in _FOREIGN_NAMES
    }
    env.update(SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH, PYTHONDONTWRITEBYTECODE="1", LC_ALL="C.UTF-8")
    env.update(extra)
    return env


def run(cmd: Sequence[str | Path], *, timeout: float, cwd: Path | None = None) -> str:
    """Run a command; on failure raise with its whole output."""
    completed = subprocess.run(
        [str(c) for c in cmd],
        cwd=cwd,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(
            f"`{' '.join(map(str, cmd))}` exited with {completed.returncode}\n"
            f"--- stdout\n{completed.stdout}\n--- stderr\n{completed.stderr}"
        )
    return completed.stdout


def digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def cache_root() -> Path:
    configured = os.environ.get("PACKKIT_REAL_PROJECTS_CACHE")
    if configured:
        return Path(configured)
    user = str(os.getuid()) if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    return Path(tempfile.gettempdir()) / f"packkit-real-projects-{user}"


@contextlib.contextmanager
def locked(directory: Path) -> Iterator[None]:
    """Hold an exclusive lock on the cache (parallel test sessions take turns)."""
    directory.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    with (directory / ".lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def inside_git_work_tree(path: Path) -> Path | None:
    for parent in [path, *path.parents]:
        if (parent / ".git").exists():
            return parent
    return None


def venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_backend_venv(cache: Path) -> Path:
    """A virtual environment with exactly the pinned backends (made once per pin set)."""
    key = digest(*BACKEND_REQUIREMENTS, sys.version)
    venv = cache / f"backends-{key}"
    if (venv / ".complete").is_file():
        return venv
    shutil.rmtree(venv, ignore_errors=True)
    run([sys.executable, "-m", "venv", venv], timeout=120)
    python = venv_python(venv)
    try:
        run(
            [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
             *BACKEND_REQUIREMENTS],
            timeout=600,
        )  # fmt: skip
    except RuntimeError:
        require_index("the reference backends are not installed yet")
        raise
    (venv / ".complete").write_text("\n".join(BACKEND_REQUIREMENTS) + "\n")
    return venv


def require_index(what: str) -> None:
    """Fail with a clear message when the package index cannot be reached at all (CI reaches
    PyPI; a skipped comparison would prove nothing)."""
    index = os.environ.get("PIP_INDEX_URL", "https://pypi.org/simple/")
    try:
        with urllib.request.urlopen(index.rstrip("/") + "/pip/", timeout=15):
            return
    except OSError as err:
        pytest.fail(f"{index} is unreachable ({err}) and {what}")


def ensure_sdists(cache: Path, python: Path) -> dict[str, Path]:
    """Every pinned sdist in ``cache/sdists``, downloaded by pip in hash-checking mode."""
    folder = cache / "sdists"
    folder.mkdir(parents=True, exist_ok=True)
    for project in PROJECTS:  # a file with the wrong hash is fetched again
        path = folder / project.sdist
        if path.is_file() and sha256_of(path) != project.sha256:
            path.unlink()
    missing = [p for p in PROJECTS if not (folder / p.sdist).is_file()]
    if missing:
        requirements = folder / "requirements.txt"
        requirements.write_text(
            "".join(f"{p.requirement} --hash=sha256:{p.sha256}\n" for p in missing)
        )
        try:
            # No build isolation: pip prepares each sdist's metadata with the pinned backends
            # instead of fetching them from the index once per project.
            run(
                [python, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
                 "--no-build-isolation", "--require-hashes", "--disable-pip-version-check",
                 "-r", requirements, "-d", folder],
                timeout=600,
            )  # fmt: skip
        except RuntimeError:
            require_index("the pinned sdists are not cached yet")
            raise
    paths = {}
    for project in PROJECTS:
        path = folder / project.sdist
        assert path.is_file(), f"pip did not save {project.sdist}"
        actual = sha256_of(path)
        assert actual == project.sha256, (
            f"{project.sdist}: sha256 {actual} != pinned {project.sha256}"
        )
        paths[project.name] = path
    return paths


def unpack(sdist: Path, into: Path) -> Path:
    """Extract an sdist; return its one top-level folder."""
    into.mkdir(parents=True, exist_ok=True)
    with tarfile.open(sdist) as archive:
        if hasattr(tarfile, "data_filter"):
            archive.extractall(into, filter="data")
        else:  # pragma: no cover - Python without PEP 706
            archive.extractall(into)
    (top,) = [p for p in into.iterdir() if p.is_dir()]
    return top


class BuildFailed(Exception):
    pass


def hook_runner(cmd: Sequence[str], cwd: str | None = None, extra_environ: Any = None) -> None:
    """pyproject_hooks runner: a clean environment, the output kept for the failure message."""
    env = clean_env(**(extra_environ or {}))
    completed = subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    if completed.returncode != 0:
        raise BuildFailed(_the_error(f"{completed.stdout}\n{completed.stderr}".strip()))


def _the_error(output: str) -> str:
    """The backend's own message: from the last ``module.SomeError:`` line on, if there is one."""
    lines = output.splitlines()
    starts = [i for i, line in enumerate(lines) if re.match(r"[\w.]+(Error|Exception): ", line)]
    return "\n".join(lines[starts[-1] :]) if starts else output


def build_wheel_via_hook(tree: Path, python: Path, out: Path) -> Path:
    """Build a wheel through the PEP 517 hook named in the tree's pyproject.toml."""
    system = tomllib.loads((tree / "pyproject.toml").read_text(encoding="utf-8"))["build-system"]
    caller = pyproject_hooks.BuildBackendHookCaller(
        str(tree),
        system["build-backend"],
        backend_path=system.get("backend-path"),
        runner=hook_runner,
        python_executable=str(python),
    )
    out.mkdir(parents=True, exist_ok=True)
    try:
        name = caller.build_wheel(str(out))
    except BuildFailed as err:
        raise BuildFailed(
            f"building {tree.name} with {system['build-backend']} failed:\n{err}"
        ) from None
    return out / name


def check_build_requirements(
    project: RealProject, tree: Path, installed: Mapping[str, str]
) -> None:
    """The project's build-system.requires must hold in the backend venv (no isolation)."""
    system = tomllib.loads((tree / "pyproject.toml").read_text(encoding="utf-8"))["build-system"]
    for text in system.get("requires", []):
        requirement = Requirement(text)
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
            continue
        version = installed.get(canonicalize_name(requirement.name))
        assert version is not None and requirement.specifier.contains(version, prereleases=True), (
            f"{project.name} needs {text!r} to build; the pinned backends have "
            f"{requirement.name} {version}: update [backends] in real_projects.toml"
        )


@dataclass
class Corpus:
    """The downloaded sdists and the reference wheels (or why one could not be built)."""

    sdists: dict[str, Path]
    reference: dict[str, Path | str]
    workdir: Path
    ours: dict[str, Path | str] = field(default_factory=dict)

    def reference_wheel(self, project: RealProject) -> Path:
        built = self.reference[project.name]
        if isinstance(built, str):
            pytest.fail(
                f"the reference wheel of {project.requirement} could not be built:\n{built}"
            )
        return built

    def packkit_wheel(self, project: RealProject) -> Path:
        """packkit's wheel of the project (built once per session)."""
        if project.name not in self.ours:
            try:
                self.ours[project.name] = build_with_packkit(project, self)
            except BuildFailed as err:
                self.ours[project.name] = str(err)
        built = self.ours[project.name]
        if isinstance(built, str):
            pytest.fail(f"packkit could not build {project.requirement}:\n{built}")
        return built


def build_reference(
    project: RealProject, sdist: Path, python: Path, installed: Mapping[str, str], cache: Path
) -> Path | str:
    key = digest(project.name, project.version, project.sha256, *BACKEND_REQUIREMENTS,
                 sys.version, REFERENCE_FORMAT)  # fmt: skip
    folder = cache / "reference" / f"{canonicalize_name(project.name)}-{key}"
    wheels = list(folder.glob("*.whl"))
    if (folder / ".complete").is_file() and len(wheels) == 1:
        return wheels[0]
    shutil.rmtree(folder, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix="reference-", dir=cache) as scratch:
        tree = unpack(sdist, Path(scratch) / "src")
        try:
            check_build_requirements(project, tree, installed)
            wheel = build_wheel_via_hook(tree, python, folder)
        except (AssertionError, BuildFailed) as err:
            return str(err)
    (folder / ".complete").write_text(project.requirement + "\n")
    return wheel


@pytest.fixture(scope="session")
def real_corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    cache = cache_root()
    workdir = tmp_path_factory.mktemp("real-projects")
    for folder in (cache, workdir):
        repository = inside_git_work_tree(folder.resolve())
        assert repository is None, (
            f"{folder} is inside the git work tree {repository}: the backends would take their "
            "version and file lists from it; set PACKKIT_REAL_PROJECTS_CACHE or --basetemp to "
            "a folder outside any repository"
        )
    with locked(cache):
        venv = ensure_backend_venv(cache)
        python = venv_python(venv)
        sdists = ensure_sdists(cache, python)
        listed = json.loads(run([python, "-m", "pip", "list", "--format", "json"], timeout=120))
        installed = {canonicalize_name(d["name"]): d["version"] for d in listed}
        # The backends' own warnings (setuptools-scm on an unexpanded .git_archival.txt, ...)
        # are theirs to fix; the filter is process-wide, so it covers the worker threads.
        with warnings.catch_warnings(), ThreadPoolExecutor(max_workers=os.cpu_count()) as pool:
            warnings.simplefilter("ignore", pyproject_hooks.BuildBackendWarning)
            futures = {
                p.name: pool.submit(build_reference, p, sdists[p.name], python, installed, cache)
                for p in PROJECTS
            }
            reference = {name: future.result() for name, future in futures.items()}
    return Corpus(sdists=sdists, reference=reference, workdir=workdir)


# --------------------------------------------------------------------------------------------
# Rewriting pyproject.toml for packkit


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _toml_string(key)


def _toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + "}"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"cannot write {value!r} as TOML")


def dump_toml(document: Mapping[str, Any]) -> str:
    """A small TOML writer: tables as headers, arrays (of tables too) inline."""
    lines: list[str] = []

    def table(data: Mapping[str, Any], path: list[str]) -> None:
        scalars = {k: v for k, v in data.items() if not isinstance(v, dict)}
        if path and (scalars or not any(isinstance(v, dict) for v in data.values())):
            lines.extend(["", f"[{'.'.join(_toml_key(p) for p in path)}]"])
        lines.extend(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in scalars.items())
        for key, value in data.items():
            if isinstance(value, dict):
                table(value, [*path, key])

    table(document, [])
    return "\n".join(lines).lstrip("\n") + "\n"


def rewrite_for_packkit(project: RealProject, tree: Path) -> None:
    path = tree / "pyproject.toml"
    document = tomllib.loads(path.read_text(encoding="utf-8"))
    document["build-system"] = {"requires": ["packkit"], "build-backend": "packkit.backend"}
    for edit in project.edits:
        *parents, last = edit.key.split(".")
        table = document
        for part in parents:
            table = table.setdefault(part, {})
        if edit.delete:
            assert last in table, f"{project.name}: edit deletes {edit.key}, which is not there"
            del table[last]
        elif edit.remove:
            for item in edit.remove:
                assert item in table.get(last, []), f"{project.name}: {item!r} not in {edit.key}"
                table[last].remove(item)
        else:
            table[last] = edit.value
    text = dump_toml(document)
    assert tomllib.loads(text) == document, "the TOML writer lost something"
    path.write_text(text, encoding="utf-8")


def build_with_packkit(project: RealProject, corpus: Corpus) -> Path:
    base = corpus.workdir / canonicalize_name(project.name)
    shutil.rmtree(base, ignore_errors=True)
    tree = unpack(corpus.sdists[project.name], base / "src")
    rewrite_for_packkit(project, tree)
    return build_wheel_via_hook(tree, Path(sys.executable), base / "dist")


# --------------------------------------------------------------------------------------------
# What a wheel says


@dataclass
class WheelFacts:
    path: Path
    metadata_text: str
    fields: dict[str, Any]  # field -> scalar | frozenset | dict
    contents: dict[str, str]  # member -> sha256, outside .dist-info

    def read(self, member: str) -> bytes:
        with zipfile.ZipFile(self.path) as wheel:
            return wheel.read(member)


def _is_extra_clause(item: Any) -> bool:
    return (
        isinstance(item, tuple)
        and len(item) == 3
        and str(item[1]) == "=="
        and "extra" in (getattr(item[0], "value", None), getattr(item[2], "value", None))
        and (type(item[0]).__name__ == "Variable" or type(item[2]).__name__ == "Variable")
    )


def _marker_parts(requirement: Requirement) -> tuple[str, frozenset[str]]:
    """The marker without its top-level ``extra == "x"`` clauses, and those extras.

    Backends join a requirement's own marker and its extra in different orders and with
    different parentheses; this form is the same for all of them.
    """
    from packaging.markers import Marker, _format_marker  # private, stable for years

    if requirement.marker is None:
        return "", frozenset()
    markers: list[Any] = list(requirement.marker._markers)
    if "or" in markers:  # a disjunction at the top: nothing to take out
        return str(requirement.marker), frozenset()
    clauses = [m for m in markers if m != "and"]
    extras = frozenset(
        canonicalize_name(str(c[2].value if type(c[0]).__name__ == "Variable" else c[0].value))
        for c in clauses
        if _is_extra_clause(c)
    )
    kept = [c for c in clauses if not _is_extra_clause(c)]
    if not kept:
        return "", extras
    joined: list[Any] = []
    for clause in kept:
        joined += ["and", clause] if joined else [clause]
    return str(Marker(_format_marker(joined))), extras


def normalize_requirement(text: str) -> str:
    requirement = Requirement(text)
    name = canonicalize_name(requirement.name)
    extras = ",".join(sorted(canonicalize_name(e) for e in requirement.extras))
    specifier = ",".join(sorted(str(s) for s in requirement.specifier))
    marker, in_extras = _marker_parts(requirement)
    out = name + (f"[{extras}]" if extras else "")
    out += f" @ {requirement.url}" if requirement.url else specifier
    conditions = [marker] if marker else []
    conditions += [f'extra == "{e}"' for e in sorted(in_extras)]
    return out + ("; " + " and ".join(conditions) if conditions else "")


def _addresses(value: str | None) -> frozenset[str]:
    if not value:
        return frozenset()
    return frozenset(f"{n} <{a}>" if n else a for n, a in email.utils.getaddresses([value]))


def _content_type(value: str | None) -> str | None:
    if value is None:
        return None
    main, *params = (part.strip() for part in value.split(";"))
    cleaned = {k.strip().lower(): v.strip() for k, _, v in (p.partition("=") for p in params if p)}
    return "; ".join([main.lower(), *(f"{k}={v}" for k, v in sorted(cleaned.items()))])


def _text(value: str | None) -> str | None:
    if value is None:
        return None
    lines = [line.rstrip() for line in value.replace("\r\n", "\n").strip().splitlines()]
    return "\n".join(lines)


def _entry_points(text: str | None) -> dict[str, str]:
    if text is None:
        return {}
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(text)
    return {
        f"{group}:{name}": re.sub(r"\s+", "", value)
        for group in parser.sections()
        for name, value in parser.items(group)
    }


def read_wheel(path: Path) -> WheelFacts:
    parsed = parse_wheel_filename(path.name)
    with zipfile.ZipFile(path) as wheel:
        names = wheel.namelist()
        dist_info = {n.split("/", 1)[0] for n in names if n.split("/", 1)[0].endswith(".dist-info")}
        assert len(dist_info) == 1, f"{path.name}: .dist-info folders {sorted(dist_info)}"
        (info,) = dist_info
        text = wheel.read(f"{info}/METADATA").decode("utf-8")
        entry_points = (
            wheel.read(f"{info}/entry_points.txt").decode("utf-8")
            if f"{info}/entry_points.txt" in names
            else None
        )
        contents = {
            name: hashlib.sha256(wheel.read(name)).hexdigest()
            for name in names
            if not name.startswith(f"{info}/") and not name.endswith("/")
        }
    meta = Metadata.from_email(text, validate=False)

    def get(attr: str) -> Any:
        return getattr(meta, attr, None)

    requires_python = get("requires_python")
    fields: dict[str, Any] = {
        "wheel_tags": " ".join(sorted(str(t) for t in parsed[3])),
        "name": canonicalize_name(get("name") or ""),
        "version": str(get("version")) if get("version") is not None else None,
        "requires_python": (
            ",".join(sorted(str(s) for s in SpecifierSet(str(requires_python))))
            if requires_python is not None
            else None
        ),
        "requires_dist": frozenset(
            normalize_requirement(str(r)) for r in get("requires_dist") or ()
        ),
        "provides_extra": frozenset(canonicalize_name(str(e)) for e in get("provides_extra") or ()),
        "summary": get("summary"),
        "description": _text(get("description")),
        "description_content_type": _content_type(get("description_content_type")),
        "license": " ".join(get("license").split()) if get("license") else None,
        "license_expression": get("license_expression"),
        "license_files": frozenset(get("license_files") or ()),
        "classifiers": frozenset(get("classifiers") or ()),
        "project_urls": dict(get("project_urls") or {}),
        "keywords": frozenset(get("keywords") or ()),
        "author": get("author"),
        "author_email": _addresses(get("author_email")),
        "maintainer": get("maintainer"),
        "maintainer_email": _addresses(get("maintainer_email")),
        "entry_points": _entry_points(entry_points),
        "files": frozenset(n for n in names if not n.endswith("/")),
    }
    return WheelFacts(path=path, metadata_text=text, fields=fields, contents=contents)


# --------------------------------------------------------------------------------------------
# Differences


@dataclass(frozen=True)
class Difference:
    field: str
    kind: str  # "theirs" (only theirs has it), "ours" (only ours), "changed"
    element: str | None
    theirs: Any = None
    ours: Any = None
    note: str | None = None  # says it all, when given

    def __str__(self) -> str:
        if self.note is not None:
            return f"{self.field}: " + (f"{self.element!r}: " if self.element else "") + self.note
        if self.element is None:
            return f"{self.field}: theirs {self.theirs!r}, ours {self.ours!r}"
        if self.kind == "theirs":
            return f"{self.field}: only theirs has {self.element!r}" + (
                f" = {self.theirs!r}" if self.theirs is not None else ""
            )
        if self.kind == "ours":
            return f"{self.field}: only ours has {self.element!r}" + (
                f" = {self.ours!r}" if self.ours is not None else ""
            )
        return f"{self.field}: {self.element!r} is {self.theirs!r} in theirs, {self.ours!r} in ours"


def _first_difference(theirs: str, ours: str) -> str:
    a, b = theirs.splitlines(), ours.splitlines()
    for number, (x, y) in enumerate(zip(a, b, strict=False), start=1):
        if x != y:
            return f"line {number}: theirs {x[:80]!r}, ours {y[:80]!r}"
    return f"theirs has {len(a)} lines, ours {len(b)}"


def compare(theirs: WheelFacts, ours: WheelFacts) -> list[Difference]:
    out: list[Difference] = []
    for name, a in theirs.fields.items():
        b = ours.fields[name]
        if a == b:
            continue
        if isinstance(a, frozenset):
            out += [Difference(name, "theirs", e) for e in sorted(a - b)]
            out += [Difference(name, "ours", e) for e in sorted(b - a)]
        elif isinstance(a, dict):
            for key in sorted(a.keys() | b.keys()):
                if key not in b:
                    out.append(Difference(name, "theirs", key, theirs=a[key]))
                elif key not in a:
                    out.append(Difference(name, "ours", key, ours=b[key]))
                elif a[key] != b[key]:
                    out.append(Difference(name, "changed", key, a[key], b[key]))
        elif name == "description" and a and b:
            out.append(Difference(name, "changed", None, note=_first_difference(a, b)))
        else:
            out.append(Difference(name, "changed", None, a, b))
    for member in sorted(theirs.contents.keys() & ours.contents.keys()):
        if theirs.contents[member] == ours.contents[member]:
            continue
        a_bytes, b_bytes = theirs.read(member), ours.read(member)
        note = f"{len(a_bytes)} bytes in theirs, {len(b_bytes)} in ours"
        if a_bytes.replace(b"\r\n", b"\n") == b_bytes.replace(b"\r\n", b"\n"):
            note += " (only line endings differ)"
        out.append(Difference("file_contents", "changed", member, note=note))
        if member.endswith(".py"):
            # A generated module (a version file) may be worded differently by each tool; the
            # values it assigns must still agree.
            a_values, b_values = _module_values(a_bytes), _module_values(b_bytes)
            for key in sorted(a_values.keys() | b_values.keys()):
                x, y = a_values.get(key), b_values.get(key)
                if x != y:
                    kind = "theirs" if y is None else "ours" if x is None else "changed"
                    out.append(Difference("file_values", kind, f"{member}:{key}", x, y))
    return out


def _module_values(source: bytes) -> dict[str, str]:
    """Top-level ``name = <literal>`` assignments of a module (repr of each value)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return {}
    values: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        try:
            literal = repr(ast.literal_eval(value))
        except (ValueError, TypeError, SyntaxError, RecursionError):
            continue
        for target in targets:
            if isinstance(target, ast.Name):
                values[target.id] = literal
    return values


def judge(project: RealProject, differences: list[Difference]) -> tuple[list[str], list[str]]:
    """The differences no deliberate entry accepts, and the per-project entries never used."""
    entries = [
        *project.deliberate,
        *(d for d in GLOBAL_DELIBERATE if not d.backends or project.backend in d.backends),
    ]
    used: set[Deliberate] = set()
    unexplained = []
    for difference in differences:
        accepting = [d for d in entries if d.accepts(difference)]
        used.update(accepting)
        if not accepting:
            unexplained.append(str(difference))
    stale = [
        f"{d.field}: {d.reason}" for d in project.deliberate if d not in used
    ]  # fmt: skip
    return unexplained, stale


# --------------------------------------------------------------------------------------------
# The tests


def _id(project: RealProject) -> str:
    return canonicalize_name(project.name)


@pytest.mark.network
@pytest.mark.slow
@pytest.mark.parametrize("project", PROJECTS, ids=_id)
def test_packkit_wheel_matches_the_projects_own_backend(
    project: RealProject, real_corpus: Corpus
) -> None:
    theirs = read_wheel(real_corpus.reference_wheel(project))
    ours = read_wheel(real_corpus.packkit_wheel(project))
    unexplained, stale = judge(project, compare(theirs, ours))
    report = []
    if unexplained:
        report.append(
            f"{project.requirement} ({project.backend}): {len(unexplained)} difference(s) from "
            "its own wheel that real_projects.toml does not list as deliberate:"
        )
        report += [f"  {line}" for line in unexplained]
    if stale:
        report.append(f"{project.name}: deliberate entries that matched nothing (remove them):")
        report += [f"  {line}" for line in stale]
    assert not report, "\n".join(report)


@pytest.mark.network
@pytest.mark.slow
@pytest.mark.parametrize("project", PROJECTS, ids=_id)
def test_packkit_metadata_is_valid(project: RealProject, real_corpus: Corpus) -> None:
    with zipfile.ZipFile(real_corpus.packkit_wheel(project)) as wheel:
        (metadata,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
        text = wheel.read(metadata).decode("utf-8")
    try:
        Metadata.from_email(text, validate=True)
    except Exception as err:  # ExceptionGroup of InvalidMetadata
        problems = [str(e) for e in getattr(err, "exceptions", [err])]
        pytest.fail(
            f"packkit's METADATA for {project.requirement} does not validate:\n  "
            + "\n  ".join(problems)
            + f"\n--- METADATA\n{text}"
        )
