"""The SQLite tables of issue 6, in the crawl database beside the crawl's own tables.

``swh_status`` (:mod:`inventory.catalogue.archive`) and ``repository_health`` (:mod:`inventory.catalogue.health_pass`)
are keyed by repository id. Both statements are idempotent (``IF NOT EXISTS``): the store's
migration 2 creates them, and :class:`inventory.catalogue.sidetables.SideTable` opens the database
through the store, so a database that predates the migration is migrated first. No ``;``
inside a statement (the store splits migrations on it).
"""

from __future__ import annotations

SWH_STATUS = """
CREATE TABLE IF NOT EXISTS swh_status (
    repository_id TEXT PRIMARY KEY,
    origin TEXT NOT NULL,
    archived INTEGER,
    last_visit TEXT,
    visit_status TEXT,
    snapshot TEXT,
    checked_at TEXT NOT NULL,
    repo_last_update TEXT,
    error TEXT
)
"""

REPOSITORY_HEALTH = """
CREATE TABLE IF NOT EXISTS repository_health (
    repository_id TEXT PRIMARY KEY,
    repo_last_update TEXT,
    checked_at TEXT NOT NULL,
    has_readme INTEGER,
    has_license INTEGER,
    has_contributing INTEGER,
    has_changelog INTEGER,
    has_publiccode INTEGER,
    publiccode TEXT,
    error TEXT
)
"""

#: The store migration adding both tables.
MIGRATION = SWH_STATUS + ";" + REPOSITORY_HEALTH
