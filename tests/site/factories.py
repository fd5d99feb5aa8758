"""Small known data for the site tests: records, repositories and organisations in memory."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

from inventory.catalogue.snapshot import CatalogueSnapshot
from inventory.model import Organisation, Record, Repository
from inventory.site.sitedata import SiteData

PSO = "2a0a2b5c-3f41-4c5e-9a6b-0123456789ab"

BASE: dict[str, Any] = {
    "nom": "Calcul de l'aide au logement",
    "administration": {
        "nom": "Caisse nationale des allocations familiales",
        "sigle": "Cnaf",
        "direction": "Direction des prestations",
        "pso_id": PSO,
    },
    "contact": "contact@caf.example.fr",
    "date_mise_a_jour": dt.date(2025, 3, 1),
    "statut": "en_service",
    "contexte": "Les aides au logement **dépendent** des ressources.",
    "finalite": "Calculer le montant de l'aide personnalisée au logement.",
    "intervention_dans_la_decision": "Le calcul est automatique.",
    "niveau_automatisation": "decision_entierement_automatisee",
    "fondements_juridiques": [
        {
            "titre": "Code de la construction et de l'habitation, article L821-1",
            "url": "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000038875316",
        }
    ],
    "decisions_par_an": 6500000,
    "portee_decision": "externe",
    "public_concerne": "Les locataires et accédants à la propriété.",
    "donnees": [
        {
            "nom": "Ressources du foyer",
            "source": "Administration fiscale",
            "mode_collecte": "Échange automatisé",
            "donnees_personnelles": True,
        }
    ],
    "type_algorithme": "systeme_de_regles",
    "operations": "Application du barème.",
    "parametres": [{"nom": "Loyer", "ponderation": "plafonné", "description": "Loyer payé."}],
    "ressources": [
        {"type": "code_source", "url": "https://github.com/Example/apl.git", "titre": "Code"},
        {"type": "documentation", "url": "https://www.caf.fr/doc", "titre": "Guide"},
    ],
}


def record_data(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def record(record_id: str, folder: str = "cnaf", **changes: Any) -> Record:
    return Record(
        id=record_id,
        folder=folder,
        path=Path("algorithms", folder, f"{record_id}.yml"),
        data=record_data(**changes),
    )


def repository(name: str, owner: str = "Example", **changes: Any) -> Repository:
    values: dict[str, Any] = {
        "id": f"github.com/{owner}/{name}",
        "name": name,
        "organization_name": owner,
        "platform": "GitHub",
        "repository_url": f"https://github.com/{owner}/{name}",
        "forge": "github",
        "description": f"Dépôt {name}",
        "is_fork": False,
        "is_archived": False,
        "last_update": "2025-05-02T10:00:00Z",
        "stars_count": 3,
        "license": "EUPL-1.2",
        "language": "Python",
        "pso_id": PSO,
    }
    values.update(changes)
    return Repository(**values)


def organisation(login: str = "Example", **changes: Any) -> Organisation:
    values: dict[str, Any] = {
        "login": login,
        "platform": "GitHub",
        "forge": "github",
        "name": "Caisse nationale des allocations familiales",
        "organization_url": f"https://github.com/{login}",
        "pso_id": PSO,
    }
    values.update(changes)
    return Organisation(**values)


def site(
    records: tuple[Record, ...],
    repositories: tuple[Repository, ...] = (),
    organisations: tuple[Organisation, ...] = (),
    *,
    crawled: bool | None = None,
) -> SiteData:
    return SiteData(
        records=records,
        catalogue=CatalogueSnapshot(repositories=repositories, organisations=organisations),
        crawled=bool(repositories or organisations) if crawled is None else crawled,
        generated_at="2025-06-01T12:00:00+00:00",
        repo_url="https://git.example.org/registre",
        branch="main",
    )


XSS_TEXT = "<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))"
XSS_URL = "javascript:alert(1)"


def hostile_record() -> Record:
    """Attack strings in every text field and every URL."""
    return record(
        "hostile",
        folder="hostile",
        nom=XSS_TEXT,
        administration={"nom": XSS_TEXT, "sigle": XSS_TEXT, "direction": XSS_TEXT},
        contact=XSS_URL,
        contexte=XSS_TEXT,
        finalite=XSS_TEXT,
        intervention_dans_la_decision=XSS_TEXT,
        fondements_juridiques=[{"titre": XSS_TEXT, "url": XSS_URL}],
        public_concerne=XSS_TEXT,
        donnees=[
            {
                "nom": XSS_TEXT,
                "source": XSS_TEXT,
                "mode_collecte": XSS_TEXT,
                "donnees_personnelles": False,
            }
        ],
        operations=XSS_TEXT,
        parametres=[{"nom": XSS_TEXT, "ponderation": XSS_TEXT, "description": XSS_TEXT}],
        ressources=[
            {"type": "code_source", "url": XSS_URL, "titre": XSS_TEXT},
            {
                "type": "autre",
                "url": 'https://ok.example.fr/"><script>alert(1)</script>',
                "titre": XSS_TEXT,
            },
        ],
    )
