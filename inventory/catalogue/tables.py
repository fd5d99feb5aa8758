"""The tables of the crawl database, and how values are written to and read from their rows.

Only :mod:`inventory.catalogue.store` uses this module: the store owns every table.

* ``repositories``, ``organisations``, ``owners`` (each account's last crawl), ``etags`` (the
  HTTP layer's conditional requests) and ``rounds`` (resumable crawls);
* ``repository_health``: the health signals observed in each repository (root files and
  ``publiccode.yml``), written by the crawl with each listing and by ``inventory health``;
* ``swh_status``: Software Heritage's archival status of each repository
  (``inventory archive-status``);
* ``repositories.first_seen``, ``departed_repositories`` and ``repository_moves``: what the
  crawl saw over time (when a repository first appeared, the ones that went away, addresses
  that changed), which the tracking of announced code openings reads.

:data:`MIGRATIONS` is append-only: the database is versioned by ``PRAGMA user_version`` and
migrated forward when opened for writing. No ``;`` inside a statement (migrations are split
on it).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, fields
from typing import Any

from inventory.catalogue.archive import ArchiveStatus
from inventory.catalogue.health import HealthSignals
from inventory.catalogue.publiccode import Publiccode
from inventory.model import Level, Organisation, Problem, Repository

REPO_FIELDS = [f.name for f in fields(Repository) if f.name != "stale_since"]
ORG_FIELDS = [f.name for f in fields(Organisation)]

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

MIGRATIONS: tuple[str, ...] = (
    # 1: the initial schema.
    """
    CREATE TABLE repositories (
        id TEXT PRIMARY KEY,
        target TEXT NOT NULL,
        name TEXT NOT NULL,
        organization_name TEXT NOT NULL,
        platform TEXT NOT NULL,
        repository_url TEXT NOT NULL,
        forge TEXT NOT NULL,
        description TEXT,
        default_branch TEXT,
        is_fork INTEGER,
        is_archived INTEGER,
        creation_date TEXT,
        last_update TEXT,
        last_modification TEXT,
        homepage TEXT,
        stars_count INTEGER,
        forks_count INTEGER,
        license TEXT,
        open_issues_count INTEGER,
        language TEXT,
        topics TEXT NOT NULL DEFAULT '[]',
        pso_id TEXT,
        stale_since TEXT
    );
    CREATE INDEX repositories_target ON repositories(target);
    CREATE TABLE organisations (
        target TEXT NOT NULL,
        login TEXT NOT NULL,
        platform TEXT NOT NULL,
        forge TEXT NOT NULL,
        name TEXT,
        description TEXT,
        organization_url TEXT,
        website TEXT,
        avatar_url TEXT,
        repositories_count INTEGER,
        creation_date TEXT,
        pso_id TEXT,
        floss_policy TEXT,
        ospo_url TEXT,
        PRIMARY KEY (target, login)
    );
    CREATE TABLE owners (
        target TEXT PRIMARY KEY,
        host TEXT NOT NULL,
        owner TEXT,
        forge TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
        last_attempt TEXT NOT NULL,
        last_success TEXT,
        last_error TEXT,
        stale_since TEXT,
        renamed_to TEXT
    );
    CREATE TABLE etags (
        url TEXT PRIMARY KEY,
        etag TEXT NOT NULL,
        body BLOB NOT NULL,
        headers TEXT NOT NULL DEFAULT '{}'
    );
    CREATE TABLE rounds (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        scope TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT
    );
    """,
    # 2: Software Heritage statuses and repository health signals.
    SWH_STATUS + ";" + REPOSITORY_HEALTH,
    # 3: repositories held after a suspect drop of their owner's listing.
    "ALTER TABLE repositories ADD COLUMN held_since TEXT",
    # 4: the licence as the forge gave it, beside its SPDX identifier.
    "ALTER TABLE repositories ADD COLUMN license_original TEXT",
    # 5: what an adapter remembers about listing an owner (GitHub's GraphQL page size).
    "ALTER TABLE owners ADD COLUMN listing_hint TEXT",
    # 6: what the crawl saw over time: when each repository first appeared, the repositories
    # that went away (kept with their dates), and repository addresses that changed.
    """
    ALTER TABLE repositories ADD COLUMN first_seen TEXT;
    CREATE TABLE departed_repositories (
        id TEXT PRIMARY KEY,
        target TEXT NOT NULL,
        repository_url TEXT NOT NULL,
        name TEXT NOT NULL,
        organization_name TEXT NOT NULL,
        platform TEXT NOT NULL,
        forge TEXT NOT NULL,
        is_fork INTEGER,
        creation_date TEXT,
        first_seen TEXT,
        departed_at TEXT NOT NULL
    );
    CREATE TABLE repository_moves (
        old_url TEXT PRIMARY KEY,
        new_url TEXT NOT NULL,
        repository_id TEXT NOT NULL,
        moved_at TEXT NOT NULL
    )
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)


# --- repositories ---------------------------------------------------------------------------


def repo_row(repo: Repository, target: str) -> tuple[Any, ...]:
    values: list[Any] = [repo.id, target]
    for name in REPO_FIELDS[1:]:
        value = getattr(repo, name)
        if name == "topics":
            value = json.dumps(list(value), ensure_ascii=False)
        values.append(value)
    return tuple(values)


