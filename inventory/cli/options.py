"""Options shared by several commands, as decorator stacks (one place for their wording)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

F = TypeVar("F", bound=Callable[..., object])

DEFAULT_DB = Path("data") / "inventory.sqlite3"


def db_option(func: F) -> F:
    """``--db PATH``: the crawl's SQLite database (default ``data/inventory.sqlite3``)."""
    return click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=DEFAULT_DB,
        show_default=True,
        help="Base SQLite du moissonnage.",
    )(func)


def quiet_option(func: F) -> F:
    """``--quiet``: no progress display, only the summary and errors."""
    return click.option(
        "-q",
        "--quiet",
        is_flag=True,
        help="N'affiche ni progression ni détail, seulement le bilan.",
    )(func)
