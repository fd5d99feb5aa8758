"""The exception hierarchy of the core layer.

Every message is French and complete on one line: the CLI boundary prints it as is
(`click.ClickException`), never a traceback.
"""

from __future__ import annotations


class InventoryError(Exception):
    """Base class of every error of the core package; ``str(error)`` is shown to users."""


class RecordsError(InventoryError):
    """Algorithm records cannot be read or are invalid as a whole (e.g. a missing folder)."""


class SourcesError(InventoryError):
    """The list of accounts to crawl cannot be read at all."""


class StoreError(InventoryError):
    """The SQLite state database cannot be opened, migrated or written."""


class ExportError(InventoryError):
    """An export cannot be written (refused overwrite, unwritable folder...)."""


class SiteError(InventoryError):
    """The static site cannot be generated or rendered."""
