#!/usr/bin/env python3
"""Benchmark: how long does it take to build a wheel and an sdist, and how much memory?

What is measured
----------------
The wall time to build one wheel and one sdist of the same project, for packkit and its peers:

* ``packkit PEP 517`` -- ``packkit.backend``'s ``build_wheel`` and ``build_sdist`` hooks, each
  called in a fresh process through ``pyproject_hooks`` (no build isolation: every backend is
  installed in the interpreter that runs this script),
* ``packkit in-process`` -- ``packkit.build_wheel(path, outdir)`` and ``packkit.build_sdist``
  called inside this process, after a warm-up (quick builds are repeated within a round and
  averaged),
* ``packkit CLI`` -- ``packkit build PATH -o DIR`` (both artifacts, one process), when the
  installed packkit has that command,
* ``uv build (fast path)`` -- ``uv build --sdist --wheel --offline`` on the uv_build variant:
  uv builds both artifacts from the tree (as every other row does; plain ``uv build`` would build
  the wheel from the sdist) with the copy of uv_build compiled into uv, no Python process and no
  PEP 517 call (the script checks, with ``-v``, that uv says it uses its bundled backend),
* ``uv_build``, ``hatchling``, ``flit_core``, ``pdm-backend``, ``setuptools`` -- each backend's
  hooks through ``pyproject_hooks``, exactly as for packkit,
* ``no-op PEP 517 hook`` -- a backend whose hooks write an empty file: the fixed cost of a hook
  call in a fresh process (interpreter start-up plus ``pyproject_hooks``' wrapper), which every
  PEP 517 row pays twice,
* ``floor`` -- ``zip -r -q`` of the package directories plus ``tar czf`` of the source tree, as
  two subprocesses: what compressing the same files costs without any packaging logic. Without a
  ``zip`` (or ``tar``) command the floor uses Python's ``zipfile`` with ``ZIP_DEFLATED`` (or
  ``tarfile``) in a ``python -c`` subprocess, and its label says so.

Every row except ``packkit in-process`` pays for interpreter (or uv) start-up, as a build
front-end does. The runs are interleaved: after one untimed warm-up run per tool, each round runs
every tool once (the starting tool rotates between rounds). The table reports the median wheel,
sdist and total time over ``--rounds`` rounds (the total is the median of the per-round sums),
the minimum total, and the ratio of each total to packkit PEP 517's and to packkit in-process's
(``3.0x`` = three times slower than packkit). Before every run the project copy is cleaned of
what earlier builds left in it (setuptools' ``build/`` and ``*.egg-info``, ...), and the output
directory is empty.

Then the peak memory of each build: every PEP 517 backend's ``build_wheel`` and ``build_sdist``
hook (and the no-op hook, the interpreter's own) is called in a fresh interpreter in the project
folder, as a frontend calls it (``python -I -c``: the folder is not on ``sys.path``), started by
a small wrapper process that reports the peak resident set size of the processes it waited for
(``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss``: the hook's, or the ``uv-build`` executable's
that uv_build's hook runs; a process starts with the memory high-water mark of the one that
spawned it, so the benchmark's own interpreter cannot be that parent). Each artifact is built
``--memory-rounds`` times (default 3), the tools interleaved; the memory table gives the median
peak in MiB, its ratio to packkit's, and the median wall time of those builds.

The projects
------------
``small``
    src layout: one package (``benchsmall``: ``__init__``, ``core``, ``cli``), a README, a
    license, a console script.
``generated``
    src layout: ``benchgen`` with 20 packages of 10 subpackages of 10 modules (2,000 modules,
    221 ``__init__.py`` and a ``cli.py``; about 3 KB each) plus 200 package-data files (100
    ``.json``, 100 ``.txt``), generated deterministically (seeded ``random.Random``).
``pygments``, ``packaging``
    the sdists of ``pygments==2.19.2`` (flat layout, 2,681 files) and ``packaging==25.0`` (src
    layout, tests and docs), fetched once with ``pip download --no-binary :all: --no-deps`` into
    ``--workdir`` and unpacked, minus their ``PKG-INFO`` (each backend writes its own).
``large``
    ``small`` (as ``benchlarge``) plus 20 files of 50 MB of random bytes (seeded) in
    ``benchlarge/data/``: 1 GB that does not compress. Memory only: its build times are mostly
    deflate's.

Each project is copied once per backend (files of 1 MiB or more as hard links), with a
``pyproject.toml`` declaring that backend: the
``[project]`` table as the project has it, with a static version instead of ``dynamic``; the
``[build-system]`` table and the backends' own tool tables replaced by the ones below (other tool
tables, ruff's or mypy's, stay). Every backend is told the same package list and the same sdist
contents (all files of the source tree), so all of them build the same wheel payload and nearly
the same sdist -- the artifact table lists the file counts, and the script compares the wheels
(see below).

=============  ===========================================================================
backend        configuration
=============  ===========================================================================
packkit        none (discovery finds every package here)
hatchling      ``[tool.hatch.build.targets.wheel] packages``; sdist: hatchling's default
flit_core      ``[tool.flit.module] name``; ``[tool.flit.sdist] include``
setuptools     ``[tool.setuptools.packages.find]``, ``package-data``; a ``MANIFEST.in``
pdm-backend    ``[tool.pdm.build] package-dir``, ``includes``, ``source-includes``
uv_build       ``[tool.uv.build-backend] module-name``, ``module-root``, ``source-include``
=============  ===========================================================================

The ``uv_build`` variant requires ``uv_build>=X.Y.Z,<X.Y+1`` for the installed uv_build, which
must include uv's own version for uv to take its fast path (install matching ``uv`` and
``uv_build`` versions; the script warns when they differ).

Checks
------
Every artifact must exist and be non-empty (else the row fails; in the memory table, a hook
must leave one artifact). After the warm-up the script
prints a ``WARNING`` line when packkit's wheel does not hold the same Python files as
hatchling's, when any other backend's wheel holds other Python files than packkit's, when
packkit's in-process artifacts differ from its PEP 517 ones (the builds are reproducible, so they
should be byte-identical), and when ``uv build`` does not report its fast path.

How to run
----------
::

    python3 -m venv /tmp/bench-build-venv
    /tmp/bench-build-venv/bin/pip install -U pyproject_hooks hatchling flit_core setuptools \\
        wheel pdm-backend uv==0.13.6 uv_build==0.13.6
    /tmp/bench-build-venv/bin/pip install --force-reinstall --no-deps PATH/TO/packkit-*.whl
    /tmp/bench-build-venv/bin/python benchmarks/bench_build.py
    /tmp/bench-build-venv/bin/python benchmarks/bench_build.py --only small,generated --rounds 3
    /tmp/bench-build-venv/bin/python benchmarks/bench_build.py --only large --memory-rounds 5
    /tmp/bench-build-venv/bin/python benchmarks/bench_build.py --memory-rounds 0  # times only
    /tmp/bench-build-venv/bin/python benchmarks/bench_build.py --json results.json

(``-U`` matters: a new venv already holds an old setuptools, which predates PEP 639's
``license-files``.) Use a release build of packkit (``maturin build --release``). The script
uses the interpreter that runs it (``sys.executable``) for every hook call and takes the ``uv``,
``packkit`` commands from its directory. ``--workdir`` (default ``/tmp/packkit-bench-build``)
must not be inside a git work tree: the projects are built as plain directories, and needs about
5 GB free for the ``large`` project (its sources, a copy of them in setuptools' ``build/``, and
the artifacts of one build). Without packkit
(or with one that has no build backend yet) the packkit rows read ``not installed`` and the
script exits with status 1 after measuring the peers; a tool that fails also gives status 1.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from _common import add_choice_list, chosen, distribution_version, fmt_ratio, markdown_table

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the pyproject.toml check is skipped
    tomllib = None  # type: ignore[assignment]

# Bump when the generated sources change, so cached copies are rebuilt.
GENERATOR_VERSION = 1
TOOL_TIMEOUT_S = 900
INPROC_MIN_S = 0.02  # repeat quick in-process builds until a round takes at least this long ...
INPROC_MAX_CALLS = 50  # ... or this many builds were made

REAL_PROJECTS = {
    # key: (requirement, sdist file name, version, top-level packages, package root)
    "pygments": ("pygments==2.19.2", "pygments-2.19.2.tar.gz", "2.19.2", ("pygments",), ""),
    "packaging": ("packaging==25.0", "packaging-25.0.tar.gz", "25.0", ("packaging",), "src"),
}
PROJECT_KEYS = ("small", "generated", *REAL_PROJECTS, "large")
#: Projects measured for peak memory only: timing their builds is mostly timing deflate.
MEMORY_ONLY = ("large",)
LARGE_FILES = 20
LARGE_FILE_BYTES = 50_000_000

# The backends' own tool tables, replaced in every variant (matched with their sub-tables).
BACKEND_TABLES = (
    "build-system",
    "tool.hatch",
    "tool.flit",
    "tool.setuptools",
    "tool.pdm",
    "tool.uv",
    "tool.packkit",
    "tool.poetry",
    "tool.maturin",
)

MIT_LICENSE = """\
MIT License

