"""Reading back what the catalogue stored, for assertions."""

from __future__ import annotations

from pathlib import Path

from inventory.catalogue.archive import ArchiveStatus
from inventory.catalogue.health import HealthSignals
from inventory.catalogue.store import read_snapshot


def read_health(db: Path) -> dict[str, HealthSignals]:
    """The stored health signals by repository id (failed checks left out)."""
    return dict(read_snapshot(db).health)


def read_statuses(db: Path) -> dict[str, ArchiveStatus]:
    """The stored Software Heritage answers by repository id."""
    return dict(read_snapshot(db).archive)
