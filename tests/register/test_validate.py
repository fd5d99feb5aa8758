"""The schema's French messages, the cross-record rules and ``check_paths``."""

from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from inventory.model import Level, Problem
from inventory.register.validate import SCHEMA_PATH, check_paths, load_schema
from tests.register.helpers import TODAY, VALID_TEXT, valid_data, write_record


def _check(register: Path, **kwargs: Any):
    return check_paths([register], today=kwargs.pop("today", TODAY), **kwargs)


def _problems(register: Path, data: Any = None, *, text: str | None = None) -> list[Problem]:
    write_record(register, "cnaf", "prime-activite.yml", data, text=text)
    return list(_check(register).problems)


def _one(register: Path, data: Any = None, *, text: str | None = None) -> Problem:
    problems = _problems(register, data, text=text)
    assert len(problems) == 1, problems
    return problems[0]


# --- the schema itself -----------------------------------------------------------------------


def _objects(schema: Any, path: str = "#") -> list[tuple[str, dict]]:
    found = []
    if isinstance(schema, dict):
        if schema.get("type") == "object":
            found.append((path, schema))
        for key, value in schema.items():
            found.extend(_objects(value, f"{path}/{key}"))
    elif isinstance(schema, list):
        for index, value in enumerate(schema):
            found.extend(_objects(value, f"{path}/{index}"))
    return found


def test_schema_is_valid_draft_2020_12() -> None:
    schema = load_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_every_object_refuses_unknown_keys_and_every_property_is_documented() -> None:
    objects = _objects(load_schema())
    assert len(objects) == 6  # the record, administration and the four list items
    for path, schema in objects:
        assert schema["additionalProperties"] is False, path
        for name, prop in schema["properties"].items():
            assert prop.get("title", "").strip(), f"{path}/{name}: title"
            assert len(prop.get("description", "")) > 10, f"{path}/{name}: description"


def test_schema_keys_follow_the_issue_table() -> None:
    schema = load_schema()
    assert list(schema["properties"]) == [
        "nom", "administration", "contact", "date_mise_a_jour", "statut", "contexte",
        "finalite", "intervention_dans_la_decision", "niveau_automatisation",
        "fondements_juridiques", "decisions_par_an", "portee_decision", "public_concerne",
        "donnees", "type_algorithme", "operations", "parametres", "ressources",
    ]  # fmt: skip
    assert set(schema["required"]) == {
        "nom", "administration", "contact", "date_mise_a_jour", "statut", "finalite",
        "intervention_dans_la_decision", "niveau_automatisation", "fondements_juridiques",
        "public_concerne", "donnees", "type_algorithme", "operations",
    }  # fmt: skip
    ressource = schema["properties"]["ressources"]["items"]
    assert ressource["properties"]["type"]["enum"] == [
        "code_source", "logigramme", "documentation", "formulaire", "texte", "donnees", "autre",
    ]  # fmt: skip


def test_the_schema_file_is_the_one_used() -> None:
    assert SCHEMA_PATH.name == "algorithme.schema.json"
    assert SCHEMA_PATH.parent.name == "schemas"


# --- messages per keyword --------------------------------------------------------------------


def test_valid_record_has_no_problem(register: Path) -> None:
    result = _check(register) if write_record(register, "cnaf", "prime-activite.yml") else None
    assert result is not None and result.ok and result.problems == ()
    assert [r.id for r in result.records] == ["prime-activite"]


def test_missing_required_field_is_located_at_its_parent(register: Path) -> None:
    text = VALID_TEXT.replace("finalite: |\n  Calculer le montant de la prime.\n", "")
    problem = _one(register, text=text)
    assert (problem.field, problem.line, problem.column) == ("finalite", 1, 1)
    assert problem.message == (
        "champ obligatoire manquant : « finalite » (Finalité de l'algorithme)"
    )


def test_missing_nested_field_is_located_at_the_list_item(register: Path) -> None:
    text = VALID_TEXT.replace("    source: Déclaration de l'allocataire\n", "")
    problem = _one(register, text=text)
    assert (problem.field, problem.line) == ("donnees[0].source", 17)
    assert "« donnees[0].source »" in problem.message


