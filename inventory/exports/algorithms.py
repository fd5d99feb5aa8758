"""The algorithm register as open data: ``algorithmes.json`` and ``algorithmes.csv``.

The CSV's columns are the Etalab inventory table's (:data:`inventory.interchange.table.
CSV_COLUMNS`), which ``inventory import`` reads back; the JSON holds every record as written,
with its identifier, folder and source file, dates as ISO strings.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path

from inventory.atomic import write_texts
from inventory.interchange.rights import mention_text
from inventory.interchange.table import CSV_COLUMNS, csv_header
from inventory.model import Record
from inventory.register.records import as_json

JSON_NAME = "algorithmes.json"
CSV_NAME = "algorithmes.csv"


def _ordered(records: Sequence[Record]) -> list[Record]:
    return sorted(records, key=lambda r: (r.id, r.folder, r.path.as_posix()))


def algorithms_json(records: Sequence[Record]) -> str:
    """Every record with its identifier, folder and source file, its fields (dates as ISO
    strings) and the explicit mention generated from it (``mention``)."""
    rows = [
        {
            "id": r.id,
            "dossier": r.folder,
            "fichier": r.source_file,
            **as_json(r.data),
            "mention": mention_text(r),
        }
        for r in _ordered(records)
    ]
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def algorithms_csv(records: Sequence[Record]) -> str:
    """One row per record under the table's header (RFC 4180, UTF-8)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(csv_header())
    for record in _ordered(records):
        writer.writerow([column.extract(record) for column in CSV_COLUMNS])
    return buffer.getvalue()


def render(records: Sequence[Record]) -> dict[str, str]:
    """The two files, by name."""
    return {JSON_NAME: algorithms_json(records), CSV_NAME: algorithms_csv(records)}


def export_algorithms(records: Sequence[Record], out: Path, *, force: bool) -> list[Path]:
    """Write ``algorithmes.json`` and ``algorithmes.csv`` into ``out``; return their paths.

    Without ``force``, an existing file stops the export before anything is written.
    """
    return write_texts(out, render(records), force=force)
