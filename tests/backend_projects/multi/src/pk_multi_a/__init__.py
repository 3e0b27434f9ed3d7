"""The first of two top-level packages."""

VALUE = "a"