Copyright (c) 2025 Bench Mark

Permission is hereby granted, free of charge, to any person obtaining a copy of this software
and associated documentation files (the "Software"), to deal in the Software without
restriction, including without limitation the rights to use, copy, modify, merge, publish,
distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the
Software is furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING
BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM,
DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
"""

SYNTHETIC_PROJECT_TABLE = """\
[project]
name = "{name}"
version = "1.0.0"
description = "{description}"
readme = "README.md"
requires-python = ">=3.9"
license = "MIT"
license-files = ["LICENSE"]
authors = [{{ name = "Bench Mark", email = "bench@example.invalid" }}]
classifiers = ["Programming Language :: Python :: 3", "Operating System :: OS Independent"]
dependencies = ["packaging>=24"]

[project.optional-dependencies]
test = ["pytest>=8"]

[project.scripts]
{name} = "{name}.cli:main"
"""

NOOP_BACKEND = '''\
"""A PEP 517 backend that builds nothing: the fixed cost of calling a hook."""

import os


def _touch(directory, name):
    open(os.path.join(directory, name), "wb").close()
    return name


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    return _touch(wheel_directory, "noop-0-py3-none-any.whl")


def build_sdist(sdist_directory, config_settings=None):
    return _touch(sdist_directory, "noop-0.tar.gz")
'''

# The floor's fallbacks when `zip` or `tar` is missing (argv: output, then inputs).
PY_ZIP = """\
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as zf:
    for top in sys.argv[2:]:
        for root, dirs, files in os.walk(top):
            dirs.sort()
            for name in sorted(files):
                zf.write(os.path.join(root, name))
"""
PY_TAR = """\
import sys, tarfile
with tarfile.open(sys.argv[1], "w:gz") as tf:
    tf.add(sys.argv[2], arcname=sys.argv[3])
"""

WORDS = (
    "alpha beta gamma delta epsilon zeta theta kappa lambda sigma omega vector matrix buffer "
    "record window cursor parser token stream packet frame channel bucket ledger sample signal "
    "filter reducer mapper loader writer reader cache index shard queue batch event router"
).split()


# --------------------------------------------------------------------------------------------
# Projects
# --------------------------------------------------------------------------------------------


@dataclass
class Project:
    """A pristine source tree and what every backend needs to know about it."""

    key: str
    name: str  # distribution name, as written in [project]
    version: str
    packages: tuple[str, ...]  # top-level import packages
    root: str  # the directory holding them, relative to the project ("" or "src")
    source: Path  # the pristine tree (also what the floor compresses)
    pyproject: str  # the project's own pyproject.toml
    layout: str = ""

    @property
    def package_dirs(self) -> list[str]:
        return [f"{self.root}/{p}" if self.root else p for p in self.packages]

    def top_entries(self) -> list[str]:
        """The top-level files and folders of the tree, which every sdist should carry."""
        return sorted(p.name for p in self.source.iterdir() if p.name != "pyproject.toml")

    def data_globs(self) -> list[str]:
        """``*.ext`` for each kind of non-Python file inside the packages."""
        exts = set()
        for pkg in self.package_dirs:
            for path in (self.source / pkg).rglob("*"):
                if path.is_file() and path.suffix not in (".py", ".pyc"):
                    exts.add(f"*{path.suffix}" if path.suffix else path.name)
        return sorted(exts)


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def module_text(rng: random.Random, dotted: str) -> str:
    """A plausible ~3 KB module: constants, functions and a class, all deterministic."""
    lines = [f'"""{dotted}: generated for packkit\'s build benchmark."""', ""]
    lines += ["from __future__ import annotations", "", "import math", ""]
    for i in range(4):
        lines.append(f"{rng.choice(WORDS).upper()}_{i} = {rng.randint(0, 10**6)}")
    lines.append("")
    for i in range(8):
        a, b = rng.sample(WORDS, 2)
        lines += [
            "",
            "",
            f"def {a}_{b}_{i}(value: float, scale: float = {rng.randint(1, 99)}.0) -> float:",
            f'    """Combine ``value`` with the {a} {b} table (step {i})."""',
            f"    total = value * scale + {rng.randint(1, 999)}",
            f"    for step in range({rng.randint(3, 30)}):",
            f"        total += math.sqrt(abs(total)) / (step + {rng.randint(1, 9)})",
            f"    return round(total, {rng.randint(1, 6)})",
        ]
    cls = "".join(w.title() for w in rng.sample(WORDS, 2))
    lines += [
        "",
        "",
        f"class {cls}:",
        f'    """A {rng.choice(WORDS)} holder."""',
        "",
        "    def __init__(self, items: list[int] | None = None) -> None:",
        "        self.items = list(items or [])",
        "",
        "    def add(self, item: int) -> None:",
        "        self.items.append(item)",
        "",
        "    def summary(self) -> dict[str, float]:",
        "        count = len(self.items) or 1",
        '        return {"count": len(self.items), "mean": sum(self.items) / count}',
        "",
    ]
    return "\n".join(lines)


def generate_small(dest: Path, name: str = "benchsmall") -> None:
    write(dest / "README.md", f"# {name}\n\nA small project for packkit's build benchmark.\n")
    write(dest / "LICENSE", MIT_LICENSE)
    pkg = dest / "src" / name
    write(pkg / "__init__.py", f'"""{name}: a tiny package."""\n\n__version__ = "1.0.0"\n')
    write(pkg / "core.py", module_text(random.Random(f"{name}.core"), f"{name}.core"))
    write(
        pkg / "cli.py",
        '"""The console script."""\n\n\ndef main() -> None:\n    print("hello")\n',
    )


