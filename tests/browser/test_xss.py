"""A hostile record (and a hostile repository description) executes nothing anywhere."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Served, Traffic
from tests.browser.sitefixture import XSS_DESCRIPTION

pytestmark = pytest.mark.browser

XSS_ID = "fiche-piegee"

# Anything that would run script if the text had been parsed as HTML.
ACTIVE = (
    "[onerror], [onload], [onclick], [onmouseover], iframe, object, embed, "
    'a[href^="javascript:" i], [src^="javascript:" i]'
)


def assert_inert(page: Page, traffic: Traffic) -> None:
    assert page.evaluate("() => window.__xss === undefined"), page.evaluate("window.__xss")
    assert traffic.dialogs == [], f"boîtes de dialogue ouvertes : {traffic.dialogs}"
    assert page.locator(ACTIVE).count() == 0
    # The only scripts inside the content are JSON data islands.
    types = page.eval_on_selector_all(
        "article script", "nodes => nodes.map(n => n.type || 'text/javascript')"
    )
    assert all(t == "application/json" for t in types), types


def test_algorithm_page_of_the_hostile_record_is_inert(
    visit: Callable[..., Page], traffic: Traffic, site: Served
) -> None:
    record = site.expected.records[XSS_ID]
    page = visit(f"algorithmes/{XSS_ID}/")
    page.mouse.move(200, 300)
    assert_inert(page, traffic)
    text = page.locator("article").inner_text()
    # The markup is shown as text, escaped, not interpreted.
    assert record["nom"] in page.locator("h1").inner_text()
    assert "<script>window.__xss = 'finalite';alert(1)</script>" in text
    assert "<img src=x onerror=\"window.__xss='admin'\">" in text
    # The javascript: link survives only as visible text.
    assert "javascript:window.__xss='lien'" in text
    assert page.locator('a[href*="javascript" i]').count() == 0


@pytest.mark.parametrize("path", ["", "algorithmes/", "administrations/"])
def test_listings_showing_the_hostile_record_are_inert(
    visit: Callable[..., Page], traffic: Traffic, site: Served, path: str
) -> None:
    page = visit(path)
    assert_inert(page, traffic)


def test_catalogue_search_over_the_hostile_record_is_inert(
    visit: Callable[..., Page], traffic: Traffic, site: Served
) -> None:
    page = visit("algorithmes/")
    page.get_by_label("Rechercher un algorithme").fill("piégée")
    title = page.locator(".inv-card:not([hidden]) .inv-card__title")
    expect(title).to_have_count(1)
    assert "<script>" in title.inner_text()
    assert_inert(page, traffic)


def test_hostile_administration_page_is_inert(
    visit: Callable[..., Page], traffic: Traffic, site: Served
) -> None:
    page = visit("administrations/")
    link = page.locator("article a", has_text="Administration <img")
    expect(link).to_have_count(1)
    link.click()
    page.wait_for_load_state("load")
    assert "administrations/" in page.url
    assert "<img src=x" in page.locator("h1").inner_text()
    assert_inert(page, traffic)


def test_hostile_repository_description_is_text_in_the_explorer(
    visit: Callable[..., Page], traffic: Traffic
) -> None:
    page = visit("codes-sources/")
    page.get_by_label("Rechercher un dépôt").fill("onerror")
    cell = page.locator("#inv-explorer tbody .inv-table__description")
    expect(cell).to_have_count(1)
    expect(cell).to_have_text(XSS_DESCRIPTION)
    assert_inert(page, traffic)
