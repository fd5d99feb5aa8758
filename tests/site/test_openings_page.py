"""The « Ouvertures annoncées » page as generated Markdown/HTML: with and without roadmaps or
crawl, hostile text inert, anchors shared with the feed and the administration pages."""

from __future__ import annotations

from pathlib import Path

from inventory.site import openings as page_module
from inventory.site.sitedata import SiteData
from tests.insights.openings_fixture import ROADMAP, roadmap, snapshot

GENERATED = "2026-12-04T10:00:00+00:00"


def test_without_any_roadmap_the_page_says_so() -> None:
    text = page_module.page(SiteData(records=(), generated_at=GENERATED))
    assert "Aucune feuille de route n'est encore inscrite." in text
    assert "<table" not in text


def test_without_a_crawl_nothing_is_judged(tmp_path: Path) -> None:
    site = SiteData(records=(), generated_at=GENERATED, roadmaps=(roadmap(tmp_path),))
    text = page_module.page(site)
    assert "Aucun moissonnage des forges n'a encore été effectué" in text
    assert text.count('class="inv-status inv-status--non_suivi"') >= 12


def test_tables_badges_and_anchors(tmp_path: Path) -> None:
    hostile = ROADMAP.replace("Outil futur", "Outil <script>alert(1)</script> futur")
    site = SiteData(
        records=(),
        catalogue=snapshot(tmp_path),
        crawled=True,
        generated_at=GENERATED,
        roadmaps=(roadmap(tmp_path, hostile),),
    )
    text = page_module.page(site)
    assert "<script>alert(1)</script>" not in text
    assert "Outil &lt;script&gt;alert(1)&lt;/script&gt; futur" in text
    assert '<span id="engagement-exemple-2021--outil-en-retard">' in text
    assert "102 jours de retard" in text
    assert "3 dépôts ouverts depuis le 27/09/2021 (T4 2021 : 2, T1 2022 : 1)" in text
    assert 'href="../../administrations/ministere-de-l-exemple/"' in text
    assert "Statuts calculés le 04/12/2026." in text
    ministry = site.index.by_commitment["exemple-2021/outil-a-temps"]
    section = page_module.administration_section(site, ministry)
    assert section.startswith("\n## Ouvertures de codes sources annoncées {#ouvertures}")
    assert '../../codes-sources/ouvertures/#engagement-exemple-2021--outil-a-temps"' in section
    others = [a for a in site.index.administrations if not a.commitments]
    assert all(page_module.administration_section(site, a) == "" for a in others)