def repo_from_row(row: sqlite3.Row) -> Repository:
    data = {name: row[name] for name in REPO_FIELDS}
    data["topics"] = tuple(json.loads(row["topics"] or "[]"))
    for flag in ("is_fork", "is_archived"):
        data[flag] = None if data[flag] is None else bool(data[flag])
    return Repository(**data, stale_since=row["stale_since"])


# --- repository health --------------------------------------------------------------------


HEALTH_TABLE = "repository_health"

HEALTH_COLUMNS: tuple[str, ...] = (
    "repository_id",
    "repo_last_update",
    "checked_at",
    "has_readme",
    "has_license",
    "has_contributing",
    "has_changelog",
    "has_publiccode",
    "publiccode",
    "error",
)

#: ``INSERT OR REPLACE`` of one row, in :data:`HEALTH_COLUMNS` order.
HEALTH_UPSERT = (
    f"INSERT OR REPLACE INTO {HEALTH_TABLE} ({', '.join(HEALTH_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in HEALTH_COLUMNS)})"
)


def publiccode_json(parsed: Publiccode | None) -> str | None:
    if parsed is None:
        return None
    return json.dumps(
        {
            "version": parsed.version,
            "name": parsed.name,
            "url": parsed.url,
            "description": parsed.description,
            "description_language": parsed.description_language,
            "maintenance_type": parsed.maintenance_type,
            "development_status": parsed.development_status,
            "problems": [
                {
                    "field": p.field,
                    "message": p.message,
                    "level": p.level.value,
                    "code": p.code,
                    "line": p.line,
                    "column": p.column,
                }
                for p in parsed.problems
            ],
        },
        ensure_ascii=False,
    )


def publiccode_from_json(text: str | None, shown: str = "publiccode.yml") -> Publiccode | None:
    if not text:
        return None
    data = json.loads(text)
    problems = tuple(
        Problem(
            shown,
            p.get("line"),
            p.get("column"),
            p["field"],
            p["message"],
            Level(p["level"]),
            p["code"],
        )
        for p in data.get("problems", [])
    )
    return Publiccode(
        data.get("version"),
        data.get("name"),
        data.get("url"),
        data.get("description"),
        data.get("description_language"),
        data.get("maintenance_type"),
        data.get("development_status"),
        problems,
    )


def health_values(
    repository_id: str,
    repo_last_update: str | None,
    signals: HealthSignals | None,
    *,
    checked_at: str,
    error: str | None = None,
) -> tuple[Any, ...]:
    """One row in :data:`HEALTH_COLUMNS` order (an error row keeps every signal at 0)."""
    s = signals or HealthSignals()
    return (
        repository_id,
        repo_last_update,
        checked_at,
        int(s.has_readme),
        int(s.has_license),
        int(s.has_contributing),
        int(s.has_changelog),
        int(s.has_publiccode),
        publiccode_json(s.publiccode),
        error,
    )


@dataclass(frozen=True)
class StoredHealth:
    """A stored row: the signals (None for a failed check) and when they were observed."""

    signals: HealthSignals | None
    repo_last_update: str | None
    checked_at: str
    error: str | None


def health_from_row(row: sqlite3.Row) -> StoredHealth:
    signals = None
    if row["error"] is None:
        signals = HealthSignals(
            has_readme=bool(row["has_readme"]),
            has_license=bool(row["has_license"]),
            has_contributing=bool(row["has_contributing"]),
            has_changelog=bool(row["has_changelog"]),
            has_publiccode=bool(row["has_publiccode"]),
            publiccode=publiccode_from_json(row["publiccode"]),
        )
    return StoredHealth(signals, row["repo_last_update"], row["checked_at"], row["error"])


# --- Software Heritage archival status ------------------------------------------------------


def archive_from_row(row: sqlite3.Row) -> ArchiveStatus:
    return ArchiveStatus(
        repository_id=row["repository_id"],
        origin=row["origin"],
        archived=None if row["archived"] is None else bool(row["archived"]),
        last_visit=row["last_visit"],
        visit_status=row["visit_status"],
        snapshot=row["snapshot"],
        checked_at=row["checked_at"],
        repo_last_update=row["repo_last_update"],
        error=row["error"],
    )


ARCHIVE_COLUMNS = (
    "repository_id",
    "origin",
    "archived",
    "last_visit",
    "visit_status",
    "snapshot",
    "checked_at",
    "repo_last_update",
    "error",
)


ARCHIVE_TABLE = "swh_status"

#: ``INSERT OR REPLACE`` of one archival status, in :data:`ARCHIVE_COLUMNS` order.
ARCHIVE_UPSERT = (
    f"INSERT OR REPLACE INTO {ARCHIVE_TABLE} ({', '.join(ARCHIVE_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in ARCHIVE_COLUMNS)})"
)


def archive_values(status: ArchiveStatus) -> tuple[Any, ...]:
    """One row in :data:`ARCHIVE_COLUMNS` order."""
    return (
        status.repository_id,
        status.origin,
        None if status.archived is None else int(status.archived),
        status.last_visit,
        status.visit_status,
        status.snapshot,
        status.checked_at,
        status.repo_last_update,
        status.error,
    )