def generate_generated(dest: Path) -> None:
    name = "benchgen"
    readme = [f"# {name}", "", "A generated project for packkit's build benchmark.", ""]
    readme += [" ".join(random.Random(i).choices(WORDS, k=16)) for i in range(20)]
    write(dest / "README.md", "\n".join(readme) + "\n")
    write(dest / "LICENSE", MIT_LICENSE)
    top = dest / "src" / name
    write(top / "__init__.py", f'"""{name}: a generated package."""\n\n__version__ = "1.0.0"\n')
    write(
        top / "cli.py",
        '"""The console script."""\n\n\ndef main() -> None:\n    print("hello")\n',
    )
    for p in range(20):
        write(top / f"pkg{p:02d}" / "__init__.py", f'"""{name}.pkg{p:02d}."""\n')
        for s in range(10):
            sub = top / f"pkg{p:02d}" / f"sub{s:02d}"
            dotted = f"{name}.pkg{p:02d}.sub{s:02d}"
            write(sub / "__init__.py", f'"""{dotted}."""\n')
            for m in range(10):
                rng = random.Random(f"{dotted}.mod{m:02d}")
                write(sub / f"mod{m:02d}.py", module_text(rng, f"{dotted}.mod{m:02d}"))
            rng = random.Random(f"{dotted}.data")
            if (p * 10 + s) % 2 == 0:
                table = {f"{rng.choice(WORDS)}_{i}": rng.randint(0, 10**6) for i in range(60)}
                write(sub / "table.json", json.dumps(table, indent=2) + "\n")
            else:
                text = [" ".join(rng.choices(WORDS, k=12)) for _ in range(30)]
                write(sub / "notes.txt", "\n".join(text) + "\n")


def generate_large(dest: Path) -> None:
    """The small project plus 20 files of 50 MB of (seeded) random bytes in the package."""
    generate_small(dest, "benchlarge")
    data = dest / "src" / "benchlarge" / "data"
    data.mkdir()
    for index in range(LARGE_FILES):
        (data / f"blob{index:02d}.bin").write_bytes(
            random.Random(f"benchlarge.{index}").randbytes(LARGE_FILE_BYTES)
        )


def synthetic_project(key: str, sources: Path, force: bool) -> Project:
    name, description, generate = {
        "small": ("benchsmall", "A small project", generate_small),
        "generated": ("benchgen", "A generated project with 2,000 modules", generate_generated),
        "large": ("benchlarge", "A project with 1 GB of random data", generate_large),
    }[key]
    source = sources / key
    stamp = sources / f"{key}.json"
    recipe = {"generator": GENERATOR_VERSION, "key": key}
    fresh = stamp.exists() and json.loads(stamp.read_text()) == recipe and source.is_dir()
    if force or not fresh:
        print(f"generating {key} ...", file=sys.stderr, flush=True)
        shutil.rmtree(source, ignore_errors=True)
        generate(source)
        table = SYNTHETIC_PROJECT_TABLE.format(name=name, description=description)
        write(source / "pyproject.toml", table)
        stamp.write_text(json.dumps(recipe) + "\n")
    return Project(
        key,
        name,
        "1.0.0",
        (name,),
        "src",
        source,
        (source / "pyproject.toml").read_text(),
        layout="src",
    )


def real_project(key: str, workdir: Path, force: bool) -> Project:
    requirement, archive_name, version, packages, root = REAL_PROJECTS[key]
    downloads = workdir / "downloads"
    archive = downloads / archive_name
    if not archive.exists():
        downloads.mkdir(parents=True, exist_ok=True)
        print(f"downloading {requirement} ...", file=sys.stderr, flush=True)
        argv = [sys.executable, "-m", "pip", "download", "--no-binary", ":all:", "--no-deps"]
        proc = subprocess.run(
            [*argv, "-q", "-d", str(downloads), requirement],
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0 or not archive.exists():
            raise SystemExit(f"error: pip download {requirement} failed:\n{proc.stderr[-2000:]}")
    source = workdir / "sources" / key
    stamp = workdir / "sources" / f"{key}.json"
    recipe = {"generator": GENERATOR_VERSION, "archive": archive_name}
    fresh = stamp.exists() and json.loads(stamp.read_text()) == recipe and source.is_dir()
    if force or not fresh:
        print(f"unpacking {archive_name} ...", file=sys.stderr, flush=True)
        shutil.rmtree(source, ignore_errors=True)
        unpack = source.parent / f".{key}-unpack"
        shutil.rmtree(unpack, ignore_errors=True)
        with tarfile.open(archive) as tar:
            if hasattr(tarfile, "data_filter"):
                tar.extractall(unpack, filter="data")
            else:  # pragma: no cover - Python without PEP 706
                tar.extractall(unpack)
        (top,) = unpack.iterdir()
        top.rename(source)
        unpack.rmdir()
        (source / "PKG-INFO").unlink(missing_ok=True)
        stamp.write_text(json.dumps(recipe) + "\n")
    text = (source / "pyproject.toml").read_text()
    layout = "src" if root else "flat"
    return Project(key, key, version, packages, root, source, text, layout=layout)


# --------------------------------------------------------------------------------------------
# pyproject.toml variants
# --------------------------------------------------------------------------------------------

HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.\-\"' ]+?)\s*\]\]?\s*(#.*)?$")
DYNAMIC = re.compile(r"^(\s*dynamic\s*=\s*)\[(.*)\]\s*(#.*)?$")


def toml_list(items: list[str]) -> str:
    return "[" + ", ".join(json.dumps(item) for item in items) + "]"


def strip_backend_tables(text: str, version: str) -> str:
    """Drop ``[build-system]`` and the backends' tables; make the version static."""
    chunks: list[tuple[str | None, list[str]]] = [(None, [])]
    for line in text.splitlines():
        match = HEADER.match(line)
        if match:
            chunks.append((match.group(1).replace('"', "").replace("'", ""), []))
        chunks[-1][1].append(line)
    kept: list[str] = []
    for name, lines in chunks:
        if name is not None and any(
            name == table or name.startswith(table + ".") for table in BACKEND_TABLES
        ):
            continue
        if name == "project":
            lines = [static_version_line(line, version) for line in lines]
        kept += lines
    return "\n".join(kept).strip() + "\n"


def static_version_line(line: str, version: str) -> str:
    match = DYNAMIC.match(line)
    if not match:
        return line
    items = [item.strip().strip("\"'") for item in match.group(2).split(",") if item.strip()]
    rest = [item for item in items if item != "version"]
    version_line = f'version = "{version}"'
    if not rest:
        return version_line
    return f"{version_line}\n{match.group(1)}{toml_list(rest)}"


