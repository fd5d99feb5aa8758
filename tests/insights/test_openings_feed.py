"""The Atom feed of the commitments' changes of status: valid Atom, dated by the events,
permanent ids, no memory between builds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from inventory.insights.feeds import OPENINGS_FEED, FeedContext, openings_feed
from inventory.insights.openings import track
from tests.insights.openings_fixture import TODAY, roadmap, snapshot
from tests.insights.test_feeds import GENERATED, NO_SITE, SITE, A, check_atom, parse


def _feed(tmp_path: Path, today: dt.date = TODAY, context: FeedContext = SITE):
    openings = track([roadmap(tmp_path)], snapshot(tmp_path), today)
    return parse(openings_feed(openings, context, generated=GENERATED))


def test_valid_atom_newest_change_first(tmp_path: Path) -> None:
    feed = _feed(tmp_path)
    check_atom(feed)
    entries = feed.findall(A + "entry")
    titles = [e.findtext(A + "title") for e in entries]
    updated = [e.findtext(A + "updated") for e in entries]
    assert updated == sorted(updated, reverse=True)
    assert feed.findtext(A + "updated") == updated[0]
    # Every change of status up to today: openings, deadlines passed, late openings.
    assert "Outil jamais ouvert : en retard" in titles
    assert "Outil en retard : ouvert en retard (102 jours après l'échéance)" in titles
    assert "Outil en retard : en retard" in titles  # before it was opened
    assert "Outil à temps : ouvert" in titles
    assert not any(t.startswith("Outil futur") for t in titles)  # nothing happened yet
    late = next(e for e in entries if e.findtext(A + "title") == "Outil jamais ouvert : en retard")
    assert late.findtext(A + "updated") == "2022-04-01T00:00:00Z"
    assert late.find(A + "link").get("href") == (
        "https://inventaire.example.gouv.fr/codes-sources/ouvertures/"
        "#engagement-exemple-2021--outil-jamais-ouvert"
    )
    assert len({e.findtext(A + "id") for e in entries}) == len(entries)


def test_ids_do_not_change_from_one_build_to_the_next(tmp_path: Path) -> None:
    before = _feed(tmp_path, dt.date(2022, 1, 1))
    (tmp_path / "b").mkdir()
    after = _feed(tmp_path / "b", TODAY)
    ids_before = {
        e.findtext(A + "id"): e.findtext(A + "updated") for e in before.findall(A + "entry")
    }
    ids_after = {
        e.findtext(A + "id"): e.findtext(A + "updated") for e in after.findall(A + "entry")
    }
    assert ids_before.items() <= ids_after.items()  # same ids, same dates: only new ones added
    assert len(ids_after) > len(ids_before)


def test_without_a_site_address_links_are_relative(tmp_path: Path) -> None:
    feed = _feed(tmp_path, context=NO_SITE)
    check_atom(feed)
    entry = feed.find(A + "entry")
    assert entry.find(A + "link").get("href").startswith("../codes-sources/ouvertures/#")
    assert entry.findtext(A + "id").startswith("tag:github.com,2026:")
    assert OPENINGS_FEED == "flux/ouvertures.xml"
