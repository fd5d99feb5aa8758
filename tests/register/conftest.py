"""Fixtures of the record tests: an empty register folder in ``tmp_path``."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def register(tmp_path: Path) -> Path:
    """An ``algorithms/`` folder in a temporary directory."""
    path = tmp_path / "algorithms"
    path.mkdir()
    return path