def backend_tables(backend: str, project: Project) -> tuple[str, str, str]:
    """``(requires, build-backend, tool tables)`` for one backend."""
    pkgs, root, dirs = list(project.packages), project.root, project.package_dirs
    entries = project.top_entries()
    if backend == "packkit":
        return '"packkit"', "packkit.backend", ""
    if backend == "hatchling":
        tools = f"[tool.hatch.build.targets.wheel]\npackages = {toml_list(dirs)}\n"
        return '"hatchling"', "hatchling.build", tools
    if backend == "flit_core":
        if len(pkgs) != 1:
            raise ValueError("flit_core builds one top-level module or package")
        tools = (
            f'[tool.flit.module]\nname = "{pkgs[0]}"\n\n'
            f"[tool.flit.sdist]\ninclude = {toml_list(entries)}\n"
        )
        return '"flit_core>=3.12"', "flit_core.buildapi", tools
    if backend == "setuptools":
        globs = project.data_globs()
        tools = "[tool.setuptools.packages.find]\n"
        tools += f"where = {toml_list([root or '.'])}\n"
        tools += f"include = {toml_list([g for p in pkgs for g in (p, p + '.*')])}\n"
        if globs:
            tools += f'\n[tool.setuptools.package-data]\n"*" = {toml_list(globs)}\n'
        return '"setuptools>=77"', "setuptools.build_meta", tools
    if backend == "pdm-backend":
        # pdm-backend leaves source-includes out of the wheel: so not the packages' folder.
        sources = [e for e in entries if e not in {d.split("/")[0] for d in dirs}]
        tools = "[tool.pdm.build]\n"
        if root:
            tools += f'package-dir = "{root}"\n'
        tools += f"includes = {toml_list(dirs)}\nsource-includes = {toml_list(sources)}\n"
        return '"pdm-backend"', "pdm.backend", tools
    if backend == "uv_build":
        version = distribution_version("uv_build") or "0.0.0"
        major, minor = (int(part) for part in version.split(".")[:2])
        requires = f'"uv_build>={version},<{major}.{minor + 1}"'
        module = pkgs[0] if len(pkgs) == 1 else pkgs
        includes = [f"{e}/**" if (project.source / e).is_dir() else e for e in entries]
        tools = (
            f"[tool.uv.build-backend]\nmodule-name = {json.dumps(module)}\n"
            f'module-root = "{root}"\nsource-include = {toml_list(includes)}\n'
        )
        return requires, "uv_build", tools
    raise ValueError(backend)


def manifest_in(project: Project) -> str:
    lines = [
        f"graft {e}" if (project.source / e).is_dir() else f"include {e}"
        for e in project.top_entries()
    ]
    return "\n".join([*lines, "global-exclude *.py[cod]", ""])


BACKENDS = ("packkit", "hatchling", "flit_core", "setuptools", "pdm-backend", "uv_build")


@dataclass
class Variant:
    """A copy of a project whose pyproject.toml declares one backend."""

    project: Project
    backend: str
    path: Path
    initial: set[Path] = field(default_factory=set)

    def _watched(self) -> set[Path]:
        found = set(self.path.iterdir())
        if self.project.root:
            found |= set((self.path / self.project.root).iterdir())
        return found

    def snapshot(self) -> None:
        self.initial = self._watched()

    def clean(self) -> None:
        """Remove what builds left in the copy (``build/``, ``*.egg-info``, ...)."""
        for path in self._watched() - self.initial:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()


def make_variants(project: Project, workdir: Path) -> dict[str, Variant]:
    base = strip_backend_tables(project.pyproject, project.version)
    variants: dict[str, Variant] = {}
    for backend in BACKENDS:
        path = workdir / "variants" / project.key / backend
        shutil.rmtree(path, ignore_errors=True)
        shutil.copytree(project.source, path, symlinks=True, copy_function=link_or_copy)
        requires, build_backend, tools = backend_tables(backend, project)
        text = (
            f"[build-system]\nrequires = [{requires}]\nbuild-backend = {json.dumps(build_backend)}"
            f"\n\n{base}"
        )
        if tools:
            text += f"\n{tools}"
        (path / "pyproject.toml").write_text(text)
        if backend == "setuptools":
            (path / "MANIFEST.in").write_text(manifest_in(project))
        check_pyproject(project, path / "pyproject.toml")
        variants[backend] = Variant(project, backend, path)
        variants[backend].snapshot()
    return variants


def link_or_copy(source: str, target: str) -> None:
    """Big files are hard links (the large project would take 1 GB per backend); small ones,
    which the variants rewrite (``pyproject.toml``), are copies."""
    if os.path.getsize(source) >= 1 << 20:
        try:
            os.link(source, target)
            return
        except OSError:
            pass
    shutil.copy2(source, target)


def check_pyproject(project: Project, path: Path) -> None:
    """The variant's [project] table must be the project's own, with a static version."""
    if tomllib is None:
        return
    original = tomllib.loads(project.pyproject)["project"]
    expected = dict(original, version=project.version)
    dynamic = [item for item in original.get("dynamic", []) if item != "version"]
    expected.pop("dynamic", None)
    if dynamic:
        expected["dynamic"] = dynamic
    written = tomllib.loads(path.read_text())
    if written.get("project") != expected:
        raise SystemExit(f"error: {path}: the [project] table changed unexpectedly")
    for key, value in tomllib.loads(project.pyproject).get("tool", {}).items():
        if f"tool.{key}" not in BACKEND_TABLES and written.get("tool", {}).get(key) != value:
            raise SystemExit(f"error: {path}: [tool.{key}] changed unexpectedly")


# --------------------------------------------------------------------------------------------
# Tools
# --------------------------------------------------------------------------------------------


class ToolError(Exception):
    """A tool exited non-zero, raised, or left no artifact."""


@dataclass
class Run:
    wheel_s: float | None  # None: the tool builds both artifacts in one step
    sdist_s: float | None
    total_s: float
    wheel: Path | None
    sdist: Path | None
    log: str = ""


@dataclass
class Tool:
    key: str
    label: str
    kind: str  # pep517, inproc, cli, uv, noop, floor
    backend: str | None = None  # the variant it builds
    missing: str | None = None  # why it cannot run, if it cannot


def tail(text: str, lines: int = 4) -> str:
    kept = [line for line in text.strip().splitlines() if line.strip()][-lines:]
    return " / ".join(kept)[-600:]


def run_argv(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, str]:
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            argv,
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=TOOL_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ToolError(f"{argv[0]}: {exc}") from exc
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise ToolError(f"exit status {proc.returncode}: {tail(proc.stderr + proc.stdout)}")
    return elapsed, proc.stderr + proc.stdout


def find_artifacts(out: Path) -> tuple[Path | None, Path | None]:
    wheels = sorted(out.glob("*.whl"))
    sdists = sorted(out.glob("*.tar.gz"))
    return (wheels[0] if wheels else None), (sdists[0] if sdists else None)


