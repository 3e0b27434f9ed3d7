#!/usr/bin/env python3
"""Benchmark: how long does it take to compute a version from git tags?

What is measured
----------------
The wall time, the CPU time (user + system, every thread) and the peak resident memory it
takes to print a project's version from its git metadata, for packkit and its peers:

* ``packkit (native)`` -- ``packkit version PATH``: the ``packkit`` executable next to
  ``sys.executable``, the native one the wheel installs (no Python starts),
* ``python -m packkit`` -- ``python -m packkit version PATH``,
* ``packkit in-process`` -- ``packkit.get_version(path)`` called inside this process, after a
  warm-up import and a warm-up call (reported per call; short calls are repeated within a round
  and averaged; CPU time from ``time.process_time``). Its peak memory comes from a fresh
  interpreter that imports packkit and calls ``get_version`` once, shown with what the call
  added to the interpreter's own peak,
* ``setuptools_scm`` -- ``python -m setuptools_scm`` run in the project directory,
* ``versioningit`` -- ``versioningit PATH``,
* ``dunamai`` -- ``dunamai from git --dirty`` run in the project directory,
* ``git describe`` -- a bare ``git describe --tags --long --dirty``, the floor for anything that
  shells out to git.

Every row except ``packkit in-process`` is a fresh subprocess, so interpreter start-up and imports
are part of the cost, as they are for a build front-end or a CI step; its CPU time and peak RSS
come from ``os.wait4`` (the child's own usage, with the grandchildren it waited for, such as the
``git`` processes setuptools_scm runs). The runs are interleaved: each round runs every tool once
(the starting tool rotates between rounds), after one untimed warm-up run per tool, and the table
reports medians over ``--rounds`` rounds plus the ratios of each row's wall and CPU time to
``git describe``'s and to setuptools_scm's (``12x`` = twelve times slower). ``--one-core`` pins
this process to CPU 0 (``os.sched_setaffinity``) and runs every tool under ``taskset -c 0``: a
tool's second thread then only costs, and the CPU times compare the work done.

The repositories
----------------
Generated once with ``git fast-import`` (fixed author and dates, so the commit ids are the same
everywhere) into ``--workdir`` (default ``/tmp/packkit-bench``) and reused while their recipe
is unchanged:

==================  =========  ==============================================================
repo                commits    shape
==================  =========  ==============================================================
``small``           10         annotated tag ``v1.0.0`` at commit 5
``medium``          5,000      200 tags ``v0.<i>.0``, one every 25 commits, HEAD 24 past the last
``deep-tag``        100,000    one tag ``v1.0.0``, 20,000 commits back from HEAD
``far-past-tag``    100,000    50 tags in the first half, HEAD 50,000 commits past the last
``wide-worktree``   300        20,000 tracked files, tag 100 commits back, one file modified
==================  =========  ==============================================================

Each commit changes one tiny file; every repository has a checked-out worktree and a committed
``pyproject.toml`` with ``[tool.setuptools_scm]`` and ``[tool.versioningit]`` tables. Every repo
exists twice: ``plain`` (no commit-graph file) and ``commit-graph`` (a copy after
``git commit-graph write --reachable``). Git runs with an isolated configuration (``HOME`` is a
temporary directory, ``GIT_CONFIG_NOSYSTEM=1``, ``GIT_CONFIG_GLOBAL=/dev/null``) both while
generating and while measuring.

The script also checks that packkit and setuptools_scm print the same version for every repo
(a ``WARNING`` line if not) and that ``git describe`` sees the expected tag and distance.

How to run
----------
::

    python benchmarks/bench_version.py                   # everything, 2-5 min
    python benchmarks/bench_version.py --only small,medium --rounds 3
    python benchmarks/bench_version.py --one-core --tools packkit-inproc,git-describe
    python benchmarks/bench_version.py --skip-generate --json results.json

packkit must be installed in the interpreter that runs the script, as a release build
(``pip install .`` or ``maturin develop --release``; plain ``maturin develop`` leaves packkit's
own crate unoptimised). Without packkit the packkit rows read ``not installed`` and the script
exits with status 1 after measuring the peers; any tool failure also gives exit status 1.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from _common import add_choice_list, chosen, distribution_version, fmt_ratio, markdown_table

# Bump when the generated repositories change, so cached copies are rebuilt.
GENERATOR_VERSION = 2
STAMP_NAME = "packkit-bench.json"  # lives in .git/, so it never shows up as untracked
BASE_EPOCH = 1_700_000_000  # 2023-11-14, the date of commit 0; each commit is a minute later
IDENT = b"Bench Mark <bench@example.invalid>"
TOOL_TIMEOUT_S = 600
INPROC_MIN_S = 0.02  # repeat quick in-process calls until a round takes at least this long ...
INPROC_MAX_CALLS = 50  # ... or this many calls were made

PYPROJECT = """\
[build-system]
requires = ["setuptools>=80", "setuptools-scm>=8"]
build-backend = "setuptools.build_meta"