def test_all_missing_fields_are_reported(register: Path) -> None:
    problems = _problems(register, {"nom": "Seul"})
    fields = {p.field for p in problems}
    assert fields == {
        "administration", "contact", "date_mise_a_jour", "statut", "finalite",
        "intervention_dans_la_decision", "niveau_automatisation", "fondements_juridiques",
        "public_concerne", "donnees", "type_algorithme", "operations",
    }  # fmt: skip


def test_misspelt_key_suggests_the_right_one_at_its_line(register: Path) -> None:
    text = VALID_TEXT.replace("finalite: |", "finalité: |")
    problems = _problems(register, text=text)
    unknown = next(p for p in problems if p.code == "schema-additionalProperties")
    assert (unknown.field, unknown.line, unknown.column) == ("finalité", 8, 1)
    assert "vouliez-vous dire « finalite » ?" in unknown.message
    assert {p.code for p in problems} == {"schema-additionalProperties", "schema-required"}


def test_misspelt_nested_key_suggests_within_its_mapping(register: Path) -> None:
    problem = _one(register, text=VALID_TEXT.replace("  sigle: CNAF", "  sigel: CNAF"))
    assert (problem.field, problem.line) == ("administration.sigel", 4)
    assert "(dans « administration »)" in problem.message
    assert "vouliez-vous dire « sigle » ?" in problem.message


def test_unknown_key_without_close_match_lists_allowed_keys(register: Path) -> None:
    problem = _one(register, text=VALID_TEXT + "zzzz: 1\n")
    assert "champs admis : nom, administration, contact" in problem.message


def test_misspelt_enum_value_suggests_the_closest(register: Path) -> None:
    problem = _one(register, text=VALID_TEXT.replace("statut: en_service", "statut: en-service"))
    assert (problem.field, problem.line, problem.code) == ("statut", 7, "schema-enum")
    assert "valeurs possibles : en_service, en_developpement, experimentation, retire" in (
        problem.message
    )
    assert problem.message.endswith("vouliez-vous dire « en_service » ?")


def test_wrong_type_names_expected_and_found(register: Path) -> None:
    problem = _one(register, valid_data(decisions_par_an="beaucoup"))
    assert problem.field == "decisions_par_an"
    assert problem.message == (
        "« decisions_par_an » : il faut un nombre entier, et non un texte (« beaucoup »)"
    )


def test_boolean_where_text_is_expected_explains_quoting(register: Path) -> None:
    problem = _one(register, text=VALID_TEXT.replace("sigle: CNAF", "sigle: true"))
    assert "mettez le texte entre guillemets" in problem.message


def test_empty_required_text_is_reported_as_empty(register: Path) -> None:
    problem = _one(
        register, text=VALID_TEXT.replace("operations: Application du barème.", "operations:")
    )
    assert (problem.field, problem.line) == ("operations", 20)
    assert problem.message == "« operations » est vide : il faut un texte"


def test_blank_text_is_refused(register: Path) -> None:
    problem = _one(register, valid_data(nom="   "))
    assert problem.message == "« nom » est vide : il faut un texte"


def test_empty_list_needs_one_item(register: Path) -> None:
    problem = _one(register, valid_data(fondements_juridiques=[]))
    assert problem.code == "schema-minItems"
    assert "au moins 1 élément" in problem.message


def test_negative_count_is_refused(register: Path) -> None:
    problem = _one(register, valid_data(decisions_par_an=-3))
    assert problem.code == "schema-minimum"
    assert "supérieur ou égal à 0" in problem.message


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,x", "ftp://exemple.fr/a", "www.exemple.fr"]
)
def test_only_http_urls_are_accepted(register: Path, url: str) -> None:
    data = valid_data()
    data["ressources"][0]["url"] = url
    problem = _one(register, data)
    assert problem.field == "ressources[0].url"
    assert "http:// ou https://" in problem.message


