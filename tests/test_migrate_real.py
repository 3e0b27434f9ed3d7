"""``packkit migrate`` on real projects: the migrated project's packkit wheel against the wheel
its own backend builds.

``tests/migrate_projects.toml`` pins the projects (sdists by version and sha256) and the
backends, and lists, per project, what migrate cannot translate and the differences that
remain, each with its reason. ``make wheelhouse-migrate`` downloads everything first; this test
is offline. One virtual environment with every backend is made per session; the reference
wheels and packkit's wheels are built once per session too.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyproject_hooks
import pytest
from helpers.git import ISOLATED_ENV
from packaging.utils import canonicalize_name
from test_real_projects import (
    BuildFailed,
    Deliberate,
    RealProject,
    compare,
    dump_toml,
    judge,
    read_wheel,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
SPEC: dict[str, Any] = tomllib.loads(
    Path(__file__).with_name("migrate_projects.toml").read_text(encoding="utf-8")
)
WHEELHOUSE = Path(
    os.environ.get("PACKKIT_MIGRATE_WHEELHOUSE", ROOT / "target" / "wheelhouse-migrate")
)
GIT_ENV = {
    **{k: v for k, v in ISOLATED_ENV.items() if k.startswith("GIT_")},
    "GIT_AUTHOR_DATE": "2024-06-15T12:00:00Z",
    "GIT_COMMITTER_DATE": "2024-06-15T12:00:00Z",
}


@dataclass(frozen=True)
class Case:
    """A project to migrate: a pinned sdist, or one a scaffolder makes."""

    name: str
    version: str
    backend: str
    sha256: str | None
    tool: str | None
    generated: tuple[str, ...]
    untranslatable: tuple[str, ...]
    manual: tuple[Mapping[str, Any], ...]
    deliberate: tuple[Deliberate, ...]

    @classmethod
    def load(cls, raw: Mapping[str, Any]) -> Case:
        known = {
            "name",
            "version",
            "sha256",
            "backend",
            "tool",
            "generated",
            "untranslatable",
            "manual",
            "deliberate",
        }
        unknown = set(raw) - known
        assert not unknown, f"migrate_projects.toml: {raw['name']}: unknown keys {unknown}"
        return cls(
            name=raw["name"],
            version=raw.get("version", "0.1.0"),
            backend=raw["backend"],
            sha256=raw.get("sha256"),
            tool=raw.get("tool"),
            generated=tuple(raw.get("generated", ())),
            untranslatable=tuple(raw.get("untranslatable", ())),
            manual=tuple(raw.get("manual", ())),
            deliberate=tuple(Deliberate.load(d) for d in raw.get("deliberate", ())),
        )

    def as_real_project(self) -> RealProject:
        """The shape ``judge`` takes (its global entries are chosen by backend)."""
        backend = {
            "setuptools_scm": "setuptools",
            "setup.cfg": "setuptools",
            "pyscaffold": "setuptools",
            "hatch-vcs": "hatchling",
        }.get(self.backend, self.backend)
        return RealProject(
            self.name, self.version, "", self.sha256 or "", backend, "", (), (), self.deliberate
        )


CASES = [Case.load(raw) for raw in [*SPEC["projects"], *SPEC.get("generated", [])]]
BACKENDS: list[str] = SPEC["backends"]["requirements"]


def test_the_migration_list_is_well_formed() -> None:
    real = [c for c in CASES if c.tool is None]
    assert len(real) >= 12
    counts: dict[str, int] = {}
    for case in CASES:
        counts[case.backend] = counts.get(case.backend, 0) + 1
    for backend in (
        "hatchling",
        "hatch-vcs",
        "flit_core",
        "setuptools_scm",
        "setuptools",
        "setup.cfg",
        "pdm-backend",
        "uv_build",
    ):
        assert counts.get(backend, 0) >= 2, f"fewer than two {backend} projects: {counts}"
    assert counts.get("pyscaffold", 0) >= 1
    for case in real:
        assert case.sha256 and len(case.sha256) == 64, case.name
    for requirement in BACKENDS:
        assert "==" in requirement, requirement


# --------------------------------------------------------------------------------------------
# Running things


def run(cmd: Sequence[str | Path], cwd: Path, env: Mapping[str, str] | None = None) -> str:
    completed = subprocess.run(
        [str(c) for c in cmd],
        cwd=cwd,
        env={**clean_env(), **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if completed.returncode != 0:
        raise AssertionError(
            f"`{' '.join(map(str, cmd))}` exited with {completed.returncode}\n"
            f"--- stdout\n{completed.stdout}\n--- stderr\n{completed.stderr}"
        )
    return completed.stdout


def clean_env() -> dict[str, str]:
    prefixes = ("GIT_", "PACKKIT_", "SETUPTOOLS_SCM_", "HATCH_", "PDM_", "UV_", "PIP_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    env.update(
        GIT_ENV,
        SOURCE_DATE_EPOCH="1718452800",
        PYTHONDONTWRITEBYTECODE="1",
        UV_OFFLINE="1",
        UV_NO_CACHE="1",
        PIP_NO_INDEX="1",
    )
    return env


def sdist_of(case: Case) -> Path:
    import hashlib

    for path in (WHEELHOUSE / "sdists").glob("*.tar.gz"):
        if hashlib.sha256(path.read_bytes()).hexdigest() == case.sha256:
            return path
    pytest.fail(
        f"the sdist of {case.name} {case.version} is not in {WHEELHOUSE}/sdists: "
        "run `make wheelhouse-migrate` first"
    )


def unpack(sdist: Path, into: Path) -> Path:
    into.mkdir(parents=True)
    with tarfile.open(sdist) as archive:
        archive.extractall(into, filter="data")
    (top,) = [p for p in into.iterdir() if p.is_dir()]
    return top


def as_repository(tree: Path, case: Case) -> None:
    """Commit the tree as a clone would have it, tagged v<version>."""
    for name in ("PKG-INFO", *case.generated):
        (tree / name).unlink(missing_ok=True)
    for info in tree.glob("*.egg-info"):
        shutil.rmtree(info)
    if not (tree / ".git").exists():
        run(["git", "init", "-q", "-b", "main"], tree)
    exclude = tree / ".git" / "info" / "exclude"
    exclude.parent.mkdir(parents=True, exist_ok=True)
    # The files a build writes into the tree, as a project's .gitignore would list them.
    exclude.write_text("\n".join(["build/", "dist/", "*.egg-info/", *case.generated]) + "\n")
    run(["git", "add", "-A"], tree)
    # A scaffolder may have made the first commit already (putup does).
    run(["git", "commit", "-q", "--allow-empty", "--no-verify", "-m", "release"], tree)
    run(["git", "tag", f"v{case.version}"], tree)


def generate(case: Case, into: Path, venv: Path) -> Path:
    into.mkdir(parents=True)
    tree = into / case.name
    if case.tool == "putup":
        run([venv / "bin" / "putup", "--no-tox", "--license", "MIT", case.name], into)
    elif case.tool in ("uv-init-lib", "uv-init-package", "uv-init-lib-flat"):
        kind = "--package" if case.tool == "uv-init-package" else "--lib"
        uv_options = ["--build-backend", "uv", "--vcs", "none", "--no-workspace"]
        uv_options += ["--no-pin-python", "--author-from", "none"]
        run([venv / "bin" / "uv", "init", kind, *uv_options, case.name], into)
        if case.tool == "uv-init-lib-flat":
            # uv_build's settings at work: a module of another name, at the top.
            package = case.name.replace("-", "_")
            (tree / "src" / package).rename(tree / "flat_core")
            (tree / "src").rmdir()
            with (tree / "pyproject.toml").open("a", encoding="utf-8") as file:
                file.write(
                    '\n[tool.uv.build-backend]\nmodule-name = "flat_core"\nmodule-root = ""\n'
                )
    else:
        raise AssertionError(f"unknown tool {case.tool}")
    return tree


def apply_manual(tree: Path, case: Case) -> None:
    """The fixes by hand that migrate asked for (`manual`): set a key, or take items out."""
    if not case.manual:
        return
    path = tree / "pyproject.toml"
    document = tomllib.loads(path.read_text(encoding="utf-8"))
    for edit in case.manual:
        assert edit.get("reason"), f"{case.name}: a manual edit needs a reason"
        *parents, last = edit["key"].split(".")
        table = document
        for part in parents:
            table = table.setdefault(part, {})
        if "remove" in edit:
            for item in edit["remove"]:
                table[last].remove(item)
        else:
            table[last] = edit["value"]
    path.write_text(dump_toml(document), encoding="utf-8")


def build_wheel(tree: Path, python: Path, out: Path) -> Path:
    """The wheel, through the PEP 517 hook the tree names (setuptools' legacy one without a
    pyproject.toml), with ``python``'s scripts first on PATH (uv_build runs its binary)."""
    pyproject = tree / "pyproject.toml"
    system = (
        tomllib.loads(pyproject.read_text(encoding="utf-8")).get("build-system", {})
        if pyproject.is_file()
        else {}
    )
    backend = system.get("build-backend", "setuptools.build_meta:__legacy__")
    path = f"{python.parent}{os.pathsep}{os.environ.get('PATH', '')}"

    def runner(cmd: Sequence[str], cwd: str | None = None, extra_environ: Any = None) -> None:
        env = {**clean_env(), **(extra_environ or {}), "PATH": path}
        done = subprocess.run(
            cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
        )
        if done.returncode != 0:
            raise BuildFailed(f"{done.stdout}\n{done.stderr}".strip()[-3000:])

    caller = pyproject_hooks.BuildBackendHookCaller(
        str(tree),
        backend,
        backend_path=system.get("backend-path"),
        runner=runner,
        python_executable=str(python),
    )
    out.mkdir(parents=True, exist_ok=True)
    try:
        return out / caller.build_wheel(str(out))
    except BuildFailed as err:
        raise BuildFailed(f"building {tree.name} with {backend} failed:\n{err}") from None


