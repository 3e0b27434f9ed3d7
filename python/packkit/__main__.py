"""``python -m packkit`` and the ``packkit`` console script: the CLI lives in Rust."""

from __future__ import annotations

import sys


def main() -> int:
    """Run the packkit command line with ``sys.argv`` and return its exit code."""
    from packkit._packkit import run_cli

    try:
        return run_cli(sys.argv)
    except KeyboardInterrupt:
        # The engine stopped between files and removed what it was writing.
        print("packkit: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
