"""``inventory import``: a realistic spreadsheet into records, and every bad input reported."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from inventory.cli import main
from inventory.interchange.importer import ImportFileError, import_file, normalise_label
from inventory.interchange.table import csv_header
from inventory.register.records import load_record
from inventory.register.validate import check_paths
from tests.interchange.conftest import RECENT, as_cells, hand_header, sheet_row, write_xlsx


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["import", *args])
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def _second_row() -> dict[str, object]:
    return sheet_row(
        **{
            "Identifiant": "",
            "Nom de l'algorithme": "Attribution des places en crèche",
            "Niveau d'automatisation de la décision": "aide_a_la_decision",
            "Nombre de décisions administratives prises par an": 1200,
            "Date de mise à jour des informations": datetime(RECENT.year, RECENT.month, RECENT.day),
            "Données traitées": "Situation professionnelle des parents",
            "Source des données traitées": "La famille",
            "Mode de collecte des données traitées": "",
            "Données personnelles": "",
            "Paramètres et pondération": "",
            "Ressources connexes": "",
            "Fondements juridiques": "Code de l'action sociale et des familles, article L214-2",
        }
    )


# --- a realistic workbook ---------------------------------------------------------------------


def test_xlsx_rows_become_valid_records_with_converted_values(
    tmp_path: Path, register: Path
) -> None:
    book = write_xlsx(
        tmp_path / "inventaire.xlsx", {"Algorithmes": as_cells([sheet_row(), _second_row()])}
    )
    code, out, err = _run(str(book), "--out", str(register))
    assert code == 0, err
    assert _files(register) == [
        "ville-de-nantes/attribution-des-places-en-creche.yml",
        "ville-de-nantes/tarification-cantine.yml",
    ]
    assert "2 lignes lues, 2 fiches écrites" in out
    result = check_paths([register])
    assert result.ok, [p.message for p in result.problems]
    record, _ = load_record(register / "ville-de-nantes" / "tarification-cantine.yml", register)
    assert record is not None
    data = record.data
    assert data["date_mise_a_jour"] == RECENT  # 15/02/2021 form converted
    assert data["decisions_par_an"] == 39000  # "39 000" with a no-break space
    assert data["niveau_automatisation"] == "decision_entierement_automatisee"  # French label
    assert data["type_algorithme"] == "systeme_de_regles"
    assert data["statut"] == "en_service"
    assert data["portee_decision"] == "externe"
    assert data["fondements_juridiques"] == [
        {
            "titre": "Code de l'éducation, article L131-13",
            "url": "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000032217303",
        },
        {"titre": "Délibération du conseil municipal"},
    ]
    assert data["donnees"] == [
        {
            "nom": "Quotient familial",
            "source": "Caf (API particulier)",
            "mode_collecte": "Échange de données",
            "donnees_personnelles": True,
        },
        {
            "nom": "Composition du foyer",
            "source": "La famille",
            "mode_collecte": "Formulaire en ligne",
            "donnees_personnelles": True,
        },
    ]
    assert data["ressources"] == [
        {
            "type": "documentation",
            "titre": "Grille tarifaire",
            "url": "https://metropole.nantes.fr/tarifs",
        }
    ]
    assert data["parametres"] == [
        {
            "nom": "Quotient familial",
            "ponderation": "10 tranches",
            "description": "Tarif croissant.",
        }
    ]
    assert data["intervention_dans_la_decision"].endswith("Un agent peut le revoir.\n")
    assert "contexte" not in data  # an empty cell is an absent optional field
    # Keys in the guide's order, text as UTF-8 YAML.
    text = (register / "ville-de-nantes" / "tarification-cantine.yml").read_text("utf-8")
    assert text.index("nom:") < text.index("administration:") < text.index("contact:")
    assert "Échange de données" in text
    second, _ = load_record(
        register / "ville-de-nantes" / "attribution-des-places-en-creche.yml", register
    )
    assert second is not None
    assert second.data["decisions_par_an"] == 1200
    assert second.data["date_mise_a_jour"] == RECENT  # a real date cell


def test_header_matching_ignores_case_accents_spacing_and_punctuation(
    tmp_path: Path, register: Path
) -> None:
    header = [
        label.upper().replace("É", "E").replace("'", " ").replace(" ", "  ")
        for label in hand_header()
    ]
    header[5] = "nom de l algorithme"
    assert normalise_label(header[4]) == normalise_label("Date de mise à jour des informations")
    book = write_xlsx(tmp_path / "a.xlsx", {"Feuil1": as_cells([sheet_row()])})
    workbook = openpyxl.load_workbook(book)
    sheet = workbook.active
    for index, label in enumerate(header, start=1):
        sheet.cell(row=1, column=index, value=label)
    workbook.save(book)
    code, _, err = _run(str(book), "--out", str(register))
    assert code == 0, err
    assert _files(register) == ["ville-de-nantes/tarification-cantine.yml"]


def test_title_rows_above_the_header_are_skipped_with_a_note(
    tmp_path: Path, register: Path
) -> None:
    cells = [["Inventaire des algorithmes de la Ville"], [], *as_cells([sheet_row()])]
    book = write_xlsx(tmp_path / "a.xlsx", {"Inventaire": cells})
    code, _, err = _run(str(book), "--out", str(register))
    assert code == 0, err
    assert "en-tête trouvé à la ligne 3" in err


# --- bad input --------------------------------------------------------------------------------


def test_missing_required_columns_are_named_and_nothing_is_written(
    tmp_path: Path, register: Path
) -> None:
    header = [
        h
        for h in csv_header()
        if h not in ("Finalité de l'algorithme", "Statut", "Type d'algorithme")
    ]
    book = write_xlsx(tmp_path / "a.xlsx", {"Feuil1": as_cells([sheet_row()], header)})
    code, _, err = _run(str(book), "--out", str(register))
    assert code == 1
    assert "colonnes obligatoires manquantes" in err
    for label in ("Finalité de l'algorithme", "Statut", "Type d'algorithme"):
        assert f"« {label} »" in err
    assert _files(register) == []


def test_unknown_columns_are_named_with_a_suggestion(tmp_path: Path, register: Path) -> None:
    header = [*csv_header(), "Commentaires internes"]
    header[header.index("Public concerné par la décision")] = "Public concerne par la decison"
    rows = as_cells([sheet_row()], csv_header())
    rows[0] = header
    rows[1].append("à revoir")
    book = write_xlsx(tmp_path / "a.xlsx", {"Feuil1": rows})
    code, _, err = _run(str(book), "--out", str(register))
    assert code == 1
    assert "colonne inconnue « Commentaires internes »" in err
    assert "vouliez-vous dire « Public concerné par la décision » ?" in err
    assert _files(register) == []


def test_values_under_a_column_without_header_are_reported(tmp_path: Path, register: Path) -> None:
    rows = as_cells([sheet_row()])
    rows[0] = [*rows[0], None]
    rows[1] = [*rows[1], "une note perdue"]
    book = write_xlsx(tmp_path / "a.xlsx", {"Feuil1": rows})
    code, _, err = _run(str(book), "--out", str(register))
    assert code == 1
    assert "n'a pas d'intitulé mais contient des valeurs" in err


def test_empty_rows_are_skipped_with_a_note(tmp_path: Path, register: Path) -> None:
    cells = as_cells([sheet_row(), _second_row()])
    cells.insert(2, [None] * len(cells[0]))
    cells.insert(3, ["   "] + [None] * (len(cells[0]) - 1))
    book = write_xlsx(tmp_path / "a.xlsx", {"Feuil1": cells})
    code, out, err = _run(str(book), "--out", str(register))
    assert code == 0, err
    assert "ligne 3 vide : ignorée" in err
    assert "ligne 4 vide : ignorée" in err
    assert "2 lignes lues, 2 fiches écrites" in out


def test_merged_cells_are_reported_and_nothing_is_written(tmp_path: Path, register: Path) -> None:
    second = _second_row()
    second["Nom de l'administration concernée"] = None
    book = write_xlsx(tmp_path / "a.xlsx", {"Feuil1": as_cells([sheet_row(), second])})
    workbook = openpyxl.load_workbook(book)
    workbook.active.merge_cells("B2:B3")  # the administration, typed once for two rows
    workbook.save(book)
    code, _, err = _run(str(book), "--out", str(register))
    assert code == 1
    assert "ligne 2, colonne « Nom de l'administration concernée »" in err
    assert "ligne 3, colonne « Nom de l'administration concernée »" in err
    assert "cellules fusionnées B2:B3" in err
    assert _files(register) == []


def test_merged_header_cells_stop_the_import(tmp_path: Path, register: Path) -> None:
    book = write_xlsx(tmp_path / "a.xlsx", {"Feuil1": as_cells([sheet_row()])})
    workbook = openpyxl.load_workbook(book)
    workbook.active.merge_cells("A1:B1")
    workbook.save(book)
    code, _, err = _run(str(book), "--out", str(register))
    assert code == 1
    assert "cellules fusionnées A1:B1 dans l'en-tête" in err
    assert _files(register) == []


def test_data_on_another_sheet_is_pointed_to_and_read_with_feuille(
    tmp_path: Path, register: Path
) -> None:
    book = write_xlsx(
        tmp_path / "a.xlsx",
        {
            "Mode d'emploi": [["Remplir l'onglet Inventaire"], ["Une ligne par algorithme"]],
            "Inventaire 2024": as_cells([sheet_row()]),
        },
    )
    code, _, err = _run(str(book), "--out", str(register))
    assert code == 1
    assert "la première feuille « Mode d'emploi »" in err
    assert "les données semblent être dans la feuille « Inventaire 2024 »" in err
    assert '--feuille "Inventaire 2024"' in err
    assert "feuilles du classeur : « Mode d'emploi », « Inventaire 2024 »" in err
    assert _files(register) == []
    code, _, err = _run(str(book), "--out", str(register), "--feuille", "Inventaire 2024")
    assert code == 0, err
    assert _files(register) == ["ville-de-nantes/tarification-cantine.yml"]


def test_unknown_sheet_lists_the_sheets(tmp_path: Path, register: Path) -> None:
    book = write_xlsx(tmp_path / "a.xlsx", {"A": as_cells([sheet_row()]), "B": [["x"]]})
    code, _, err = _run(str(book), "--out", str(register), "--feuille", "C")
    assert code == 1
    assert "n'a pas de feuille « C » ; feuilles du classeur : « A », « B »" in err


def test_no_recognised_header_anywhere(tmp_path: Path, register: Path) -> None:
    book = write_xlsx(tmp_path / "a.xlsx", {"A": [["nom", "prénom"], ["Dupont", "Jean"]]})
    code, _, err = _run(str(book), "--out", str(register))
    assert code == 1
    assert "aucun en-tête reconnu" in err


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("inventaire.pdf", b"%PDF-1.4", "ni un fichier CSV (.csv) ni un classeur Excel (.xlsx)"),
        ("inventaire.xls", b"\xd0\xcf\x11\xe0", "le format .xls n'est pas pris en charge"),
        ("inventaire.ods", b"PK\x03\x04", "le format .ods n'est pas pris en charge"),
        ("inventaire.xlsx", b"Nom;Statut\n", "n'est pas un classeur Excel valide"),
        ("inventaire.csv", b"PK\x03\x04rest", "est un classeur (fichier zip) et non un CSV"),
        ("inventaire.csv", "Nom;Statut".encode("utf-16"), "octets nuls"),
        ("inventaire.csv", b"", "est vide"),
    ],
)
def test_files_that_are_not_a_csv_or_xlsx(
    tmp_path: Path, register: Path, name: str, content: bytes, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    code, _, err = _run(str(path), "--out", str(register))
    assert code == 1
    assert expected in err
    assert _files(register) == []


def test_missing_file(tmp_path: Path, register: Path) -> None:
    code, _, err = _run(str(tmp_path / "absent.csv"), "--out", str(register))
    assert code == 1
    assert "fichier introuvable" in err


# --- CSV encodings and delimiters -------------------------------------------------------------


def _csv_text(delimiter: str, rows: list[dict[str, object]] | None = None) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerows(as_cells(rows or [sheet_row()]))
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("encoding", "delimiter", "note"),
    [
        ("utf-8", ",", None),
        ("utf-8-sig", ";", "séparateur détecté : point-virgule"),
        ("cp1252", ";", "lu comme Windows-1252"),
        ("utf-8", "\t", "séparateur détecté : tabulation"),
    ],
)
def test_csv_encodings_and_delimiters(
    tmp_path: Path, register: Path, encoding: str, delimiter: str, note: str | None
) -> None:
    row = sheet_row(**{"Nombre de décisions administratives prises par an": "39 000"})
    path = tmp_path / "inventaire.csv"
    path.write_bytes(_csv_text(delimiter, [row]).encode(encoding))
    code, _, err = _run(str(path), "--out", str(register))
    assert code == 0, err
    if note:
        assert note in err
    record, _ = load_record(register / "ville-de-nantes" / "tarification-cantine.yml", register)
    assert record is not None
    assert record.data["administration"]["direction"] == "Direction de l'éducation"
    assert record.data["donnees"][0]["mode_collecte"] == "Échange de données"


def test_csv_with_undecodable_bytes(tmp_path: Path, register: Path) -> None:
    path = tmp_path / "inventaire.csv"
    path.write_bytes(_csv_text(";").encode("utf-8") + b"\x81\x8d")
    code, _, err = _run(str(path), "--out", str(register))
    assert code == 1
    assert "encodage non reconnu" in err


def test_feuille_is_refused_for_a_csv(tmp_path: Path, register: Path) -> None:
    path = tmp_path / "inventaire.csv"
    path.write_text(_csv_text(","), encoding="utf-8")
    code, _, err = _run(str(path), "--out", str(register), "--feuille", "x")
    assert code == 1
    assert "fichier CSV" in err


# --- row errors: row, column, value; nothing half-written -------------------------------------


def _bad_rows() -> list[dict[str, object]]:
    return [
        sheet_row(),
        sheet_row(
            **{
                "Identifiant": "calcul-bourses",
                "Date de mise à jour des informations": "31/02/2021",
                "Nombre de décisions administratives prises par an": "environ 3 000",
                "Statut": "actif",
                "Contact au sein de l'administration concernée": "le service éducation",
            }
        ),
    ]


def test_row_errors_name_row_column_and_value_and_nothing_is_written(
    tmp_path: Path, register: Path
) -> None:
    book = write_xlsx(tmp_path / "a.xlsx", {"Feuil1": as_cells(_bad_rows())})
    code, out, err = _run(str(book), "--out", str(register))
    assert code == 1
    assert (
        "ligne 3, colonne « Date de mise à jour des informations » (valeur « 31/02/2021 ») : "
        "erreur : cette date n'existe pas dans le calendrier"
    ) in err
    assert (
        "ligne 3, colonne « Nombre de décisions administratives prises par an » "
        "(valeur « environ 3 000 ») : erreur : nombre entier attendu"
    ) in err
    assert "ligne 3, colonne « Statut » (valeur « actif ») : erreur : valeur inconnue" in err
    assert "ligne 3, colonne « Contact au sein de l'administration concernée »" in err
    assert "ligne 2" not in err
    assert "aucune fiche écrite ; lignes en erreur : 3" in out
    assert _files(register) == []  # the valid row is not written either, no temporary file


def test_partial_import_writes_the_valid_rows_and_reports_the_others(
    tmp_path: Path, register: Path
) -> None:
    book = write_xlsx(tmp_path / "a.xlsx", {"Feuil1": as_cells(_bad_rows())})
    code, out, _ = _run(str(book), "--out", str(register), "--ignorer-lignes-invalides")
    assert code == 1
    assert _files(register) == ["ville-de-nantes/tarification-cantine.yml"]
    assert "non importées (lignes en erreur) : 3" in out
    assert check_paths([register]).ok


def test_existing_file_is_kept_without_force_and_replaced_with_it(
    tmp_path: Path, register: Path
) -> None:
    target = register / "ville-de-nantes" / "tarification-cantine.yml"
    target.parent.mkdir()
    target.write_text("ancienne version\n", encoding="utf-8")
    book = write_xlsx(tmp_path / "a.xlsx", {"Feuil1": as_cells([sheet_row(), _second_row()])})
    code, _, err = _run(str(book), "--out", str(register))
    assert code == 1
    assert "existe déjà : ajoutez --force pour le remplacer" in err
    assert target.read_text(encoding="utf-8") == "ancienne version\n"
    assert _files(register) == ["ville-de-nantes/tarification-cantine.yml"]
    code, _, err = _run(str(book), "--out", str(register), "--force")
    assert code == 0, err
    assert "Tarification solidaire" in target.read_text(encoding="utf-8")


def test_identifier_used_elsewhere_or_twice_is_refused(tmp_path: Path, register: Path) -> None:
    other = register / "autre" / "tarification-cantine.yml"
    other.parent.mkdir()
    other.write_text("nom: x\n", encoding="utf-8")
    twice = sheet_row(**{"Identifiant": "doublon"})
    book = write_xlsx(tmp_path / "a.xlsx", {"Feuil1": as_cells([sheet_row(), twice, twice])})
    code, _, err = _run(str(book), "--out", str(register), "--force")
    assert code == 1
    assert "déjà utilisé par" in err and "autre/tarification-cantine.yml" in err
    assert "ligne 4, colonne « Identifiant »" in err
    assert "déjà pris par la ligne 3" in err
    assert _files(register) == ["autre/tarification-cantine.yml"]


def test_schema_problems_are_reported_on_their_column(tmp_path: Path, register: Path) -> None:
    row = sheet_row(
        **{
            "Finalité de l'algorithme": "",
            "Ressources connexes": "code_source : Code (ftp://example.fr/code)",
            "Identifiant": "Mauvais_Identifiant",
        }
    )
    book = write_xlsx(tmp_path / "a.xlsx", {"Feuil1": as_cells([row])})
    code, _, err = _run(str(book), "--out", str(register))
    assert code == 1
    assert "ligne 2, colonne « Finalité de l'algorithme » : erreur :" in err
    assert "ligne 2, colonne « Ressources connexes »" in err
    assert "ligne 2, colonne « Identifiant » (valeur « Mauvais_Identifiant »)" in err
    assert "mauvais-identifiant" in err


def test_folder_comes_from_the_default_option_or_the_administration(
    tmp_path: Path, register: Path
) -> None:
    rows = [
        sheet_row(**{"Dossier": ""}),
        sheet_row(**{"Dossier": "", "Identifiant": "deux", "Sigle de l'administration": "VdN"}),
    ]
    book = write_xlsx(tmp_path / "a.xlsx", {"Feuil1": as_cells(rows)})
    code, _, err = _run(str(book), "--out", str(register))
    assert code == 0, err
    assert _files(register) == ["vdn/deux.yml", "ville-de-nantes/tarification-cantine.yml"]
    other = tmp_path / "autre"
    code, _, err = _run(str(book), "--out", str(other), "--dossier-par-defaut", "nantes")
    assert code == 0, err
    assert _files(other) == ["nantes/deux.yml", "nantes/tarification-cantine.yml"]
    code, _, err = _run(str(book), "--out", str(other), "--dossier-par-defaut", "Nantes Ville")
    assert code == 1
    assert "« nantes-ville »" in err


def test_library_error_is_an_inventory_error(tmp_path: Path, register: Path) -> None:
    with pytest.raises(ImportFileError, match="fichier introuvable"):
        import_file(tmp_path / "absent.xlsx", out=register)


def test_header_without_rows(tmp_path: Path, register: Path) -> None:
    path = tmp_path / "inventaire.csv"
    path.write_text(_csv_text(",", []).splitlines()[0] + "\n", encoding="utf-8")
    code, out, err = _run(str(path), "--out", str(register))
    assert code == 1
    assert "fichier : erreur : aucune ligne de données sous l'en-tête" in err
    assert "0 ligne lue, aucune fiche écrite" in out
