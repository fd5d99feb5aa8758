"""The ``inventory`` command: a thin click layer over the library, and its only user of click.

Each command lives in its own module and registers itself on :data:`main`. Errors of the
core (:class:`inventory.errors.InventoryError`) and of the crawlers
(:class:`crawlers.errors.CrawlerError`) become one-line French ``ClickException`` here:
bad input never shows a traceback. The command-line reference (``reference``) is produced here
and handed to the site's build.

May import: every layer.
"""

from __future__ import annotations

# Command modules register themselves on `main` when imported (one line per command).
from inventory.cli import archive_status as _archive_status  # noqa: F401
from inventory.cli import build as _build  # noqa: F401
from inventory.cli import check as _check  # noqa: F401
from inventory.cli import crawl as _crawl  # noqa: F401
from inventory.cli import export as _export  # noqa: F401
from inventory.cli import health as _health  # noqa: F401
from inventory.cli import import_ as _import  # noqa: F401
from inventory.cli import new as _new  # noqa: F401
from inventory.cli import publiccode as _publiccode  # noqa: F401
from inventory.cli import rights as _rights  # noqa: F401
from inventory.cli.app import main

__all__ = ["main"]
