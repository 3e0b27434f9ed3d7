"""A package with files left out by exclude globs."""
