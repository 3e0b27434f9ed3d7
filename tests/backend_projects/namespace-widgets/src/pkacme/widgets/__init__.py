"""pkacme.widgets: one portion of a namespace package without pkacme/__init__.py."""

NAME = "widgets"