@pytest.mark.parametrize(
    ("contact", "valid"),
    [
        ("algorithmes@exemple.fr", True),
        ("mailto:algorithmes@exemple.fr", True),
        ("https://www.exemple.fr/contact", True),
        ("javascript:alert(1)", False),
        ("algorithmes", False),
        ("mailto:", False),
    ],
)
def test_contact_is_an_email_or_web_address(register: Path, contact: str, valid: bool) -> None:
    problems = _problems(register, valid_data(contact=contact))
    assert (problems == []) is valid
    if not valid:
        assert "adresse électronique" in problems[0].message


def test_pso_id_must_be_a_uuid(register: Path) -> None:
    data = valid_data()
    data["administration"]["pso_id"] = "1234"
    problem = _one(register, data)
    assert problem.field == "administration.pso_id"
    assert "UUID" in problem.message


@pytest.mark.parametrize("value", ["2026-02-30", "2025-13-01"])
def test_impossible_dates_are_errors_quoted_or_not(register: Path, value: str) -> None:
    for text in (f"date_mise_a_jour: {value}", f'date_mise_a_jour: "{value}"'):
        problem = _one(register, text=VALID_TEXT.replace("date_mise_a_jour: 2026-03-01", text))
        assert (problem.field, problem.line, problem.code) == (
            "date_mise_a_jour",
            6,
            "schema-format",
        )
        assert f"date impossible « {value} »" in problem.message


def test_dates_must_be_written_as_iso(register: Path) -> None:
    problem = _one(register, text=VALID_TEXT.replace("2026-03-01", "01/03/2026"))
    assert "format AAAA-MM-JJ" in problem.message


# --- dates against today ----------------------------------------------------------------------


def test_future_date_is_an_error(register: Path) -> None:
    problem = _one(register, valid_data(date_mise_a_jour=TODAY + timedelta(days=1)))
    assert (problem.level, problem.code, problem.line) == (Level.ERROR, "date-future", 8)
    assert "2026-06-16 est dans le futur" in problem.message


def test_date_older_than_twelve_months_is_a_warning(register: Path) -> None:
    write_record(register, "cnaf", "ancienne.yml", valid_data(date_mise_a_jour=date(2025, 6, 14)))
    write_record(register, "cnaf", "limite.yml", valid_data(date_mise_a_jour=date(2025, 6, 15)))
    result = _check(register)
    assert result.ok
    [warning] = result.warnings
    assert warning.path.endswith("ancienne.yml")
    assert warning.code == "date-stale"
    assert "plus de 12 mois" in warning.message


def test_twelve_months_from_the_29th_of_february(register: Path) -> None:
    write_record(register, "cnaf", "a.yml", valid_data(date_mise_a_jour=date(2027, 2, 27)))
    result = check_paths([register], today=date(2028, 2, 29))
    assert [p.code for p in result.problems] == ["date-stale"]


# --- rules across records ---------------------------------------------------------------------


def test_same_id_in_two_folders_names_both_files_on_each(register: Path) -> None:
    first = write_record(register, "cnaf", "prime-activite.yml")
    second = write_record(register, "msa", "prime-activite.yml")
    result = _check(register)
    assert not result.ok
    assert [p.path for p in result.errors] == [first.as_posix(), second.as_posix()]
    for problem in result.errors:
        assert problem.code == "duplicate-id"
        assert first.as_posix() in problem.message and second.as_posix() in problem.message


def test_folder_naming_different_administrations_is_a_warning(register: Path) -> None:
    write_record(register, "cnaf", "a.yml")
    write_record(register, "cnaf", "b.yml")
    other = valid_data(administration={"nom": "Mutualité sociale agricole"})
    odd = write_record(register, "cnaf", "c.yml", other)
    write_record(register, "msa", "d.yml", other)
    result = _check(register)
    assert result.ok
    [warning] = result.warnings
    assert (warning.path, warning.code, warning.line) == (odd.as_posix(), "mixed-folder", 3)
    assert "« cnaf »" in warning.message
    assert "« Caisse nationale des allocations familiales » dans a.yml, b.yml" in warning.message


def test_same_administration_written_differently_is_not_mixed(register: Path) -> None:
    write_record(register, "cnaf", "a.yml")
    upper = valid_data(administration={"nom": "Caisse nationale des allocations  FAMILIALES"})
    write_record(register, "cnaf", "b.yml", upper)
    assert _check(register).problems == ()


