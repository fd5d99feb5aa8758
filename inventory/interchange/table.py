"""The Etalab inventory as a table: its columns, as the CSV export writes them and the
spreadsheet import reads them back.

The CSV header uses the Etalab guide's item labels, in the guide's order (its three
"Ressources connexes" items merged into one column, as in the records), preceded by the
record's identifier and followed by the fields the guide does not name (the item keys of
lists beyond the guide's one column among them). :data:`CSV_COLUMNS`
is the single definition of that header (a later import reads the same columns back).

A list field is written as one column per item key (``Données traitées``, ``Source des données
traitées``…; ``Fondements juridiques`` and ``Adresse des fondements juridiques``…), the items
joined by :data:`LIST_SEPARATOR` in the same order in every column of the list, an absent
value kept as an empty slot: positions line up, so the import puts every value back in its
item (:data:`LIST_GROUPS`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from inventory.interchange.rights import mention_text
from inventory.model import Record
from inventory.register.records import as_json

LIST_SEPARATOR = " ; "
#: Escape character of list items: `` ;`` inside an item is written `` \;`` and ``\`` as ``\\``,
#: so that only :data:`LIST_SEPARATOR` separates items (see :func:`escape_item`).
ESCAPE = "\\"

#: The list fields of a record and their item keys, written as one column each (positional).
LIST_GROUPS: dict[str, tuple[str, ...]] = {
    "fondements_juridiques": ("titre", "url"),
    "donnees": ("nom", "source", "mode_collecte", "donnees_personnelles"),
    "parametres": ("nom", "ponderation", "description"),
    "ressources": ("url", "type", "titre"),
}


class CsvColumn(NamedTuple):
    """One CSV column: its French label, the record field it holds, how to render it."""

    label: str
    key: str
    extract: Callable[[Record], str]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    return str(value)


def _field(*keys: str) -> Callable[[Record], str]:
    def extract(record: Record) -> str:
        value: Any = as_json(record.data)
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        return _text(value)

    return extract


def escape_item(text: str) -> str:
    """An item's text for a joined list: ``\\`` doubled, then every `` ;`` written `` \\;``.

    French typography writes `` ; `` inside sentences; escaped, it can never be taken for the
    separator, whatever the item holds (an item ending with `` ;`` included).
    :func:`inventory.interchange.importer.unescape_item` reads it back exactly.
    """
    return text.replace(ESCAPE, ESCAPE * 2).replace(" ;", " " + ESCAPE + ";")


def _item(value: Any) -> str:
    return escape_item(_text(value))


def _items(record: Record, key: str) -> list[dict[str, Any]]:
    value = record.data.get(key)
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _each(key: str, sub: str) -> Callable[[Record], str]:
    """One value per list item, in order, kept aligned (an absent value is left empty)."""

    def extract(record: Record) -> str:
        return LIST_SEPARATOR.join(_item(item.get(sub)) for item in _items(record, key))

    return extract


CSV_COLUMNS: tuple[CsvColumn, ...] = (
    CsvColumn("Identifiant", "id", lambda record: record.id),
    # The Etalab guide's items, in its order: the administration...
    CsvColumn(
        "Nom de l'administration concernée", "administration.nom", _field("administration", "nom")
    ),
    CsvColumn(
        "Direction/service porteur",
        "administration.direction",
        _field("administration", "direction"),
    ),
    CsvColumn("Contact au sein de l'administration concernée", "contact", _field("contact")),
    CsvColumn(
        "Date de mise à jour des informations", "date_mise_a_jour", _field("date_mise_a_jour")
    ),
    # ... the algorithm and the decision...
    CsvColumn("Nom de l'algorithme", "nom", _field("nom")),
    CsvColumn("Contexte global", "contexte", _field("contexte")),
    CsvColumn("Finalité de l'algorithme", "finalite", _field("finalite")),
    CsvColumn(
        "Comment et quand l'algorithme intervient-il dans la prise de décision ?",
        "intervention_dans_la_decision",
        _field("intervention_dans_la_decision"),
    ),
    CsvColumn(
        "Niveau d'automatisation de la décision",
        "niveau_automatisation",
        _field("niveau_automatisation"),
    ),
    CsvColumn(
        "Fondements juridiques",
        "fondements_juridiques[].titre",
        _each("fondements_juridiques", "titre"),
    ),
    # ... the decision's impact...
    CsvColumn(
        "Nombre de décisions administratives prises par an",
        "decisions_par_an",
        _field("decisions_par_an"),
    ),
    CsvColumn("Portée de la décision", "portee_decision", _field("portee_decision")),
    CsvColumn("Public concerné par la décision", "public_concerne", _field("public_concerne")),
    # ... and the algorithm's inner working.
    CsvColumn("Données traitées", "donnees[].nom", _each("donnees", "nom")),
    CsvColumn("Source des données traitées", "donnees[].source", _each("donnees", "source")),
    CsvColumn(
        "Mode de collecte des données traitées",
        "donnees[].mode_collecte",
        _each("donnees", "mode_collecte"),
    ),
    CsvColumn("Type d'algorithme", "type_algorithme", _field("type_algorithme")),
    CsvColumn("Opérations effectuées par l'algorithme", "operations", _field("operations")),
    CsvColumn("Ressources connexes", "ressources[].url", _each("ressources", "url")),
    # Fields the guide does not name.
    CsvColumn(
        "Sigle de l'administration", "administration.sigle", _field("administration", "sigle")
    ),
    CsvColumn(
        "Identifiant de l'administration dans l'Annuaire de l'administration",
        "administration.pso_id",
        _field("administration", "pso_id"),
    ),
    CsvColumn("Statut", "statut", _field("statut")),
    CsvColumn(
        "Adresse des fondements juridiques",
        "fondements_juridiques[].url",
        _each("fondements_juridiques", "url"),
    ),
    CsvColumn("Type des ressources connexes", "ressources[].type", _each("ressources", "type")),
    CsvColumn("Titre des ressources connexes", "ressources[].titre", _each("ressources", "titre")),
    CsvColumn(
        "Données personnelles",
        "donnees[].donnees_personnelles",
        _each("donnees", "donnees_personnelles"),
    ),
    CsvColumn("Paramètres", "parametres[].nom", _each("parametres", "nom")),
    CsvColumn(
        "Pondération des paramètres",
        "parametres[].ponderation",
        _each("parametres", "ponderation"),
    ),
    CsvColumn(
        "Description des paramètres",
        "parametres[].description",
        _each("parametres", "description"),
    ),
    CsvColumn("Dossier", "dossier", lambda record: record.folder),
    CsvColumn("Fichier source", "fichier", lambda record: record.source_file),
    CsvColumn("Mention explicite", "mention", mention_text),  # informative: never imported
)


def csv_header() -> list[str]:
    return [column.label for column in CSV_COLUMNS]
