"""Reading a spreadsheet (CSV or XLSX) into rows of cells, for ``inventory import``.

This module only reads: it finds the sheet, the encoding and the delimiter, and reports what
it had to guess (:attr:`Sheet.notes`) and the merged cells of a workbook
(:attr:`Sheet.merged`). Which row is the header and what the columns mean is
:mod:`inventory.interchange.importer`'s job; it passes a ``score`` function that tells how
many cells of a row are known column labels, which is how a delimiter or a sheet is recognised.

* CSV: UTF-8 (with or without BOM), else Windows-1252 with a note; ``;``, ``,`` or tab as
  delimiter, chosen as the one under which the header is best recognised.
* XLSX (openpyxl, values of formulas as last computed): the first sheet, or ``--feuille``;
  when the first sheet has no recognised header but another one has, a clear error names it.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from inventory.errors import InventoryError

HEADER_SEARCH_ROWS = 10
DELIMITERS = (";", ",", "\t")
DELIMITER_NAMES = {";": "point-virgule", ",": "virgule", "\t": "tabulation"}
CSV_EXTENSIONS = (".csv", ".txt")
XLSX_EXTENSIONS = (".xlsx", ".xlsm")
OTHER_SPREADSHEETS = (".xls", ".ods", ".numbers")

Score = Callable[[Sequence[Any]], int]


class ImportFileError(InventoryError):
    """The file to import cannot be read as a table at all (nothing is written)."""


@dataclass(frozen=True)
class Merged:
    """A merged range of a workbook (``B3:B5``), with its 1-based bounds."""

    ref: str
    min_row: int
    max_row: int
    min_col: int
    max_col: int


@dataclass(frozen=True)
class Sheet:
    """The rows of the table (``(row number, cells)``, 1-based as the spreadsheet shows)."""

    rows: tuple[tuple[int, tuple[Any, ...]], ...]
    name: str
    notes: tuple[str, ...] = ()
    merged: tuple[Merged, ...] = ()


def _best_score(rows: Sequence[tuple[int, tuple[Any, ...]]], score: Score) -> int:
    return max((score(cells) for _, cells in rows[:HEADER_SEARCH_ROWS]), default=0)


def read_sheet(path: Path, score: Score, *, sheet: str | None = None) -> Sheet:
    """Read ``path`` (CSV or XLSX); ``sheet`` names the workbook's sheet to read."""
    path = Path(path)
    if not path.is_file():
        raise ImportFileError(f"fichier introuvable : {path.as_posix()}")
    suffix = path.suffix.lower()
    if suffix in XLSX_EXTENSIONS:
        return _read_xlsx(path, score, sheet)
    if suffix in CSV_EXTENSIONS:
        if sheet is not None:
            raise ImportFileError(
                f"{path.name} est un fichier CSV : il n'a qu'une feuille, retirez --feuille"
            )
        return _read_csv(path, score)
    if suffix in OTHER_SPREADSHEETS:
        raise ImportFileError(
            f"{path.name} : le format {suffix} n'est pas pris en charge ; enregistrez le "
            "classeur au format .xlsx (Excel) ou .csv depuis votre tableur, puis relancez"
        )
    raise ImportFileError(
        f"{path.name} n'est ni un fichier CSV (.csv) ni un classeur Excel (.xlsx) : "
        "l'import lit seulement ces deux formats"
    )


# --- CSV --------------------------------------------------------------------------------------


def _decode(raw: bytes, name: str) -> tuple[str, list[str]]:
    if raw.startswith(b"PK\x03\x04"):
        raise ImportFileError(
            f"{name} est un classeur (fichier zip) et non un CSV : renommez-le en .xlsx"
        )
    if b"\x00" in raw[:8192]:
        raise ImportFileError(
            f"{name} contient des octets nuls : ce n'est pas un fichier CSV texte "
            "(UTF-16 ou fichier binaire ?) ; enregistrez-le en « CSV UTF-8 » depuis votre tableur"
        )
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            f"{name} : encodage non reconnu (octet 0x{raw[exc.start]:02X} à la position "
            f"{exc.start}) ; enregistrez le fichier en « CSV UTF-8 » depuis votre tableur"
        ) from exc
    note = (
        f"{name} n'est pas en UTF-8 : lu comme Windows-1252 (encodage d'Excel sous Windows) ; "
        "vérifiez les accents des fiches produites"
    )
    return text, [note]


def _parse_csv(text: str, delimiter: str) -> list[tuple[int, tuple[Any, ...]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [(number, tuple(cells)) for number, cells in enumerate(reader, start=1)]


def _read_csv(path: Path, score: Score) -> Sheet:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(f"{path.name} illisible : {exc.strerror}") from exc
    text, notes = _decode(raw, path.name)
    if not text.strip():
        raise ImportFileError(f"{path.name} est vide : aucune ligne à importer")
    candidates = []
    for delimiter in DELIMITERS:
        try:
            rows = _parse_csv(text, delimiter)
        except csv.Error as exc:
            raise ImportFileError(f"{path.name} : CSV mal formé ({exc})") from exc
        candidates.append((_best_score(rows, score), delimiter, rows))
    best, delimiter, rows = max(candidates, key=lambda item: item[0])
    if best and delimiter != ",":
        notes.append(f"séparateur détecté : {DELIMITER_NAMES[delimiter]} « {delimiter} »")
    return Sheet(rows=tuple(rows), name=path.name, notes=tuple(notes))


# --- XLSX -------------------------------------------------------------------------------------


def _sheet_rows(worksheet: Any) -> list[tuple[int, tuple[Any, ...]]]:
    return [
        (number, tuple(cells))
        for number, cells in enumerate(worksheet.iter_rows(values_only=True), start=1)
    ]


def _read_xlsx(path: Path, score: Score, name: str | None) -> Sheet:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    if not zipfile.is_zipfile(path):
        raise ImportFileError(
            f"{path.name} n'est pas un classeur Excel valide (ce n'est pas un fichier .xlsx) : "
            "s'il s'agit d'un CSV, renommez-le en .csv"
        )
    try:
        workbook = openpyxl.load_workbook(path, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ImportFileError(f"{path.name} : classeur illisible ({exc})") from exc
    names = workbook.sheetnames
    listing = ", ".join(f"« {n} »" for n in names)
    if name is not None:
        if name not in names:
            raise ImportFileError(
                f"{path.name} n'a pas de feuille « {name} » ; feuilles du classeur : {listing}"
            )
        worksheet = workbook[name]
    else:
        worksheet = workbook.worksheets[0]
    rows = _sheet_rows(worksheet)
    if name is None and _best_score(rows, score) == 0:
        elsewhere = [
            other.title
            for other in workbook.worksheets[1:]
            if _best_score(_sheet_rows(other), score) > 0
        ]
        if elsewhere:
            raise ImportFileError(
                f"la première feuille « {worksheet.title} » de {path.name} n'a pas l'en-tête "
                f"attendu ; les données semblent être dans la feuille « {elsewhere[0]} » : "
                f'relancez avec --feuille "{elsewhere[0]}" (feuilles du classeur : {listing})'
            )
    merged = tuple(
        Merged(str(r.coord), r.min_row, r.max_row, r.min_col, r.max_col)
        for r in worksheet.merged_cells.ranges
    )
    return Sheet(rows=tuple(rows), name=worksheet.title, merged=merged)