class Runner:
    """Runs each kind of tool once on a project; knows the interpreter, uv and the floor."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.bindir = Path(sys.executable).parent
        self.uv = self.bindir / "uv"
        self.uv_env = dict(os.environ, UV_CACHE_DIR=str(workdir / "uv-cache"))
        self.noop_dir = workdir / "noop-backend"
        self.noop_dir.mkdir(parents=True, exist_ok=True)
        (self.noop_dir / "noop_backend.py").write_text(NOOP_BACKEND)
        self.zip = shutil.which("zip")
        self.tar = shutil.which("tar")
        self.packkit_api: Any = None

    @property
    def floor_label(self) -> str:
        zipper = "zip -r" if self.zip else "Python zipfile"
        tarrer = "tar czf" if self.tar else "Python tarfile"
        return f"floor ({zipper} + {tarrer})"

    def run(self, tool: Tool, variants: dict[str, Variant], project: Project, out: Path) -> Run:
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        variant = variants[tool.backend] if tool.backend else None
        if variant is not None:
            variant.clean()
        if tool.kind in ("pep517", "noop"):
            path = variant.path if variant else self.noop_dir
            backend = build_backend_of(tool.backend) if tool.backend else "noop_backend"
            run = self.pep517(path, backend, out, backend_path=None if variant else ["."])
        elif tool.kind == "inproc":
            assert variant is not None
            run = self.in_process(variant.path, out)
        elif tool.kind == "cli":
            assert variant is not None
            argv = [str(self.bindir / "packkit"), "build", str(variant.path), "-o", str(out)]
            elapsed, log = run_argv(argv, variant.path)
            run = Run(None, None, elapsed, *find_artifacts(out), log=log)
        elif tool.kind == "uv":
            assert variant is not None
            elapsed, log = run_argv(
                self.uv_argv(variant.path, out, "-q"), variant.path, self.uv_env
            )
            run = Run(None, None, elapsed, *find_artifacts(out), log=log)
        elif tool.kind == "floor":
            run = self.floor(project, out)
        else:
            raise ValueError(tool.kind)
        if tool.kind != "noop":
            for artifact in (run.wheel, run.sdist):
                if artifact is None or not artifact.is_file() or artifact.stat().st_size == 0:
                    raise ToolError(f"no artifact (or an empty one) in {out}: {artifact}")
        return run

    def uv_argv(self, path: Path, out: Path, *flags: str) -> list[str]:
        return [
            str(self.uv),
            "build",
            "--offline",
            "--no-config",
            "--python",
            sys.executable,
            "--sdist",
            "--wheel",
            "-o",
            str(out),
            *flags,
            str(path),
        ]

    def uv_fast_path(self, variant: Variant, out: Path) -> bool:
        """Does ``uv build`` say it uses its bundled uv_build (no PEP 517 call)?"""
        shutil.rmtree(out, ignore_errors=True)
        variant.clean()
        _, log = run_argv(self.uv_argv(variant.path, out, "-v"), variant.path, self.uv_env)
        return "Using bundled `uv_build`" in log

    def pep517(self, path: Path, backend: str, out: Path, backend_path: list[str] | None) -> Run:
        from pyproject_hooks import (
            BuildBackendHookCaller,
            BuildBackendWarning,
            quiet_subprocess_runner,
        )

        hooks = BuildBackendHookCaller(
            str(path),
            backend,
            backend_path=backend_path,
            runner=quiet_subprocess_runner,
            python_executable=sys.executable,
        )
        # pyproject_hooks re-issues the backend's warnings in this process: setuptools' are long.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", BuildBackendWarning)
            return self._pep517_hooks(hooks, out)

    @staticmethod
    def _pep517_hooks(hooks: Any, out: Path) -> Run:
        try:
            start = time.perf_counter()
            wheel = hooks.build_wheel(str(out))
            middle = time.perf_counter()
            sdist = hooks.build_sdist(str(out))
            end = time.perf_counter()
        except subprocess.CalledProcessError as exc:
            output = exc.output.decode(errors="replace") if exc.output else ""
            raise ToolError(f"exit status {exc.returncode}: {tail(output)}") from exc
        except Exception as exc:
            raise ToolError(f"{type(exc).__name__}: {exc}") from exc
        return Run(middle - start, end - middle, end - start, out / wheel, out / sdist)

    def in_process(self, path: Path, out: Path) -> Run:
        api = self.packkit_api
        calls, wheel_s, sdist_s = 0, 0.0, 0.0
        try:
            while True:
                start = time.perf_counter()
                wheel = api.build_wheel(path, out)
                middle = time.perf_counter()
                sdist = api.build_sdist(path, out)
                end = time.perf_counter()
                calls += 1
                wheel_s += middle - start
                sdist_s += end - middle
                if wheel_s + sdist_s >= INPROC_MIN_S or calls >= INPROC_MAX_CALLS:
                    break
        except Exception as exc:
            raise ToolError(f"{type(exc).__name__}: {exc}") from exc
        return Run(
            wheel_s / calls, sdist_s / calls, (wheel_s + sdist_s) / calls, Path(wheel), Path(sdist)
        )

    def floor(self, project: Project, out: Path) -> Run:
        wheel = out / f"{project.key}-floor.whl"
        sdist = out / f"{project.key}-floor.tar.gz"
        dirs = project.package_dirs
        if project.root:
            cwd = project.source / project.root
            dirs = list(project.packages)
        else:
            cwd = project.source
        if self.zip:
            zip_argv = [self.zip, "-r", "-q", str(wheel), *dirs]
        else:
            zip_argv = [sys.executable, "-c", PY_ZIP, str(wheel), *dirs]
        source = project.source
        if self.tar:
            tar_argv = [self.tar, "czf", str(sdist), "-C", str(source.parent), source.name]
        else:
            tar_argv = [sys.executable, "-c", PY_TAR, str(sdist), str(source), source.name]
        zip_s, _ = run_argv(zip_argv, cwd)
        tar_s, _ = run_argv(tar_argv, source.parent)
        return Run(zip_s, tar_s, zip_s + tar_s, wheel, sdist)


def build_backend_of(backend: str) -> str:
    return {
        "packkit": "packkit.backend",
        "hatchling": "hatchling.build",
        "flit_core": "flit_core.buildapi",
        "setuptools": "setuptools.build_meta",
        "pdm-backend": "pdm.backend",
        "uv_build": "uv_build",
    }[backend]


def load_packkit() -> tuple[Any, str | None, str | None]:
    """Import packkit's build API (the warm-up import): ``(module, version, why-missing)``."""
    try:
        import packkit  # type: ignore[import-not-found,unused-ignore]
    except ModuleNotFoundError as exc:
        if exc.name != "packkit":
            raise
        return None, None, "packkit not installed"
    version = str(packkit.__version__)
    try:
        packkit.build_wheel  # noqa: B018 - loads the Rust extension
        packkit.build_sdist  # noqa: B018
    except AttributeError:
        return None, version, f"packkit {version} has no build API (an older build?)"
    if importlib.util.find_spec("packkit.backend") is None:
        return None, version, f"packkit {version} has no packkit.backend"
    return packkit, version, None


def module_installed(name: str) -> bool:
    """``find_spec`` of ``pdm.backend`` raises, rather than answer None, without ``pdm``."""
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def make_tools(runner: Runner, packkit_missing: str | None) -> list[Tool]:
    tools = [
        Tool("packkit-pep517", "packkit PEP 517", "pep517", "packkit"),
        Tool("packkit-inproc", "packkit in-process", "inproc", "packkit"),
        Tool("packkit-cli", "packkit CLI", "cli", "packkit"),
        Tool("uv-build", "uv build (fast path)", "uv", "uv_build"),
        Tool("uv_build", "uv_build PEP 517", "pep517", "uv_build"),
        Tool("hatchling", "hatchling", "pep517", "hatchling"),
        Tool("flit_core", "flit_core", "pep517", "flit_core"),
        Tool("pdm-backend", "pdm-backend", "pep517", "pdm-backend"),
        Tool("setuptools", "setuptools", "pep517", "setuptools"),
        Tool("noop", "no-op PEP 517 hook", "noop"),
        Tool("floor", runner.floor_label, "floor"),
    ]
    modules = {
        "uv_build": "uv_build",
        "hatchling": "hatchling",
        "flit_core": "flit_core",
        "pdm-backend": "pdm.backend",
        "setuptools": "setuptools",
    }
    if importlib.util.find_spec("pyproject_hooks") is None:
        sys.exit("error: pyproject_hooks is not installed in " + sys.executable)
    for tool in tools:
        if tool.key.startswith("packkit") and packkit_missing:
            tool.missing = packkit_missing
        elif tool.key == "packkit-cli":
            probe = subprocess.run(
                [str(runner.bindir / "packkit"), "build", "--help"],
                capture_output=True,
                check=False,
            )
            if probe.returncode != 0:
                tool.missing = "this packkit has no `packkit build` command"
        elif tool.key == "uv-build" and not runner.uv.exists():
            tool.missing = f"no `uv` next to {sys.executable}"
        elif tool.key in modules and not module_installed(modules[tool.key]):
            tool.missing = f"{tool.key} not installed"
    return tools


