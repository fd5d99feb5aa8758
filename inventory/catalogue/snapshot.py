"""The read model of the code inventory: one consistent view of the crawl database.

:class:`CatalogueSnapshot` is what every reader of the crawl gets (the exports, the site,
``inventory check --links``): built by :meth:`inventory.catalogue.store.Store.snapshot` in one
read transaction, so repositories, their health signals and archival statuses always agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from inventory.catalogue.archive import ArchiveStatus
from inventory.catalogue.health import HealthSignals
from inventory.model import Organisation, Repository


@dataclass(frozen=True)
class OwnerStatus:
    """One crawled account's last crawl: how it went, and where it moved if renamed."""

    target: str
    host: str
    owner: str | None
    forge: str
    status: str
    last_attempt: str
    last_success: str | None
    last_error: str | None
    stale_since: str | None
    renamed_to: str | None


@dataclass(frozen=True)
class CatalogueSnapshot:
    """Repositories and accounts with what was observed of them, as of one read."""

    repositories: tuple[Repository, ...] = ()
    organisations: tuple[Organisation, ...] = ()
    owners: tuple[OwnerStatus, ...] = ()
    #: Health signals by repository id (repositories never checked, or whose check failed,
    #: are absent).
    health: Mapping[str, HealthSignals] = field(default_factory=dict)
    #: Software Heritage's answers by repository id (absent: never asked).
    archive: Mapping[str, ArchiveStatus] = field(default_factory=dict)
