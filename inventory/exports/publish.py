"""The one writer of the open data: ``inventory export`` and the site both call it.

:func:`render_all` turns what is there (the checked records, the crawl's snapshot, or both)
into the texts of every file of :data:`inventory.exports.files.FILES` it can make, and says in
French what it skipped and why; :func:`write_all` writes them (every target checked first, each
file atomically, no overwrite without ``force``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from inventory.atomic import write_texts
from inventory.catalogue.snapshot import CatalogueSnapshot
from inventory.exports import algorithms, history, indicators, links, openings, repositories
from inventory.exports.files import FILES, Source
from inventory.insights.history import RegisterHistory
from inventory.insights.overview import Insights, compute
from inventory.model import Record
from inventory.register.openings import Roadmap


@dataclass(frozen=True)
class Published:
    """What the open data is made from. ``None`` means absent (no records folder, no crawl
    database), which skips the files made from it; an empty tuple is an empty register.
    ``history`` is the records' git history (``None`` or unavailable: its files are skipped),
    ``repo_url`` the register's repository (to name merge requests)."""

    records: tuple[Record, ...] | None
    catalogue: CatalogueSnapshot | None
    insights: Insights
    history: RegisterHistory | None = None
    repo_url: str = ""
    #: The roadmaps of announced code openings (``None``: no ``ouvertures/`` folder).
    roadmaps: tuple[Roadmap, ...] | None = None

    @classmethod
    def of(
        cls,
        records: Sequence[Record] | None,
        catalogue: CatalogueSnapshot | None,
        *,
        today: dt.date | None = None,
        insights: Insights | None = None,
        history: RegisterHistory | None = None,
        repo_url: str = "",
        roadmaps: Sequence[Roadmap] | None = None,
    ) -> Published:
        """Inputs with their insights (computed here unless given, e.g. by the site)."""
        kept = tuple(records) if records is not None else None
        plans = tuple(roadmaps) if roadmaps is not None else None
        if insights is None:
            insights = compute(
                kept or (),
                catalogue or CatalogueSnapshot(),
                today or dt.date.today(),
                roadmaps=plans or (),
                crawled=catalogue is not None,
            )
        return cls(kept, catalogue, insights, history, repo_url, plans)

    def has(self, source: Source) -> bool:
        if source is Source.RECORDS:
            return self.records is not None
        if source is Source.CRAWL:
            return self.catalogue is not None
        if source is Source.HISTORY:
            return self.history is not None and self.history.available
        if source is Source.OPENINGS:
            return self.roadmaps is not None
        return self.records is not None or self.catalogue is not None


@dataclass(frozen=True)
class Rendered:
    texts: dict[str, str]  # file name -> text, in the registry's order
    skipped: tuple[str, ...]  # French notes: which files were not made, and why


def render_all(published: Published) -> Rendered:
    """The texts of every file the inputs allow (see the module docstring)."""
    texts: dict[str, str] = {}
    records = published.records
    catalogue = published.catalogue
    insights = published.insights
    if records is not None:
        texts |= algorithms.render(records)
        crawled = catalogue.repositories if catalogue is not None else ()
        texts |= links.render(records, crawled, insights.links, insights.redirects)
    if catalogue is not None:
        texts |= repositories.render(catalogue.repositories, catalogue.organisations)
    if published.has(Source.EITHER):
        texts |= indicators.render(insights.indicator_rows())
    if published.history is not None and published.has(Source.HISTORY):
        texts |= history.render(published.history, published.repo_url)
    if published.has(Source.OPENINGS):
        texts |= openings.render(insights.openings)
    ordered = {file.name: texts.pop(file.name) for file in FILES if file.name in texts}
    assert not texts, f"fichiers hors du registre : {sorted(texts)}"
    skipped = []
    for source in Source:
        names = [file.name for file in FILES if file.source is source and file.name not in ordered]
        if names:
            skipped.append(f"{', '.join(names)} : non exporté(s), faute de {source.value}")
    return Rendered(ordered, tuple(skipped))


@dataclass(frozen=True)
class ExportResult:
    written: tuple[Path, ...]
    skipped: tuple[str, ...]


def write_all(published: Published, out: Path, *, force: bool) -> ExportResult:
    """Write every file the inputs allow into ``out``; what was written and what skipped."""
    rendered = render_all(published)
    written = write_texts(Path(out), rendered.texts, force=force) if rendered.texts else []
    return ExportResult(tuple(written), rendered.skipped)
