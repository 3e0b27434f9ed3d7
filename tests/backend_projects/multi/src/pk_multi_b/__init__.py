"""The second of two top-level packages."""

VALUE = "b"
