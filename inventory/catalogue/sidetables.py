"""The insight tables kept in the crawl database beside the crawl's own tables.

``swh_status`` (:mod:`inventory.catalogue.archive`) and ``repository_health`` (:mod:`inventory.catalogue.health_pass`)
are created by the store's migration 2 (:mod:`inventory.catalogue.insights_schema`). :class:`SideTable`
opens the database through :meth:`inventory.catalogue.store.Store.open` (same connection settings, same
migrations, same French errors) and gives each table its ``load``; :func:`read_rows` is the
tolerant read-only read used when building the site (never writes, ``[]`` on any failure).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, ClassVar, Self

from inventory.catalogue.store import Store
from inventory.errors import StoreError


class SideTable:
    """One insight table of an existing crawl database; a context manager."""

    #: The table's name, set by each subclass.
    table: ClassVar[str]

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise StoreError(
                f"base de moissonnage introuvable : {self.path} (lancez « inventory crawl »)"
            )
        self._store = Store.open(self.path)

    def close(self) -> None:
        self._store.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _rows(self) -> list[sqlite3.Row]:
        return self._store.rows(f"SELECT * FROM {self.table}")

    def _insert(self, columns: tuple[str, ...], values: tuple[Any, ...]) -> None:
        """``INSERT OR REPLACE`` of one row, committed at once."""
        marks = ", ".join("?" for _ in columns)
        self._store.write(
            f"INSERT OR REPLACE INTO {self.table} ({', '.join(columns)}) VALUES ({marks})",
            values,
        )


def read_rows(path: Path | str | None, table: str) -> list[sqlite3.Row]:
    """Every row of ``table``, read-only; ``[]`` when there is no database or no such table."""
    if path is None or not Path(path).is_file():
        return []
    try:
        connection = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return []
    connection.row_factory = sqlite3.Row
    try:
        return connection.execute(f"SELECT * FROM {table}").fetchall()
    except sqlite3.Error:  # no run of that command yet: the table does not exist
        return []
    finally:
        connection.close()
