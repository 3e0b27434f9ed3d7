"""Helpers the benchmark scripts share: finding the tools, interleaved rounds, version
lookups and the Markdown report."""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path


def find_tool(name: str, given: str | None) -> str | None:
    """The command ``given`` (a path made absolute: the tools run in work folders), else
    ``name`` next to this interpreter, else on ``PATH``."""
    if given:
        return str(Path(given).resolve()) if os.sep in given else shutil.which(given)
    local = Path(sys.executable).with_name(name)
    return str(local) if local.exists() else shutil.which(name)


def find_tools(specs: list[tuple[str, str, str | None, list[str]]]) -> dict[str, list[str]]:
    """``(label, command name, --option value, arguments)`` → the command line of each tool
    found (see ``find_tool``); a tool not found is left out, with a line on stderr."""
    tools: dict[str, list[str]] = {}
    for label, name, given, argv in specs:
        found = find_tool(name, given)
        if found:
            tools[label] = [found, *argv]
        else:
            print(f"({label}: `{name}` not found, left out)", file=sys.stderr)
    return tools


def interleaved(
    labels: list[str], once: Callable[[str], float], rounds: int
) -> dict[str, list[float]]:
    """One untimed warm-up per tool, then ``rounds`` rounds running every tool once, the
    starting tool rotating between rounds; the times of each tool."""
    times: dict[str, list[float]] = {label: [] for label in labels}
    for label in labels:
        once(label)
    for round_ in range(rounds):
        shift = round_ % len(labels)
        for label in labels[shift:] + labels[:shift]:
            times[label].append(once(label))
    return times


def add_choice_list(
    parser: argparse.ArgumentParser, flag: str, choices: list[str], what: str
) -> None:
    """A ``--flag a,b`` option choosing some of ``choices`` (all by default)."""
    parser.add_argument(
        flag,
        default=",".join(choices),
        help=f"comma-separated {what} to run, from: {', '.join(choices)}",
    )


def chosen(parser: argparse.ArgumentParser, flag: str, value: str, choices: list[str]) -> list[str]:
    """The names given to ``flag`` (see ``add_choice_list``); an unknown one is a usage error."""
    names = [name.strip() for name in value.split(",") if name.strip()]
    unknown = sorted(set(names) - set(choices))
    if unknown or not names:
        parser.error(f"{flag}: unknown {', '.join(unknown)}; choose from {', '.join(choices)}")
    return names


def distribution_version(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def fmt_ratio(value: float | None, base: float | None) -> str:
    if value is None or not base:
        return "n/a"
    ratio = value / base
    return f"{ratio:.3f}x" if ratio < 0.1 else f"{ratio:.2f}x" if ratio < 10 else f"{ratio:.0f}x"


def markdown_table(header: list[str], rows: list[list[str]], right: int) -> str:
    """Render a Markdown table; columns from index ``right`` on are right-aligned."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        padded = [
            c.rjust(w) if i >= right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "| " + " | ".join(padded) + " |"

    rule = "|".join(
        "-" * (w + 1) + ":" if i >= right else "-" * (w + 2) for i, w in enumerate(widths)
    )
    return "\n".join([line(header), f"|{rule}|", *(line(r) for r in rows)])
