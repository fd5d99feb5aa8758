"""Options shared by several commands, as decorator stacks (one place for their wording)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from inventory.errors import InventoryError

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


def limit_option(help_text: str) -> Callable[[F], F]:
    """``--limit N``: at most N repositories in this run (``help_text`` says what is done)."""

    def decorate(func: F) -> F:
        return click.option(
            "--limit",
            metavar="N",
            type=click.IntRange(min=0),
            default=None,
            help=help_text,
        )(func)

    return decorate


def api_urls_option(func: F) -> F:
    """``--api-url HOTE=URL`` (repeatable): a forge's API root; see :func:`api_overrides`."""
    return click.option(
        "--api-url",
        "api_urls",
        multiple=True,
        metavar="HOTE=URL",
        help="Remplace la racine d'API d'une forge (miroir, proxy, tests ; répétable).",
    )(func)


def api_overrides(api_urls: tuple[str, ...]) -> dict[str, str]:
    """The ``--api-url`` values by host; ``InventoryError`` (French) for a malformed one."""
    from crawlers.http import parse_api_overrides  # the HTTP layer, only when asked

    try:
        return parse_api_overrides(api_urls)
    except ValueError as exc:
        raise InventoryError(str(exc)) from None
