"""The links table export (inventory.exports.links)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from inventory.atomic import write_texts
from inventory.errors import ExportError
from inventory.exports.links import COLUMNS, render
from inventory.insights.links import match_resources
from tests.insights.helpers import record, repo


def test_links_both_ways(tmp_path) -> None:
    taxe = repo("https://github.com/etalab/taxe")
    moved = repo("https://github.com/nouveau/outil")
    records = [
        record("b-impot", "https://github.com/Etalab/taxe.git", "https://nowhere.example/x"),
        record(
            "a-aide", "https://github.com/etalab/taxe/tree/main", "https://github.com/ancien/outil"
        ),
        record("sans-lien", "https://github.com/etalab/autre"),
    ]
    redirects = {"https://github.com/ancien": "https://github.com/nouveau"}
    index = match_resources(records, [taxe, moved], redirects)
    written = write_texts(tmp_path, render(records, [taxe, moved], index, redirects), force=False)
    assert [p.name for p in written] == ["liens.json", "liens.csv"]
    rows = json.loads(written[0].read_text(encoding="utf-8"))
    assert [(r["algorithme"], r["depot"], r["url_declaree"]) for r in rows] == [
        ("a-aide", taxe.id, "https://github.com/etalab/taxe/tree/main"),
        ("a-aide", moved.id, "https://github.com/ancien/outil"),
        ("b-impot", taxe.id, "https://github.com/Etalab/taxe.git"),
    ]
    table = list(csv.DictReader(io.StringIO(written[1].read_text(encoding="utf-8"))))
    assert tuple(table[0]) == COLUMNS
    assert table == rows
    # Both ways: the algorithms of one repository.
    assert sorted(r["algorithme"] for r in rows if r["depot"] == taxe.id) == ["a-aide", "b-impot"]


def test_no_overwrite_without_force(tmp_path) -> None:
    (tmp_path / "liens.csv").write_text("ancien", encoding="utf-8")
    with pytest.raises(ExportError):
        write_texts(tmp_path, render([], [], match_resources([], [])), force=False)
    assert (tmp_path / "liens.csv").read_text(encoding="utf-8") == "ancien"
    assert not (tmp_path / "liens.json").exists()
    write_texts(tmp_path, render([], [], match_resources([], [])), force=True)
    assert json.loads((tmp_path / "liens.json").read_text(encoding="utf-8")) == []
