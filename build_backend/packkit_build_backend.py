"""packkit's own PEP 517 backend: maturin, plus the native ``packkit`` executable.

maturin builds the extension module (``_packkit``, the ``python`` feature) but puts only one
Rust target into a wheel (PyO3/maturin#368). So before maturin builds a wheel, this builds the
crate's ``packkit`` binary with cargo, in the same profile and for the same target but without
the ``python`` feature (it links no Python), and stages it as ``target/native-cli/scripts/packkit``:
``[tool.maturin] data`` names that folder, so maturin puts the binary into the wheel's
``.data/scripts/``, which pip, uv and every installer copy onto the environment's ``PATH``.

The folder is emptied before every staging, so a wheel never carries a binary from an earlier
build. ``python build_backend/packkit_build_backend.py [--profile P]`` stages it for a direct
``maturin build`` (the Makefile does).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import maturin  # type: ignore[import-untyped]  # (no py.typed)

# The hooks that need no native executable are maturin's own.
get_requires_for_build_sdist = maturin.get_requires_for_build_sdist
get_requires_for_build_wheel = maturin.get_requires_for_build_wheel

__all__ = [
    "build_editable",
    "build_sdist",
    "build_wheel",
    "get_requires_for_build_sdist",
    "get_requires_for_build_wheel",
    "prepare_metadata_for_build_wheel",
]

# Relative to the project root, as `[tool.maturin] data` in pyproject.toml says.
STAGING = Path("target") / "native-cli"
BINARY = "packkit"


def prepare_metadata_for_build_wheel(
    metadata_directory: str, config_settings: Mapping[str, Any] | None = None
) -> str:
    ensure_data_folder()
    return str(maturin.prepare_metadata_for_build_wheel(metadata_directory, config_settings))


def build_sdist(sdist_directory: str, config_settings: Mapping[str, Any] | None = None) -> str:
    ensure_data_folder()
    return str(maturin.build_sdist(sdist_directory, config_settings))


def ensure_data_folder() -> None:
    """maturin refuses a missing `data` folder even where it reads none (metadata, sdist)."""
    (STAGING / "scripts").mkdir(parents=True, exist_ok=True)


def build_wheel(
    wheel_directory: str,
    config_settings: Mapping[str, Any] | None = None,
    metadata_directory: str | None = None,
) -> str:
    stage_native_cli(maturin.get_maturin_pep517_args(config_settings))
    return str(maturin.build_wheel(wheel_directory, config_settings, metadata_directory))


def build_editable(
    wheel_directory: str,
    config_settings: Mapping[str, Any] | None = None,
    metadata_directory: str | None = None,
) -> str:
    stage_native_cli(maturin.get_maturin_pep517_args(config_settings))
    return str(maturin.build_editable(wheel_directory, config_settings, metadata_directory))


def cargo_options(maturin_args: Sequence[str]) -> list[str]:
    """The cargo options of maturin's arguments that decide what the binary is built as.

    maturin's PEP 517 builds default to the release profile.
    """
    options: list[str] = []
    wanted = {"--profile", "--target", "--target-dir", "--config"}
    flags = {"--locked", "--frozen", "--offline"}
    args = list(maturin_args)
    for i, arg in enumerate(args):
        name, eq, _ = arg.partition("=")
        if name in wanted:
            if eq:
                options.append(arg)
            elif i + 1 < len(args):
                options += [arg, args[i + 1]]
        elif arg in flags:
            options.append(arg)
        elif arg in {"-r", "--release"}:
            options += ["--profile", "release"]
    if not any(o == "--profile" or o.startswith("--profile=") for o in options):
        options += ["--profile", "release"]
    return options


def stage_native_cli(maturin_args: Sequence[str]) -> Path:
    """Build the ``packkit`` binary and stage it where maturin's ``data`` folder is."""
    scripts = STAGING / "scripts"
    shutil.rmtree(STAGING, ignore_errors=True)
    cargo = os.environ.get("CARGO", "cargo")
    command = [
        cargo,
        "build",
        "--bin",
        BINARY,
        "--message-format=json-render-diagnostics",
        *cargo_options(maturin_args),
    ]
    print("Running `{}`".format(" ".join(command)), file=sys.stderr, flush=True)
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"error: building the native packkit executable failed: {command}")
    executable = None
    for line in done.stdout.splitlines():
        message = json.loads(line) if line.startswith("{") else {}
        target = message.get("target", {})
        if message.get("reason") == "compiler-artifact" and target.get("name") == BINARY:
            if "bin" in target.get("kind", []):
                executable = message.get("executable")
    if not executable:
        sys.exit("error: cargo built no `packkit` executable (see its output above)")
    scripts.mkdir(parents=True)
    staged = scripts / Path(executable).name
    shutil.copy2(executable, staged)
    # A dev build's debug info would double the wheel; the wheel's binary is for running.
    strip = shutil.which("strip")
    if strip and sys.platform.startswith("linux"):
        subprocess.run([strip, "--strip-debug", str(staged)], check=True)
    return staged


if __name__ == "__main__":
    staged = stage_native_cli(sys.argv[1:])
    print(staged)
