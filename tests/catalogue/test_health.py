"""Health signals and score (inventory.catalogue.health)."""

from __future__ import annotations

import datetime as dt

import pytest

from inventory.catalogue.health import MAX_SCORE, HealthSignals, detail, score
from inventory.catalogue.publiccode import check
from tests.catalogue.test_publiccode import VALID
from tests.insights.helpers import repo

TODAY = dt.date(2026, 11, 28)
URL = "https://github.com/etalab/taxe"


def full_signals(valid: bool = True) -> HealthSignals:
    text = VALID if valid else VALID.replace("EUPL-1.2", "Maison")
    return HealthSignals(True, True, True, True, True, check(text, URL))


def test_a_perfect_repository_scores_the_maximum() -> None:
    r = repo(URL, license="EUPL-1.2", description="Calcul", last_update="2026-10-01T10:00:00Z")
    assert score(r, full_signals(), TODAY) == MAX_SCORE == 100


def test_each_row_of_the_table() -> None:
    r = repo(URL, last_update="2025-06-01")
    d = detail(r, full_signals(valid=False), TODAY)
    assert (d.license, d.publiccode, d.readme, d.contributing, d.changelog) == (20, 10, 15, 10, 5)
    assert (d.description, d.activity, d.factor) == (0, 5, 1.0)
    assert d.total == 65


@pytest.mark.parametrize(
    ("last_update", "points"),
    [
        ("2026-08-30", 25),
        ("2026-08-29", 15),
        ("2025-11-28", 15),
        ("2025-11-27", 5),
        ("2024-11-28", 5),
        ("2024-11-27", 0),
        (None, 0),
        ("pas une date", 0),
    ],
)
def test_activity_steps(last_update, points) -> None:
    assert detail(repo(URL, last_update=last_update), None, TODAY).activity == points


def test_forks_and_archived_are_ranked_down() -> None:
    values = dict(license="MIT", description="x", last_update="2026-11-01")
    base = score(repo(URL, **values), full_signals(), TODAY)
    fork = score(repo(URL, is_fork=True, **values), full_signals(), TODAY)
    archived = score(repo(URL, is_archived=True, **values), full_signals(), TODAY)
    both = score(repo(URL, is_fork=True, is_archived=True, **values), full_signals(), TODAY)
    assert (base, fork, archived, both) == (100, 50, 50, 25)


def test_without_signals_only_the_listing_counts() -> None:
    r = repo(URL, license="MIT", description="x", last_update="2026-11-01")
    assert score(r, None, TODAY) == 20 + 5 + 25


def test_signals_from_file_names() -> None:
    signals = HealthSignals.from_file_names(
        ["README.md", "LICENCE", "CONTRIBUTING.rst", "CHANGELOG.md", "publiccode.yml", "src"]
    )
    assert signals == HealthSignals(True, True, True, True, True, None)
    assert (
        HealthSignals.from_file_names(["readme-old.txt", "src", "publiccode.yml.bak"])
        == HealthSignals()
    )
    # A publiccode.yml without its parsed content scores as invalid (it could not be checked).
    assert detail(repo(URL), signals, TODAY).publiccode == 10
