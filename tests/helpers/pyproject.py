"""``pyproject.toml`` files for the versioning tests: a ``[project]`` with a dynamic version,
and optionally ``[tool.packkit]`` and ``[tool.setuptools_scm]`` tables."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string is a valid TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    raise TypeError(f"no TOML spelling for {value!r}")


def _toml_table(header: str, table: Mapping[str, object]) -> str:
    lines = [f"[{header}]"]
    nested = []
    for key, value in table.items():
        if isinstance(value, Mapping):
            nested.append(_toml_table(f"{header}.{key}", value))
        else:
            lines.append(f"{key} = {_toml_value(value)}")
    return "\n".join([*lines, "", *nested])


def pyproject_text(
    *,
    name: str = "demo",
    packkit: Mapping[str, object] | None = None,
    setuptools_scm: Mapping[str, object] | None = None,
    extra: str = "",
) -> str:
    parts = [f'[project]\nname = {_toml_value(name)}\ndynamic = ["version"]\n']
    if packkit is not None:
        parts.append(_toml_table("tool.packkit", packkit))
    if setuptools_scm is not None:
        parts.append(_toml_table("tool.setuptools_scm", setuptools_scm))
    if extra:
        parts.append(extra)
    return "\n".join(parts).rstrip() + "\n"


def write_pyproject(directory: Path, **kwargs: Any) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "pyproject.toml"
    path.write_text(pyproject_text(**kwargs), encoding="utf-8")
    return path
