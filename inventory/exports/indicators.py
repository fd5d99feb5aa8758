"""The transparency indicators as open data: ``indicateurs.csv``.

One row per administration (:mod:`inventory.insights.indicators` defines every column):
``administration, slug, pso_id`` then, per indicator, its code (a count, or a ratio in
[0, 1] with 4 decimals) and, for a share, ``<code>_nombre`` (its numerator).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from inventory.insights.indicators import INDICATORS, Row, Share

CSV_NAME = "indicateurs.csv"


def csv_header() -> list[str]:
    """``administration, slug, pso_id`` then, per indicator, its code (a count or a ratio
    in [0, 1] with 4 decimals) and, for a share, ``<code>_nombre`` (its numerator)."""
    header = ["administration", "slug", "pso_id"]
    for indicator in INDICATORS:
        header.append(indicator.code)
        if indicator.is_share:
            header.append(f"{indicator.code}_nombre")
    return header


def _csv_cells(row: Row) -> list[str]:
    cells = [row.name, row.slug, row.pso_id]
    for indicator in INDICATORS:
        value = row.values.get(indicator.code)
        if indicator.is_share:
            if isinstance(value, Share):
                cells += [f"{value.ratio:.4f}", str(value.numerator)]
            else:
                cells += ["", ""]
        else:
            cells.append("" if value is None else str(value))
    return cells


def to_csv(rows: Sequence[Row]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(csv_header())
    for row in rows:
        writer.writerow(_csv_cells(row))
    return buffer.getvalue()


def render(rows: Sequence[Row]) -> dict[str, str]:
    """The file, by name."""
    return {CSV_NAME: to_csv(rows)}
