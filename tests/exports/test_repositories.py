"""repos/organisations exports: they match their Table Schemas, atomically, never overwriting."""

from __future__ import annotations

import csv
import dataclasses
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from crawlers.base import ForgeKind, Listing, Target
from inventory.catalogue.store import Store
from inventory.cli import main
from inventory.errors import ExportError
from inventory.exports.repositories import ORGS_SCHEMA, REPOS_SCHEMA, write_exports
from inventory.model import Organisation, Repository

DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
TARGET = Target("github.com", ForgeKind.GITHUB, "https://api.github.com", "etalab")

REPOS = (
    Repository(
        id="github.com:1",
        name="api, « adresse »",
        organization_name="etalab",
        platform="github.com",
        repository_url="https://github.com/etalab/api-adresse",
        forge="github",
        description='Ligne 1\nLigne 2 avec "guillemets"',
        default_branch="main",
        is_fork=False,
        is_archived=True,
        creation_date="2018-12-01T20:00:55Z",
        last_update="2024-01-02T03:04:05Z",
        last_modification="2024-01-01T00:00:00Z",
        homepage="https://adresse.data.gouv.fr",
        stars_count=42,
        forks_count=3,
        license="etalab-2.0",
        license_original="Licence Ouverte / Open Licence 2.0",
        open_issues_count=0,
        language="Python",
        topics=("adresse", "api"),
        pso_id="pso",
    ),
    Repository(
        id="github.com:2",
        name="vide",
        organization_name="etalab",
        platform="github.com",
        repository_url="https://github.com/etalab/vide",
        forge="github",
    ),
)
ORGS = (
    Organisation(
        login="etalab",
        platform="github.com",
        forge="github",
        name="Etalab",
        organization_url="https://github.com/etalab",
        repositories_count=2,
        creation_date="2013-08-26T16:03:40Z",
        floss_policy="https://code.gouv.fr/fr/mission/",
    ),
)


