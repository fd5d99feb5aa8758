"""The plain values a site is generated from: records, the crawl's snapshot, settings.

The joins between records and the crawl (administrations, links, indicators) are computed
once per :class:`SiteData`, by :func:`inventory.insights.overview.compute`, and shared by
every page generator (:attr:`SiteData.insights`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import PurePosixPath

from inventory.catalogue.snapshot import CatalogueSnapshot
from inventory.insights.administrations import AdministrationIndex
from inventory.insights.history import RegisterHistory
from inventory.insights.overview import Insights, compute
from inventory.model import Organisation, Record, Repository
from inventory.register.openings import Roadmap

DEFAULT_REPO_URL = "https://github.com/codegouvfr/inventaire-public"


@dataclass(frozen=True)
class SiteData:
    """Everything a site build reads: records, the crawl and where the project lives."""

    records: tuple[Record, ...]
    catalogue: CatalogueSnapshot = field(default_factory=CatalogueSnapshot)
    crawled: bool = False
    generated_at: str = field(
        default_factory=lambda: dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    )
    repo_url: str = DEFAULT_REPO_URL
    branch: str = "main"
    # Record id -> path of its YAML file inside the project repository (POSIX).
    record_files: Mapping[str, str] = field(default_factory=dict)
    #: The site's public address (``site_url`` of mkdocs.yml; '' when unknown).
    site_url: str = ""
    # The records' git history (unavailable when the register is not read from git).
    history: RegisterHistory = field(default_factory=RegisterHistory)
    #: The roadmaps of announced code openings (None: the project has no ouvertures/ folder).
    roadmaps: tuple[Roadmap, ...] | None = None

    @property
    def repositories(self) -> tuple[Repository, ...]:
        return self.catalogue.repositories

    @property
    def organisations(self) -> tuple[Organisation, ...]:
        return self.catalogue.organisations

    def record_file(self, record: Record) -> str:
        known = self.record_files.get(record.id)
        if known:
            return known
        return str(PurePosixPath("algorithms", record.folder, f"{record.id}.yml"))

    @property
    def today(self) -> dt.date:
        """The build's date (the reference of "the last 12 months")."""
        try:
            return dt.datetime.fromisoformat(self.generated_at.replace("Z", "+00:00")).date()
        except ValueError:
            return dt.date.today()

    @cached_property
    def index(self) -> AdministrationIndex:
        commitments = [c for roadmap in self.roadmaps or () for c in roadmap.commitments]
        return AdministrationIndex.build(
            self.records, self.organisations, self.repositories, commitments
        )

    @cached_property
    def insights(self) -> Insights:
        return compute(
            self.records,
            self.catalogue,
            self.today,
            administrations=self.index,
            roadmaps=self.roadmaps or (),
            crawled=self.crawled,
        )
