"""Helpers both benchmark scripts share: version lookups and the Markdown report."""

from __future__ import annotations

import importlib.metadata


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
