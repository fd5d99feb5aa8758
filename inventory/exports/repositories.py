"""Open-data exports of the crawl: ``repos.json``/``.csv``, ``organisations.json``/``.csv``.

Columns and their order come from the Table Schemas ``schemas/repos.tableschema.json`` and
``schemas/organisations.tableschema.json`` (one source of truth for the files and their
documentation). CSV: RFC 4180, UTF-8, booleans ``true``/``false``, empty cell for no value,
topics joined with commas. JSON: a list of objects with native types (topics as a list).
Every file is written atomically; without ``force`` an existing file stops the export before
anything is written.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from inventory.atomic import write_text
from inventory.errors import ExportError
from inventory.interchange.table import ensure_writable
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


def repository_targets(out: Path) -> list[Path]:
    """The files :func:`export_repositories` writes into ``out``."""
    return [Path(out) / name for name in FILE_NAMES]


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


def write_exports(
    repositories: Sequence[Repository],
    organisations: Sequence[Organisation],
    out: Path,
    *,
    force: bool,
) -> list[Path]:
    """Write the four files into ``out`` and return their paths."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out} n'est pas un dossier : impossible d'y écrire les exports")
    targets = repository_targets(out)
    ensure_writable(targets, force=force)
    orgs = _unique_organisations(organisations)
    contents = [
        to_json(repositories, REPOS_SCHEMA),
        to_csv(repositories, REPOS_SCHEMA),
        to_json(orgs, ORGS_SCHEMA),
        to_csv(orgs, ORGS_SCHEMA),
    ]
    for target, text in zip(targets, contents, strict=True):
        write_text(target, text)
    return targets


def export_repositories(store: Any, out: Path, *, force: bool = False) -> list[Path]:
    """Export the repositories and organisations of ``store`` (a :class:`Store`)."""
    return write_exports(store.repositories(), store.organisations(), out, force=force)
