#!/usr/bin/env python3
"""Benchmark: how long does it take to create a new project?

What is measured
----------------
The wall time of one whole process that creates a project in an absent folder:

* ``packkit new`` -- ``packkit new NAME`` (18 files, git repository and first commit),
* ``uv init --lib`` -- ``uv init --lib NAME`` (uv runs ``git init``, no commit),
* ``putup`` -- PyScaffold's ``putup NAME`` (git repository and first commit), when a ``putup``
  is found (``--putup``, else next to this interpreter, else on ``PATH``; ``make bench-new``
  installs PyScaffold from PyPI into its own venv).

Every tool runs with the same throw-away ``HOME`` (with a git identity), offline where it has
a switch for it. Runs are interleaved: after one untimed warm-up per tool, each round runs
every tool once, the starting tool rotating between rounds. The table gives the median and
minimum time, the files each tool wrote (outside ``.git``) and the ratio of each median to
packkit's (``3.0x``: three times slower). Not a test: the numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import find_tools, fmt_ratio, interleaved, markdown_table


def count_files(folder: Path) -> int:
    return sum(1 for p in folder.rglob("*") if p.is_file() and ".git" not in p.parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--packkit", help="the packkit command (default: next to python)")
    parser.add_argument("--uv", help="the uv command")
    parser.add_argument("--putup", help="PyScaffold's putup command")
    args = parser.parse_args()

    tools = find_tools(
        [
            ("packkit new", "packkit", args.packkit, ["new"]),
            ("uv init --lib", "uv", args.uv, ["init", "--lib", "--offline", "--no-workspace"]),
            ("putup", "putup", args.putup, []),
        ]
    )
    if "packkit new" not in tools:
        print("error: packkit is not installed next to this interpreter", file=sys.stderr)
        return 1

    with tempfile.TemporaryDirectory(prefix="bench-new-") as tmp:
        work = Path(tmp)
        home = work / "home"
        home.mkdir()
        (home / ".gitconfig").write_text(
            "[user]\n\tname = Bench Mark\n\temail = bench@example.invalid\n"
            "[init]\n\tdefaultBranch = main\n"
        )
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("GIT_", "UV_", "PIP_", "VIRTUAL_ENV"))
        }
        env.update(HOME=str(home), UV_CACHE_DIR=str(work / "uv-cache"), UV_OFFLINE="1")
        files: dict[str, int] = {}
        labels = list(tools)
        counter = 0

        def once(label: str) -> float:
            nonlocal counter
            counter += 1
            name = f"proj{counter}"
            start = time.perf_counter()
            subprocess.run(
                [*tools[label], name], cwd=work, env=env, check=True, capture_output=True
            )
            elapsed = time.perf_counter() - start
            files[label] = count_files(work / name)
            shutil.rmtree(work / name)
            return elapsed

        times = interleaved(labels, once, args.rounds)

    base = statistics.median(times["packkit new"])
    rows = []
    for label in labels:
        median = statistics.median(times[label])
        rows.append(
            [
                label,
                str(files[label]),
                f"{median * 1000:.0f} ms",
                f"{min(times[label]) * 1000:.0f} ms",
                fmt_ratio(median, base),
            ]
        )
    print(markdown_table(["tool", "files", "median", "min", "vs packkit"], rows, right=1))
    print(f"\n{args.rounds} interleaved rounds, whole processes.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
