"""The insight fragments of the site (inventory.site.insights), without a browser."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET

from inventory.catalogue.snapshot import CatalogueSnapshot
from inventory.exports.publish import Published, write_all
from inventory.site.insights import (
    administration_section,
    home_section,
    indicators_page,
    write_feeds_of,
)
from inventory.site.sitedata import SiteData
from tests.insights.helpers import record, repo

ADMIN = {"nom": "Direction générale des finances publiques", "sigle": "DGFiP"}


def site() -> SiteData:
    records = (
        record(
            "impot",
            "https://github.com/dgfip/calcul",
            administration=ADMIN,
            date_mise_a_jour=dt.date(2026, 6, 1),
            niveau_automatisation="decision_entierement_automatisee",
        ),
        record(
            "fraude",
            "https://github.com/dgfip/absent",
            administration=ADMIN,
            date_mise_a_jour=dt.date(2024, 6, 1),
            niveau_automatisation="aide_a_la_decision",
        ),
    )
    repositories = (
        repo(
            "https://github.com/dgfip/calcul",
            language="Python",
            license="EUPL-1.2",
            creation_date="2025-01-01T00:00:00Z",
        ),
        repo("https://gitlab.com/ville/outil", forge="gitlab", language="<b>Go</b>"),
    )
    return SiteData(
        records=records,
        catalogue=CatalogueSnapshot(repositories=repositories),
        crawled=True,
        generated_at="2026-11-28T10:00:00+00:00",
    )


def test_indicators_are_computed_once_per_build() -> None:
    data = site()
    assert data.insights is data.insights
    insights = data.insights
    assert insights.today == dt.date(2026, 11, 28)
    assert [r.id for r in insights.links.repositories_for("impot")] == ["github.com/dgfip/calcul"]


def test_indicators_page_is_a_sortable_table() -> None:
    data = site()
    text = indicators_page(data)
    assert text.startswith('---\ntitle: "Indicateurs de transparence"')
    fragment = text[text.index('<div class="inv-table-wrapper">') : text.index("</div>") + 6]
    table = ET.fromstring(fragment).find("table")
    assert table.get("data-inv-sortable") is not None
    headers = [th.text for th in table.findall("thead/tr/th")]
    assert headers == [
        "Administration",
        "Algorithmes",
        "Code publié",
        "Code déclaré",
        "À jour",
        "Décision automatisée",
        "Dépôts publics",
        "Forges",
        "Ouvertures tenues à temps",
        "Ouvertures en retard",
        "Ouvertures à venir",
    ]
    rows = {tr.find("th/a").text: tr for tr in table.findall("tbody/tr")}
    dgfip = rows["Direction générale des finances publiques"]
    cells = [(td.get("data-sort"), td.text) for td in dgfip.findall("td")]
    # No crawled account is joined to the DGFiP here: no repository, no forge.
    assert cells == [
        ("2", "2"),
        ("0.500000", "50\u202f%"),
        ("1.000000", "100\u202f%"),
        ("0.500000", "50\u202f%"),
        ("0.500000", "50\u202f%"),
        ("0", "0"),
        ("0", "0"),
        # No roadmap: the openings' indicators are not applicable.
        ("-1", "—"),
        ("-1", "—"),
        ("-1", "—"),
    ]
    assert table.find("tfoot/tr/th").text == "Ensemble"
    assert "Télécharger les indicateurs (CSV)" in text and "../donnees/indicateurs.csv" in text
    assert "## Définitions" in text and "sans intervention humaine" in text


def test_administration_section_and_home_section() -> None:
    data = site()
    dgfip = next(a for a in data.index.administrations if a.sigle == "DGFiP")
    section = administration_section(data, dgfip)
    assert "<dt>Code publié</dt><dd>50\u202f%</dd>" in section
    assert 'id="automatisation-' in section and 'role="img"' in section
    home = home_section(data)
    for chart in (
        "accueil-automatisation",
        "accueil-langages",
        "accueil-licences",
        "accueil-forges",
    ):
        assert f'id="{chart}"' in home
    assert "&lt;b&gt;Go&lt;/b&gt;" in home and "<b>Go</b>" not in home
    assert 'href="flux/algorithmes.xml"' in home and 'href="indicateurs/"' in home


def test_feeds_and_open_data(tmp_path) -> None:
    data = site()
    written = write_feeds_of(data, tmp_path, site_url="https://registre.example.fr/")
    names = sorted(p.relative_to(tmp_path).as_posix() for p in written)
    assert names == ["flux/algorithmes.xml", "flux/depots.xml"]
    published = Published.of(data.records, data.catalogue, insights=data.insights)
    write_all(published, tmp_path / "donnees", force=False)
    feed = ET.parse(tmp_path / "flux" / "algorithmes.xml").getroot()
    assert (
        feed.findtext("{http://www.w3.org/2005/Atom}id")
        == "https://registre.example.fr/flux/algorithmes.xml"
    )
    links = json.loads((tmp_path / "donnees" / "liens.json").read_text(encoding="utf-8"))
    assert links == [
        {
            "algorithme": "impot",
            "algorithme_nom": "Algorithme impot",
            "depot": "github.com/dgfip/calcul",
            "depot_url": "https://github.com/dgfip/calcul",
            "url_declaree": "https://github.com/dgfip/calcul",
        }
    ]
    rows = list(csv.DictReader(io.StringIO((tmp_path / "donnees" / "indicateurs.csv").read_text())))
    assert {r["administration"]: r["algorithmes"] for r in rows}[
        "Direction générale des finances publiques"
    ] == "2"


def test_the_snapshot_brings_archive_health_and_renames(tmp_path) -> None:
    from crawlers.base import ForgeKind, Listing, Target
    from inventory.catalogue.archive import ArchiveStatus
    from inventory.catalogue.health import HealthSignals
    from inventory.catalogue.store import Store, read_snapshot
    from inventory.site.insights import explorer_fields

    moved = repo(
        "https://github.com/nouveau/calcul",
        license="MIT",
        description="x",
        last_update="2026-11-01",
    )
    db = tmp_path / "db.sqlite3"
    with Store.open(db) as store:
        store.save_listing(
            Listing(
                Target("github.com", ForgeKind.GITHUB, "http://127.0.0.1:1", "ancien"),
                (),
                (moved,),
                renamed_to="nouveau",
            )
        )
        store.save_archive_status(
            ArchiveStatus(
                moved.id,
                moved.repository_url,
                True,
                "2026-10-01",
                "full",
                "abc",
                "2026-11-01T00:00:00Z",
            )
        )
        store.save_health(moved, HealthSignals(has_readme=True), checked_at="2026-11-01T00:00:00Z")
    data = SiteData(
        records=(record("x", "https://github.com/ancien/calcul"),),
        catalogue=read_snapshot(db),
        crawled=True,
        generated_at="2026-11-28T10:00:00+00:00",
    )
    insights = data.insights
    # The record still names the old owner: the rename recorded by the crawl is followed.
    assert [r.id for r in insights.links.repositories_for("x")] == [moved.id]
    fields = explorer_fields(data, moved)
    assert fields["score"] == 20 + 15 + 5 + 25
    assert fields["archive_swh"].startswith("https://archive.softwareheritage.org/browse/origin/")
    other = repo("https://github.com/x/y")
    assert explorer_fields(data, other) == {"score": 0, "archive_swh": ""}
    # Without a crawl: nothing breaks, nothing is archived.
    bare = SiteData(records=data.records, generated_at=data.generated_at)
    assert bare.insights.archive == {}


def test_repository_extras() -> None:
    from inventory.catalogue.archive import ArchiveStatus
    from inventory.catalogue.health import HealthSignals
    from inventory.catalogue.publiccode import check
    from inventory.site.insights import repository_extras
    from tests.catalogue.test_publiccode import VALID

    taxe = repo("https://github.com/etalab/taxe")
    other = repo("https://github.com/etalab/autre")
    health = {
        taxe.id: HealthSignals(has_publiccode=True, publiccode=check(VALID, taxe.repository_url)),
        other.id: HealthSignals(has_publiccode=True, publiccode=check(VALID, other.repository_url)),
    }
    archive = {taxe.id: ArchiveStatus(taxe.id, taxe.repository_url, True, None, None, None, "t")}
    data = SiteData(
        records=(),
        catalogue=CatalogueSnapshot(repositories=(taxe, other), health=health, archive=archive),
        crawled=True,
        generated_at="2026-11-28T10:00:00+00:00",
    )
    text = repository_extras(data, taxe)
    assert "publiccode.yml : Taxe — Un calculateur de taxe — Maintenu en interne" in text
    assert 'href="https://archive.softwareheritage.org/browse/origin/?origin_url=' in text
    assert repository_extras(data, other) == (
        '<br><span class="inv-publiccode">publiccode.yml présent mais non conforme '
        "(1 erreur(s))</span>"
    )
    assert repository_extras(data, repo("https://github.com/x/y")) == ""
