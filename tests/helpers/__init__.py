"""Helpers of the test suite: plain classes and functions, no fixtures or hooks.

``tests/`` is on ``sys.path`` while pytest runs (its ``conftest.py`` sits in a folder without
``__init__.py``, so pytest's default ``prepend`` import mode inserts it), which makes this
package importable as ``helpers`` from every test module:

* ``helpers.git``: the isolated git environment (``Env``) and repositories (``Repo``);
* ``helpers.pyproject``: ``pyproject.toml`` files for the versioning tests;
* ``helpers.oracle``: setuptools_scm as the reference oracle;
* ``helpers.backend``: the wheelhouse, tools, venvs, sample projects and archive readers of
  the build-backend tests.

The fixtures built on them are in ``conftest.py`` and ``backend_conftest.py``.
"""
