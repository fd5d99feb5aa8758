"""The build's data files: the open-data exports in ``donnees/`` and the crawl, read once.

:func:`read_and_export_crawl` runs in a child process while the records are checked (see
:mod:`inventory.site.builder`): it reads the crawl database once, writes the crawl's exports
and hands the data over to the build.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from inventory.model import Organisation, Record, Repository
from inventory.site import insights


def read_crawl(db: Path) -> tuple[tuple[Repository, ...], tuple[Organisation, ...]]:
    """The crawled repositories and organisations of the database ``db``."""
    from inventory.catalogue.store import Store

    store = Store.open_readonly(db)
    try:
        return tuple(store.repositories()), tuple(store.organisations())
    finally:
        store.close()


@dataclass(frozen=True)
class Exports:
    """The open-data exports written into ``donnees/``: the records, and the crawl if any.

    The two halves are separate steps (:meth:`algorithms`, :meth:`crawl`). The pipeline itself
    reads the crawl only once (:func:`read_and_export_crawl`) and exports the records as soon
    as they are checked.
    """

    records: tuple[Record, ...]
    db: Path | None = None

    def __call__(self, folder: Path) -> tuple[str, ...]:
        """Write the files into ``folder``; French notes about what could not be exported."""
        return (*self.algorithms(folder), *self.crawl(folder))

    def algorithms(self, folder: Path) -> tuple[str, ...]:
        from inventory.interchange.table import export_algorithms

        export_algorithms(self.records, folder, force=True)
        return ()

    def crawl(self, folder: Path) -> tuple[str, ...]:
        if self.db is None:
            return ()
        return export_crawl(*read_crawl(self.db), folder)


def export_crawl(
    repositories: Sequence[Repository], organisations: Sequence[Organisation], folder: Path
) -> tuple[str, ...]:
    """Write the exports of the crawl (repositories, organisations) into ``folder``."""
    from inventory.exports.repositories import write_exports

    write_exports(repositories, organisations, folder, force=True)
    return ()


@dataclass(frozen=True)
class CrawlRead:
    """The crawl database, read once for the whole build."""

    notes: tuple[str, ...]  # what could not be exported
    repositories: tuple[Repository, ...]
    organisations: tuple[Organisation, ...]
    extras: insights.CrawlExtras  # renames, archival statuses, health signals


def read_and_export_crawl(db: Path, folder: Path) -> CrawlRead:
    """Read the crawl once: write its exports into ``folder`` and hand its data over.

    Run in a child process while the records are checked; the data then comes back to the
    build through the pipe.
    """
    repositories, organisations = read_crawl(db)
    notes = export_crawl(repositories, organisations, folder)
    return CrawlRead(notes, repositories, organisations, insights.read_extras(db))
