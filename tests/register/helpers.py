"""Valid algorithm records for the tests, written into temporary registers.

The tests never depend on the seeded ``algorithms/`` folder: every record is built here.
"""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import yaml

# The date the tests treat as today (``check_paths(..., today=TODAY)``).
TODAY = date(2026, 6, 15)

VALID: dict[str, Any] = {
    "nom": "Calcul des droits à la prime d'activité",
    "administration": {
        "nom": "Caisse nationale des allocations familiales",
        "sigle": "CNAF",
        "direction": "Direction des politiques familiale et sociale",
        "pso_id": "3a3f6c12-8c4e-4f1b-9d3a-1b2c3d4e5f60",
    },
    "contact": "mailto:algorithmes@exemple.fr",
    "date_mise_a_jour": date(2026, 3, 1),
    "statut": "en_service",
    "contexte": "La prime d'activité complète les revenus d'activité modestes.",
    "finalite": "Calculer le montant **mensuel** de la prime.",
    "intervention_dans_la_decision": "Le montant calculé est notifié sans intervention d'un agent.",
    "niveau_automatisation": "decision_entierement_automatisee",
    "fondements_juridiques": [
        {
            "titre": "Article L842-3 du code de la sécurité sociale",
            "url": "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000031087615",
        },
        {"titre": "Article D843-1 du code de la sécurité sociale"},
    ],
    "decisions_par_an": 4500000,
    "portee_decision": "externe",
    "public_concerne": "Les travailleurs aux revenus modestes.",
    "donnees": [
        {
            "nom": "Revenus du foyer",
            "source": "Déclaration trimestrielle de l'allocataire",
            "mode_collecte": "Formulaire en ligne",
            "donnees_personnelles": True,
        },
        {"nom": "Barème", "source": "Décret annuel"},
    ],
    "type_algorithme": "systeme_de_regles",
    "operations": "Application du barème aux ressources du trimestre.",
    "parametres": [{"nom": "Montant forfaitaire", "ponderation": 0.61, "description": "Taux."}],
    "ressources": [
        {"type": "code_source", "url": "https://github.com/exemple/calcul", "titre": "Code"},
        {"type": "formulaire", "url": "https://www.exemple.fr/simulateur"},
    ],
}

# The same record as text, for tests about lines and columns (line numbers matter).
VALID_TEXT = """\
nom: Calcul des droits à la prime d'activité
administration:
  nom: Caisse nationale des allocations familiales
  sigle: CNAF
contact: algorithmes@exemple.fr
date_mise_a_jour: 2026-03-01
statut: en_service
finalite: |
  Calculer le montant de la prime.
intervention_dans_la_decision: Le montant calculé est notifié.
niveau_automatisation: aide_a_la_decision
fondements_juridiques:
  - titre: Article L842-3 du code de la sécurité sociale
    url: https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000031087615
public_concerne: Les travailleurs aux revenus modestes.
donnees:
  - nom: Revenus du foyer
    source: Déclaration de l'allocataire
type_algorithme: systeme_de_regles
operations: Application du barème.
"""


def valid_data(**changes: Any) -> dict[str, Any]:
    """A deep copy of :data:`VALID` with top-level keys replaced (``None`` removes one)."""
    data = copy.deepcopy(VALID)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def write_record(
    register: Path,
    folder: str,
    name: str,
    data: Any = None,
    *,
    text: str | None = None,
    raw: bytes | None = None,
) -> Path:
    """Write ``register/folder/name`` from ``raw`` bytes, ``text`` or ``data`` (default VALID)."""
    path = register / folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if raw is not None:
        path.write_bytes(raw)
    else:
        path.write_text(
            text if text is not None else dump(valid_data() if data is None else data),
            encoding="utf-8",
        )
    return path
