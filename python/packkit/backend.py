"""PEP 517 and PEP 660 build backend: ``build-backend = "packkit.backend"``.

Each hook hands off to the Rust engine in one line. Building runs no project code, and
importing this module imports nothing else until a hook is called.
"""

from __future__ import annotations

import os

__all__ = [
    "build_editable",
    "build_sdist",
    "build_wheel",
    "get_requires_for_build_editable",
    "get_requires_for_build_sdist",
    "get_requires_for_build_wheel",
    "prepare_metadata_for_build_editable",
    "prepare_metadata_for_build_wheel",
]

ConfigSettings = dict[str, "str | list[str]"] | None


def _warnings_on_stderr() -> None:
    """Show the engine's warnings (no version tag, ...) on stderr.

    A frontend runs the hooks in a fresh interpreter where logging is not configured; a
    caller that configured it keeps its own handlers.
    """
    import logging

    logger = logging.getLogger("packkit")
    if not logger.hasHandlers():
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("packkit: warning: %(message)s"))
        logger.addHandler(handler)


def get_requires_for_build_wheel(config_settings: ConfigSettings = None) -> list[str]:
    return []


def get_requires_for_build_sdist(config_settings: ConfigSettings = None) -> list[str]:
    return []


def get_requires_for_build_editable(config_settings: ConfigSettings = None) -> list[str]:
    return []


def prepare_metadata_for_build_wheel(
    metadata_directory: str, config_settings: ConfigSettings = None
) -> str:
    from packkit import _packkit

    _warnings_on_stderr()
    return _packkit.prepare_metadata(os.getcwd(), metadata_directory)


def prepare_metadata_for_build_editable(
    metadata_directory: str, config_settings: ConfigSettings = None
) -> str:
    return prepare_metadata_for_build_wheel(metadata_directory, config_settings)


def build_wheel(
    wheel_directory: str,
    config_settings: ConfigSettings = None,
    metadata_directory: str | None = None,
) -> str:
    from packkit import _packkit

    _warnings_on_stderr()
    return _packkit.build_wheel(os.getcwd(), wheel_directory, metadata_dir=metadata_directory)


def build_editable(
    wheel_directory: str,
    config_settings: ConfigSettings = None,
    metadata_directory: str | None = None,
) -> str:
    from packkit import _packkit

    _warnings_on_stderr()
    return _packkit.build_wheel(
        os.getcwd(), wheel_directory, editable=True, metadata_dir=metadata_directory
    )


def build_sdist(sdist_directory: str, config_settings: ConfigSettings = None) -> str:
    from packkit import _packkit

    _warnings_on_stderr()
    return _packkit.build_sdist(os.getcwd(), sdist_directory)
