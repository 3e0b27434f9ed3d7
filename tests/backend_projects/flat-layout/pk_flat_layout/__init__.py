"""A flat-layout package."""