[project]
name = "bench"
dynamic = ["version"]

[tool.setuptools_scm]

[tool.versioningit]
"""


# --------------------------------------------------------------------------------------------
# Repositories
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RepoSpec:
    """The recipe of one generated repository."""

    name: str
    commits: int
    tags: tuple[tuple[int, str], ...]  # (1-based commit number, tag name)
    wide_files: int = 0  # extra tracked files added by the first commit
    dirty: bool = False  # modify a tracked file after checkout

    @property
    def head_tag(self) -> tuple[str, int]:
        """The tag ``git describe`` should find, and HEAD's distance from it."""
        number, name = max(self.tags)
        return name, self.commits - number


SPECS: dict[str, RepoSpec] = {
    spec.name: spec
    for spec in (
        RepoSpec("small", 10, ((5, "v1.0.0"),)),
        RepoSpec("medium", 5_000, tuple((25 * i + 1, f"v0.{i + 1}.0") for i in range(200))),
        RepoSpec("deep-tag", 100_000, ((80_000, "v1.0.0"),)),
        RepoSpec("far-past-tag", 100_000, tuple((1_000 * i, f"v0.{i}.0") for i in range(1, 51))),
        RepoSpec("wide-worktree", 300, ((200, "v2.0.0"),), wide_files=20_000, dirty=True),
    )
}
VARIANTS = ("plain", "commit-graph")


@dataclass
class Variant:
    """One checked-out repository on disk: a spec with or without a commit-graph file."""

    spec: RepoSpec
    commit_graph: bool
    path: Path
    generate_s: float | None = None  # from the stamp: time to build this variant

    @property
    def label(self) -> str:
        return f"{self.spec.name} [{'commit-graph' if self.commit_graph else 'plain'}]"


def isolate_git_environment(home: str) -> None:
    """Point this process (and so every child) at an empty git configuration."""
    prefixes = ("GIT_", "SETUPTOOLS_SCM_", "VCS_VERSIONING_", "PACKKIT_")
    for key in list(os.environ):
        if key.startswith(prefixes) or key == "SOURCE_DATE_EPOCH":
            del os.environ[key]
    os.environ.update(
        HOME=home,
        XDG_CONFIG_HOME=os.path.join(home, ".config"),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL="/dev/null",
    )


def git(cwd: Path, *args: str, check: bool = True) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    if check and proc.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} failed in {cwd}:\n{proc.stderr}")
    return proc.stdout


def _inline_file(path: str, content: bytes) -> bytes:
    return b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(content), content)