# --------------------------------------------------------------------------------------------
# Measuring and checking
# --------------------------------------------------------------------------------------------


@dataclass
class Measurement:
    project: str
    tool: str
    wheel: list[float] = field(default_factory=list)
    sdist: list[float] = field(default_factory=list)
    total: list[float] = field(default_factory=list)
    error: str | None = None
    artifacts: dict[str, Any] = field(default_factory=dict)

    def median(self, which: str) -> float | None:
        samples = getattr(self, which)
        return statistics.median(samples) if samples and not self.error else None


def archive_info(path: Path) -> dict[str, Any]:
    """File names (without the sdist's top folder), count, size and sha256 of an artifact."""
    data = path.read_bytes()
    info: dict[str, Any] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    if not data:
        info["files"] = []
    elif path.name.endswith(".whl"):
        with zipfile.ZipFile(path) as zf:
            info["files"] = sorted(n for n in zf.namelist() if not n.endswith("/"))
    else:
        with tarfile.open(path) as tf:
            names = [m.name for m in tf.getmembers() if m.isfile()]
        info["files"] = sorted(n.split("/", 1)[1] if "/" in n else n for n in names)
    return info


def wheel_payload(files: list[str]) -> set[str]:
    """The wheel's files outside ``*.dist-info/`` and ``*.data/``."""
    return {f for f in files if not f.split("/", 1)[0].endswith((".dist-info", ".data"))}


def bench_project(
    project: Project,
    variants: dict[str, Variant],
    tools: list[Tool],
    runner: Runner,
    rounds: int,
) -> dict[str, Measurement]:
    results = {t.key: Measurement(project.key, t.key, error=t.missing) for t in tools}
    live = [t for t in tools if t.missing is None]
    out_root = runner.workdir / "out" / project.key
    kept = runner.workdir / "artifacts" / project.key

    def attempt(tool: Tool, record: bool) -> None:
        result = results[tool.key]
        if result.error:
            return
        try:
            run = runner.run(tool, variants, project, out_root / tool.key)
        except ToolError as exc:
            result.error = str(exc)
            return
        if record:
            if run.wheel_s is not None and run.sdist_s is not None:
                result.wheel.append(run.wheel_s)
                result.sdist.append(run.sdist_s)
            result.total.append(run.total_s)
        elif tool.kind != "noop":
            keep = kept / tool.key
            shutil.rmtree(keep, ignore_errors=True)
            keep.mkdir(parents=True)
            for kind, artifact in (("wheel", run.wheel), ("sdist", run.sdist)):
                assert artifact is not None
                copy = keep / artifact.name
                shutil.copy2(artifact, copy)
                result.artifacts[kind] = {"path": str(copy), **archive_info(copy)}

    print(f"benchmarking {project.key}: warm-up", end="", file=sys.stderr, flush=True)
    for tool in live:
        attempt(tool, record=False)
    for number in range(rounds):
        print(f" {number + 1}", end="", file=sys.stderr, flush=True)
        shift = number % len(live) if live else 0
        for tool in live[shift:] + live[:shift]:
            attempt(tool, record=True)
    print(file=sys.stderr)
    for variant in variants.values():
        variant.clean()
    return results


#: A PEP 517 hook as a frontend calls it: a fresh interpreter in the project folder, in
#: isolated mode (``-I``: the folder is not on ``sys.path``). argv: the backend's module,
#: ``wheel`` or ``sdist``, the output folder, then the backend's own path entries.
HOOK_CALL = """\
import importlib, sys
sys.path[:0] = sys.argv[4:]
hook = getattr(importlib.import_module(sys.argv[1]), "build_" + sys.argv[2])
print(hook(sys.argv[3]))
"""


@dataclass
class MemoryMeasurement:
    """Peak memory (bytes) and wall time (seconds) of each wheel and sdist build of one tool."""

    wheel: list[int] = field(default_factory=list)
    sdist: list[int] = field(default_factory=list)
    wheel_s: list[float] = field(default_factory=list)
    sdist_s: list[float] = field(default_factory=list)
    error: str | None = None

    def median(self, which: str) -> float | None:
        samples = getattr(self, which)
        return statistics.median(samples) if samples and not self.error else None


#: Runs the command in its arguments and prints its peak memory (the largest resident set of
#: the processes it waited for, ``RUSAGE_CHILDREN``; kilobytes on Linux, bytes on macOS) and
#: its wall time. A fresh, small process: a child starts with the memory high-water mark of the
#: process that spawned it, and the benchmark's own is large.
PEAK_RSS = """\
import resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.call(sys.argv[1:], stdout=sys.stderr)
elapsed = time.perf_counter() - start
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, elapsed)
sys.exit(code)
"""


