"""The ``inventory`` command: a thin click layer over the library.

Each command lives in its own module and registers itself on :data:`main`. Errors of the
core (:class:`inventory.errors.InventoryError`) and of the crawlers
(:class:`crawlers.errors.CrawlerError`) become one-line French ``ClickException`` here:
bad input never shows a traceback.
"""

from __future__ import annotations

from inventory.cli.app import main

# Command modules register themselves on `main` when imported (one line per command).
# (none yet)

__all__ = ["main"]
