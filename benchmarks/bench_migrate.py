#!/usr/bin/env python3
"""Benchmark: how long does ``packkit migrate`` take on real projects?

What is measured
----------------
For each pinned sdist of ``tests/migrate_projects.toml`` (downloaded by ``make
wheelhouse-migrate``), unpacked once:

* ``packkit migrate --dry-run`` -- the whole process (Python start-up included), as a user
  runs it;
* ``packkit.migrate(dry_run=True)`` -- the call alone, in this process.

A dry run reads everything and computes every change without writing, so the tree stays the
same between rounds. After one untimed warm-up, ``--rounds`` runs each; the table gives
medians. No peer tool migrates a project to another backend, so there is no ratio: the
numbers only say the command is quick. Not a test: they depend on the machine.
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

import packkit
from _common import markdown_table

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--wheelhouse", default=str(ROOT / "target" / "wheelhouse-migrate"))
    args = parser.parse_args()
    spec = tomllib.loads((ROOT / "tests" / "migrate_projects.toml").read_text(encoding="utf-8"))
    sdists = {
        hashlib.sha256(p.read_bytes()).hexdigest(): p
        for p in (Path(args.wheelhouse) / "sdists").glob("*.tar.gz")
    }
    packkit_cli = Path(sys.executable).with_name("packkit")
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for project in spec["projects"]:
            sdist = sdists.get(project["sha256"])
            if sdist is None:
                print(f"{project['name']}: not downloaded (make wheelhouse-migrate)")
                return 1
            into = Path(scratch) / project["name"]
            with tarfile.open(sdist) as archive:
                archive.extractall(into, filter="data")
            (tree,) = list(into.iterdir())
            command = [str(packkit_cli), "migrate", "--dry-run", str(tree)]
            subprocess.run(command, capture_output=True, check=False)
            report = packkit.migrate(tree, dry_run=True)
            process, call = [], []
            for _ in range(args.rounds):
                start = time.perf_counter()
                subprocess.run(command, capture_output=True, check=False)
                process.append(time.perf_counter() - start)
                start = time.perf_counter()
                packkit.migrate(tree, dry_run=True)
                call.append(time.perf_counter() - start)
            rows.append(
                [
                    f"{project['name']} {project['version']}",
                    project["backend"],
                    str(len(report.changes)),
                    str(len(report.untranslatable)),
                    f"{statistics.median(process) * 1000:.1f} ms",
                    f"{statistics.median(call) * 1000:.2f} ms",
                ]
            )
    header = ["project", "from", "changes", "untranslatable", "packkit migrate", "migrate()"]
    print(markdown_table(header, rows, right=2))
    print(f"\nmedians of {args.rounds} rounds; packkit {packkit.__version__}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