def peak_rss(argv: list[str], cwd: Path) -> tuple[int, float]:
    """Run ``argv`` in a fresh process: its peak resident set size in bytes (its own or that of
    a process it waited for: uv_build's hook runs the ``uv-build`` executable), and its wall
    time in seconds."""
    with tempfile.TemporaryFile() as log:
        try:
            proc = subprocess.run(
                [sys.executable, "-I", "-c", PEAK_RSS, *argv],
                cwd=cwd,
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
                timeout=TOOL_TIMEOUT_S,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise ToolError(f"{argv[0]}: {exc}") from exc
        if proc.returncode != 0:
            log.seek(0)
            output = log.read().decode(errors="replace")
            raise ToolError(f"exit status {proc.returncode}: {tail(output)}")
    peak, elapsed = proc.stdout.split()
    return int(peak) * (1 if sys.platform == "darwin" else 1024), float(elapsed)


def memory_tools(tools: list[Tool]) -> list[Tool]:
    """The PEP 517 backends and the no-op hook: each hook runs in a process of its own."""
    return [t for t in tools if t.kind in ("pep517", "noop") and t.missing is None]


def measure_memory(
    project: Project,
    variants: dict[str, Variant],
    tools: list[Tool],
    runner: Runner,
    rounds: int,
) -> dict[str, MemoryMeasurement]:
    """Peak memory of each hook building the project's wheel and sdist, ``rounds`` times."""
    results = {t.key: MemoryMeasurement() for t in tools}
    out_root = runner.workdir / "out-memory" / project.key

    def attempt(tool: Tool) -> None:
        result = results[tool.key]
        if result.error:
            return
        out = out_root / tool.key
        variant = variants[tool.backend] if tool.backend else None
        for kind in ("wheel", "sdist"):
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir(parents=True)
            if variant is not None:
                variant.clean()
                backend, cwd, path = build_backend_of(variant.backend), variant.path, []
            else:
                backend, cwd, path = "noop_backend", runner.noop_dir, [str(runner.noop_dir)]
            argv = [sys.executable, "-I", "-c", HOOK_CALL, backend, kind, str(out), *path]
            try:
                peak, elapsed = peak_rss(argv, cwd)
            except ToolError as exc:
                result.error = str(exc)
                return
            built = [p for p in out.iterdir() if p.is_file()]
            if tool.kind != "noop" and (len(built) != 1 or built[0].stat().st_size == 0):
                result.error = f"no {kind} (or an empty one) in {out}"
                return
            getattr(result, kind).append(peak)
            getattr(result, f"{kind}_s").append(elapsed)
        shutil.rmtree(out, ignore_errors=True)

    print(f"measuring memory of {project.key}:", end="", file=sys.stderr, flush=True)
    for number in range(rounds):
        print(f" {number + 1}", end="", file=sys.stderr, flush=True)
        shift = number % len(tools) if tools else 0
        for tool in tools[shift:] + tools[:shift]:
            attempt(tool)
    print(file=sys.stderr)
    for variant in variants.values():
        variant.clean()
    return results


def describe_diff(ours: set[str], theirs: set[str], other: str) -> str:
    only_ours, only_theirs = sorted(ours - theirs), sorted(theirs - ours)
    parts = []
    if only_ours:
        parts.append(f"{len(only_ours)} only in packkit's (e.g. {', '.join(only_ours[:3])})")
    if only_theirs:
        parts.append(f"{len(only_theirs)} only in {other}'s (e.g. {', '.join(only_theirs[:3])})")
    return "; ".join(parts)


def sanity_warnings(
    project: Project, tools: list[Tool], results: dict[str, Measurement]
) -> tuple[list[str], list[str]]:
    """``(warnings, notes)`` about failures and about what the wheels hold."""
    key = project.key
    warnings = [
        f"{key}: {t.label} failed: {results[t.key].error}"
        for t in tools
        if t.missing is None and results[t.key].error is not None
    ]
    notes: list[str] = []
    ours = results["packkit-pep517"].artifacts.get("wheel")
    if ours is None:
        return warnings, notes
    our_files = wheel_payload(ours["files"])
    our_py = {f for f in our_files if f.endswith(".py")}
    for tool in tools:
        if tool.kind != "pep517" or tool.key == "packkit-pep517":
            continue
        theirs = results[tool.key].artifacts.get("wheel")
        if theirs is None:
            if tool.key == "hatchling":
                warnings.append(f"{key}: no hatchling wheel to compare packkit's with")
            continue
        their_files = wheel_payload(theirs["files"])
        their_py = {f for f in their_files if f.endswith(".py")}
        if our_py != their_py:
            diff = describe_diff(our_py, their_py, tool.label)
            warnings.append(
                f"{key}: packkit's and {tool.label}'s wheels differ in .py files: {diff}"
            )
        elif our_files != their_files:
            diff = describe_diff(our_files, their_files, tool.label)
            notes.append(f"{key}: wheel payload differs from {tool.label}'s (not .py): {diff}")
    inproc = results["packkit-inproc"].artifacts
    for kind in ("wheel", "sdist"):
        a, b = results["packkit-pep517"].artifacts.get(kind), inproc.get(kind)
        if a and b and a["sha256"] != b["sha256"]:
            warnings.append(f"{key}: packkit's {kind} differs between PEP 517 and in-process")
    return warnings, notes


# --------------------------------------------------------------------------------------------
# Reporting
# --------------------------------------------------------------------------------------------


def fmt_ms(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    ms = seconds * 1000
    return f"{ms:.2f}" if ms < 10 else f"{ms:.1f}" if ms < 100 else f"{ms:.0f}"


def report(
    projects: list[Project], tools: list[Tool], results: dict[str, dict[str, Measurement]]
) -> str:
    timing_rows: list[list[str]] = []
    artifact_rows: list[list[str]] = []
    for project in projects:
        by_tool = results[project.key]
        pep517 = by_tool["packkit-pep517"].median("total")
        inproc = by_tool["packkit-inproc"].median("total")
        for tool in tools:
            result = by_tool[tool.key]
            total = result.median("total")
            if total is None:
                state = "not installed" if tool.missing else "failed"
                cells = ["", "", state, "", "n/a", "n/a"]
            else:
                cells = [
                    fmt_ms(result.median("wheel")),
                    fmt_ms(result.median("sdist")),
                    fmt_ms(total),
                    fmt_ms(min(result.total)),
                    fmt_ratio(total, pep517),
                    fmt_ratio(total, inproc),
                ]
            timing_rows.append([project.key, tool.label, *cells])
            if tool.kind == "noop":
                continue
            row = [project.key, tool.label]
            for kind in ("wheel", "sdist"):
                info = result.artifacts.get(kind)
                if info is None:
                    row += ["-", "-"]
                else:
                    row += [f"{len(info['files']):,}", f"{info['bytes'] / 1024:,.0f}"]
            artifact_rows.append(row)
    timing = markdown_table(
        [
            "project",
            "tool",
            "wheel ms",
            "sdist ms",
            "total ms",
            "min total",
            "vs packkit PEP 517",
            "vs in-process",
        ],
        timing_rows,
        right=2,
    )
    artifacts = markdown_table(
        ["project", "tool", "wheel files", "wheel KiB", "sdist files", "sdist KiB"],
        artifact_rows,
        right=2,
    )
    return f"{timing}\n\nArtifacts (warm-up run):\n\n{artifacts}"


def fmt_mib(value: float | None) -> str:
    return "-" if value is None else f"{value / (1 << 20):,.0f}"


def memory_report(
    projects: list[Project], tools: list[Tool], memory: dict[str, dict[str, MemoryMeasurement]]
) -> str:
    rows: list[list[str]] = []
    for project in projects:
        by_tool = memory[project.key]
        base = by_tool.get("packkit-pep517", MemoryMeasurement())
        for tool in tools:
            result = by_tool[tool.key]
            if result.error:
                rows.append([project.key, tool.label, "failed", "", "n/a", "n/a", "", ""])
                continue
            wheel, sdist = result.median("wheel"), result.median("sdist")
            rows.append(
                [
                    project.key,
                    tool.label,
                    fmt_mib(wheel),
                    fmt_mib(sdist),
                    fmt_ratio(wheel, base.median("wheel")),
                    fmt_ratio(sdist, base.median("sdist")),
                    fmt_ms(result.median("wheel_s")),
                    fmt_ms(result.median("sdist_s")),
                ]
            )
    return markdown_table(
        [
            "project",
            "tool",
            "wheel MiB",
            "sdist MiB",
            "wheel vs packkit",
            "sdist vs packkit",
            "wheel ms",
            "sdist ms",
        ],
        rows,
        right=2,
    )


def project_summary(project: Project) -> str:
    files = [p for p in project.source.rglob("*") if p.is_file()]
    in_packages = [
        p for d in project.package_dirs for p in (project.source / d).rglob("*") if p.is_file()
    ]
    modules = sum(1 for p in in_packages if p.suffix == ".py")
    size = sum(p.stat().st_size for p in files)
    return (
        f"  {project.key}: {project.layout} layout, packages {', '.join(project.packages)}: "
        f"{modules:,} .py + {len(in_packages) - modules:,} data files; "
        f"source tree {len(files):,} files, {size / 1024:,.0f} KiB ({project.source})"
    )


def environment_info(rounds: int, packkit_version: str | None, runner: Runner) -> dict[str, Any]:
    uv = None
    if runner.uv.exists():
        uv = subprocess.run(
            [str(runner.uv), "--version"], capture_output=True, text=True, check=False
        ).stdout.split()[1:2]
    return {
        "python": sys.version.split()[0],
        "executable": sys.executable,
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "rounds": rounds,
        "packkit": packkit_version,
        "uv": uv[0] if uv else None,
        "uv_build": distribution_version("uv_build"),
        "hatchling": distribution_version("hatchling"),
        "flit_core": distribution_version("flit_core"),
        "pdm-backend": distribution_version("pdm-backend"),
        "setuptools": distribution_version("setuptools"),
        "pyproject_hooks": distribution_version("pyproject_hooks"),
        "floor": runner.floor_label,
    }


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Benchmark packkit's wheel and sdist builds against its peers.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path("/tmp/packkit-bench-build"),
        help="where the projects, downloads, copies and outputs live (not in a git work tree)",
    )
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds per tool and project")
    parser.add_argument(
        "--memory-rounds",
        type=int,
        default=3,
        help="peak-memory builds per tool, project and artifact (0: no memory table)",
    )
    add_choice_list(parser, "--only", list(PROJECT_KEYS), "projects")
    parser.add_argument(
        "--regenerate",
        action="store_true",
        help="regenerate and re-unpack the projects even if the cached ones are current",
    )
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write results as JSON")
    args = parser.parse_args(argv)
    names = chosen(parser, "--only", args.only, list(PROJECT_KEYS))
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    if args.memory_rounds < 0:
        parser.error("--memory-rounds must be 0 or more")
    args.keys = [key for key in PROJECT_KEYS if key in names]
    return args


def inside_git_worktree(path: Path) -> bool:
    return any((parent / ".git").exists() for parent in (path, *path.parents))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    workdir = args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    if inside_git_worktree(workdir):
        sys.exit(f"error: --workdir {workdir} is inside a git work tree; choose another")
    os.environ.pop("SOURCE_DATE_EPOCH", None)  # every backend uses its own default timestamps
    # As in an activated venv (and a frontend's build environment): uv_build's hooks look up
    # their `uv-build` executable on PATH.
    bindir = str(Path(sys.executable).parent)
    os.environ["PATH"] = os.pathsep.join([bindir, os.environ.get("PATH", "")])

    packkit_api, packkit_version, packkit_missing = load_packkit()
    if packkit_missing:
        print(
            f"{packkit_missing}: the packkit rows are skipped and the script will exit with "
            "status 1",
            file=sys.stderr,
        )
    runner = Runner(workdir)
    runner.packkit_api = packkit_api
    tools = make_tools(runner, packkit_missing)
    for tool in tools:
        if tool.missing and not tool.key.startswith("packkit"):
            print(f"warning: skipping {tool.label}: {tool.missing}", file=sys.stderr)

    sources = workdir / "sources"
    sources.mkdir(exist_ok=True)
    projects = [
        real_project(key, workdir, args.regenerate)
        if key in REAL_PROJECTS
        else synthetic_project(key, sources, args.regenerate)
        for key in args.keys
    ]
    timed = [p for p in projects if p.key not in MEMORY_ONLY]
    measured = projects if args.memory_rounds else []

    warnings: list[str] = []
    notes: list[str] = []
    uv_version = environment_info(1, None, runner)["uv"]
    uv_build_version = distribution_version("uv_build")
    uv_tool = next(t for t in tools if t.key == "uv-build")
    if uv_tool.missing is None and uv_version != uv_build_version:
        warnings.append(
            f"uv is {uv_version} but uv_build is {uv_build_version}: the uv build row and the "
            "uv_build PEP 517 row run different versions of the backend"
        )

    results: dict[str, dict[str, Measurement]] = {}
    memory: dict[str, dict[str, MemoryMeasurement]] = {}
    for project in projects:
        variants = make_variants(project, workdir)
        if project in measured:
            memory[project.key] = measure_memory(
                project, variants, memory_tools(tools), runner, args.memory_rounds
            )
            for tool in memory_tools(tools):
                if memory[project.key][tool.key].error:
                    error = memory[project.key][tool.key].error
                    warnings.append(f"{project.key}: {tool.label} failed (memory): {error}")
        if project not in timed:
            continue
        if uv_tool.missing is None:
            try:
                fast = runner.uv_fast_path(variants["uv_build"], workdir / "out" / "uv-check")
            except ToolError as exc:
                fast = True  # the benchmark run reports the failure
                warnings.append(f"{project.key}: uv build -v failed: {exc}")
            if not fast:
                warnings.append(f"{project.key}: uv build did not report its fast path")
        results[project.key] = bench_project(project, variants, tools, runner, args.rounds)
        more_warnings, more_notes = sanity_warnings(project, tools, results[project.key])
        warnings += more_warnings
        notes += more_notes

    info = environment_info(args.rounds, packkit_version, runner)
    print(", ".join(f"{key}: {value}" for key, value in info.items() if key != "executable"))
    print()
    print("Projects:")
    for project in projects:
        print(project_summary(project))
    if timed:
        print()
        print(report(timed, tools, results))
    if measured:
        print()
        print(
            f"Peak memory (RSS) of each PEP 517 hook in a fresh process, and its wall time: "
            f"medians of {args.memory_rounds} builds:"
        )
        print()
        print(memory_report(measured, memory_tools(tools), memory))
    for note in notes:
        print(f"note: {note}")
    for warning in warnings:
        print(f"WARNING: {warning}")

    if args.json:
        payload = {
            "environment": info,
            "projects": [
                {
                    "project": p.key,
                    "name": p.name,
                    "version": p.version,
                    "packages": list(p.packages),
                    "root": p.root,
                    "source": str(p.source),
                }
                for p in projects
            ],
            "results": [
                {
                    "project": m.project,
                    "tool": m.tool,
                    "wheel": m.wheel,
                    "sdist": m.sdist,
                    "total": m.total,
                    "median_wheel": m.median("wheel"),
                    "median_sdist": m.median("sdist"),
                    "median_total": m.median("total"),
                    "error": m.error,
                    "artifacts": {
                        kind: {k: v for k, v in a.items() if k != "files"}
                        | {"file_count": len(a["files"])}
                        for kind, a in m.artifacts.items()
                    },
                }
                for by_tool in results.values()
                for m in by_tool.values()
            ],
            "memory": [
                {
                    "project": project,
                    "tool": tool,
                    "wheel_rss": m.wheel,
                    "sdist_rss": m.sdist,
                    "wheel_s": m.wheel_s,
                    "sdist_s": m.sdist_s,
                    "median_wheel_rss": m.median("wheel"),
                    "median_sdist_rss": m.median("sdist"),
                    "error": m.error,
                }
                for project, by_tool in memory.items()
                for tool, m in by_tool.items()
            ],
            "notes": notes,
            "warnings": warnings,
        }
        args.json.write_text(json.dumps(payload, indent=2) + "\n")

    if packkit_missing:
        print(f"error: {packkit_missing} in {sys.executable}", file=sys.stderr)
        return 1
    failed = any(
        t.missing is None and by_tool[t.key].error is not None
        for by_tool in results.values()
        for t in tools
    ) or any(m.error is not None for by_tool in memory.values() for m in by_tool.values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
