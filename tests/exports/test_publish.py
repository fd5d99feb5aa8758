"""One open data: ``inventory export`` and the site write the same files, from any folder,
with what is missing said and the rest exported."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from inventory.catalogue.snapshot import CatalogueSnapshot
from inventory.catalogue.store import read_snapshot
from inventory.cli import main
from inventory.exports import tableschemas
from inventory.exports.files import FILES, Source
from inventory.exports.publish import Published, render_all
from inventory.insights.history import RegisterHistory, read_history
from inventory.register.validate import check_paths
from inventory.resources import SOURCE_SCHEMAS
from inventory.site import builder
from inventory.site.sitedata import SiteData
from tests import history_repo
from tests.site import factories as f
from tests.site.project import make_project, write_record
from tests.site.test_build import _write_store

PROJECT = Path(__file__).resolve().parents[2]
RECORD_FILES = {"algorithmes.json", "algorithmes.csv", "liens.json", "liens.csv"}
CRAWL_FILES = {"repos.json", "repos.csv", "organisations.json", "organisations.csv"}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "projet")
    write_record(root, "cnaf", "calcul-apl", f.record_data())
    write_record(root, "cnaf", "bourses", f.record_data(nom="Bourses"))
    _write_store(root / "crawl.sqlite3")
    return root


def _export(cwd: Path, *args: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    monkeypatch.chdir(cwd)
    result = CliRunner().invoke(main, ["export", *args])
    return result.exit_code, result.stdout, result.stderr


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


@pytest.fixture(scope="module")
def scripted_history(tmp_path_factory: pytest.TempPathFactory) -> RegisterHistory:
    root = tmp_path_factory.mktemp("registre-git")
    history_repo.build(root)
    return read_history(root / "algorithms")


def test_the_registry_is_exactly_what_is_rendered(
    project: Path, scripted_history: RegisterHistory
) -> None:
    records = check_paths([project / "algorithms"]).records
    snapshot = read_snapshot(project / "crawl.sqlite3")
    roadmaps = check_paths([PROJECT / "ouvertures"]).roadmaps
    both = render_all(Published.of(records, snapshot, history=scripted_history, roadmaps=roadmaps))
    assert list(both.texts) == [file.name for file in FILES]
    assert both.skipped == ()
    for file in FILES:
        assert (SOURCE_SCHEMAS / file.schema).is_file(), file.schema
    records_only = render_all(Published.of(records, None))
    assert set(records_only.texts) == RECORD_FILES | {"indicateurs.csv"}
    assert records_only.skipped == (
        "repos.json, repos.csv, organisations.json, organisations.csv : non exporté(s), "
        "faute de la base de moissonnage",
        "historique.json, historique.csv : non exporté(s), faute de l'historique git des fiches",
        "ouvertures.json, ouvertures.csv : non exporté(s), faute de feuilles de route "
        "(dossier ouvertures/)",
    )
    crawl_only = render_all(Published.of(None, CatalogueSnapshot()))
    assert set(crawl_only.texts) == CRAWL_FILES | {"indicateurs.csv"}
    nothing = render_all(Published.of(None, None))
    assert nothing.texts == {} and len(nothing.skipped) == 5
    assert {file.source for file in FILES} == set(Source)


@pytest.mark.parametrize("crawled", [True, False])
def test_export_and_the_site_write_the_same_files(
    project: Path, monkeypatch: pytest.MonkeyPatch, crawled: bool
) -> None:
    db = project / ("crawl.sqlite3" if crawled else "absente.sqlite3")
    code, _, err = _export(project, "--out", "exports", "--db", str(db), monkeypatch=monkeypatch)
    assert code == 0, err
    records = tuple(sorted(check_paths([project / "algorithms"]).records, key=lambda r: r.id))
    site = SiteData(
        records=records,
        catalogue=read_snapshot(db) if crawled else CatalogueSnapshot(),
        crawled=crawled,
    )
    builder.write_docs(site, project / "build/docs", project=project)
    donnees = project / "build/docs/donnees"
    exported = _files(project / "exports")
    published = {name: data for name, data in _files(donnees).items() if name != "index.md"}
    assert set(exported) == set(published)
    assert exported == published  # byte for byte: one function wrote both
    expected = RECORD_FILES | {"indicateurs.csv"} | (CRAWL_FILES if crawled else set())
    assert set(exported) == expected
    # Every file offered on the Données page comes with its schema.
    page = (donnees / "index.md").read_text(encoding="utf-8")
    for name in expected:
        assert f"donnees/{name}" in page or f'href="{name}"' in page, name
    for file in FILES:
        if file.name in expected:
            assert (donnees / "schemas" / file.schema).is_file(), file.schema


def test_export_without_a_records_folder_exports_the_crawl_from_any_folder(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir()
    db = project / "crawl.sqlite3"
    code, out, err = _export(elsewhere, "--db", str(db), "--out", "sortie", monkeypatch=monkeypatch)
    assert code == 0, err
    assert "pas de dossier de fiches (algorithms)" in err
    assert "algorithmes.json, algorithmes.csv, liens.json, liens.csv : non exporté(s)" in err
    written = set(_files(elsewhere / "sortie"))
    assert written == CRAWL_FILES | {"indicateurs.csv"}
    assert out.count("écrit : ") == len(written)
    # The crawl's indicators: repositories and forges per administration, shares "sans objet".
    rows = list(csv.DictReader(io.StringIO((elsewhere / "sortie/indicateurs.csv").read_text())))
    assert rows and all(row["code_publie"] == "" for row in rows)
    assert sum(int(row["depots"]) for row in rows) == 2


def test_export_with_records_only_and_with_nothing(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = _export(
        tmp_path,
        "--algorithms",
        str(project / "algorithms"),
        "--out",
        "fiches",
        monkeypatch=monkeypatch,
    )
    assert code == 0, err
    assert "pas de base de moissonnage (data/inventory.sqlite3)" in err
    assert set(_files(tmp_path / "fiches")) == RECORD_FILES | {"indicateurs.csv"}
    empty = tmp_path / "vide"
    empty.mkdir()
    code, out, err = _export(empty, "--out", "rien", monkeypatch=monkeypatch)
    assert code == 0, err
    assert "rien à exporter" in err and out == ""
    assert not (empty / "rien").exists()


def test_invalid_records_still_cancel_the_export(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_record(project, "cnaf", "casse", f.record_data(statut="en_servise"))
    code, _, err = _export(
        project, "--out", "exports", "--db", "crawl.sqlite3", monkeypatch=monkeypatch
    )
    assert code == 1
    assert "fiches invalides, export annulé" in err
    assert not (project / "exports").exists()


def test_each_csv_matches_its_table_schema(
    project: Path, scripted_history: RegisterHistory
) -> None:
    records = check_paths([project / "algorithms"]).records
    snapshot = read_snapshot(project / "crawl.sqlite3")
    roadmaps = check_paths([PROJECT / "ouvertures"]).roadmaps
    rendered = render_all(
        Published.of(records, snapshot, history=scripted_history, roadmaps=roadmaps)
    )
    for file in FILES:
        schema = json.loads((SOURCE_SCHEMAS / file.schema).read_text(encoding="utf-8"))
        if not file.name.endswith(".csv"):
            continue
        header = next(csv.reader(io.StringIO(rendered.texts[file.name])))
        assert header == [field["name"] for field in schema["fields"]], file.name


@pytest.mark.parametrize("name", sorted(tableschemas.GENERATED))
def test_committed_table_schemas_are_the_generated_ones(name: str) -> None:
    committed = (SOURCE_SCHEMAS / name).read_text(encoding="utf-8")
    assert committed == tableschemas.text_of(name), (
        f"schemas/{name} est périmé : lancez « python -m inventory.exports.tableschemas »"
    )
