"""``ouvertures.csv`` / ``ouvertures.json``: one row per commitment, true to its Table Schema,
from ``inventory export`` as from the site."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from inventory.cli import main
from inventory.exports import openings as export
from inventory.insights.openings import track
from inventory.resources import SOURCE_SCHEMAS
from tests.insights.openings_fixture import ROADMAP, TODAY, crawl_database, roadmap, snapshot


def _conforms(value: str, field: dict) -> bool:
    if value == "":
        return not field.get("constraints", {}).get("required")
    kind = field["type"]
    if kind == "date":
        dt.date.fromisoformat(value)
    elif kind == "integer":
        int(value)
    elif kind == "boolean":
        assert value in field["trueValues"] + field["falseValues"]
    return value in field.get("constraints", {}).get("enum", [value])


def test_rows_follow_the_table_schema(tmp_path: Path) -> None:
    openings = track([roadmap(tmp_path)], snapshot(tmp_path), TODAY)
    texts = export.render(openings)
    schema = json.loads((SOURCE_SCHEMAS / "ouvertures.tableschema.json").read_text("utf-8"))
    rows = list(csv.DictReader(io.StringIO(texts["ouvertures.csv"])))
    assert list(rows[0]) == [field["name"] for field in schema["fields"]]
    assert len(rows) == 12
    for row in rows:
        for field in schema["fields"]:
            assert _conforms(row[field["name"]], field), (field["name"], row)
    assert json.loads(texts["ouvertures.json"]) == rows
    by_code = {row["code"]: row for row in rows}
    late = by_code["Outil en retard"]
    # The columns the issue names, then the details.
    assert {k: late[k] for k in ("code", "echeance", "depot", "statut", "date_ouverture")} == {
        "code": "Outil en retard",
        "echeance": "T3 2021",
        "depot": "https://github.com/etalab/en-retard",
        "statut": "ouvert_en_retard",
        "date_ouverture": "2022-01-10",
    }
    assert (late["echeance_date"], late["retard_jours"], late["date_reference"]) == (
        "2021-09-30",
        "102",
        "2026-12-04",
    )
    beta = by_code["Services ouverts par défaut"]
    assert (beta["compte"], beta["depots_depuis_feuille_de_route"]) == ("true", "3")
    assert beta["depots_par_trimestre"] == "T4 2021 : 2 ; T1 2022 : 1"
    assert by_code["Baromètre"]["administration_sigle"] == "DEX"
    assert "n'est plus visible" in by_code["Outil supprimé"]["note"]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "projet"
    (root / "ouvertures").mkdir(parents=True)
    (root / "ouvertures" / "exemple-2021.yml").write_text(ROADMAP, encoding="utf-8")
    crawl_database(root / "crawl.sqlite3")
    return root


def test_inventory_export_writes_them(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["export", "--out", "sortie", "--db", "crawl.sqlite3"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader((project / "sortie" / "ouvertures.csv").open(encoding="utf-8")))
    statuses = {row["code"]: row["statut"] for row in rows}
    assert statuses["Outil à temps"] == "ouvert"
    assert statuses["Outil jamais ouvert"] == "en_retard"
    assert rows[0]["date_reference"] == dt.date.today().isoformat()


def test_without_a_crawl_every_commitment_is_untracked(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["export", "--out", "sortie", "--db", "absente.sqlite3"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader((project / "sortie" / "ouvertures.csv").open(encoding="utf-8")))
    assert {row["statut"] for row in rows} == {"non_suivi"}


def test_an_invalid_roadmap_cancels_the_export_in_one_line(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = project / "ouvertures" / "exemple-2021.yml"
    path.write_text(ROADMAP.replace("echeance: T4 2021", "echeance: Q4 2021", 1), "utf-8")
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["export", "--out", "sortie"])
    assert result.exit_code == 1
    assert "feuilles de route invalides, export annulé" in result.output
    assert "Traceback" not in result.output
    assert not (project / "sortie").exists()
    shutil.rmtree(project / "ouvertures")
