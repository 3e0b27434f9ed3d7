"""``python -m packkit`` and the ``packkit`` console script: the CLI lives in Rust."""

from __future__ import annotations

import sys


def main() -> int:
    """Run the packkit command line with ``sys.argv`` and return its exit code."""
    from packkit._packkit import run_cli

    return run_cli(sys.argv)


if __name__ == "__main__":
    sys.exit(main())
