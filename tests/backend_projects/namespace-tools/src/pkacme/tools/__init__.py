"""pkacme.tools: one portion of a namespace package without pkacme/__init__.py."""

NAME = "tools"
