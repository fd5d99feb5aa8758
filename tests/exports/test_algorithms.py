"""Exports of the register: algorithmes.json and algorithmes.csv, atomic, no silent overwrite."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import inventory.atomic
from inventory.cli import main
from inventory.errors import ExportError
from inventory.exports.algorithms import export_algorithms
from inventory.interchange.table import CSV_COLUMNS, csv_header
from inventory.register.validate import check_paths
from tests.register.helpers import TODAY, valid_data, write_record


@pytest.fixture
def records(register: Path):
    write_record(register, "cnaf", "prime-activite.yml")
    minimal = valid_data(
        contexte=None, decisions_par_an=None, portee_decision=None, parametres=None, ressources=None
    )
    minimal["administration"] = {"nom": "Mutualité sociale agricole"}
    write_record(register, "msa", "allocations-familiales.yml", minimal)
    result = check_paths([register], today=TODAY)
    assert result.ok
    return result.records


def _csv_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_writes_json_with_id_folder_source_and_iso_dates(records, tmp_path: Path) -> None:
    out = tmp_path / "exports"
    written = export_algorithms(records, out, force=False)
    assert written == [out / "algorithmes.json", out / "algorithmes.csv"]
    rows = json.loads((out / "algorithmes.json").read_text(encoding="utf-8"))
    assert [row["id"] for row in rows] == ["allocations-familiales", "prime-activite"]
    first = rows[1]
    assert first["dossier"] == "cnaf"
    assert first["fichier"].endswith("algorithms/cnaf/prime-activite.yml")
    assert first["date_mise_a_jour"] == "2026-03-01"
    assert first["fondements_juridiques"][0]["titre"].startswith("Article L842-3")
    assert set(valid_data()) <= set(first)


def test_csv_header_and_rows(records, tmp_path: Path) -> None:
    export_algorithms(records, tmp_path, force=False)
    text = (tmp_path / "algorithmes.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0].split(",")[:3] == [
        "Identifiant",
        "Nom de l'administration concernée",
        "Direction/service porteur",
    ]
    rows = _csv_rows(tmp_path / "algorithmes.csv")
    assert len(rows) == 2
    row = rows[1]
    assert row["Identifiant"] == "prime-activite"
    assert row["Date de mise à jour des informations"] == "2026-03-01"
    # Lists: one column per item key, values aligned by position, an absent one left empty.
    assert row["Fondements juridiques"] == (
        "Article L842-3 du code de la sécurité sociale ; "
        "Article D843-1 du code de la sécurité sociale"
    )
    assert row["Adresse des fondements juridiques"] == (
        "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000031087615 ; "
    )
    assert row["Données traitées"] == "Revenus du foyer ; Barème"
    assert row["Mode de collecte des données traitées"] == "Formulaire en ligne ; "
    assert row["Données personnelles"] == "oui ; "
    assert row["Ressources connexes"] == (
        "https://github.com/exemple/calcul ; https://www.exemple.fr/simulateur"
    )
    assert row["Type des ressources connexes"] == "code_source ; formulaire"
    assert row["Titre des ressources connexes"] == "Code ; "
    assert row["Paramètres"] == "Montant forfaitaire"
    assert row["Pondération des paramètres"] == "0.61"
    assert row["Description des paramètres"] == "Taux."
    assert row["Nombre de décisions administratives prises par an"] == "4500000"
    minimal = rows[0]
    assert minimal["Contexte global"] == "" and minimal["Ressources connexes"] == ""


def test_csv_columns_are_data_with_unique_labels() -> None:
    labels = csv_header()
    assert len(labels) == len(set(labels)) == len(CSV_COLUMNS)
    for label, key, extract in CSV_COLUMNS:
        assert label and key and callable(extract)


def test_csv_header_follows_the_etalab_guide(shared_data: Path) -> None:
    guide = (shared_data / "etalab" / "guide-algorithmes-2-inventaire.md").read_text(
        encoding="utf-8"
    )
    section = guide.split("## En pratique", 1)[1].split("## Comment réaliser", 1)[0]
    items = [
        match.strip().rstrip("*").strip()
        for match in re.findall(r"^\|\s*([^|]+?)\s*\|", section, flags=re.M)
        if match.strip() not in {"Information", "-----------"} and not set(match.strip()) <= {"-"}
    ]
    assert len(items) == 21
    # The three "Ressources connexes" items are one column, at the last one's place.
    expected = list(reversed(dict.fromkeys(reversed(items))))
    header = csv_header()
    assert header[1 : 1 + len(expected)] == expected


def test_refuses_to_overwrite_without_force_and_writes_nothing(records, tmp_path: Path) -> None:
    (tmp_path / "algorithmes.csv").write_text("ancien", encoding="utf-8")
    with pytest.raises(ExportError, match=r"algorithmes\.csv existe déjà : ajoutez --force"):
        export_algorithms(records, tmp_path, force=False)
    assert not (tmp_path / "algorithmes.json").exists()
    assert (tmp_path / "algorithmes.csv").read_text(encoding="utf-8") == "ancien"


def test_force_replaces_existing_files(records, tmp_path: Path) -> None:
    (tmp_path / "algorithmes.json").write_text("ancien", encoding="utf-8")
    export_algorithms(records, tmp_path, force=True)
    assert len(json.loads((tmp_path / "algorithmes.json").read_text(encoding="utf-8"))) == 2


def test_out_must_be_a_folder(records, tmp_path: Path) -> None:
    target = tmp_path / "fichier"
    target.write_text("x", encoding="utf-8")
    with pytest.raises(ExportError, match="n'est pas un dossier"):
        export_algorithms(records, target, force=True)


def test_failure_mid_write_keeps_the_old_file(
    records, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "exports"
    export_algorithms(records, out, force=False)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    calls = []

    def failing_fsync(fd: int) -> None:
        calls.append(fd)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(inventory.atomic.os, "fsync", failing_fsync)
    with pytest.raises(OSError):
        export_algorithms(records[:1], out, force=True)
    assert calls  # the data was being written when the failure happened
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # no temp file left


def test_cli_export(register: Path, tmp_path: Path) -> None:
    write_record(register, "cnaf", "prime-activite.yml")
    out = tmp_path / "sortie"
    runner = CliRunner()
    result = runner.invoke(main, ["export", "--out", str(out), "--algorithms", str(register)])
    assert result.exit_code == 0, result.output
    assert "algorithmes.json" in result.output and "algorithmes.csv" in result.output
    assert len(_csv_rows(out / "algorithmes.csv")) == 1

    again = runner.invoke(main, ["export", "--out", str(out), "--algorithms", str(register)])
    assert again.exit_code == 1
    assert "existe déjà : ajoutez --force pour le remplacer" in again.output
    assert "Traceback" not in again.output

    forced = runner.invoke(
        main, ["export", "--out", str(out), "--force", "--algorithms", str(register)]
    )
    assert forced.exit_code == 0, forced.output


def test_cli_export_refuses_invalid_records(register: Path, tmp_path: Path) -> None:
    write_record(register, "cnaf", "prime-activite.yml", valid_data(statut="inconnu"))
    out = tmp_path / "sortie"
    result = CliRunner().invoke(main, ["export", "--out", str(out), "--algorithms", str(register)])
    assert result.exit_code == 1
    assert "fiches invalides, export annulé (1 erreur" in result.output
    assert not out.exists() or list(out.iterdir()) == []