def fast_import_stream(spec: RepoSpec) -> Iterator[bytes]:
    """Yield the ``git fast-import`` commands that build ``spec``, one commit at a time."""
    tags = dict(spec.tags)
    for number in range(1, spec.commits + 1):
        when = b"%d +0000" % (BASE_EPOCH + 60 * number)
        message = b"commit %d\n" % number
        chunk = [
            b"commit refs/heads/main\nmark :%d\n" % number,
            b"author %s %s\ncommitter %s %s\n" % (IDENT, when, IDENT, when),
            b"data %d\n%s" % (len(message), message),
        ]
        if number == 1:
            chunk.append(_inline_file("pyproject.toml", PYPROJECT.encode()))
            for i in range(spec.wide_files):
                path = f"src/bench/d{i // 100:03d}/m{i:05d}.py"
                chunk.append(_inline_file(path, b"VALUE = %d\n" % i))
        chunk.append(_inline_file("counter.txt", b"%d\n" % number))
        chunk.append(b"\n")
        if number in tags:
            note = b"Release %s\n" % tags[number].encode()
            chunk.append(
                b"tag %s\nfrom :%d\ntagger %s %s\ndata %d\n%s\n"
                % (tags[number].encode(), number, IDENT, when, len(note), note)
            )
        yield b"".join(chunk)
    yield b"done\n"


def refresh_index(path: Path) -> None:
    """Make the index match the worktree's stat data, so no tool pays for re-hashing files."""
    git(path, "update-index", "-q", "--refresh", check=False)  # exits 1 when the tree is dirty


