"""``inventory import``: a spreadsheet of algorithms (CSV or XLSX) into record files.

The header is the one ``inventory export`` writes (:data:`inventory.interchange.table.
CSV_COLUMNS`, the Etalab guide's item labels); labels are matched regardless of case,
accents, spacing and punctuation, and a column may also be named by its record key
(``date_mise_a_jour``).

Each row becomes the data of one record: text is kept as written (Markdown), dates in French
form (``15/02/2021``) or ISO form are converted, numbers written with spaces
(``39 000 000``) are read, enumerated values are accepted as codes (``en_service``) or French
labels (``En service``). A list field comes back from the export's positional columns (one
column per item key, items joined by `` ; `` in the same order, an empty slot for an absent
value, `` ;`` and ``\\`` inside a value escaped with ``\\``), or, typed by hand, from the
guide's one-column forms (``titre (url) ; titre2 (url2)``, ``type : titre (url)``, and the
``nom (pondération : …) : …`` of earlier exports). Each record is then checked with the record
schema (:func:`inventory.register.validate.validate_record`) before anything is written.

What an import normalises on purpose: text is trimmed at both ends, multi-line text ends with
one newline (a YAML ``|`` block), and a weighting that reads as a number comes back as one.

Writing policy (documented in CONTRIBUTING.md): the whole file is converted and checked first.
By default nothing is written when any row has an error (the spreadsheet is fixed and the
import run again); with ``partial=True`` (``--ignorer-lignes-invalides``) the valid rows are
written and the others reported. Every file is written atomically, an existing file is only
replaced with ``force``, and an identifier already used elsewhere in the register is refused.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from inventory.atomic import write_text
from inventory.interchange.sheets import ImportFileError, Sheet, read_sheet
from inventory.interchange.table import CSV_COLUMNS, ESCAPE, LIST_GROUPS, LIST_SEPARATOR, CsvColumn
from inventory.model import Level, Record
from inventory.register.emit import dump_record
from inventory.register.fields import by_path
from inventory.register.records import EXTENSIONS, ID_PATTERN, slug
from inventory.register.rules import date_problems
from inventory.register.schema import validate_record
from inventory.suggest import closest

__all__ = [
    "Converted",
    "ImportFileError",
    "ImportReport",
    "RowIssue",
    "convert_sheet",
    "header_score",
    "import_file",
    "normalise_label",
]

# Columns that only describe the exported file: accepted and not imported.
INFORMATIVE_KEYS = frozenset({"fichier", "mention"})
ROW_KEYS = frozenset({"id", "dossier"})
SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007]+")
# Items of a list field are separated by the export's ` ; ` exactly (a ` ;` inside an item is
# exported escaped as ` \;`, see inventory.interchange.table.escape_item).
ITEM_SEPARATOR = LIST_SEPARATOR
_ESCAPED = re.compile(re.escape(ESCAPE) + "([" + re.escape(ESCAPE) + ";])")
LINK = re.compile(r"^(?P<titre>.*?)\s*\((?P<url>https?://\S+)\)$", re.DOTALL)
URL_ONLY = re.compile(r"^https?://\S+$")
RESOURCE = re.compile(r"^(?P<type>[^:\n]+?)\s*:\s*(?P<rest>.*)$", re.DOTALL)
PARAMETER = re.compile(
    r"^(?P<nom>.*?)(?:\s\(pondération\s*:\s*(?P<ponderation>.*?)\))?(?:\s:\s(?P<description>.*))?$",
    re.DOTALL,
)
FRENCH_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.]+)?$")
NUMBER = re.compile(r"^-?\d+(?:[.,]\d+)?$")
TRUE_WORDS = frozenset({"oui", "true", "vrai", "o", "x", "1", "yes"})
FALSE_WORDS = frozenset({"non", "false", "faux", "n", "0", "no"})
HEADER_MIN = 3  # known labels a row needs to be taken for the header (one "Nom" is not enough)
REQUIRED_KEYS = (
    "nom",
    "administration.nom",
    "contact",
    "date_mise_a_jour",
    "statut",
    "finalite",
    "intervention_dans_la_decision",
    "niveau_automatisation",
    "fondements_juridiques[].titre",
    "public_concerne",
    "donnees[].nom",
    "donnees[].source",
    "type_algorithme",
    "operations",
)


# --- results ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowIssue:
    """A problem of one row (``row`` as the spreadsheet numbers it; 0 for the whole file)."""

    row: int
    column: str
    value: str
    message: str
    level: Level = Level.ERROR

    def text(self) -> str:
        where = f"ligne {self.row}" if self.row else "fichier"
        if self.column:
            where += f", colonne « {self.column} »"
        if self.value:
            where += f" (valeur « {_short(self.value)} »)"
        return f"{where} : {self.level.value} : {self.message}"


@dataclass(frozen=True)
class Converted:
    """One row turned into a record: where it goes and its data."""

    row: int
    folder: str
    id: str
    path: Path
    data: Mapping[str, Any]


@dataclass(frozen=True)
class ImportReport:
    """What an import found, converted and wrote."""

    sheet: str
    rows: int
    converted: tuple[Converted, ...]
    issues: tuple[RowIssue, ...]
    notes: tuple[str, ...] = ()
    written: tuple[Path, ...] = ()

    @property
    def errors(self) -> tuple[RowIssue, ...]:
        return tuple(i for i in self.issues if i.level is Level.ERROR)

    @property
    def failed_rows(self) -> tuple[int, ...]:
        return tuple(sorted({i.row for i in self.errors}))

    @property
    def ok(self) -> bool:
        return not self.errors


def _short(value: str, limit: int = 60) -> str:
    text = " ".join(value.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- header -----------------------------------------------------------------------------------


def normalise_label(text: str) -> str:
    """A label without case, accents, spacing or punctuation (``Date de mise à jour`` →
    ``datedemiseajour``)."""
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "", ascii_text.casefold())


#: Columns an import still reads though the export no longer writes them: the combined form
#: of the parameters (``nom (pondération : …) : description ; …``) of earlier exports.
LEGACY_COLUMNS: tuple[CsvColumn, ...] = (
    CsvColumn("Paramètres et pondération", "parametres", lambda record: ""),
)


def _column_names() -> dict[str, CsvColumn]:
    names: dict[str, CsvColumn] = {}
    for column in (*CSV_COLUMNS, *LEGACY_COLUMNS):
        names[normalise_label(column.label)] = column
        names.setdefault(normalise_label(column.key), column)
    return names


COLUMNS_BY_NAME = _column_names()
COLUMN_BY_KEY = {column.key: column for column in (*CSV_COLUMNS, *LEGACY_COLUMNS)}


def header_score(cells: Sequence[Any]) -> int:
    """How many cells of a row are known column labels (0 under :data:`HEADER_MIN`)."""
    score = sum(
        1 for cell in cells if isinstance(cell, str) and normalise_label(cell) in COLUMNS_BY_NAME
    )
    return score if score >= HEADER_MIN else 0


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


@dataclass
class _Header:
    row: int
    columns: dict[int, CsvColumn] = field(default_factory=dict)  # cell index -> column


def _header_row(sheet: Sheet, source: str) -> tuple[int, tuple[Any, ...]]:
    """The header's row number and cells: the first rows' best match of known labels."""
    candidates = [(header_score(cells), number, cells) for number, cells in sheet.rows[:10]]
    score, number, cells = max(candidates, default=(0, 0, ()), key=lambda item: (item[0], -item[1]))
    if score == 0:
        expected = ", ".join(f"« {c.label} »" for c in CSV_COLUMNS[:4])
        raise ImportFileError(
            f"{source} : aucun en-tête reconnu dans les {len(candidates)} premières lignes de la "
            f"feuille « {sheet.name} » ; la première ligne doit reprendre les intitulés de "
            f"l'export (« inventory export ») : {expected}…"
        )
    return number, cells


def _find_header(sheet: Sheet, source: str) -> _Header:
    number, cells = _header_row(sheet, source)
    for merged in sheet.merged:
        if merged.min_row <= number <= merged.max_row:
            raise ImportFileError(
                f"feuille « {sheet.name} » : cellules fusionnées {merged.ref} dans l'en-tête "
                f"(ligne {number}) : défusionnez-les pour qu'une cellule porte un intitulé"
            )
    header = _Header(row=number)
    unknown: list[str] = []
    seen: dict[str, str] = {}
    data_rows = [cells for n, cells in sheet.rows if n > number]
    for index, cell in enumerate(cells):
        if _blank(cell):
            if any(index < len(r) and not _blank(r[index]) for r in data_rows):
                unknown.append(
                    f"la colonne {_letter(index)} n'a pas d'intitulé mais contient des valeurs"
                )
            continue
        column = COLUMNS_BY_NAME.get(normalise_label(str(cell)))
        if column is None:
            suggestion = closest(str(cell), [c.label for c in CSV_COLUMNS])
            hint = f" (vouliez-vous dire « {suggestion} » ?)" if suggestion else ""
            unknown.append(f"colonne inconnue « {_short(str(cell))} »{hint}")
            continue
        if column.key in seen:
            unknown.append(
                f"la colonne « {column.label} » apparaît deux fois (« {seen[column.key]} » et "
                f"« {_short(str(cell))} »)"
            )
            continue
        seen[column.key] = str(cell)
        header.columns[index] = column
    missing = [COLUMN_BY_KEY[key].label for key in REQUIRED_KEYS if key not in seen]
    problems = []
    if missing:
        problems.append(
            "colonnes obligatoires manquantes : " + ", ".join(f"« {m} »" for m in missing)
        )
    problems.extend(unknown)
    if problems:
        raise ImportFileError(
            f"{source}, en-tête (ligne {number}) : "
            + " ; ".join(problems)
            + " : les intitulés attendus sont ceux de l'export CSV (voir CONTRIBUTING.md)"
        )
    return header


# --- cell conversion --------------------------------------------------------------------------


class _CellError(ValueError):
    """A cell that cannot be converted; the message is French."""


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\r\n", "\n").replace("\r", "\n")


def _text(value: Any) -> str:
    """Text as written; multi-line text ends with one newline, like a YAML ``|`` block."""
    text = _cell_text(value).strip()
    return text + "\n" if "\n" in text else text


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _cell_text(value).strip()
    match = FRENCH_DATE.match(text)
    parts: tuple[int, int, int] | None = None
    if match:
        parts = (int(match[3]), int(match[2]), int(match[1]))
    elif match := ISO_DATE.match(text):
        parts = (int(match[1]), int(match[2]), int(match[3]))
    if parts is None:
        raise _CellError("date attendue, au format JJ/MM/AAAA (15/02/2021) ou AAAA-MM-JJ")
    try:
        return date(*parts)
    except ValueError as exc:
        raise _CellError("cette date n'existe pas dans le calendrier") from exc


def _integer(value: Any) -> int:
    if isinstance(value, bool):
        raise _CellError("nombre entier attendu, sans texte")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise _CellError("nombre entier attendu (sans décimales)")
    text = SPACES.sub("", _cell_text(value))
    if re.fullmatch(r"\d+", text):
        return int(text)
    raise _CellError(
        "nombre entier attendu, en chiffres (les espaces entre milliers sont acceptés : 39 000 000)"
    )


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = _cell_text(value).strip().casefold()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise _CellError("« oui » ou « non » attendu")


def _enum(path: str, value: Any) -> str:
    spec = by_path()[path]
    text = _cell_text(value).strip()
    wanted = normalise_label(text)
    for code in spec.enum:
        if (
            normalise_label(code) == wanted
            or normalise_label(spec.label_of.get(code, "")) == wanted
        ):
            return code
    choices = ", ".join(f"{code} ({spec.label_of.get(code, code)})" for code in spec.enum)
    suggestion = closest(text, [*spec.enum, *spec.label_of.values()])
    hint = f" ; vouliez-vous dire « {suggestion} » ?" if suggestion else ""
    raise _CellError(f"valeur inconnue ; valeurs possibles : {choices}{hint}")


def unescape_item(text: str) -> str:
    """The item as it was before :func:`inventory.interchange.table.escape_item`."""
    return _ESCAPED.sub(r"\1", text)


def _items(value: Any) -> list[str]:
    """The items of a joined list cell, in order; an empty slot is an empty string.

    The cell is split before anything is trimmed, so that leading or trailing empty slots
    (`` ; oui``, ``oui ; ``) keep their place.
    """
    text = _cell_text(value)
    if not text.strip():
        return []
    return [unescape_item(part.strip()) for part in text.split(ITEM_SEPARATOR)]


def _ponderation(text: str) -> str | int | float:
    if NUMBER.match(text) and "," not in text:
        number = float(text)
        return int(number) if re.fullmatch(r"-?\d+", text) else number
    return text


def _link(text: str) -> dict[str, str]:
    match = LINK.match(text)
    if match:
        result = {"titre": match["titre"].strip(), "url": match["url"]}
        return {k: v for k, v in result.items() if v}
    if URL_ONLY.match(text):
        return {"url": text}
    return {"titre": text}


def _legal(value: Any) -> list[dict[str, str]]:
    return [_link(item) for item in _items(value)]


def _resources(value: Any) -> list[dict[str, str]]:
    result = []
    for item in _items(value):
        match = RESOURCE.match(item)
        if not match:
            raise _CellError(
                f"ressource « {_short(item)} » : forme attendue « type : titre (adresse) »"
            )
        try:
            kind = _enum("ressources[].type", match["type"])
        except _CellError as exc:
            raise _CellError(f"type de ressource « {match['type']} » : {exc}") from exc
        result.append({"type": kind, **_link(match["rest"].strip())})
    return result


def _parameters(value: Any) -> list[dict[str, Any]]:
    result = []
    for item in _items(value):
        match = PARAMETER.match(item)
        assert match is not None  # every group is optional but the name
        parameter: dict[str, Any] = {"nom": match["nom"].strip()}
        if match["ponderation"] is not None:
            parameter["ponderation"] = _ponderation(match["ponderation"].strip())
        if match["description"]:
            parameter["description"] = _text(match["description"])
        result.append(parameter)
    return result


SCALARS = {
    "date_mise_a_jour": _date,
    "decisions_par_an": _integer,
    "statut": lambda v: _enum("statut", v),
    "niveau_automatisation": lambda v: _enum("niveau_automatisation", v),
    "portee_decision": lambda v: _enum("portee_decision", v),
    "type_algorithme": lambda v: _enum("type_algorithme", v),
}

#: Item values that are not text, by ``liste[].clé`` (the others are text, as written).
ITEM_CONVERTERS: dict[str, Any] = {
    "donnees[].donnees_personnelles": _boolean,
    "parametres[].ponderation": _ponderation,
    "ressources[].type": lambda v: _enum("ressources[].type", v),
}


@dataclass(frozen=True)
class _Combined:
    """A whole list typed in one column (the guide's « titre (adresse) ; … » forms).

    ``column`` holds the combined form when the header lacks ``unless`` (the column of the
    positional form that only an export writes); ``parse`` turns the cell into the items.
    """

    column: str
    unless: str
    parse: Any


COMBINED: dict[str, _Combined] = {
    "fondements_juridiques": _Combined(
        "fondements_juridiques[].titre", "fondements_juridiques[].url", _legal
    ),
    "ressources": _Combined("ressources[].url", "ressources[].type", _resources),
    "parametres": _Combined("parametres", "parametres[].nom", _parameters),
}


# --- rows -------------------------------------------------------------------------------------


@dataclass
class _Row:
    number: int
    cells: dict[str, Any]  # column key -> raw cell value (blank cells left out)
    issues: list[RowIssue] = field(default_factory=list)

    def error(self, key: str, message: str, level: Level = Level.ERROR) -> None:
        column = COLUMN_BY_KEY[key].label if key in COLUMN_BY_KEY else ""
        value = _cell_text(self.cells.get(key, "")) if key else ""
        self.issues.append(RowIssue(self.number, column, value, message, level))


def _set(data: dict[str, Any], key: str, value: Any) -> None:
    if "." in key:
        parent, child = key.split(".", 1)
        data.setdefault(parent, {})[child] = value
    else:
        data[key] = value


def _convert(row: _Row, header_keys: frozenset[str]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, raw in row.cells.items():
        if key in ROW_KEYS or key in INFORMATIVE_KEYS or "[]" in key or key in COMBINED:
            continue
        convert = SCALARS.get(key, _text)
        try:
            _set(data, key, convert(raw))
        except _CellError as exc:
            row.error(key, str(exc))
    for group, keys in LIST_GROUPS.items():
        items = _list(row, group, keys, header_keys)
        if items is not None:
            data[group] = items
    return data


def _list(
    row: _Row, group: str, keys: tuple[str, ...], header_keys: frozenset[str]
) -> list[dict[str, Any]] | None:
    """The items of the list ``group`` (None when the row leaves it empty).

    Written by an export, a list is one column per item key whose values line up by position
    (an empty slot is an absent value); typed by hand, it may be one column in the guide's
    combined form (:data:`COMBINED`).
    """
    combined = COMBINED.get(group)
    if (
        combined is not None
        and combined.column in header_keys
        and combined.unless not in header_keys
    ):
        raw = row.cells.get(combined.column)
        if raw is None:
            return None
        try:
            return list(combined.parse(raw))
        except _CellError as exc:
            row.error(combined.column, str(exc))
            return None
    columns = {key: _items(row.cells.get(f"{group}[].{key}")) for key in keys}
    counts = {key: len(values) for key, values in columns.items() if values}
    if not counts:
        return None
    main = f"{group}[].{keys[0]}"
    size = counts.get(keys[0], max(counts.values()))
    for key, count in counts.items():
        if count != size:
            row.error(
                f"{group}[].{key}",
                f"{count} valeur(s) séparée(s) par « ; » pour {size} élément(s) dans la colonne "
                f"« {COLUMN_BY_KEY[main].label} » : une valeur par élément, dans le même ordre "
                "(une case vide entre deux « ; » pour une valeur absente)",
            )
    items: list[dict[str, Any]] = []
    for position in range(size):
        item: dict[str, Any] = {}
        for key, values in columns.items():
            text = values[position] if position < len(values) else ""
            if not text:
                continue
            path = f"{group}[].{key}"
            try:
                item[key] = ITEM_CONVERTERS.get(path, _text)(text)
            except _CellError as exc:
                row.error(path, f"élément n° {position + 1} : {exc}")
        items.append(item)
    return items


def _column_of(field_path: str) -> str:
    """The column key holding a schema field path (``donnees[0].source`` → its column)."""
    general = re.sub(r"\[\d+\]", "[]", field_path)
    group = general.split("[", 1)[0]
    if general in COLUMN_BY_KEY:
        return general
    if group in LIST_GROUPS:  # the list as a whole, or an item: its first column
        return f"{group}[].{LIST_GROUPS[group][0]}"
    for key in (general.split(".", 1)[0], group):
        if key in COLUMN_BY_KEY:
            return key
    if general.startswith("administration"):
        return "administration.nom"
    return ""


def _location(row: _Row, default_folder: str | None) -> tuple[str, str]:
    nom = _cell_text(row.cells.get("nom", "")).strip()
    identifier = _cell_text(row.cells.get("id", "")).strip()
    if not identifier:
        identifier = slug(nom) if nom else ""
    elif not ID_PATTERN.match(identifier):
        row.error(
            "id",
            "identifiant invalide : minuscules sans accent, chiffres et tirets simples "
            f"(par exemple « {slug(identifier)} »)",
        )
    folder = _cell_text(row.cells.get("dossier", "")).strip() or (default_folder or "")
    if not folder:
        administration = row.cells.get("administration.sigle") or row.cells.get(
            "administration.nom"
        )
        folder = slug(_cell_text(administration)) if not _blank(administration) else ""
    if folder and not ID_PATTERN.match(folder):
        row.error(
            "dossier",
            "nom de dossier invalide : minuscules sans accent, chiffres et tirets simples "
            f"(par exemple « {slug(folder)} »)",
        )
    return folder, identifier


def _validate(row: _Row, folder: str, identifier: str, data: dict[str, Any], out: Path) -> None:
    path = out / folder / f"{identifier}.yml"
    record = Record(id=identifier, folder=folder, path=path, data=data, marks={})
    problems = validate_record(record) + date_problems(record, date.today())
    for problem in problems:
        key = _column_of(problem.field)
        row.error(key, problem.message, problem.level)


def _existing_ids(out: Path) -> dict[str, Path]:
    found: dict[str, Path] = {}
    if not out.is_dir():
        return found
    for current, dirs, files in os.walk(out):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.endswith(EXTENSIONS) and not name.startswith("."):
                found.setdefault(Path(name).stem, Path(current, name))
    return found


def _merged_issues(sheet: Sheet, header: _Header) -> tuple[list[RowIssue], set[int]]:
    """Errors for merged ranges (their value sits only in the first cell), and rows touched."""
    issues: list[RowIssue] = []
    rows: set[int] = set()
    for merged in sheet.merged:
        if merged.max_row <= header.row:
            continue  # a title above the header (the header itself is refused earlier)
        column = header.columns.get(merged.min_col - 1)
        label = column.label if column else ""
        for number in range(merged.min_row, merged.max_row + 1):
            rows.add(number)
            issues.append(
                RowIssue(
                    number,
                    label,
                    "",
                    f"cellules fusionnées {merged.ref} : leur valeur n'est lue que dans la "
                    "première cellule ; défusionnez-les et recopiez la valeur sur chaque ligne",
                )
            )
    return issues, rows


def convert_sheet(
    sheet: Sheet, *, out: Path, source: str, default_folder: str | None = None, force: bool = False
) -> ImportReport:
    """Convert and check every row of ``sheet``; write nothing."""
    header = _find_header(sheet, source)
    notes = list(sheet.notes)
    if header.row > 1:
        notes.append(f"en-tête trouvé à la ligne {header.row} : les lignes au-dessus sont ignorées")
    issues, merged_rows = _merged_issues(sheet, header)
    existing = _existing_ids(out)
    header_keys = frozenset(column.key for column in header.columns.values())
    claimed: dict[str, int] = {}
    converted: list[Converted] = []
    count = 0
    for number, cells in sheet.rows:
        if number <= header.row:
            continue
        values = {
            column.key: cells[index]
            for index, column in header.columns.items()
            if index < len(cells) and not _blank(cells[index])
        }
        if not values:
            notes.append(f"ligne {number} vide : ignorée")
            continue
        count += 1
        row = _Row(number, values)
        data = _convert(row, header_keys)
        folder, identifier = _location(row, default_folder)
        if not identifier:
            row.error("nom", "ni identifiant ni nom d'algorithme : impossible de nommer la fiche")
        if not folder:
            row.error(
                "dossier",
                "dossier inconnu : remplissez la colonne « Dossier » ou donnez "
                "--dossier-par-defaut",
            )
        if identifier and folder:
            _validate(row, folder, identifier, data, out)
            target = out / folder / f"{identifier}.yml"
            if identifier in claimed:
                row.error(
                    "id",
                    f"identifiant « {identifier} » déjà pris par la ligne {claimed[identifier]} "
                    "du fichier : chaque fiche a un identifiant unique",
                )
            claimed.setdefault(identifier, number)
            other = existing.get(identifier)
            if other is not None and os.path.abspath(other) != os.path.abspath(target):
                row.error(
                    "id",
                    f"identifiant « {identifier} » déjà utilisé par {other.as_posix()} : "
                    "chaque identifiant est unique dans tout le registre",
                )
            elif target.exists() and not force:
                row.error(
                    "id",
                    f"le fichier {target.as_posix()} existe déjà : ajoutez --force pour le "
                    "remplacer",
                )
        issues.extend(row.issues)
        failed = any(i.level is Level.ERROR for i in row.issues) or number in merged_rows
        if not failed:
            path = out / folder / f"{identifier}.yml"
            converted.append(Converted(number, folder, identifier, path, data))
    if count == 0:
        issues.append(RowIssue(0, "", "", "aucune ligne de données sous l'en-tête"))
    issues.sort(key=lambda i: (i.row, i.column))
    return ImportReport(
        sheet=sheet.name,
        rows=count,
        converted=tuple(converted),
        issues=tuple(issues),
        notes=tuple(notes),
    )


def import_file(
    path: Path,
    *,
    out: Path,
    default_folder: str | None = None,
    force: bool = False,
    sheet: str | None = None,
    partial: bool = False,
) -> ImportReport:
    """Import ``path`` into the register ``out``; see the module's writing policy."""
    path = Path(path)
    if default_folder is not None and not ID_PATTERN.match(default_folder):
        raise ImportFileError(
            f"--dossier-par-defaut « {default_folder} » invalide : minuscules sans accent, "
            f"chiffres et tirets simples (par exemple « {slug(default_folder)} »)"
        )
    if out.exists() and not out.is_dir():
        raise ImportFileError(f"{out.as_posix()} n'est pas un dossier")
    table = read_sheet(path, header_score, sheet=sheet)
    report = convert_sheet(
        table, out=Path(out), source=path.name, default_folder=default_folder, force=force
    )
    if not report.converted or (report.errors and not partial):
        return report
    written = []
    for item in report.converted:
        write_text(item.path, dump_record(item.data))
        written.append(item.path)
    return ImportReport(
        sheet=report.sheet,
        rows=report.rows,
        converted=report.converted,
        issues=report.issues,
        notes=report.notes,
        written=tuple(written),
    )
