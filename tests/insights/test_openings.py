"""Announced code openings against a real crawl database: each status, renames, deletions,
open-by-default counts, indicators."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from inventory.catalogue.store import read_snapshot
from inventory.insights.openings import (
    FROM_CRAWL,
    FROM_CREATION,
    LATE,
    OPEN,
    OPEN_LATE,
    UNTRACKED,
    UPCOMING,
    Event,
    Tracked,
    track,
)
from inventory.insights.overview import compute
from tests.insights.openings_fixture import TODAY, crawl_database, roadmap, snapshot


@pytest.fixture
def tracked(tmp_path: Path) -> dict[str, Tracked]:
    openings = track([roadmap(tmp_path)], snapshot(tmp_path), TODAY)
    return {t.commitment.code: t for t in openings.tracked}


def test_the_crawl_keeps_first_sightings_departures_and_moves(tmp_path: Path) -> None:
    catalogue = read_snapshot(crawl_database(tmp_path / "c.sqlite3"))
    assert catalogue.first_seen["github.com/5"].startswith("2022-05-01")
    [gone] = catalogue.departed
    assert (gone.repository_url, gone.departed_at[:10], gone.first_seen[:10]) == (
        "https://github.com/etalab/supprime",
        "2023-03-01",
        "2022-05-01",
    )
    assert gone.creation_date == "2021-12-01T09:00:00Z"
    assert catalogue.moves == {
        "https://github.com/etalab/ancien-nom": "https://github.com/etalab/nouveau-nom"
    }


def test_opened_before_the_deadline(tracked: dict[str, Tracked]) -> None:
    kept = tracked["Outil à temps"]
    assert (kept.status, kept.opened, kept.opened_from) == (
        OPEN,
        dt.date(2021, 10, 15),
        FROM_CREATION,
    )
    assert kept.delay_days is None and kept.notes == ()
    assert kept.events == (Event(dt.date(2021, 10, 15), OPEN),)


def test_opened_after_the_deadline_with_the_delay(tracked: dict[str, Tracked]) -> None:
    late = tracked["Outil en retard"]
    assert late.status == OPEN_LATE
    assert late.opened == dt.date(2022, 1, 10)
    assert late.delay_days == (dt.date(2022, 1, 10) - dt.date(2021, 9, 30)).days == 102
    # Late from the day after the quarter's last day, then opened.
    assert late.events == (
        Event(dt.date(2021, 10, 1), LATE),
        Event(dt.date(2022, 1, 10), OPEN_LATE),
    )


def test_deadline_passed_and_nothing_found(tracked: dict[str, Tracked]) -> None:
    late = tracked["Outil jamais ouvert"]
    assert late.status == LATE and late.opened is None
    assert late.delay_days == (TODAY - dt.date(2022, 3, 31)).days
    assert late.events == (Event(dt.date(2022, 4, 1), LATE),)


def test_deadline_to_come(tracked: dict[str, Tracked]) -> None:
    upcoming = tracked["Outil futur"]
    assert (upcoming.status, upcoming.events) == (UPCOMING, ())


def test_the_deadline_day_itself_is_not_late(tmp_path: Path) -> None:
    [roadmap_] = [roadmap(tmp_path)]
    on_the_day = track([roadmap_], snapshot(tmp_path), dt.date(2022, 3, 31))
    day_after = track([roadmap_], snapshot(tmp_path), dt.date(2022, 4, 1))
    code = "Outil jamais ouvert"
    assert next(t for t in on_the_day.tracked if t.commitment.code == code).status == UPCOMING
    assert next(t for t in day_after.tracked if t.commitment.code == code).status == LATE


@pytest.mark.parametrize(
    ("code", "note"),
    [
        ("Outil sans adresse", "Aucune adresse de dépôt."),
        ("Baromètre", "n'est pas celle d'un dépôt ou d'un compte sur une forge moissonnée"),
        ("Outil d'un compte non moissonné", "ajoutez-le à sources.yml"),
    ],
)
def test_untracked_commitments_say_why(tracked: dict[str, Tracked], code: str, note: str) -> None:
    untracked = tracked[code]
    assert untracked.status == UNTRACKED
    assert note in " ".join(untracked.notes)


def test_a_repository_renamed_since_is_matched_through_the_recorded_move(
    tracked: dict[str, Tracked],
) -> None:
    renamed = tracked["Outil renommé"]
    assert (renamed.status, renamed.opened) == (OPEN, dt.date(2021, 11, 1))
    assert renamed.repository_url == "https://github.com/etalab/nouveau-nom"
    assert "Dépôt renommé ou déplacé" in renamed.notes[0]


def test_a_repository_deleted_since_stays_open_with_a_note(tracked: dict[str, Tracked]) -> None:
    deleted = tracked["Outil supprimé"]
    assert (deleted.status, deleted.opened) == (OPEN, dt.date(2021, 12, 1))
    assert deleted.repository_url == "https://github.com/etalab/supprime"
    assert "n'est plus visible sur la forge depuis le 01/03/2023" in deleted.notes[0]


def test_an_account_open_by_default_counts_its_repositories_by_quarter(
    tracked: dict[str, Tracked],
) -> None:
    beta = tracked["Services ouverts par défaut"]
    assert beta.account and beta.status == OPEN
    # Since the roadmap's date (2021-09-27); the fork and the older repository left out.
    assert beta.created_since == 3
    assert beta.by_quarter == (("T4 2021", 2), ("T1 2022", 1))
    assert beta.opened == dt.date(2021, 8, 1)  # the account's first repository


def test_an_account_renamed_since_is_followed(tracked: dict[str, Tracked]) -> None:
    hub = tracked["Plateforme d'échange"]
    assert hub.account and hub.status == OPEN
    assert hub.opened == dt.date(2022, 2, 1)
    assert hub.repository_url == "https://github.com/nouveau-compte"
    assert "Compte renommé" in hub.notes[0]


def test_without_a_creation_date_the_first_crawl_dates_the_opening(
    tracked: dict[str, Tracked],
) -> None:
    dated = tracked["Outil daté par le moissonnage"]
    assert (dated.status, dated.opened, dated.opened_from) == (
        OPEN_LATE,
        dt.date(2022, 5, 1),
        FROM_CRAWL,
    )
    assert dated.delay_days == 31


def test_without_any_crawl_nothing_is_judged(tmp_path: Path) -> None:
    openings = track([roadmap(tmp_path)], None, TODAY)
    assert {t.status for t in openings.tracked} == {UNTRACKED}
    assert not openings.crawled


def test_an_empty_account_is_late_not_untracked(tmp_path: Path) -> None:
    text = """\
    feuille_de_route:
      titre: T
      administration: {nom: M}
      date: 2021-01-01
    engagements:
      - code: Rien encore
        echeance: T1 2021
        depot: https://github.com/etalab/rien
    """
    openings = track([roadmap(tmp_path, text, "b.yml")], snapshot(tmp_path), TODAY)
    assert openings.tracked[0].status == LATE  # etalab is crawled: nothing there


def test_indicators_per_administration(tmp_path: Path) -> None:
    insights = compute((), snapshot(tmp_path), TODAY, roadmaps=[roadmap(tmp_path)])
    index = insights.administrations
    ministry = index.by_commitment["exemple-2021/outil-a-temps"]
    delegation = index.by_commitment["exemple-2021/barometre"]
    assert (ministry.name, ministry.sigle) == ("Ministère de l'Exemple", "ME")
    assert delegation.name == "Délégation de l'Exemple" and delegation.slug != ministry.slug
    row = insights.rows[ministry.slug]
    # On time: à temps, renommé, supprimé, par défaut, compte renommé; late: en retard,
    # jamais, daté par le moissonnage; to come: futur; untracked: 2 of the ministry's.
    assert (
        row["engagements_a_temps"],
        row["engagements_en_retard"],
        row["engagements_a_venir"],
    ) == (5, 3, 1)
    assert insights.rows[delegation.slug]["engagements_a_temps"] == 0
    assert insights.total["engagements_a_temps"] == 5
    assert insights.openings.counts()[UNTRACKED] == 3


def test_the_benchmark_roadmaps_are_valid_and_meet_every_status(tmp_path: Path) -> None:
    from benchmarks.bench_openings import make_catalogue, make_roadmaps

    catalogue = make_catalogue(3000)
    roadmaps = make_roadmaps(tmp_path, 50, catalogue)
    openings = track(roadmaps, catalogue, TODAY)
    assert len(openings.tracked) == 50
    assert {t.status for t in openings.tracked} == {OPEN, OPEN_LATE, LATE, UPCOMING, UNTRACKED}