@dataclass
class Outcome:
    reference: Path | str
    ours: Path | str
    migrate_exit: int
    untranslatable: list[str]
    changes: list[str]


@pytest.fixture(scope="session")
def backend_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    wheels = WHEELHOUSE / "wheels"
    if not wheels.is_dir():
        pytest.fail(f"{wheels} is missing: run `make wheelhouse-migrate` first")
    venv = tmp_path_factory.mktemp("migrate-backends") / "venv"
    run([sys.executable, "-m", "venv", venv], ROOT)
    run(
        [
            venv / "bin" / "python",
            "-m",
            "pip",
            "install",
            "-q",
            "--disable-pip-version-check",
            "--no-index",
            "--find-links",
            wheels,
            *BACKENDS,
        ],
        ROOT,
    )
    return venv


def migrate_and_build(case: Case, base: Path, venv: Path) -> Outcome:
    python = venv / "bin" / "python"
    if case.tool is None:
        theirs_tree = unpack(sdist_of(case), base / "theirs")
        ours_tree = unpack(sdist_of(case), base / "ours")
    else:
        theirs_tree = generate(case, base / "theirs", venv)
        ours_tree = generate(case, base / "ours", venv)
    as_repository(theirs_tree, case)
    try:
        reference: Path | str = build_wheel(theirs_tree, python, base / "dist-theirs")
    except BuildFailed as err:
        reference = str(err)
    # Migrate before the commit: the release commit is the migrated one.
    command = [sys.executable, "-m", "packkit", "migrate", "--format", "json"]
    first = subprocess.run(
        command,
        cwd=ours_tree,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    report = json.loads(first.stdout)
    if first.returncode == 1 and report["untranslatable"]:
        run([*command, "--force"], ours_tree)
    elif first.returncode != 0:
        raise AssertionError(f"packkit migrate failed:\n{first.stderr}")
    apply_manual(ours_tree, case)
    as_repository(ours_tree, case)
    try:
        ours: Path | str = build_wheel(ours_tree, Path(sys.executable), base / "dist-ours")
    except BuildFailed as err:
        ours = str(err)
    return Outcome(
        reference=reference,
        ours=ours,
        migrate_exit=first.returncode,
        untranslatable=[u["key"] for u in report["untranslatable"]],
        changes=[f"{c['file']}: {c['source']} -> {c['target']}" for c in report["changes"]],
    )


@pytest.fixture(scope="session")
def outcomes(
    backend_venv: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Outcome | str]:
    from concurrent.futures import ThreadPoolExecutor

    work = tmp_path_factory.mktemp("migrate-real")

    def one(case: Case) -> Outcome | str:
        try:
            return migrate_and_build(case, work / canonicalize_name(case.name), backend_venv)
        except Exception as err:  # reported by the case's own test
            return f"{type(err).__name__}: {err}"

    # The backends' own deprecation warnings are theirs to fix; the filter is process-wide.
    with warnings.catch_warnings(), ThreadPoolExecutor(max_workers=2) as pool:
        warnings.simplefilter("ignore", pyproject_hooks.BuildBackendWarning)
        futures = {c.name: pool.submit(one, c) for c in CASES}
        return {name: future.result() for name, future in futures.items()}


# --------------------------------------------------------------------------------------------
# The test


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=lambda c: canonicalize_name(c.name))
def test_migrated_wheel_matches_the_projects_own(
    case: Case, outcomes: dict[str, Outcome | str]
) -> None:
    outcome = outcomes[case.name]
    if isinstance(outcome, str):
        pytest.fail(f"{case.name}: {outcome}")
    report = []
    if sorted(outcome.untranslatable) != sorted(case.untranslatable):
        report.append(
            f"packkit migrate could not translate {outcome.untranslatable}, "
            f"migrate_projects.toml lists {list(case.untranslatable)}"
        )
    expected_exit = 1 if case.untranslatable else 0
    if outcome.migrate_exit != expected_exit:
        report.append(f"packkit migrate exited {outcome.migrate_exit}, not {expected_exit}")
    if isinstance(outcome.reference, str):
        report.append(f"the project's own backend failed:\n{outcome.reference}")
    if isinstance(outcome.ours, str):
        report.append(f"packkit failed after the migration:\n{outcome.ours}")
    if not report:
        assert isinstance(outcome.reference, Path) and isinstance(outcome.ours, Path)
        differences = compare(read_wheel(outcome.reference), read_wheel(outcome.ours))
        unexplained, stale = judge(case.as_real_project(), differences)
        report += [f"not listed as deliberate: {line}" for line in unexplained]
        report += [f"deliberate entry that matched nothing (remove it): {line}" for line in stale]
    if report:
        changes = "\n  ".join(outcome.changes)
        pytest.fail(
            f"{case.name} {case.version} ({case.backend}):\n"
            + "\n".join(report)
            + f"\n--- migrate's changes\n  {changes}"
        )


