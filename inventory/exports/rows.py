"""Rows of text cells as the two open-data formats: a JSON list of objects and a CSV file."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence


def rows_json(rows: Sequence[Mapping[str, str]]) -> str:
    """The rows as a JSON list of objects (UTF-8 text, indented)."""
    return json.dumps(list(rows), ensure_ascii=False, indent=2) + "\n"


def rows_csv(rows: Sequence[Mapping[str, str]], columns: Sequence[str]) -> str:
    """The rows as CSV, header first, in the order of ``columns``."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()
