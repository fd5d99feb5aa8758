"""The seeded register (``algorithms/``) passes the real checker and covers the model's range.

These tests read the records shipped with the project, not fixtures: they fail as soon as a
seeded record stops validating or the seed stops covering both automation levels, the three
algorithm types and both decision scopes.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from inventory.model import Level
from inventory.register.validate import CheckResult, check_paths

PROJECT = Path(__file__).resolve().parent.parent.parent
SEED = PROJECT / "algorithms"


@pytest.fixture(scope="module")
def seed() -> CheckResult:
    if not SEED.is_dir():
        pytest.fail(f"le dossier des fiches est absent : {SEED}")
    return check_paths([SEED])


def test_seed_has_no_errors(seed: CheckResult) -> None:
    shown = [f"{p.path}:{p.line}:{p.column}: {p.message}" for p in seed.errors]
    assert shown == []


def test_seed_folders_each_name_one_administration(seed: CheckResult) -> None:
    mixed = [p for p in seed.problems if p.level is Level.WARNING and p.code == "mixed-folder"]
    assert mixed == []


def test_seed_has_at_least_fifteen_records(seed: CheckResult) -> None:
    files = sorted(SEED.rglob("*.yml"))
    assert len(seed.records) >= 15
    # Every file on disk was read as a record: none was skipped silently.
    assert len(seed.records) == len(files)


def test_seed_ids_are_unique(seed: CheckResult) -> None:
    counts = Counter(record.id for record in seed.records)
    assert [rid for rid, n in counts.items() if n > 1] == []
    assert {record.id for record in seed.records} == {path.stem for path in SEED.rglob("*.yml")}


def _values(seed: CheckResult, key: str) -> set[str]:
    return {record.data[key] for record in seed.records if key in record.data}


def test_seed_covers_both_automation_levels(seed: CheckResult) -> None:
    assert _values(seed, "niveau_automatisation") == {
        "decision_entierement_automatisee",
        "aide_a_la_decision",
    }


def test_seed_covers_the_three_algorithm_types(seed: CheckResult) -> None:
    assert _values(seed, "type_algorithme") == {
        "systeme_de_regles",
        "apprentissage_automatique",
        "hybride",
    }


def test_seed_covers_both_decision_scopes(seed: CheckResult) -> None:
    assert _values(seed, "portee_decision") == {"externe", "interne"}


def test_seed_records_sit_in_their_administration_folder(seed: CheckResult) -> None:
    for record in seed.records:
        assert record.path.parent.name == record.folder
        assert record.data["administration"]["nom"].strip()
