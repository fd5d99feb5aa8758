"""The « Ouvertures annoncées » page in Chromium: one row per commitment with its status in
words, the timeline readable at every width, the administration's page, the feed, axe clean.
Expected statuses are computed from the same roadmap and crawl database as the build."""

from __future__ import annotations

import datetime as dt
import itertools
import xml.etree.ElementTree as ET
from collections.abc import Callable
from urllib.request import urlopen

import pytest
from playwright.sync_api import Page, expect

from inventory.catalogue.store import read_snapshot
from inventory.insights.openings import LABELS, track
from inventory.register.openings import load_roadmap
from tests.browser.conftest import Served
from tests.browser.helpers import describe, run_axe
from tests.browser.sitefixture import FIXTURES
from tests.browser.test_accessibility import use_slate

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}
PAGE = "codes-sources/ouvertures/"


def expected(site: Served) -> dict[str, str]:
    roadmap, _ = load_roadmap(FIXTURES / "ouvertures" / "exemple-2019.yml")
    assert roadmap is not None
    today = dt.date.fromisoformat(site.expected.generated_at[:10])
    catalogue = read_snapshot(site.root.parent / "inventaire.sqlite3")
    return {t.commitment.code: LABELS[t.status] for t in track([roadmap], catalogue, today).tracked}


def test_each_commitment_shows_its_status_in_words(
    visit: Callable[..., Page], site: Served
) -> None:
    page = visit(PAGE)
    expect(page.locator("h1")).to_have_text("Ouvertures de codes sources annoncées")
    statuses = expected(site)
    assert set(statuses.values()) == set(LABELS.values())  # every status is on the page
    rows = page.locator("table.inv-openings tbody tr")
    expect(rows).to_have_count(len(statuses))
    for index in range(len(statuses)):
        cells = rows.nth(index).locator("td")
        code = cells.nth(0).inner_text().strip()
        badge = cells.nth(3).locator(".inv-status")
        expect(badge).to_have_text(statuses[code])
    assert page.evaluate("() => window.__xss === undefined")
    hostile = page.get_by_text("Outil <img src=x onerror=", exact=False).first
    expect(hostile).to_be_visible()


def test_the_timeline_text_is_readable_at_every_width(
    visit: Callable[..., Page], site: Served, page: Page
) -> None:
    for width in (320, 390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        visit(PAGE)
        figure = page.locator("figure.inv-timeline")
        expect(figure).to_be_visible()
        labels = figure.locator(".inv-tl-label")
        assert labels.count() >= 4
        sizes = labels.evaluate_all("els => els.map(e => parseFloat(getComputedStyle(e).fontSize))")
        assert min(sizes) >= 14, (width, sizes)
        clipped = figure.locator(".inv-tl-label, .inv-tl-year:visible").evaluate_all(
            "els => els.filter(e => e.scrollWidth > e.clientWidth + 1"
            " || e.getBoundingClientRect().right > document.documentElement.clientWidth)"
            ".map(e => e.textContent)"
        )
        assert clipped == [], (width, clipped)
        years = figure.locator(".inv-tl-year:visible").evaluate_all(
            "els => els.map(e => [e.getBoundingClientRect().left, e.getBoundingClientRect().right])"
        )
        assert len(years) >= 2, width
        overlaps = [(a, b) for a, b in itertools.pairwise(years) if a[1] > b[0] + 0.5]
        assert overlaps == [], (width, overlaps)
        # The page itself never scrolls sideways (the commitments' table scrolls in its own
        # focusable region).
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, (width, overflow)
        # The accessible text of each row says what the marks show.
        first = labels.first.inner_text()
        assert "échéance" in first


def test_the_administration_page_lists_its_commitments(
    visit: Callable[..., Page], site: Served
) -> None:
    page = visit("administrations/ministere-de-l-exemple/")
    section = page.locator("#ouvertures")
    expect(section).to_contain_text("Ouvertures de codes sources annoncées")
    items = page.locator("h2#ouvertures + ul li")
    expect(items.first).to_contain_text("Projet zéro")
    items.first.get_by_role("link", name="Projet zéro").click()
    page.wait_for_load_state("load")
    assert page.url.endswith(f"/{PAGE}#engagement-exemple-2019--projet-zero")
    expect(page.locator("#engagement-exemple-2019--projet-zero")).to_be_in_viewport()


def test_the_feed_is_atom_and_linked(visit: Callable[..., Page], site: Served) -> None:
    page = visit(PAGE)
    href = page.get_by_role("link", name="Suivre les changements de statut (flux Atom)")
    url = site.url + PAGE + href.get_attribute("href")
    with urlopen(url) as response:
        feed = ET.fromstring(response.read())
    atom = "{http://www.w3.org/2005/Atom}"
    assert feed.tag == atom + "feed"
    titles = [e.findtext(atom + "title") for e in feed.findall(atom + "entry")]
    assert "Projet absent : en retard" in titles
    # Feed readers find it from the page itself.
    announced = page.locator('head link[rel="alternate"][type="application/atom+xml"]')
    hrefs = announced.evaluate_all("links => links.map(l => l.href)")
    assert site.url + "flux/ouvertures.xml" in hrefs


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_axe_clean(visit: Callable[..., Page], site: Served, scheme: str) -> None:
    page = visit(PAGE)
    if scheme == "slate":
        use_slate(page, site)
    page.locator("figure.inv-timeline details summary").first.click()
    violations = [v for v in run_axe(page) if v["impact"] in BLOCKING]
    assert violations == [], describe(violations)
