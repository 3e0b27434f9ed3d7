"""Sessions: `nox -s tests` (every supported Python found) and `nox -s docs`."""

from __future__ import annotations

import nox

nox.options.sessions = ["tests", "docs"]


@nox.session(python=["3.10", "3.11", "3.12", "3.13"])
def tests(session: nox.Session) -> None:
    session.install("-e", ".[test]")
    session.run("pytest", *session.posargs)


@nox.session
def docs(session: nox.Session) -> None:
    session.install("-e", ".[docs]")
    session.run("sphinx-build", "-W", "-b", "html", "docs", "docs/_build/html")
