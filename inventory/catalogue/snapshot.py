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
class DepartedRepository:
    """A repository the crawl listed once and that is gone since (deleted, made private, or
    moved out of every crawled account), with what is needed to date its opening."""

    id: str
    target: str
    repository_url: str
    name: str
    organization_name: str
    platform: str
    forge: str
    is_fork: bool | None
    creation_date: str | None
    first_seen: str | None
    departed_at: str


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
    #: When the crawl first saw each repository, by id (absent: seen before this was kept).
    first_seen: Mapping[str, str] = field(default_factory=dict)
    #: Repositories seen once and gone since.
    departed: tuple[DepartedRepository, ...] = ()
    #: Old repository URL -> new one (a repository renamed or moved, same forge id).
    moves: Mapping[str, str] = field(default_factory=dict)
