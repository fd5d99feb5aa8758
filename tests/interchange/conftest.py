"""Fixtures of the contribution tests: a register folder and realistic spreadsheet rows."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

# A recent past date, in French form (never stale, never in the future).
RECENT = date.today() - timedelta(days=30)
RECENT_FR = RECENT.strftime("%d/%m/%Y")


def sheet_row(**overrides: Any) -> dict[str, Any]:
    """One spreadsheet row as an administration would type it (French labels and forms)."""
    row: dict[str, Any] = {
        "Identifiant": "tarification-cantine",
        "Nom de l'administration concernée": "Ville de Nantes",
        "Direction/service porteur": "Direction de l'éducation",
        "Contact au sein de l'administration concernée": "education@mairie-nantes.fr",
        "Date de mise à jour des informations": RECENT_FR,
        "Nom de l'algorithme": "Tarification solidaire de la restauration scolaire",
        "Contexte global": "",
        "Finalité de l'algorithme": "Calculer le tarif du repas selon le quotient familial.",
        "Comment et quand l'algorithme intervient-il dans la prise de décision ?": (
            "Le tarif est calculé automatiquement à l'inscription.\nUn agent peut le revoir."
        ),
        "Niveau d'automatisation de la décision": "Décision entièrement automatisée",
        "Fondements juridiques": (
            "Code de l'éducation, article L131-13 "
            "(https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000032217303) ; "
            "Délibération du conseil municipal"
        ),
        "Nombre de décisions administratives prises par an": "39\u00a0000",
        "Portée de la décision": "Externe",
        "Public concerné par la décision": "Les familles des élèves des écoles publiques.",
        "Données traitées": "Quotient familial ; Composition du foyer",
        "Source des données traitées": "Caf (API particulier) ; La famille",
        "Mode de collecte des données traitées": "Échange de données ; Formulaire en ligne",
        "Type d'algorithme": "Système de règles",
        "Opérations effectuées par l'algorithme": "Le quotient est comparé à 10 tranches.",
        "Ressources connexes": "documentation : Grille tarifaire (https://metropole.nantes.fr/tarifs)",
        "Sigle de l'administration": "",
        "Identifiant de l'administration dans l'Annuaire de l'administration": "",
        "Statut": "En service",
        "Données personnelles": "oui ; oui",
        "Paramètres et pondération": (
            "Quotient familial (pondération : 10 tranches) : Tarif croissant."
        ),
        "Dossier": "ville-de-nantes",
        "Fichier source": "",
    }
    row.update(overrides)
    return row


def hand_header() -> list[str]:
    """The columns an administration types by hand: the guide's, lists in combined form."""
    return list(sheet_row())


def as_cells(rows: list[dict[str, Any]], header: list[str] | None = None) -> list[list[Any]]:
    header = header or hand_header()
    return [header, *([row.get(label, "") for label in header] for row in rows)]


def write_xlsx(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    """A workbook with one sheet per entry, cells as given (openpyxl, as a tableur writes it)."""
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, cells in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in cells:
            sheet.append(row)
    workbook.save(path)
    return path


@pytest.fixture
def register(tmp_path: Path) -> Path:
    path = tmp_path / "algorithms"
    path.mkdir()
    return path
