"""Fixtures shared by the tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def who() -> str:
    """A name to greet."""
    return "Ada"
