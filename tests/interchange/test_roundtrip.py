"""``export`` then ``import`` gives back the seeded records, field for field (CSV and XLSX)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from inventory.cli import main
from inventory.exports.algorithms import CSV_NAME, algorithms_csv
from inventory.interchange.importer import import_file
from inventory.register.records import load_record
from inventory.register.validate import check_paths
from tests.interchange.conftest import write_xlsx


@pytest.fixture
def seeded(project_root: Path):
    result = check_paths([project_root / "algorithms"])
    assert result.ok
    assert len(result.records) >= 15
    return result.records


def _compare(records, tree: Path) -> None:
    for record in records:
        path = tree / record.folder / f"{record.id}.yml"
        imported, problems = load_record(path, tree)
        assert imported is not None, problems
        assert not problems
        assert dict(imported.data) == dict(record.data), record.id
    assert check_paths([tree]).ok


def test_csv_round_trip_through_the_commands(seeded, project_root: Path, tmp_path: Path) -> None:
    exports = tmp_path / "exports"
    runner = CliRunner()
    result = runner.invoke(
        main,
        [
            "export",
            "--algorithms",
            str(project_root / "algorithms"),
            "--out",
            str(exports),
            "--db",
            str(tmp_path / "absente.sqlite3"),
        ],
    )
    assert result.exit_code == 0, result.output
    tree = tmp_path / "algorithms"
    result = runner.invoke(main, ["import", str(exports / CSV_NAME), "--out", str(tree)])
    assert result.exit_code == 0, result.output
    assert f"{len(seeded)} fiches écrites" in result.stdout
    _compare(seeded, tree)


def test_xlsx_round_trip(seeded, tmp_path: Path) -> None:
    rows = list(csv.reader(io.StringIO(algorithms_csv(seeded))))
    book = write_xlsx(tmp_path / "inventaire.xlsx", {"Algorithmes": rows})
    tree = tmp_path / "algorithms"
    report = import_file(book, out=tree)
    assert report.ok, [issue.text() for issue in report.issues]
    assert len(report.written) == len(seeded)
    _compare(seeded, tree)


def test_semicolons_inside_list_items_survive(seeded, tmp_path: Path) -> None:
    """French typography writes `` ; `` inside sentences: only the separator splits items."""
    record = next(r for r in seeded if r.data.get("parametres"))
    data = dict(record.data)
    data["parametres"] = [
        {"nom": "Barème ; tranches", "ponderation": 0.5, "description": "Un ; deux ;\ntrois.\n"},
        {"nom": "Second", "ponderation": 3},
    ]
    data["fondements_juridiques"] = [{"titre": "Loi ; article 2", "url": "https://example.fr/a"}]
    changed = type(record)(record.id, record.folder, record.path, data, record.marks)
    text = algorithms_csv([changed])
    assert " \\;" in text  # escaped: never taken for the separator
    path = tmp_path / "un.csv"
    path.write_text(text, encoding="utf-8")
    tree = tmp_path / "algorithms"
    report = import_file(path, out=tree)
    assert report.ok, [issue.text() for issue in report.issues]
    imported, _ = load_record(tree / record.folder / f"{record.id}.yml", tree)
    assert imported is not None
    assert imported.data["parametres"] == data["parametres"]
    assert imported.data["fondements_juridiques"] == data["fondements_juridiques"]
