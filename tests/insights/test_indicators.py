"""Transparency indicators on a small known data set (inventory.insights.indicators)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from inventory.atomic import write_text
from inventory.catalogue.snapshot import CatalogueSnapshot
from inventory.exports.indicators import csv_header, to_csv
from inventory.insights.indicators import (
    BY_CODE,
    INDICATORS,
    Share,
    compute_all,
    display,
    overall,
)
from inventory.insights.links import match_resources
from inventory.model import Record, Repository
from inventory.site.sitedata import SiteData
from tests.insights.helpers import record, repo

TODAY = dt.date(2026, 11, 28)


@dataclass(frozen=True)
class Admin:
    slug: str
    name: str
    pso_id: str
    records: tuple[Record, ...]
    repositories: tuple[Repository, ...]


def dataset() -> tuple[list[Admin], list[Record], list[Repository]]:
    r1 = repo("https://github.com/dgfip/calcul-impot")
    r2 = repo("https://gitlab.com/dgfip/outils/foncier", forge="gitlab")
    r3 = repo("https://github.com/dgfip/autre", is_fork=True)
    r4 = repo("https://gitlab.adullact.net/ville/creches", forge="gitlab")
    dgfip_records = (
        # published (matches r1), up to date (exactly one year before), fully automated
        record(
            "impot",
            "https://github.com/DGFiP/calcul-impot.git",
            date_mise_a_jour=dt.date(2025, 11, 28),
            niveau_automatisation="decision_entierement_automatisee",
        ),
        # declared but not crawled, stale (one day too old), decision support
        record(
            "fraude",
            "https://git.example.fr/dgfip/fraude",
            date_mise_a_jour=dt.date(2025, 11, 27),
            niveau_automatisation="aide_a_la_decision",
        ),
        # no code, up to date as an ISO string, fully automated
        record(
            "foncier",
            date_mise_a_jour="2026-06-01",
            niveau_automatisation="decision_entierement_automatisee",
        ),
    )
    ville_records = (
        record(
            "creches",
            "https://gitlab.adullact.net/ville/creches/-/tree/main",
            date_mise_a_jour=dt.date(2026, 1, 1),
            niveau_automatisation="aide_a_la_decision",
        ),
    )
    admins = [
        Admin("dgfip", "DGFiP", "p1", dgfip_records, (r1, r2, r3)),
        Admin("ville", "Ville", "p2", ville_records, (r4,)),
        Admin("sans-fiche", "Opérateur", "", (), (repo("https://github.com/op/x"),)),
    ]
    records = [*dgfip_records, *ville_records]
    repos = [r1, r2, r3, r4, *admins[2].repositories]
    return admins, records, repos


def test_exact_values_per_administration() -> None:
    admins, records, repos = dataset()
    links = match_resources(records, repos)
    dgfip, ville, operateur = compute_all(admins, links, TODAY)
    assert dgfip.values == {
        "algorithmes": 3,
        "code_publie": Share(1, 3),
        "code_declare": Share(2, 3),
        "a_jour": Share(2, 3),
        "decision_automatisee": Share(2, 3),
        "depots": 3,
        "forges": 2,
        "engagements_a_temps": None,
        "engagements_en_retard": None,
        "engagements_a_venir": None,
    }
    assert ville.values == {
        "algorithmes": 1,
        "code_publie": Share(1, 1),
        "code_declare": Share(1, 1),
        "a_jour": Share(1, 1),
        "decision_automatisee": Share(0, 1),
        "depots": 1,
        "forges": 1,
        "engagements_a_temps": None,
        "engagements_en_retard": None,
        "engagements_a_venir": None,
    }
    # No algorithm: the shares are not applicable (None), not 0 %.
    assert operateur.values == {
        "algorithmes": 0,
        "code_publie": None,
        "code_declare": None,
        "a_jour": None,
        "decision_automatisee": None,
        "depots": 1,
        "forges": 1,
        "engagements_a_temps": None,
        "engagements_en_retard": None,
        "engagements_a_venir": None,
    }
    total = overall(admins, links, TODAY)
    assert total["algorithmes"] == 4
    assert total["code_publie"] == Share(2, 4)
    assert total["a_jour"] == Share(3, 4)
    assert total["forges"] == 3
    assert total["depots"] == 5


def test_future_dates_are_not_up_to_date() -> None:
    admin = Admin("a", "A", "", (record("x", date_mise_a_jour=dt.date(2027, 1, 1)),), ())
    (row,) = compute_all([admin], match_resources(admin.records, []), TODAY)
    assert row["a_jour"] == Share(0, 1)


def test_display_in_french() -> None:
    assert display(Share(2, 3)) == "67\u202f%"
    assert display(None) == "—"
    assert display(12) == "12"


def test_every_indicator_is_documented_once() -> None:
    codes = [indicator.code for indicator in INDICATORS]
    assert len(codes) == len(set(codes)) == 10
    assert all(i.label_fr and i.description_fr.endswith(".") for i in INDICATORS)
    assert BY_CODE["code_publie"].is_share and not BY_CODE["depots"].is_share


def test_csv_export(tmp_path) -> None:
    admins, records, repos = dataset()
    rows = compute_all(admins, match_resources(records, repos), TODAY)
    target = tmp_path / "out" / "indicateurs.csv"
    write_text(target, to_csv(rows))
    lines = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert lines[0] == csv_header()
    assert lines[0][:6] == [
        "administration",
        "slug",
        "pso_id",
        "algorithmes",
        "code_publie",
        "code_publie_nombre",
    ]
    dgfip = dict(zip(lines[0], lines[1], strict=True))
    assert dgfip["code_publie"] == "0.3333" and dgfip["code_publie_nombre"] == "1"
    assert dgfip["forges"] == "2"
    operateur = dict(zip(lines[0], lines[3], strict=True))
    assert operateur["a_jour"] == "" and operateur["depots"] == "1"
    assert not list((tmp_path / "out").glob(".*.tmp"))


def test_works_on_the_site_grouping() -> None:
    _, records, repos = dataset()
    catalogue = CatalogueSnapshot(repositories=tuple(repos))
    site = SiteData(records=tuple(records), catalogue=catalogue, crawled=True)
    administrations = site.index.administrations
    rows = compute_all(administrations, match_resources(records, repos), TODAY)
    assert sum(row["algorithmes"] for row in rows) == 4
    assert {row.slug for row in rows} == {a.slug for a in administrations}
