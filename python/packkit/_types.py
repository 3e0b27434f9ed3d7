"""Names of the values packkit's functions accept, for type checkers and editors."""

from __future__ import annotations

import os
from typing import Literal

__all__ = [
    "BumpPart",
    "CiName",
    "LicenseId",
    "LocalSchemeName",
    "StrPath",
    "VersionSchemeName",
]

StrPath = str | os.PathLike[str]

VersionSchemeName = Literal[
    "guess-next-dev",
    "post-release",
    "no-guess-dev",
    "only-version",
    "calver-by-date",
    "semver-pep440",
    "python-simplified-semver",
    "semver-pep440-release-branch",
    "release-branch-semver",
    "towncrier-fragments",
    "towncrier-fragments-zerover",
]
"""A version scheme: how the public part of the version is guessed from the nearest tag."""

LocalSchemeName = Literal[
    "node-and-date",
    "node-and-timestamp",
    "dirty-tag",
    "no-local-version",
    "no-local-version-strict",
    "fail-on-uncommitted-changes",
]
"""A local scheme: what goes after the ``+``."""

BumpPart = Literal["major", "minor", "patch", "alpha", "beta", "rc", "pre", "dev", "final", "post"]
"""A part of a version that ``Version.bump`` increments."""

LicenseId = Literal[
    "MIT",
    "Apache-2.0",
    "BSD-3-Clause",
    "GPL-3.0-or-later",
    "MPL-2.0",
    "LicenseRef-Proprietary",
]
"""A license ``packkit.new`` writes (SPDX identifier), with its full text in ``LICENSE``."""

CiName = Literal["github", "gitlab", "none"]
"""The CI configuration ``packkit.new`` writes (``none``: no CI file)."""
