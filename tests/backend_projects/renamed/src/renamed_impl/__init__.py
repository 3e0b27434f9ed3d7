"""Imported as renamed_impl, distributed as pk-renamed-dist."""

VALUE = "renamed_impl"
