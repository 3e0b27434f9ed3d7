"""A package with every kind of metadata."""