def read_stamp(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads((path / ".git" / STAMP_NAME).read_text())  # type: ignore[no-any-return]
    except (OSError, ValueError):
        return None


def stamp_matches(variant: Variant) -> bool:
    stamp = read_stamp(variant.path)
    return (
        stamp is not None
        and stamp.get("generator") == GENERATOR_VERSION
        and stamp.get("spec") == json.loads(json.dumps(asdict(variant.spec)))
        and stamp.get("commit_graph") == variant.commit_graph
    )


def write_stamp(variant: Variant, seconds: float) -> None:
    variant.generate_s = round(seconds, 3)
    stamp = {
        "generator": GENERATOR_VERSION,
        "spec": asdict(variant.spec),
        "commit_graph": variant.commit_graph,
        "generate_s": variant.generate_s,
    }
    (variant.path / ".git" / STAMP_NAME).write_text(json.dumps(stamp, indent=2) + "\n")


def generate_plain(variant: Variant) -> None:
    """fast-import the history, check it out, dirty it if asked; no commit-graph file."""
    path = variant.path
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    start = time.perf_counter()
    git(path, "init", "-q", "--initial-branch=main")
    with tempfile.TemporaryFile() as stderr:
        proc = subprocess.Popen(
            ["git", "fast-import", "--quiet", "--done"],
            cwd=path,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
        assert proc.stdin is not None
        try:
            for chunk in fast_import_stream(variant.spec):
                proc.stdin.write(chunk)
            proc.stdin.close()
        except BrokenPipeError:
            pass
        if proc.wait() != 0:
            stderr.seek(0)
            raise RuntimeError(f"git fast-import failed in {path}:\n{stderr.read().decode()}")
    # As in a fresh clone: one pack written newest commit first (fast-import writes them oldest
    # first, an order no clone or `git gc` produces), and tags in packed-refs.
    git(path, "repack", "-a", "-d", "-q")
    git(path, "pack-refs", "--all")
    git(path, "reset", "-q", "--hard")
    if variant.spec.dirty:
        target = "src/bench/d000/m00000.py" if variant.spec.wide_files else "counter.txt"
        with open(path / target, "a") as handle:
            handle.write("# local edit\n")
    # Sleep past the index's timestamp granularity so that no entry is "racily clean" (which
    # would make every status check re-hash it), then refresh the index's stat data.
    time.sleep(1.1)
    refresh_index(path)
    write_stamp(variant, time.perf_counter() - start)


def generate_commit_graph(variant: Variant) -> None:
    """Copy the plain variant (a sibling directory) and add a commit-graph file."""
    shutil.rmtree(variant.path, ignore_errors=True)
    start = time.perf_counter()
    shutil.copytree(variant.path.parent / "plain", variant.path, symlinks=True)
    # The copy has new inodes and ctimes: refresh the index, or git would re-hash every file.
    refresh_index(variant.path)
    git(variant.path, "commit-graph", "write", "--reachable")
    write_stamp(variant, time.perf_counter() - start)


def prepare(specs: list[RepoSpec], workdir: Path, *, generate: bool, force: bool) -> list[Variant]:
    """Return the variants to benchmark, generating the ones missing or out of date."""
    variants: list[Variant] = []
    for spec in specs:
        plain = Variant(spec, False, workdir / spec.name / "plain")
        graph = Variant(spec, True, workdir / spec.name / "commit-graph")
        rebuilt = ensure(plain, generate_plain, generate=generate, force=force)
        # A rebuilt plain repo invalidates its commit-graph copy.
        ensure(graph, generate_commit_graph, generate=generate, force=rebuilt)
        variants += [plain, graph]
    return variants


def ensure(
    variant: Variant, build: Callable[[Variant], None], *, generate: bool, force: bool
) -> bool:
    """Generate ``variant`` if needed (returns True if it did) and check it is as expected."""
    rebuilt = False
    if generate and (force or not stamp_matches(variant)):
        print(f"generating {variant.label} ...", end="", file=sys.stderr, flush=True)
        build(variant)
        print(f" {variant.generate_s:.1f} s", file=sys.stderr, flush=True)
        rebuilt = True
    elif not (variant.path / ".git").is_dir():
        sys.exit(f"error: {variant.path} is missing; run without --skip-generate")
    else:
        variant.generate_s = (read_stamp(variant.path) or {}).get("generate_s")
    check_commit_graph(variant)
    return rebuilt


def check_commit_graph(variant: Variant) -> None:
    info = variant.path / ".git" / "objects" / "info"
    has_graph = (info / "commit-graph").exists() or (info / "commit-graphs").exists()
    if has_graph != variant.commit_graph:
        state = "has" if has_graph else "lacks"
        sys.exit(f"error: {variant.label} {state} a commit-graph file; regenerate it")


# --------------------------------------------------------------------------------------------
# Tools
# --------------------------------------------------------------------------------------------


class ToolError(Exception):
    """A tool exited non-zero or raised."""


@dataclass
class Sample:
    """One timed run: wall and CPU time, the printed version."""

    wall: float  # seconds
    cpu: float  # seconds, user + system, every thread (and every child the tool waited for)
    version: str


# A child's ru_maxrss starts at its parent's resident set (fork copies it, and exec keeps the
# high-water mark of the memory it replaces), so a child of this interpreter never reports
# less than this interpreter's size. GNU time is a small process: a child of it starts near
# 1 MiB, and it reports the child's ru_maxrss (%M, KiB, from wait4).
GNU_TIME = shutil.which("time")  # the program; a shell's `time` keyword is not on PATH


def run_child(argv: list[str], cwd: Path) -> tuple[float, resource.struct_rusage, str, str, int]:
    """Run ``argv``; return (wall seconds, its rusage, stdout, stderr, exit code).

    ``os.wait4`` reaps the child and gives its own resource usage (the user + system time and
    peak RSS of the child and the grandchildren it waited for), not this process's.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        try:
            proc = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=err)
        except OSError as exc:
            raise ToolError(f"{argv[0]}: {exc}") from exc
        timer = threading.Timer(TOOL_TIMEOUT_S, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - start
        proc.returncode = code = os.waitstatus_to_exitcode(status)  # reaped: Popen must not wait
        out.seek(0)
        err.seek(0)
        return wall, usage, out.read().decode(errors="replace"), err.read().decode(), code


def peak_rss_kib(argv: list[str], cwd: Path, pin: list[str]) -> tuple[int | None, str]:
    """The peak resident set of ``argv`` in KiB, run under GNU time (None without it), and
    what it printed."""
    if GNU_TIME is None:
        return None, ""
    with tempfile.NamedTemporaryFile(mode="r") as report:
        wrapped = [*pin, GNU_TIME, "-f", "%M", "-o", report.name, *argv]
        _, _, stdout, stderr, code = run_child(wrapped, cwd)
        if code != 0:
            raise ToolError(f"exit status {code} under {GNU_TIME}: {stderr.strip()[-400:]}")
        return int(report.read().split()[-1]), stdout


def cpu_seconds(usage: resource.struct_rusage) -> float:
    return usage.ru_utime + usage.ru_stime


# The in-process row's memory: a fresh interpreter imports packkit and its Rust extension, notes
# its peak RSS, calls get_version once and exits; its peak is the row's, the noted one the
# interpreter's own (with the extension loaded).
INPROC_RSS_CODE = """\
import resource, sys
import packkit, packkit._packkit
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
packkit.get_version(sys.argv[1])
"""


@dataclass
class Tool:
    key: str
    label: str
    command: Callable[[Path], list[str]] | None = None  # None: the in-process row
    missing: str | None = None  # why the tool cannot run, if it cannot

    def run(self, path: Path, in_process: Callable[[str], str] | None, pin: list[str]) -> Sample:
        """Run once on ``path`` (``pin``: a prefix such as ``taskset -c 0``)."""
        if self.command is None:
            assert in_process is not None
            return time_in_process(in_process, str(path))
        argv = [*pin, *self.command(path)]
        wall, usage, stdout, stderr, code = run_child(argv, path)
        if code != 0:
            lines = (stderr.strip() or stdout.strip()).splitlines()[-3:]
            raise ToolError(f"exit status {code}: {' / '.join(lines)[-400:]}")
        lines = stdout.strip().splitlines()
        version = lines[-1].strip() if lines else ""
        return Sample(wall, cpu_seconds(usage), version)

    def peak_rss(self, path: Path, pin: list[str]) -> tuple[int | None, int | None]:
        """(peak RSS in KiB, the in-process row's interpreter share), from one more run."""
        if self.command is not None:
            return peak_rss_kib(self.command(path), path, pin)[0], None
        return in_process_rss(path, pin)


def time_in_process(get_version: Callable[[str], str], path: str) -> Sample:
    """Per-call wall and CPU time (``process_time`` counts every thread of this process)."""
    calls = 0
    start = time.perf_counter()
    cpu_start = time.process_time()
    while True:
        try:
            version = get_version(path)
        except Exception as exc:
            raise ToolError(f"{type(exc).__name__}: {exc}") from exc
        calls += 1
        elapsed = time.perf_counter() - start
        if elapsed >= INPROC_MIN_S or calls >= INPROC_MAX_CALLS:
            cpu = time.process_time() - cpu_start
            return Sample(elapsed / calls, cpu / calls, version)


def in_process_rss(path: Path, pin: list[str]) -> tuple[int | None, int | None]:
    """(peak RSS in KiB of an interpreter that calls get_version once, its peak before)."""
    argv = [sys.executable, "-c", INPROC_RSS_CODE, str(path)]
    peak, stdout = peak_rss_kib(argv, path, pin)
    return peak, int(stdout.split()[0]) if peak is not None else None


def load_packkit() -> tuple[Callable[[str], str] | None, str | None]:
    """Import packkit (the warm-up import); return (get_version, version) or (None, None)."""
    try:
        import packkit  # type: ignore[import-not-found,unused-ignore]

        get_version: Callable[[str], str] = packkit.get_version  # loads the Rust extension
        return get_version, str(packkit.__version__)
    except ModuleNotFoundError as exc:
        if exc.name != "packkit":
            raise  # installed but broken (e.g. the Rust extension is missing): not tolerated
        return None, None


TOOL_KEYS = (
    "packkit-cli",
    "packkit-module",
    "packkit-inproc",
    "setuptools_scm",
    "versioningit",
    "dunamai",
    "git-describe",
)


def make_tools(packkit_ok: bool, keys: list[str]) -> list[Tool]:
    bindir = Path(sys.executable).parent

    def script(name: str) -> str:
        return str(bindir / name)

    tools = [
        # The native executable the wheel installs (src/main.rs): no Python starts.
        Tool("packkit-cli", "packkit (native)", lambda p: [script("packkit"), "version", str(p)]),
        Tool(
            "packkit-module",
            "python -m packkit",
            lambda p: [sys.executable, "-m", "packkit", "version", str(p)],
        ),
        Tool("packkit-inproc", "packkit in-process"),
        Tool(
            "setuptools_scm", "setuptools_scm", lambda p: [sys.executable, "-m", "setuptools_scm"]
        ),
        Tool("versioningit", "versioningit", lambda p: [script("versioningit"), str(p)]),
        Tool("dunamai", "dunamai", lambda p: [script("dunamai"), "from", "git", "--dirty"]),
        Tool(
            "git-describe",
            "git describe",
            lambda p: ["git", "describe", "--tags", "--long", "--dirty"],
        ),
    ]
    tools = [tool for tool in tools if tool.key in keys]
    for tool in tools:
        if tool.key.startswith("packkit") and not packkit_ok:
            tool.missing = "packkit not installed"
        elif tool.key == "setuptools_scm" and importlib.util.find_spec("setuptools_scm") is None:
            tool.missing = "setuptools_scm not installed"
        elif tool.key in ("packkit-cli", "versioningit", "dunamai"):
            name = tool.key.split("-")[0]
            if not (bindir / name).exists():
                tool.missing = f"no `{name}` script next to {sys.executable}"
    return tools


# --------------------------------------------------------------------------------------------
# Measuring
# --------------------------------------------------------------------------------------------


@dataclass
class Measurement:
    repo: str
    commit_graph: bool
    tool: str
    samples: list[float] = field(default_factory=list)  # wall seconds
    cpu_samples: list[float] = field(default_factory=list)  # user + system seconds
    rss_kib: list[int] = field(default_factory=list)  # peak resident set
    base_rss_kib: list[int] = field(default_factory=list)  # in-process: before the call
    version: str | None = None
    error: str | None = None

    def _median(self, values: list[float]) -> float | None:
        return statistics.median(values) if values and not self.error else None

    @property
    def median(self) -> float | None:
        return self._median(self.samples)

    @property
    def cpu_median(self) -> float | None:
        return self._median(self.cpu_samples)

    @property
    def rss_median(self) -> float | None:
        return self._median([float(kib) for kib in self.rss_kib])


def bench_variant(
    variant: Variant,
    tools: list[Tool],
    rounds: int,
    in_process: Callable[[str], str] | None,
    pin: list[str],
    memory_rounds: int,
) -> dict[str, Measurement]:
    results = {
        tool.key: Measurement(variant.spec.name, variant.commit_graph, tool.key, error=tool.missing)
        for tool in tools
    }
    live = [tool for tool in tools if tool.missing is None]

    def attempt(tool: Tool, record: bool) -> None:
        result = results[tool.key]
        if result.error:
            return
        try:
            sample = tool.run(variant.path, in_process, pin)
        except ToolError as exc:
            result.error = str(exc)
            return
        if record:
            result.samples.append(sample.wall)
            result.cpu_samples.append(sample.cpu)
        else:
            result.version = sample.version

    def measure_memory(tool: Tool) -> None:
        result = results[tool.key]
        if result.error:
            return
        try:
            peak, before = tool.peak_rss(variant.path, pin)
        except ToolError as exc:
            result.error = str(exc)
            return
        if peak is not None:
            result.rss_kib.append(peak)
        if before is not None:
            result.base_rss_kib.append(before)

    print(f"benchmarking {variant.label}: warm-up", end="", file=sys.stderr, flush=True)
    for tool in live:
        attempt(tool, record=False)
    for number in range(rounds):
        print(f" {number + 1}", end="", file=sys.stderr, flush=True)
        shift = number % len(live) if live else 0
        for tool in live[shift:] + live[:shift]:
            attempt(tool, record=True)
    # Peak memory from separate runs: the wrapper that measures it is not in the timed ones.
    for number in range(memory_rounds):
        print(f" m{number + 1}", end="", file=sys.stderr, flush=True)
        shift = number % len(live) if live else 0
        for tool in live[shift:] + live[:shift]:
            measure_memory(tool)
    print(file=sys.stderr)
    return results


def failed(tools: list[Tool], results: dict[str, Measurement]) -> list[str]:
    """The keys of the tools that could run but failed."""
    return [t.key for t in tools if t.missing is None and results[t.key].error is not None]


def sanity_warnings(
    variant: Variant, tools: list[Tool], results: dict[str, Measurement]
) -> list[str]:
    label = variant.label
    warnings = [f"{label}: {key} failed: {results[key].error}" for key in failed(tools, results)]
    missing = Measurement(variant.spec.name, variant.commit_graph, "")
    reference = results.get("setuptools_scm", missing).version
    for key in ("packkit-cli", "packkit-module", "packkit-inproc"):
        version = results.get(key, missing).version
        if version is not None and reference is not None and version != reference:
            warnings.append(f"{label}: {key} printed {version!r}, setuptools_scm {reference!r}")
    described = results.get("git-describe", missing).version
    tag, distance = variant.spec.head_tag
    expected = f"{tag}-{distance}-g"
    if described is not None and not described.startswith(expected):
        warnings.append(f"{label}: git describe printed {described!r}, expected {expected}...")
    if described is not None and described.endswith("-dirty") != variant.spec.dirty:
        warnings.append(
            f"{label}: git describe printed {described!r}, dirty should be {variant.spec.dirty}"
        )
    return warnings


# --------------------------------------------------------------------------------------------
# Reporting
# --------------------------------------------------------------------------------------------


def fmt_ms(seconds: float) -> str:
    ms = seconds * 1000
    return f"{ms:.3f}" if ms < 1 else f"{ms:.2f}" if ms < 10 else f"{ms:.1f}"


def fmt_rss(result: Measurement) -> str:
    peak = result.rss_median
    if peak is None:
        return ""
    text = f"{peak / 1024:.1f}"
    if result.base_rss_kib:
        # In-process: how much the call added to the interpreter's own peak.
        added = peak - statistics.median(result.base_rss_kib)
        text += f" (+{added / 1024:.1f})"
    return text


def report(
    variants: list[Variant], tools: list[Tool], results: dict[str, dict[str, Measurement]]
) -> str:
    timing_rows: list[list[str]] = []
    version_rows: list[list[str]] = []
    missing = Measurement("", False, "")
    for variant in variants:
        by_tool = results[variant.label]
        git = by_tool.get("git-describe", missing)
        scm = by_tool.get("setuptools_scm", missing)
        graph = "yes" if variant.commit_graph else "no"
        for tool in tools:
            result = by_tool[tool.key]
            median, cpu = result.median, result.cpu_median
            if median is None or cpu is None:
                status = "not installed" if tool.missing else "failed"
                cells = [status, "", "", "", "n/a", "n/a", "n/a", "n/a", "n/a"]
            else:
                cells = [
                    fmt_ms(median),
                    fmt_ms(min(result.samples)),
                    fmt_ms(cpu),
                    fmt_rss(result),
                    fmt_ratio(median, git.median),
                    fmt_ratio(cpu, git.cpu_median),
                    fmt_ratio(result.rss_median, git.rss_median),
                    fmt_ratio(median, scm.median),
                    fmt_ratio(cpu, scm.cpu_median),
                ]
            timing_rows.append([variant.spec.name, graph, tool.label, *cells])
        version_rows.append(
            [variant.spec.name, graph, *(by_tool[t.key].version or "-" for t in tools)]
        )
    timing = markdown_table(
        [
            "repo",
            "commit-graph",
            "tool",
            "wall ms",
            "min ms",
            "CPU ms",
            "peak RSS MiB",
            "wall vs git",
            "CPU vs git",
            "RSS vs git",
            "wall vs scm",
            "CPU vs scm",
        ],
        timing_rows,
        right=3,
    )
    versions = markdown_table(
        ["repo", "commit-graph", *(t.label for t in tools)], version_rows, right=99
    )
    return f"{timing}\n\nVersions printed (warm-up run):\n\n{versions}"


def environment_info(rounds: int, packkit_version: str | None, one_core: bool) -> dict[str, Any]:
    git_version = subprocess.run(
        ["git", "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return {
        "python": sys.version.split()[0],
        "executable": sys.executable,
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "one_core": one_core,
        "git": git_version,
        "rounds": rounds,
        "packkit": packkit_version,
        "setuptools_scm": distribution_version("setuptools_scm"),
        "versioningit": distribution_version("versioningit"),
        "dunamai": distribution_version("dunamai"),
    }


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Benchmark packkit's version computation against its peers.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path("/tmp/packkit-bench"),
        help="cache directory for the generated repositories",
    )
    parser.add_argument("--rounds", type=int, default=7, help="timed rounds per tool and repo")
    add_choice_list(parser, "--only", list(SPECS), "repos")
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--skip-generate",
        action="store_true",
        help="use the repositories already in --workdir as they are",
    )
    group.add_argument(
        "--regenerate",
        action="store_true",
        help="rebuild the repositories even if the cached ones are current",
    )
    add_choice_list(parser, "--tools", list(TOOL_KEYS), "tools")
    parser.add_argument(
        "--memory-rounds",
        type=int,
        default=1,
        help="untimed runs per tool and repo under GNU time for the peak RSS (0: none)",
    )
    parser.add_argument(
        "--one-core",
        action="store_true",
        help="pin everything to CPU 0 (this process and, with `taskset -c 0`, every tool)",
    )
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write results as JSON")
    args = parser.parse_args(argv)
    names = chosen(parser, "--only", args.only, list(SPECS))
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    if args.memory_rounds < 0:
        parser.error("--memory-rounds must be at least 0")
    args.tool_keys = chosen(parser, "--tools", args.tools, list(TOOL_KEYS))
    if args.one_core and shutil.which("taskset") is None:
        parser.error("--one-core needs `taskset` (util-linux)")
    args.specs = [SPECS[name] for name in names]
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    pin: list[str] = []
    if args.one_core:
        # Children inherit the mask too; taskset makes the pinning explicit on each command.
        os.sched_setaffinity(0, {0})
        pin = ["taskset", "-c", "0"]
    with tempfile.TemporaryDirectory(prefix="packkit-bench-home-") as home:
        isolate_git_environment(home)
        in_process, packkit_version = load_packkit()
        if in_process is None:
            print(
                "packkit not installed: the packkit rows are skipped and the script will exit "
                "with status 1",
                file=sys.stderr,
            )
        tools = make_tools(packkit_ok=in_process is not None, keys=args.tool_keys)
        for tool in tools:
            if tool.missing and not tool.key.startswith("packkit"):
                print(f"warning: skipping {tool.label}: {tool.missing}", file=sys.stderr)
        variants = prepare(
            args.specs,
            args.workdir.resolve(),
            generate=not args.skip_generate,
            force=args.regenerate,
        )
        results: dict[str, dict[str, Measurement]] = {}
        warnings: list[str] = []
        for variant in variants:
            results[variant.label] = bench_variant(
                variant, tools, args.rounds, in_process, pin, args.memory_rounds
            )
            warnings += sanity_warnings(variant, tools, results[variant.label])

    info = environment_info(args.rounds, packkit_version, args.one_core)
    print(", ".join(f"{key}: {value}" for key, value in info.items() if key != "executable"))
    print()
    print("Generation time (s), cached from the run that built them:")
    for spec in args.specs:
        plain, graph = (v.generate_s for v in variants if v.spec is spec)
        print(f"  {spec.name}: {plain} (plain), +{graph} (commit-graph copy)")
    print()
    print(report(variants, tools, results))
    for warning in warnings:
        print(f"WARNING: {warning}")

    if args.json:
        payload = {
            "environment": info,
            "repos": [
                {
                    "repo": v.spec.name,
                    "commit_graph": v.commit_graph,
                    "path": str(v.path),
                    "generate_s": v.generate_s,
                    "spec": asdict(v.spec),
                }
                for v in variants
            ],
            "results": [
                asdict(m) | {"median": m.median, "cpu_median": m.cpu_median}
                for by_tool in results.values()
                for m in by_tool.values()
            ],
            "warnings": warnings,
        }
        args.json.write_text(json.dumps(payload, indent=2) + "\n")

    if in_process is None:
        print("error: packkit not installed in " + sys.executable, file=sys.stderr)
        return 1
    return 1 if any(failed(tools, by_tool) for by_tool in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
