from __future__ import annotations

import re
from importlib.metadata import version

import {{package}}
from {{package}} import greet


def test_greet(who: str) -> None:
    assert greet(who) == "Hello, Ada!"
    assert greet(who, punctuation=".") == "Hello, Ada."


def test_version_comes_from_the_installed_metadata() -> None:
    assert {{package}}.__version__ == version("{{name}}")
    assert "unknown" not in {{package}}.__version__
    assert re.match(r"^\d+(\.\d+)*", {{package}}.__version__)
