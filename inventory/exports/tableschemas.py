"""Table Schemas of the exports made from code definitions, so that they cannot drift.

``algorithmes.tableschema.json`` (from the table's columns and the record schema's French
descriptions), ``liens.tableschema.json`` and ``indicateurs.tableschema.json`` (from the
indicators' definitions) are generated here and committed in ``schemas/``;
``tests/exports/test_tableschemas.py`` fails when a committed file differs from what this
module generates. To regenerate them after a change::

    python -m inventory.exports.tableschemas
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from inventory.atomic import write_text
from inventory.exports import history, links, openings
from inventory.exports.indicators import csv_header as indicator_columns
from inventory.insights.indicators import INDICATORS
from inventory.interchange.table import CSV_COLUMNS, LIST_GROUPS, LIST_SEPARATOR
from inventory.register.fields import Field, by_path
from inventory.resources import SOURCE_SCHEMAS

TABLE_SCHEMA = "https://specs.frictionlessdata.io/schemas/table-schema.json"

_EXTRA_COLUMNS: Mapping[str, tuple[str, str]] = {
    "id": ("Identifiant", "Identifiant de la fiche : le nom de son fichier, sans « .yml »."),
    "dossier": ("Dossier", "Dossier de la fiche dans le registre (algorithms/<dossier>/)."),
    "fichier": ("Fichier source", "Chemin du fichier YAML de la fiche dans le registre."),
}

_LIST_NOTE = (
    "Une valeur par élément de la liste, séparées par « ; » dans le même ordre que les autres "
    "colonnes de la liste ; une case vide entre deux séparateurs pour une valeur absente ; "
    "« ; » et « \\ » à l'intérieur d'une valeur sont écrits « \\; » et « \\\\ »."
)


def _type(field: Field | None, key: str) -> str:
    if "[]" in key:
        return "string"  # joined lists are text
    if field is None:
        return "string"
    if key == "date_mise_a_jour":
        return "date"
    return {"integer": "integer", "number": "number"}.get(field.kind, "string")


def _algorithm_field(label: str, key: str, fields: Mapping[str, Field]) -> dict[str, Any]:
    if key in _EXTRA_COLUMNS:
        title, description = _EXTRA_COLUMNS[key]
        result: dict[str, Any] = {"name": label, "title": title, "description": description}
        result["type"] = "string"
        result["constraints"] = {"required": True}
        return result
    field = fields.get(key)
    description = field.description if field is not None else ""
    if "[]" in key:
        group = key.split("[]", 1)[0]
        assert group in LIST_GROUPS, key
        description = f"{description} {_LIST_NOTE}".strip()
    if field is not None and field.enum:
        codes = ", ".join(f"{code} ({field.label_of.get(code, code)})" for code in field.enum)
        description = f"{description} Valeurs : {codes}.".strip()
    result = {"name": label, "title": field.title if field else label}
    result["description"] = description
    result["type"] = _type(field, key)
    if field is not None and field.required and "[]" not in key and "." not in key:
        result["constraints"] = {"required": True}
    return result


def algorithms_schema() -> dict[str, Any]:
    fields = by_path()
    return {
        "$schema": TABLE_SCHEMA,
        "name": "algorithmes",
        "title": "Inventaire des algorithmes publics",
        "description": (
            "Une ligne par fiche d'algorithme (modèle d'inventaire d'Etalab). Les colonnes "
            "reprennent les rubriques du guide d'Etalab, dans son ordre, puis les champs qu'il "
            f"ne nomme pas. Les listes sont écrites en colonnes alignées, séparées par "
            f"« {LIST_SEPARATOR.strip()} » : « inventory import » relit ce fichier sans perte."
        ),
        "fields": [_algorithm_field(c.label, c.key, fields) for c in CSV_COLUMNS],
        "missingValues": [""],
    }


_LINK_FIELDS: Mapping[str, tuple[str, str]] = {
    "algorithme": ("Algorithme", "Identifiant de la fiche (colonne « Identifiant » des fiches)."),
    "algorithme_nom": ("Nom de l'algorithme", "Nom de l'algorithme tel que la fiche le donne."),
    "depot": ("Dépôt", "Identifiant du dépôt (colonne « id » de repos.csv)."),
    "depot_url": ("Adresse du dépôt", "Adresse web du dépôt telle que moissonnée."),
    "url_declaree": (
        "Adresse déclarée",
        "Adresse du code source telle qu'écrite dans la fiche (ressource « code_source »).",
    ),
}


def links_schema() -> dict[str, Any]:
    assert tuple(_LINK_FIELDS) == links.COLUMNS
    return {
        "$schema": TABLE_SCHEMA,
        "name": "liens",
        "title": "Liens entre algorithmes et dépôts de code source",
        "description": (
            "Une ligne par couple (algorithme, dépôt moissonné) : le code source qu'une fiche "
            "déclare, reconnu parmi les dépôts moissonnés (renommages de comptes suivis)."
        ),
        "fields": [
            {
                "name": name,
                "title": title,
                "description": description,
                "type": "string",
                "constraints": {"required": name != "url_declaree"},
            }
            for name, (title, description) in _LINK_FIELDS.items()
        ],
        "missingValues": [""],
    }


def indicators_schema() -> dict[str, Any]:
    fields: list[dict[str, Any]] = [
        {
            "name": "administration",
            "title": "Administration",
            "description": "Nom de l'administration.",
            "type": "string",
            "constraints": {"required": True},
        },
        {
            "name": "slug",
            "title": "Identifiant",
            "description": "Identifiant de la page de l'administration sur le site.",
            "type": "string",
            "constraints": {"required": True},
        },
        {
            "name": "pso_id",
            "title": "Identifiant dans l'Annuaire de l'administration",
            "description": "Identifiant de l'administration dans l'Annuaire (s'il est connu).",
            "type": "string",
        },
    ]
    for indicator in INDICATORS:
        if indicator.is_share:
            fields.append(
                {
                    "name": indicator.code,
                    "title": indicator.label_fr,
                    "description": (
                        f"{indicator.description_fr} Part entre 0 et 1 (4 décimales) ; vide "
                        "quand l'administration n'a pas d'algorithme (sans objet)."
                    ),
                    "type": "number",
                }
            )
            fields.append(
                {
                    "name": f"{indicator.code}_nombre",
                    "title": f"{indicator.label_fr} (nombre)",
                    "description": "Le nombre d'algorithmes que compte la part précédente.",
                    "type": "integer",
                }
            )
        else:
            fields.append(
                {
                    "name": indicator.code,
                    "title": indicator.label_fr,
                    "description": indicator.description_fr,
                    "type": "integer",
                }
            )
    assert [f["name"] for f in fields] == indicator_columns()
    return {
        "$schema": TABLE_SCHEMA,
        "name": "indicateurs",
        "title": "Indicateurs de transparence par administration",
        "description": (
            "Une ligne par administration (fiches et comptes moissonnés réunis) ; les "
            "définitions sont celles de la page Indicateurs du site."
        ),
        "fields": fields,
        "missingValues": [""],
    }


_HISTORY_FIELDS: Mapping[str, tuple[str, str, bool]] = {
    "algorithme": ("Algorithme", "Identifiant de la fiche (le nom de son dernier fichier).", True),
    "date": (
        "Date",
        "Date et heure (ISO 8601) où la modification est arrivée sur la branche publiée.",
        True,
    ),
    "commit": ("Commit", "Identifiant du commit git qui a fait la modification.", True),
    "demande_de_fusion": (
        "Demande de fusion",
        "Numéro de la demande de fusion que nomme le message du commit (vide sinon).",
        False,
    ),
    "nature": (
        "Nature",
        "creation, modification, deplacement (dossier ou nom de fichier), suppression, ou "
        "plus-ancien-connu (première version d'un historique partiel).",
        True,
    ),
    "champ": (
        "Champ",
        "Champ de la fiche modifié (vide pour une création, un déplacement ou une "
        "suppression sans autre changement).",
        False,
    ),
    "resume": ("Résumé", "La modification en français (« Donnée ajoutée : … »).", True),
    "avant": ("Avant", "Valeur avant la modification, en texte.", False),
    "apres": ("Après", "Valeur après la modification, en texte.", False),
}


def history_schema() -> dict[str, Any]:
    assert tuple(_HISTORY_FIELDS) == history.COLUMNS
    return {
        "$schema": TABLE_SCHEMA,
        "name": "historique",
        "title": "Historique des fiches d'algorithmes",
        "description": (
            "Une ligne par modification d'une fiche, lue dans l'historique git du registre "
            "(déplacements et renommages suivis), de la plus ancienne à la plus récente."
        ),
        "fields": [
            {
                "name": name,
                "title": title,
                "description": description,
                "type": "datetime" if name == "date" else "string",
                **({"constraints": {"required": True}} if required else {}),
            }
            for name, (title, description, required) in _HISTORY_FIELDS.items()
        ],
        "missingValues": [""],
    }


def openings_schema() -> dict[str, Any]:
    fields = []
    for name, column in openings.FIELDS.items():
        field: dict[str, Any] = {
            "name": name,
            "title": column.title,
            "description": column.description,
            "type": column.type,
        }
        constraints: dict[str, Any] = {}
        if column.required:
            constraints["required"] = True
        if column.enum:
            constraints["enum"] = list(column.enum)
        if constraints:
            field["constraints"] = constraints
        if column.type == "boolean":
            field["trueValues"], field["falseValues"] = ["true"], ["false"]
        fields.append(field)
    return {
        "$schema": TABLE_SCHEMA,
        "name": "ouvertures",
        "title": "Ouvertures de codes sources annoncées",
        "description": (
            "Une ligne par engagement d'ouverture de code source pris dans une feuille de "
            "route ministérielle, avec son statut calculé d'après le moissonnage des forges à "
            "la date de référence."
        ),
        "fields": fields,
        "primaryKey": "identifiant",
        "missingValues": [""],
    }


GENERATED = {
    "algorithmes.tableschema.json": algorithms_schema,
    "liens.tableschema.json": links_schema,
    "indicateurs.tableschema.json": indicators_schema,
    "historique.tableschema.json": history_schema,
    "ouvertures.tableschema.json": openings_schema,
}


def text_of(name: str) -> str:
    """The generated text of one schema file (JSON, indented, UTF-8, final newline)."""
    return json.dumps(GENERATED[name](), ensure_ascii=False, indent=2) + "\n"


def write(folder: Path = SOURCE_SCHEMAS) -> list[Path]:
    written = []
    for name in GENERATED:
        path = Path(folder) / name
        write_text(path, text_of(name))
        written.append(path)
    return written


if __name__ == "__main__":  # pragma: no cover - a maintainer's command
    for path in write(Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE_SCHEMAS):
        print(f"écrit : {path}")
