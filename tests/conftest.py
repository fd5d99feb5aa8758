"""Shared fixtures: paths of the project and of the read-only shared data."""

from __future__ import annotations

from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
SHARED = PROJECT.parent / "shared"


@pytest.fixture
def project_root() -> Path:
    return PROJECT


@pytest.fixture
def shared_data() -> Path:
    """``../shared/data``; tests that need it are skipped with a message where it is absent."""
    data = SHARED / "data"
    if not data.is_dir():
        pytest.skip("../shared/data est absent : test des données réelles ignoré")
    return data
