"""A regular subpackage inside the namespace package."""
