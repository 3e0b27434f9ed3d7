"""A development helper, excluded by "src/pk_globs/_dev/"."""