def _schema(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _check_cell(field: dict[str, Any], cell: str) -> None:
    constraints = field.get("constraints", {})
    if cell == "":
        assert not constraints.get("required"), f"{field['name']} est obligatoire"
        return
    kind = field["type"]
    if kind == "integer":
        assert re.fullmatch(r"\d+", cell), (field["name"], cell)
        assert int(cell) >= constraints.get("minimum", 0)
    elif kind == "boolean":
        assert cell in ("true", "false"), (field["name"], cell)
    elif kind == "datetime":
        assert DATETIME.match(cell), (field["name"], cell)
    if field.get("format") == "uri":
        assert re.match(r"^https?://\S+$", cell), (field["name"], cell)
    if "enum" in constraints:
        assert cell in constraints["enum"]


def _check_csv(path: Path, schema_path: Path) -> list[dict[str, str]]:
    schema = _schema(schema_path)
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = list(reader)
    assert header == [f["name"] for f in schema["fields"]]
    for row in rows:
        assert len(row) == len(header)
        for field, cell in zip(schema["fields"], row, strict=True):
            _check_cell(field, cell)
    return [dict(zip(header, row, strict=True)) for row in rows]


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(tmp_path / "db.sqlite3") as opened:
        opened.save_listing(Listing(TARGET, ORGS, REPOS))
        yield opened


def test_table_schemas_are_well_formed():
    for path in (REPOS_SCHEMA, ORGS_SCHEMA):
        schema = _schema(path)
        names = [f["name"] for f in schema["fields"]]
        assert len(names) == len(set(names))
        assert all(
            f["type"] in {"string", "integer", "boolean", "datetime"} for f in schema["fields"]
        )
        assert all(f.get("description") for f in schema["fields"])
        assert set(schema["primaryKey"]) <= set(names)


def test_repository_columns_follow_model_and_codegouvfr(shared_data: Path):
    names = [f["name"] for f in _schema(REPOS_SCHEMA)["fields"]]
    assert set(names) == {f.name for f in dataclasses.fields(Repository)}
    reference = _schema(shared_data / "codegouvfr" / "table-schemas-2021" / "repository.json")
    kept = [f["name"] for f in reference["fields"] if not f["name"].startswith("software_heritage")]
    assert set(kept) <= set(names)
    org_reference = _schema(shared_data / "codegouvfr" / "table-schemas-2021" / "organization.json")
    org_names = {f["name"] for f in _schema(ORGS_SCHEMA)["fields"]}
    kept = {"login", "description", "name", "organization_url", "avatar_url", "website"}
    assert kept <= {f["name"] for f in org_reference["fields"]} and kept <= org_names


def test_exports_match_their_table_schemas(store: Store, tmp_path: Path):
    out = tmp_path / "out"
    written = write_exports(store.repositories(), store.organisations(), out, force=False)
    assert [p.name for p in written] == [
        "repos.json",
        "repos.csv",
        "organisations.json",
        "organisations.csv",
    ]
    rows = _check_csv(out / "repos.csv", REPOS_SCHEMA)
    assert [r["id"] for r in rows] == ["github.com:1", "github.com:2"]
    first = rows[0]
    assert first["name"] == "api, « adresse »"
    assert first["description"] == 'Ligne 1\nLigne 2 avec "guillemets"'
    assert first["topics"] == "adresse,api" and first["is_archived"] == "true"
    assert first["is_fork"] == "false" and rows[1]["is_fork"] == ""
    # The licence the forge gave, through the store, beside its SPDX identifier.
    assert (first["license"], first["license_original"]) == (
        "etalab-2.0",
        "Licence Ouverte / Open Licence 2.0",
    )
    assert rows[1]["license_original"] == ""
    orgs = _check_csv(out / "organisations.csv", ORGS_SCHEMA)
    assert orgs[0]["login"] == "etalab" and orgs[0]["repositories_count"] == "2"
    data = json.loads((out / "repos.json").read_text(encoding="utf-8"))
    assert list(data[0]) == [f["name"] for f in _schema(REPOS_SCHEMA)["fields"]]
    assert data[0]["topics"] == ["adresse", "api"] and data[0]["stars_count"] == 42
    assert data[1]["is_fork"] is None
    org_data = json.loads((out / "organisations.json").read_text(encoding="utf-8"))
    assert org_data[0]["floss_policy"] == "https://code.gouv.fr/fr/mission/"


def test_no_overwrite_without_force(store: Store, tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "organisations.csv").write_text("ancien", encoding="utf-8")
    with pytest.raises(ExportError, match="--force"):
        write_exports(store.repositories(), store.organisations(), out, force=False)
    # Refused before anything was written.
    assert sorted(p.name for p in out.iterdir()) == ["organisations.csv"]
    assert (out / "organisations.csv").read_text(encoding="utf-8") == "ancien"
    write_exports(store.repositories(), store.organisations(), out, force=True)
    assert (out / "organisations.csv").read_text(encoding="utf-8").startswith("login,")
    assert not list(out.glob(".*.tmp"))


def test_cli_export_with_and_without_database(store: Store, tmp_path: Path):
    algorithms = tmp_path / "algorithms"
    algorithms.mkdir()
    out = tmp_path / "cli-out"
    result = CliRunner().invoke(
        main,
        ["export", "--out", str(out), "--db", str(store.path), "--algorithms", str(algorithms)],
    )
    assert result.exit_code == 0, result.output
    assert {"repos.json", "repos.csv", "organisations.json", "organisations.csv"} <= {
        p.name for p in out.iterdir()
    }
    _check_csv(out / "repos.csv", REPOS_SCHEMA)
    alone = tmp_path / "sans-base"
    result = CliRunner().invoke(
        main,
        [
            "export",
            "--out",
            str(alone),
            "--db",
            str(tmp_path / "absente.sqlite3"),
            "--algorithms",
            str(algorithms),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "pas de base de moissonnage" in result.output
    assert not (alone / "repos.csv").exists()
