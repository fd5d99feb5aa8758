"""Rows of the ``repository_health`` table: how signals are written and read back.

Shared by the crawl store (which commits the signals observed during a crawl with the
listing they belong to) and by ``inventory health`` (:mod:`inventory.catalogue.health_pass`, the
standalone pass), so both write the same row for the same observation.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from inventory.catalogue.health import HealthSignals
from inventory.catalogue.publiccode import Publiccode
from inventory.model import Level, Problem

TABLE = "repository_health"

COLUMNS: tuple[str, ...] = (
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

#: ``INSERT OR REPLACE`` of one row, in :data:`COLUMNS` order.
UPSERT = (
    f"INSERT OR REPLACE INTO {TABLE} ({', '.join(COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in COLUMNS)})"
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
                {"field": p.field, "message": p.message, "level": p.level.value, "code": p.code}
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
        Problem(shown, None, None, p["field"], p["message"], Level(p["level"]), p["code"])
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


def values(
    repository_id: str,
    repo_last_update: str | None,
    signals: HealthSignals | None,
    *,
    checked_at: str,
    error: str | None = None,
) -> tuple[Any, ...]:
    """One row in :data:`COLUMNS` order (an error row keeps every signal at 0)."""
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


def from_row(row: sqlite3.Row) -> StoredHealth:
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