# --- check_paths: files, folders, order, results ------------------------------------------------


def test_problems_are_sorted_by_file_and_line(register: Path) -> None:
    write_record(register, "b", "deux.yml", valid_data(statut="x", contact="y"))
    write_record(register, "a", "un.yml", valid_data(nom=1))
    result = _check(register)
    keys = [(p.path, p.line or 0) for p in result.problems]
    assert keys == sorted(keys)
    assert len(result.errors) == 3 and result.warnings == ()


def test_folder_file_and_missing_paths(register: Path, tmp_path: Path) -> None:
    good = write_record(register, "cnaf", "a.yml")
    write_record(register, "cnaf", "b.yml", text="- liste\n")
    notes = tmp_path / "notes.txt"
    notes.write_text("x", encoding="utf-8")
    result = check_paths([good, register / "cnaf", tmp_path / "absent", notes], today=TODAY)
    assert len(result.files) == 2  # a.yml counted once
    assert [r.id for r in result.records] == ["a"]
    codes = {(Path(p.path).name, p.code) for p in result.problems}
    assert codes == {
        ("b.yml", "file-not-mapping"),
        ("absent", "file-missing"),
        ("notes.txt", "file-type"),
    }
    assert [r.id for r in result.valid_records] == ["a"]


def test_a_single_file_uses_its_parent_as_folder(register: Path) -> None:
    path = write_record(register, "cnaf", "a.yml")
    result = check_paths([path], today=TODAY)
    assert result.ok and result.records[0].folder == "cnaf"


def test_an_empty_register_is_a_warning(register: Path) -> None:
    result = _check(register)
    assert result.ok and [p.code for p in result.warnings] == ["no-records"]


def test_hidden_folders_and_yaml_extension(register: Path) -> None:
    write_record(register, ".git", "x.yml", text="- pas une fiche\n")
    write_record(register, "cnaf", "b.yaml")
    result = _check(register)
    assert result.ok and [r.id for r in result.records] == ["b"]


def test_check_never_modifies_files(register: Path) -> None:
    paths = [
        write_record(register, "cnaf", "a.yml"),
        write_record(register, "cnaf", "b.yml", text=VALID_TEXT + "statut: retire\n"),
        write_record(register, "msa", "a.yml", raw=b"nom: \xff\n"),
    ]
    before = {p: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns) for p in paths}
    listing = sorted(str(p) for p in register.rglob("*"))
    _check(register)
    after = {p: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns) for p in paths}
    assert after == before
    assert sorted(str(p) for p in register.rglob("*")) == listing


def test_check_result_is_frozen_and_json_friendly(register: Path) -> None:
    write_record(register, "cnaf", "a.yml", valid_data(statut="x"))
    result = _check(register)
    with pytest.raises(AttributeError):
        result.problems = ()  # type: ignore[misc]
    assert json.dumps([p.message for p in result.problems], ensure_ascii=False)


def test_check_jsonschema_agrees_on_valid_and_invalid_files(register: Path) -> None:
    """The schema file works with another validator: same verdicts as ``inventory check``."""
    import shutil
    import subprocess

    executable = shutil.which("check-jsonschema")
    if executable is None:
        pytest.skip("check-jsonschema n'est pas installé (pip install -e '.[test]')")
    quoted = VALID_TEXT.replace("date_mise_a_jour: 2026-03-01", 'date_mise_a_jour: "2026-03-01"')
    cases = {
        "valide.yml": (quoted, True),
        "statut.yml": (quoted.replace("statut: en_service", "statut: actif"), False),
        "url.yml": (quoted.replace("url: https://", "url: javascript://"), False),
        "date.yml": (quoted.replace('"2026-03-01"', '"2026-02-30"'), False),
        "inconnu.yml": (quoted + "finalites: x\n", False),
    }
    for name, (text, valid) in cases.items():
        path = write_record(register, "cnaf", name, text=text)
        ours = check_paths([path], today=TODAY).ok
        theirs = subprocess.run(
            [executable, "--schemafile", str(SCHEMA_PATH), str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert ours is valid, name
        assert (theirs.returncode == 0) is valid, (name, theirs.stdout)
