"""What the crawl-database commands (crawl, health, archive-status) print and read alike."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from inventory.catalogue.store import Store
from inventory.errors import InventoryError
from inventory.model import Repository


def number(value: int) -> str:
    """An integer in French typography (narrow no-break space between thousands)."""
    return f"{value:,}".replace(",", "\u202f")


def measure_table(title: str) -> Table:
    """An empty two-column summary ("Mesure", "Valeur") with ``title`` above it."""
    table = Table(title=title, show_header=False, title_justify="left")
    table.add_column("Mesure")
    table.add_column("Valeur", justify="right")
    return table


def _existing(db_path: Path) -> None:
    if not Path(db_path).is_file():
        raise InventoryError(
            f"base de moissonnage introuvable : {db_path} (lancez d'abord « inventory crawl »)"
        )


def crawled_repositories(db_path: Path) -> list[Repository]:
    """Every repository of an existing crawl database, read-only."""
    _existing(db_path)
    with Store.open_readonly(db_path) as store:
        return store.repositories()


def existing_store(db_path: Path) -> Store:
    """An existing crawl database, opened for writing (never created here)."""
    _existing(db_path)
    return Store.open(db_path)


def print_failures(err: Console, messages: tuple[str, ...]) -> None:
    for message in messages:
        err.print(f"échec : {message}", markup=False)
