"""Exports for the UK ATRS and the Dutch Algoritmeregister: mapped fields, nothing dropped."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from inventory.cli import main
from inventory.interchange.foreign import (
    ALGORITMEREGISTER,
    ATRS,
    ATRS_PHASES,
    DUTCH_STATUS,
    STANDARDS,
    map_record,
    mapping_markdown,
)
from inventory.register.fields import by_path, leaf_paths
from inventory.register.records import as_json
from inventory.register.validate import check_paths, load_schema

from .official_fields import (
    ATRS_PHASE_LABELS,
    DUTCH_FIELDS,
    DUTCH_GROUPING_ITEM_FIELDS,
    DUTCH_PERMITTED,
)


@pytest.fixture
def seeded(project_root: Path):
    result = check_paths([project_root / "algorithms"])
    assert result.ok
    return {record.id: record for record in result.records}


def _export(project_root: Path, out: Path, fmt: str, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        main,
        [
            "export",
            "--algorithms",
            str(project_root / "algorithms"),
            "--out",
            str(out),
            "--format",
            fmt,
            *extra,
        ],
    )
    return result.exit_code, result.output


def _value(data: dict, path: str):
    if "[]." in path:
        key, sub = path.split("[].", 1)
        values = [item.get(sub) for item in data.get(key) or []]
        return values if any(v is not None for v in values) else None
    for part in path.split("."):
        data = data.get(part) if isinstance(data, dict) else None
    return data


def _target(document: dict, dotted: str):
    for part in dotted.split("."):
        document = document[part]
    return document


@pytest.mark.parametrize("key", sorted(STANDARDS))
def test_export_command_writes_every_record(
    key: str, seeded, project_root: Path, tmp_path: Path
) -> None:
    code, output = _export(project_root, tmp_path, key)
    assert code == 0, output
    path = tmp_path / STANDARDS[key].file_name
    assert f"écrit : {path.as_posix()}" in output
    assert not (tmp_path / "algorithmes.csv").exists()
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["standard"]["version"] == STANDARDS[key].version
    assert document["standard"]["note"] == STANDARDS[key].verification
    assert sorted(r["id"] for r in document["records"]) == sorted(seeded)
    # No silent overwrite.
    code, output = _export(project_root, tmp_path, key)
    assert code == 1
    assert "existe déjà : ajoutez --force" in output
    assert _export(project_root, tmp_path, key, "--force")[0] == 0


@pytest.mark.parametrize("key", sorted(STANDARDS))
def test_every_field_with_a_value_is_mapped_or_listed(
    key: str, seeded, project_root: Path, tmp_path: Path
) -> None:
    standard = STANDARDS[key]
    assert _export(project_root, tmp_path, key)[0] == 0
    document = json.loads((tmp_path / standard.file_name).read_text(encoding="utf-8"))
    carried = {s for t in standard.targets if not t.partial for s in t.sources}
    assert document["unmapped_fields"] == [p for p in leaf_paths() if p not in carried]
    for exported in document["records"]:
        data = as_json(seeded[exported["id"]].data)
        listed = {item["field"]: item["value"] for item in exported["unmapped"]}
        for path in leaf_paths():
            value = _value(data, path)
            if value is None:
                continue
            if path in carried:
                assert path not in listed
            else:
                assert listed[path] == value, (exported["id"], path)
        for target in standard.targets:
            _target(exported, target.name)  # present (possibly null)
        for name, _ in standard.without_source:
            assert _target(exported, name) is None
        if standard.id_target:
            assert _target(exported, standard.id_target) == exported["id"]


def test_atrs_tiers_and_values(seeded, project_root: Path, tmp_path: Path) -> None:
    assert _export(project_root, tmp_path, "atrs")[0] == 0
    document = json.loads((tmp_path / ATRS.file_name).read_text(encoding="utf-8"))
    records = {r["id"]: r for r in document["records"]}
    rsa = records["calcul-rsa"]
    source = seeded["calcul-rsa"].data
    assert rsa["tier_1"]["name"] == source["nom"]
    assert rsa["tier_1"]["description"] == source["finalite"]
    assert rsa["tier_1"]["contact_email"] is None  # the contact is a web page...
    assert rsa["tier_2"]["tool_specification"]["phase"] == "Production"
    assert rsa["tier_2"]["tool_specification"]["system_architecture"] == "Système de règles"
    assert rsa["tier_2"]["decision_making_process"]["human_decisions_and_review"] == (
        "Décision entièrement automatisée"
    )
    assert rsa["tier_2"]["owner_and_responsibility"]["organisation"] == (
        "Caisse nationale des allocations familiales (Cnaf)"
    )
    assert rsa["tier_2"]["data_specification"]["source_data_name"] == [
        item["nom"] for item in source["donnees"]
    ]
    listed = {item["field"]: item["value"] for item in rsa["unmapped"]}
    assert listed["parametres[].nom"] == [p["nom"] for p in source["parametres"]]
    assert listed["ressources[].url"] == [r["url"] for r in source["ressources"]]
    assert listed["date_mise_a_jour"] == source["date_mise_a_jour"].isoformat()
    assert listed["contact"] == source["contact"]  # ... kept in the unmapped list
    assert listed["fondements_juridiques[].titre"] == [
        item["titre"] for item in source["fondements_juridiques"]
    ]
    assert {"tier_1", "tier_2", "unmapped"} <= set(rsa)


def _dutch_export(project_root: Path, tmp_path: Path) -> dict:
    assert _export(project_root, tmp_path, "algoritmeregister")[0] == 0
    return json.loads((tmp_path / ALGORITMEREGISTER.file_name).read_text(encoding="utf-8"))


def test_algoritmeregister_fields_and_status(seeded, project_root: Path, tmp_path: Path) -> None:
    document = _dutch_export(project_root, tmp_path)
    levels = by_path()["niveau_automatisation"].label_of
    for exported in document["records"]:
        source = seeded[exported["id"]].data
        assert exported["name"] == source["nom"]
        assert exported["description_short"] == source["finalite"]
        assert exported["organization"] == source["administration"]["nom"]
        assert (
            exported["status"]
            == {
                "en_service": "In gebruik",
                "en_developpement": "In ontwikkeling",
                "experimentation": "In ontwikkeling",
                "retire": "Buiten gebruik",
            }[source["statut"]]
        )
        assert exported["contact_email"] == source["contact"].removeprefix("mailto:")
        assert exported["lawful_basis"].split("\n") == [
            item["titre"] for item in source["fondements_juridiques"]
        ]
        assert exported["lawful_basis_grouping"] == (
            [
                {"title": item["titre"], "link": item["url"]}
                for item in source["fondements_juridiques"]
                if item.get("url")
            ]
            or None
        )
        assert source["finalite"].strip() in exported["goal"]
        assert source["public_concerne"].strip() in exported["goal"]
        assert levels[source["niveau_automatisation"]] in exported["human_intervention"]
        assert source["intervention_dans_la_decision"].strip() in exported["human_intervention"]
        code = [r["url"] for r in source.get("ressources") or [] if r["type"] == "code_source"]
        assert exported["publiccode"] == (code[0] if code else None)
        assert exported["publication_category"] == "Impactvolle algoritmes"
        assert exported["standard_version"] == "1.0"
        assert exported["source_id"] == exported["id"]
        assert exported["lang"] is None  # texts are French: not claimed as Dutch
    retired = [r for r in document["records"] if seeded[r["id"]].data["statut"] == "retire"]
    assert retired and all(r["status"] == "Buiten gebruik" for r in retired)
    rsa = {r["id"]: r for r in document["records"]}["calcul-rsa"]
    listed = {item["field"]: item["value"] for item in rsa["unmapped"]}
    source = seeded["calcul-rsa"].data
    assert listed["ressources[].url"] == [r["url"] for r in source["ressources"]]
    assert "fondements_juridiques[].url" not in listed  # carried by lawful_basis_grouping


def test_algoritmeregister_targets_are_the_official_fields() -> None:
    """Produced or listed as without source: exactly the fields of the official v1.0 config."""
    standard = ALGORITMEREGISTER
    names = [t.name for t in standard.targets] + [standard.id_target]
    names += [name for name, _ in standard.without_source]
    assert len(names) == len(set(names))
    assert not set(names) - set(DUTCH_FIELDS), "not a field of the standard"
    assert not set(DUTCH_FIELDS) - set(names), "field of the standard neither mapped nor listed"
    assert standard.version in DUTCH_PERMITTED["standard_version"]
    assert set(DUTCH_STATUS.values()) <= set(DUTCH_PERMITTED["status"])
    assert set(DUTCH_STATUS) == set(by_path()["statut"].label_of)


def test_algoritmeregister_export_has_official_shape_and_values(
    seeded, project_root: Path, tmp_path: Path
) -> None:
    document = _dutch_export(project_root, tmp_path)
    groupings = [name for name in DUTCH_FIELDS if name.endswith("_grouping")]
    for exported in document["records"]:
        assert set(exported) - {"id", "dossier", "unmapped"} == set(DUTCH_FIELDS)
        for name, permitted in DUTCH_PERMITTED.items():
            assert exported[name] is None or exported[name] in permitted, (exported["id"], name)
        for name in groupings:
            for item in exported[name] or []:
                assert tuple(item) == DUTCH_GROUPING_ITEM_FIELDS
                assert item["title"] and item["link"].startswith(("http://", "https://"))


def test_algoritmeregister_contact_links_and_data_sources(seeded) -> None:
    base = seeded["calcul-rsa"]
    data = dict(base.data)
    data["contact"] = "mailto:contact@caf.fr"
    data["fondements_juridiques"] = [
        {"titre": "Article sans adresse"},
        {"titre": "Article L262-1", "url": "https://www.legifrance.gouv.fr/a"},
    ]
    data["ressources"] = [
        {"type": "donnees", "titre": "Barèmes", "url": "https://www.data.gouv.fr/b"},
        {"type": "donnees", "url": "https://www.data.gouv.fr/c"},
        {"type": "code_source", "url": "https://github.com/openfisca/openfisca-france"},
    ]
    exported = map_record(replace(base, data=data), ALGORITMEREGISTER)
    assert exported["contact_email"] == "contact@caf.fr"
    assert exported["lawful_basis"] == "Article sans adresse\nArticle L262-1"
    assert exported["lawful_basis_grouping"] == [
        {"title": "Article L262-1", "link": "https://www.legifrance.gouv.fr/a"}
    ]
    assert exported["source_data_grouping"] == [
        {"title": "Barèmes", "link": "https://www.data.gouv.fr/b"},
        {"title": "https://www.data.gouv.fr/c", "link": "https://www.data.gouv.fr/c"},
    ]
    assert exported["publiccode"] == "https://github.com/openfisca/openfisca-france"
    assert exported["website"] is None  # no documentation, form, text or other resource
    assert "données personnelles : oui" in exported["source_data"]
    listed = {item["field"]: item["value"] for item in exported["unmapped"]}
    assert listed["ressources[].type"] == ["donnees", "donnees", "code_source"]


def test_atrs_phases_are_govuk_labels() -> None:
    assert set(ATRS_PHASES) == set(by_path()["statut"].label_of)
    assert set(ATRS_PHASES.values()) <= set(ATRS_PHASE_LABELS)
    assert "vérifier" in ATRS.verification  # tier field names are not verified


def test_mapping_tables_in_french_and_on_the_format_page() -> None:
    text = mapping_markdown()
    assert "## Exports vers d'autres registres" in text
    for standard in STANDARDS.values():
        assert f"version {standard.version}" in text
        for target in standard.targets:
            assert f"`{target.name}`" in text
        for path in standard.unmapped_fields():
            assert f"- `{path}` :" in text
        for name, _ in standard.without_source:
            assert f"- `{name}` :" in text
    from inventory.site.format import page

    assert text in page(load_schema(), None)


def test_unknown_format_is_refused(project_root: Path, tmp_path: Path) -> None:
    code, output = _export(project_root, tmp_path, "csv-uk")
    assert code == 2
    assert "csv-uk" in output
