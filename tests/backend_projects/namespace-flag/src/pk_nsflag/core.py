"""A module of a namespace package (no __init__.py above it)."""

VALUE = "pk_nsflag.core"
