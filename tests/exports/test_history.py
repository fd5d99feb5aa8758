"""``historique.csv`` and ``historique.json``: one row per change, from a scripted register."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from inventory.cli import main
from inventory.exports import history
from inventory.insights.history import read_history
from inventory.resources import SOURCE_SCHEMAS
from tests import history_repo


@pytest.fixture(scope="module")
def scripted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("registre")
    return root, history_repo.build(root)


def test_rows_name_record_date_field_values_and_commit(
    scripted: tuple[Path, dict[str, str]],
) -> None:
    root, shas = scripted
    rows = history.history_rows(read_history(root / "algorithms"), "https://github.com/a/b")
    prime = [row for row in rows if row["algorithme"] == "prime-activite"]
    assert prime[0]["nature"] == "creation" and prime[0]["commit"] == shas["creation"]
    statut = next(row for row in prime if row["champ"] == "statut")
    assert (statut["avant"], statut["apres"]) == ("Expérimentation", "En service")
    assert statut["date"].startswith("2024-03-05") and statut["commit"] == shas["statut"]
    added = next(row for row in prime if row["resume"].startswith("Donnée ajoutée"))
    assert added["demande_de_fusion"] == "34" and added["apres"] == (
        "nom : Revenus professionnels ; source : Le foyer"
    )
    moves = [row for row in prime if row["nature"] == "deplacement"]
    assert [row["commit"] for row in moves] == [shas["move"], shas["rename"]]
    assert history_repo.PRIME in moves[0]["resume"]
    removed = [row for row in rows if row["nature"] == "suppression"]
    assert [(r["algorithme"], r["commit"]) for r in removed] == [("affectation", shas["removal"])]
    assert [row["date"] for row in rows] == sorted(row["date"] for row in rows)


def test_export_command_writes_the_history_of_the_register(
    scripted: tuple[Path, dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, _ = scripted
    monkeypatch.chdir(root)
    out = tmp_path / "exports"
    result = CliRunner().invoke(main, ["export", "--out", str(out), "--db", "absente.sqlite3"])
    assert result.exit_code == 0, result.output
    text = (out / "historique.csv").read_text(encoding="utf-8")
    header = next(csv.reader(io.StringIO(text)))
    schema = json.loads((SOURCE_SCHEMAS / "historique.tableschema.json").read_text("utf-8"))
    assert header == [field["name"] for field in schema["fields"]]
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows == json.loads((out / "historique.json").read_text(encoding="utf-8"))
    assert any(row["resume"] == "Paramètre retiré : Bonification" for row in rows)
