"""A maintainer script: in the sdist, not in the wheel."""
