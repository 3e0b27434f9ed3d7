"""A single-module project next to pyproject.toml."""

VALUE = "pk_module_flat"
