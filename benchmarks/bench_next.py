#!/usr/bin/env python3
"""Benchmark: how long does it take to compute the next version from Conventional Commits?

What is measured
----------------
The wall time of one whole process that prints the next version of a generated repository
with 1,300 commits since its last tag (``v1.2.0``): conventional messages of every type, with
scopes, bodies, footers, a few breaking changes, non-conventional messages, and a merge every
50 commits. Each tool must print the same version, which is checked.

* ``packkit next`` -- the ``packkit`` next to this interpreter,
* ``cz bump --get-next`` -- commitizen (``--cz``; ``make bench-next`` installs it),
* ``semantic-release --noop version --print`` -- python-semantic-release (``--psr``), which
  needs a remote: the repository gets a local bare one (``origin``), pushed to.

Runs are interleaved: after one untimed warm-up per tool, each round runs every tool once, the
starting tool rotating between rounds. The table gives the median and minimum time and the
ratio of each median to packkit's (``30x``: thirty times slower). Not a test: the numbers
depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import find_tools, fmt_ratio, interleaved, markdown_table

COMMITS = 1300
TYPES = ["feat", "fix", "perf", "docs", "chore", "test", "ci", "build", "style"]


def fast_import_stream(commits: int, seed: int = 1) -> str:
    """One `git fast-import` stream: a first commit tagged v1.2.0, then `commits` commits (a
    file each), every 50th a merge of a side branch of 5 commits."""
    rng = random.Random(seed)
    out: list[str] = []
    mark = 0
    time_ = 1_700_000_000

    def commit(message: str, parents: list[int], ref: str = "refs/heads/main") -> int:
        nonlocal mark, time_
        mark += 1
        time_ += 60
        data = message.encode()
        out.append(
            f"commit {ref}\nmark :{mark}\n"
            f"author Bench Mark <bench@example.invalid> {time_} +0000\n"
            f"committer Bench Mark <bench@example.invalid> {time_} +0000\n"
            f"data {len(data)}\n{message}\n"
        )
        for index, parent in enumerate(parents):
            out.append(f"{'from' if index == 0 else 'merge'} :{parent}\n")
        out.append(f"M 644 inline file{mark}.txt\ndata 2\n{mark % 10}\n\n")
        return mark

    def message() -> str:
        if rng.random() < 0.15:
            return rng.choice(["update notes", "WIP", "tidy up"])
        kind = rng.choices(TYPES, weights=[2, 4, 1, 2, 2, 1, 1, 1, 1])[0]
        scope = f"({rng.choice(['cli', 'api', 'core'])})" if rng.random() < 0.4 else ""
        text = f"{kind}{scope}: change {mark + 1}"
        if rng.random() < 0.3:
            text += "\n\nWhy it changed\nin two lines.\n\nRefs #12"
        return text

    head = commit("chore: initial", [])
    out.append(f"reset refs/tags/v1.2.0\nfrom :{head}\n\n")
    made = 0
    while made < commits:
        if made % 50 == 49:
            side = head
            for _ in range(5):
                side = commit(message(), [side], "refs/heads/side")
            made += 5
            head = commit("Merge branch 'side'", [head, side])
        else:
            head = commit(message(), [head])
        made += 1
    head = commit("feat(api): the breaking one\n\nBREAKING CHANGE: renamed", [head])
    return "".join(out)


PYPROJECT = """\
[project]
name = "bench"
dynamic = ["version"]

[tool.commitizen]
name = "cz_conventional_commits"
version_provider = "scm"
tag_format = "v$version"

[tool.semantic_release]
tag_format = "v{version}"
commit_parser = "conventional"
version_toml = []
allow_zero_version = true
major_on_zero = true
"""


def make_repo(work: Path, env: dict[str, str]) -> Path:
    repo = work / "repo"
    repo.mkdir()

    def git(*args: str, cwd: Path = repo, stdin: str | None = None) -> None:
        subprocess.run(
            ["git", *args],
            cwd=cwd,
            env=env,
            check=True,
            capture_output=True,
            input=stdin,
            text=True,
        )

    git("init", "-q", "-b", "main")
    git("fast-import", "--quiet", stdin=fast_import_stream(COMMITS))
    git("checkout", "-q", "-f", "main")
    (repo / "pyproject.toml").write_text(PYPROJECT)
    git("add", "pyproject.toml")
    git("commit", "-q", "-m", "build: pyproject.toml")
    # python-semantic-release wants a remote; a local bare one, so nothing leaves the machine.
    git("init", "-q", "--bare", str(work / "remote.git"), cwd=work)
    git("remote", "add", "origin", str(work / "remote.git"))
    git("push", "-q", "origin", "main", "--tags")
    git("branch", "-q", "--set-upstream-to=origin/main")
    return repo


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--packkit", help="the packkit command (default: next to python)")
    parser.add_argument("--cz", help="commitizen's cz command")
    parser.add_argument("--psr", help="python-semantic-release's semantic-release command")
    args = parser.parse_args()

    tools = find_tools(
        [
            ("packkit next", "packkit", args.packkit, ["next"]),
            ("cz bump --get-next", "cz", args.cz, ["bump", "--get-next", "--yes"]),
            (
                "semantic-release --noop version --print",
                "semantic-release",
                args.psr,
                ["--noop", "version", "--print"],
            ),
        ]
    )
    if "packkit next" not in tools:
        print("error: packkit is not installed next to this interpreter", file=sys.stderr)
        return 1

    with tempfile.TemporaryDirectory(prefix="bench-next-") as tmp:
        work = Path(tmp)
        home = work / "home"
        home.mkdir()
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("GIT_", "PACKKIT_", "VIRTUAL_ENV"))
        }
        env.update(
            HOME=str(home),
            GIT_CONFIG_NOSYSTEM="1",
            GIT_AUTHOR_NAME="Bench Mark",
            GIT_AUTHOR_EMAIL="bench@example.invalid",
            GIT_COMMITTER_NAME="Bench Mark",
            GIT_COMMITTER_EMAIL="bench@example.invalid",
            NO_COLOR="1",
        )
        repo = make_repo(work, env)
        answers: dict[str, str] = {}
        labels = list(tools)

        def once(label: str) -> float:
            start = time.perf_counter()
            proc = subprocess.run(tools[label], cwd=repo, env=env, capture_output=True, text=True)
            elapsed = time.perf_counter() - start
            if proc.returncode != 0:
                raise SystemExit(f"{label} failed:\n{proc.stdout}{proc.stderr}")
            lines = proc.stdout.strip().splitlines()
            answers[label] = lines[-1].split()[0] if lines else "(nothing)"
            return elapsed

        times = interleaved(labels, once, args.rounds)

    base = statistics.median(times["packkit next"])
    rows = []
    for label in labels:
        median = statistics.median(times[label])
        rows.append(
            [
                label,
                answers[label],
                f"{median * 1000:.0f} ms",
                f"{min(times[label]) * 1000:.0f} ms",
                fmt_ratio(median, base),
            ]
        )
    print(markdown_table(["tool", "next version", "median", "min", "vs packkit"], rows, right=2))
    print(
        f"\n{COMMITS} commits since the last tag; "
        f"{args.rounds} interleaved rounds, whole processes."
    )
    if len(set(answers.values())) != 1:
        print(f"error: the tools disagree: {answers}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
