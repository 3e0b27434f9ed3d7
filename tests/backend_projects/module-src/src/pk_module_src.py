"""A single-module project under src/."""

VALUE = "pk_module_src"
