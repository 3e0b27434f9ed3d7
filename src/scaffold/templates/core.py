"""The core of {{name}}: replace this example with your code."""

from __future__ import annotations


def greet(name: str, *, punctuation: str = "!") -> str:
    """Return a greeting for ``name``.

    :param name: who to greet.
    :param punctuation: what ends the greeting.
    :returns: the greeting, e.g. ``"Hello, Ada!"``.

    >>> greet("Ada")
    'Hello, Ada!'
    """
    return f"Hello, {name}{punctuation}"
