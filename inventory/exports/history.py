"""The records' history as open data: ``historique.json`` and ``historique.csv``.

One row per change of a record, oldest first:

``algorithme``  the record id (its latest file name);
``date``        when the change reached the branch (ISO 8601);
``commit``      the commit that made it;
``demande_de_fusion``  the number of the merge request its message names (may be empty);
``nature``      creation, modification, deplacement, suppression or plus-ancien-connu;
``champ``       the record's field (empty for a creation, move or removal without change);
``resume``      the change in French (« Donnée ajoutée : Revenus »);
``avant`` / ``apres``  the values as plain text.
"""

from __future__ import annotations

from collections.abc import Mapping

from inventory.exports.rows import rows_csv, rows_json
from inventory.insights.history import RegisterHistory, Version, merge_request

COLUMNS = (
    "algorithme",
    "date",
    "commit",
    "demande_de_fusion",
    "nature",
    "champ",
    "resume",
    "avant",
    "apres",
)
JSON_NAME = "historique.json"
CSV_NAME = "historique.csv"

_WHOLE: Mapping[str, str] = {
    "creation": "Fiche créée",
    "modification": "Fiche modifiée",
    "deplacement": "Fiche déplacée ou renommée",
    "suppression": "Fiche supprimée",
    "plus-ancien-connu": "Plus ancienne version connue",
}


def _whole(version: Version) -> str:
    text = _WHOLE.get(version.kind, version.kind)
    if version.kind == "deplacement" and version.previous_path:
        text += f" : {version.previous_path} → {version.path}"
    if version.problem:
        text += f" (version illisible : {version.problem})"
    return text


def history_rows(history: RegisterHistory, repo_url: str = "") -> list[dict[str, str]]:
    """The rows (see the module docstring), by date then record."""
    rows: list[dict[str, str]] = []
    for record in history.records:
        for version in record.versions:
            common = {
                "algorithme": record.record_id,
                "date": version.date,
                "commit": version.sha,
                "demande_de_fusion": merge_request(version.message, repo_url) if repo_url else "",
                "nature": version.kind,
            }
            if version.kind != "modification" or not version.changes:
                rows.append(
                    {**common, "champ": "", "resume": _whole(version), "avant": "", "apres": ""}
                )
            for change in version.changes:
                rows.append(
                    {
                        **common,
                        "champ": change.field,
                        "resume": change.summary,
                        "avant": change.before,
                        "apres": change.after,
                    }
                )
    rows.sort(key=lambda row: (row["date"], row["algorithme"]))
    return rows


def render(history: RegisterHistory, repo_url: str = "") -> dict[str, str]:
    """The two files, by name."""
    rows = history_rows(history, repo_url)
    return {JSON_NAME: rows_json(rows), CSV_NAME: rows_csv(rows, COLUMNS)}
