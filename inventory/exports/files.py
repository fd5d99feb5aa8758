"""Every open-data file, in one list: what it holds, its schema, and what it is made from.

:data:`FILES` is the single registry: ``inventory export`` writes these files, the site offers
them on its « Données » page (in this order, with these descriptions and schemas), and a test
checks that :func:`inventory.exports.publish.render_all` produces exactly them. Adding an export
is one entry here and one renderer there.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Source(enum.Enum):
    """What a file is made from (it is skipped, with a note, when that is missing)."""

    RECORDS = "les fiches d'algorithmes"
    CRAWL = "la base de moissonnage"
    EITHER = "les fiches ou la base de moissonnage"
    HISTORY = "l'historique git des fiches"
    OPENINGS = "feuilles de route (dossier ouvertures/)"


@dataclass(frozen=True)
class OpenDataFile:
    name: str
    description: str  # French, as the « Données » page shows it
    schema: str  # file name in schemas/ (a Table Schema, or the records' JSON Schema)
    source: Source


FILES: tuple[OpenDataFile, ...] = (
    OpenDataFile(
        "algorithmes.json",
        "Toutes les fiches d'algorithmes, avec leur identifiant (JSON).",
        "algorithme.schema.json",
        Source.RECORDS,
    ),
    OpenDataFile(
        "algorithmes.csv",
        "Une ligne par algorithme ; les colonnes reprennent les informations du guide "
        "d'Etalab (CSV).",
        "algorithmes.tableschema.json",
        Source.RECORDS,
    ),
    OpenDataFile(
        "repos.json",
        "Tous les dépôts de code source moissonnés (JSON).",
        "repos.tableschema.json",
        Source.CRAWL,
    ),
    OpenDataFile(
        "repos.csv",
        "Tous les dépôts de code source moissonnés (CSV).",
        "repos.tableschema.json",
        Source.CRAWL,
    ),
    OpenDataFile(
        "organisations.json",
        "Les comptes des organismes publics sur les forges (JSON).",
        "organisations.tableschema.json",
        Source.CRAWL,
    ),
    OpenDataFile(
        "organisations.csv",
        "Les comptes des organismes publics sur les forges (CSV).",
        "organisations.tableschema.json",
        Source.CRAWL,
    ),
    OpenDataFile(
        "liens.json",
        "Les liens entre les algorithmes et les dépôts de leur code source (JSON).",
        "liens.tableschema.json",
        Source.RECORDS,
    ),
    OpenDataFile(
        "liens.csv",
        "Les liens entre les algorithmes et les dépôts de leur code source (CSV).",
        "liens.tableschema.json",
        Source.RECORDS,
    ),
    OpenDataFile(
        "indicateurs.csv",
        "Les indicateurs de transparence de chaque administration (CSV ; définitions sur la "
        "page Indicateurs).",
        "indicateurs.tableschema.json",
        Source.EITHER,
    ),
    OpenDataFile(
        "historique.json",
        "L'historique des fiches : une ligne par modification (date, champ, avant, après, "
        "commit et demande de fusion) (JSON).",
        "historique.tableschema.json",
        Source.HISTORY,
    ),
    OpenDataFile(
        "historique.csv",
        "L'historique des fiches : une ligne par modification (date, champ, avant, après, "
        "commit et demande de fusion) (CSV).",
        "historique.tableschema.json",
        Source.HISTORY,
    ),
    OpenDataFile(
        "ouvertures.json",
        "Les ouvertures de codes sources annoncées dans les feuilles de route ministérielles, "
        "une ligne par engagement, avec son statut (ouvert, ouvert en retard, en retard, à "
        "venir, non suivi) et sa date d'ouverture (JSON).",
        "ouvertures.tableschema.json",
        Source.OPENINGS,
    ),
    OpenDataFile(
        "ouvertures.csv",
        "Les ouvertures de codes sources annoncées dans les feuilles de route ministérielles, "
        "une ligne par engagement, avec son statut et sa date d'ouverture (CSV).",
        "ouvertures.tableschema.json",
        Source.OPENINGS,
    ),
)

BY_NAME: dict[str, OpenDataFile] = {file.name: file for file in FILES}
