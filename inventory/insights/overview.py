"""What joins the two flows, computed once: administrations, links, indicators, signals.

:func:`compute` takes the checked records and the crawl's snapshot and returns one frozen
:class:`Insights`, which the exports and every page of the site read: nothing is matched or
counted twice. The reference date of the "last 12 months" indicators is ``today`` (the
build's date), so a build is reproducible.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from inventory.catalogue.archive import ArchiveStatus
from inventory.catalogue.health import HealthSignals
from inventory.catalogue.health import score as health_score
from inventory.catalogue.snapshot import CatalogueSnapshot
from inventory.insights.administrations import AdministrationIndex
from inventory.insights.indicators import Row, compute_all, overall
from inventory.insights.links import (
    LinkIndex,
    match_resources,
    redirects_from_owners,
    repository_keys,
)
from inventory.insights.openings import Openings, track
from inventory.model import Record, Repository
from inventory.register.openings import Roadmap


@dataclass(frozen=True)
class Insights:
    """The joins of one set of records with one crawl (see the module docstring)."""

    today: dt.date
    administrations: AdministrationIndex
    links: LinkIndex
    rows: Mapping[str, Row]  # administration slug -> its indicators
    total: Row
    health: Mapping[str, HealthSignals] = field(default_factory=dict)  # repository id ->
    archive: Mapping[str, ArchiveStatus] = field(default_factory=dict)  # repository id ->
    redirects: Mapping[str, str] = field(default_factory=dict)  # owner renames (URLs)
    openings: Openings = field(default_factory=Openings)  # announced code openings, tracked

    def score(self, repository: Repository) -> int:
        """The health score of a repository (:mod:`inventory.catalogue.health`)."""
        return health_score(repository, self.health.get(repository.id), self.today)

    def archive_url(self, repository: Repository) -> str | None:
        """The Software Heritage page of an archived repository, else None."""
        status = self.archive.get(repository.id)
        return status.browse_url if status is not None and status.archived else None

    def indicator_rows(self) -> list[Row]:
        """The indicators of every administration, in the administrations' order."""
        return [self.rows[a.slug] for a in self.administrations.administrations]


def compute(
    records: Sequence[Record],
    catalogue: CatalogueSnapshot,
    today: dt.date,
    *,
    administrations: AdministrationIndex | None = None,
    roadmaps: Sequence[Roadmap] = (),
    crawled: bool = True,
) -> Insights:
    """The insights of ``records`` and ``roadmaps`` against ``catalogue`` (``administrations``:
    the join, when the caller already has it; ``crawled``: False when no crawl was ever made,
    so that no commitment is judged against an empty crawl)."""
    commitments = [c for roadmap in roadmaps for c in roadmap.commitments]
    index = administrations or AdministrationIndex.build(
        records, catalogue.organisations, catalogue.repositories, commitments
    )
    redirects = {**redirects_from_owners(catalogue.owners), **catalogue.moves}
    keys = repository_keys(catalogue.repositories, redirects)
    links = match_resources(records, catalogue.repositories, redirects, keys=keys)
    openings = track(roadmaps, catalogue if crawled else None, today, keys=keys)
    rows = compute_all(index.administrations, links, today, openings.by_id())
    return Insights(
        today=today,
        administrations=index,
        links=links,
        rows={row.slug: row for row in rows},
        total=overall(index.administrations, links, today, openings.by_id()),
        health=dict(catalogue.health),
        archive=dict(catalogue.archive),
        redirects=redirects,
        openings=openings,
    )