@pytest.mark.slow
def test_verify_compares_the_old_backends_wheel_with_packkits(
    backend_venv: Path, tmp_path: Path
) -> None:
    """``migrate --verify`` in an environment that has both packkit and flit_core."""
    from helpers.backend import locate_wheelhouse

    wheelhouse = locate_wheelhouse(os.environ.get("PACKKIT_WHEELHOUSE"))
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", "--system-site-packages", venv], ROOT)
    python = venv / "bin" / "python"
    # The backends' venv on the path of this one, packkit installed on top (offline).
    site = next((backend_venv / "lib").glob("python*/site-packages"))
    (next((venv / "lib").glob("python*/site-packages")) / "backends.pth").write_text(f"{site}\n")
    run([python, "-m", "pip", "install", "-q", "--no-index", "--no-deps", "--find-links",
         wheelhouse, "packkit"], ROOT)  # fmt: skip
    tree = tmp_path / "tool"
    (tree / "tool").mkdir(parents=True)
    (tree / "tool" / "__init__.py").write_text('"""A tool."""\n__version__ = "1.0"\n')
    (tree / "tool" / "data.txt").write_text("data\n")
    (tree / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["flit_core"]\nbuild-backend = "flit_core.buildapi"\n\n'
        '[project]\nname = "tool"\nauthors = [{ name = "A", email = "a@example.org" }]\n'
        'dynamic = ["version", "description"]\n'
    )
    case = Case("tool", "1.0", "flit_core", None, None, (), (), (), ())
    as_repository(tree, case)
    done = subprocess.run(
        [python, "-m", "packkit", "migrate", "--verify"], cwd=tree, env=clean_env(),
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    verify = [line for line in done.stderr.splitlines() if line.startswith("verify:")]
    # flit_core and packkit agree on every field and file but the version: until the migrated
    # pyproject.toml is committed, the tree is dirty, and a version from git says so.
    assert len(verify) == 1, done.stderr
    assert re.fullmatch(
        r'verify: METADATA version: old backend "1.0", packkit "1.1.dev0\+g[0-9a-f]{9}.d20240615"',
        verify[0],
    ), verify
