"""Open-data exports of the crawl: ``repos.json``/``.csv``, ``organisations.json``/``.csv``.

Columns and their order come from the Table Schemas ``schemas/repos.tableschema.json`` and
``schemas/organisations.tableschema.json`` (one source of truth for the files and their
documentation). CSV: RFC 4180, UTF-8, booleans ``true``/``false``, empty cell for no value,
topics joined with commas. JSON: a list of objects with native types (topics as a list).
Every file is written atomically; without ``force`` an existing file stops the export before
anything is written (:func:`inventory.atomic.write_texts`).
"""

from __future__ import annotations

import csv
import functools
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from inventory.atomic import write_texts
from inventory.model import Organisation, Repository
from inventory.resources import schemas_dir

SCHEMAS = schemas_dir()
REPOS_SCHEMA = SCHEMAS / "repos.tableschema.json"
ORGS_SCHEMA = SCHEMAS / "organisations.tableschema.json"
FILE_NAMES = ("repos.json", "repos.csv", "organisations.json", "organisations.csv")


@functools.cache
def columns(schema_path: Path) -> tuple[str, ...]:
    """The field names of a Table Schema, in order."""
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    return tuple(field["name"] for field in schema["fields"])


def _json_value(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple | list):
        return ",".join(str(item) for item in value)
    return str(value)


def _rows(items: Sequence[Any], names: Sequence[str]) -> list[dict[str, Any]]:
    return [{name: _json_value(getattr(item, name)) for name in names} for item in items]


def to_json(items: Sequence[Any], schema_path: Path) -> str:
    return json.dumps(_rows(items, columns(schema_path)), ensure_ascii=False, indent=2) + "\n"


def to_csv(items: Sequence[Any], schema_path: Path) -> str:
    names = columns(schema_path)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(names)
    for item in items:
        writer.writerow([_csv_value(getattr(item, name)) for name in names])
    return buffer.getvalue()


def _unique_organisations(organisations: Sequence[Organisation]) -> list[Organisation]:
    seen: set[tuple[str, str]] = set()
    result = []
    for org in organisations:
        key = (org.platform, org.login.lower())
        if key not in seen:
            seen.add(key)
            result.append(org)
    return result


def render(
    repositories: Sequence[Repository], organisations: Sequence[Organisation]
) -> dict[str, str]:
    """The four files, by name."""
    orgs = _unique_organisations(organisations)
    texts = (
        to_json(repositories, REPOS_SCHEMA),
        to_csv(repositories, REPOS_SCHEMA),
        to_json(orgs, ORGS_SCHEMA),
        to_csv(orgs, ORGS_SCHEMA),
    )
    return dict(zip(FILE_NAMES, texts, strict=True))


def write_exports(
    repositories: Sequence[Repository],
    organisations: Sequence[Organisation],
    out: Path,
    *,
    force: bool,
) -> list[Path]:
    """Write the four files into ``out`` and return their paths."""
    return write_texts(out, render(repositories, organisations), force=force)
