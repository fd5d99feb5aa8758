"""Insights in the browser: the indicators table, the charts and the feed links (Chromium).

They run on the site the browser tests build (this folder's ``conftest.py``): same data set,
same server, no request leaving 127.0.0.1. (Kept here rather than in ``tests/insights``: one
Playwright instance per test session.)
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from urllib.request import urlopen

import pytest
from playwright.sync_api import Page, expect

from inventory.text import fold
from tests.browser.conftest import Served
from tests.browser.helpers import describe, run_axe, spaces

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}


def body_column(page: Page, index: int) -> list[str]:
    return page.eval_on_selector_all(
        "table.inv-table--indicateurs tbody tr",
        f"rows => rows.map(r => r.children[{index}].getAttribute('data-sort'))",
    )


def test_indicators_table_sorts_and_is_accessible(visit: Callable[..., Page], traffic) -> None:
    page = visit("indicateurs/")
    table = page.locator("table.inv-table--indicateurs")
    expect(table).to_be_visible()
    rows = table.locator("tbody tr")
    assert rows.count() >= 3
    names = body_column(page, 0)
    # Generated in the site's order: by name, accents and case ignored (as French readers
    # expect « éducation » before « exemple »).
    assert names == sorted(names, key=fold)
    header = table.locator("thead th").nth(1)
    button = header.get_by_role("button", name="Algorithmes")
    button.click()
    expect(header).to_have_attribute("aria-sort", "descending")
    counts = [float(v) for v in body_column(page, 1)]
    assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1]
    status = page.locator("[data-inv-sort-status]")
    expect(status).to_have_text("Tableau trié par « Algorithmes », ordre décroissant.")
    button.click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    assert [float(v) for v in body_column(page, 1)] == sorted(counts)
    # The total stays in the footer whatever the order.
    expect(table.locator("tfoot th")).to_have_text("Ensemble")
    page.locator("thead th button", has_text="Administration").click()
    assert body_column(page, 0) == sorted(names, key=fold)
    blocking = [v for v in run_axe(page) if v["impact"] in BLOCKING]
    assert not blocking, describe(blocking)
    assert not traffic.errors and not traffic.foreign()


def test_home_chart_has_its_text_alternative(visit: Callable[..., Page], site: Served) -> None:
    page = visit("")
    chart = page.locator("figure#accueil-langages")
    bars_block = chart.locator(".inv-chart__bars")
    expect(bars_block).to_have_attribute("role", "img")
    expect(bars_block).to_have_attribute(
        "aria-labelledby", "accueil-langages-title accueil-langages-desc"
    )
    expect(page.get_by_role("img", name="Dépôts par langage")).to_have_count(1)
    expected = Counter(r.language or "Non renseigné" for r in site.expected.repositories)
    bars = chart.locator(".inv-chart__row")
    got = {
        bars.nth(i).get_attribute("data-label"): int(bars.nth(i).get_attribute("data-value"))
        for i in range(bars.count())
    }
    assert got == dict(expected)
    chart.locator("details summary").click()
    rows = chart.locator("details table tbody tr")
    expect(rows).to_have_count(len(expected))
    first = spaces(rows.first.inner_text()).split(" ")
    assert int(first[-1]) == max(expected.values())
    blocking = [v for v in run_axe(page) if v["impact"] in BLOCKING]
    assert not blocking, describe(blocking)


def test_administration_page_shows_its_indicators(visit: Callable[..., Page]) -> None:
    page = visit("administrations/")
    page.locator("article a", has_text="Direction générale des Finances publiques").first.click()
    page.wait_for_load_state("load")
    section = page.locator("dl.inv-indicators")
    expect(section).to_be_visible()
    expect(section.locator("dt").first).to_have_text("Algorithmes")
    assert page.locator("figure.inv-chart [role=img]").count() >= 1
    blocking = [v for v in run_axe(page) if v["impact"] in BLOCKING]
    assert not blocking, describe(blocking)


def test_feeds_are_linked_and_valid(visit: Callable[..., Page], site: Served) -> None:
    page = visit("")
    links = page.locator('head link[rel="alternate"][type="application/atom+xml"]')
    assert links.count() == 2
    for i in range(2):
        href = links.nth(i).evaluate("node => node.href")
        assert href.startswith(site.url)
        with urlopen(href) as response:
            feed = ET.fromstring(response.read())
        assert feed.tag == "{http://www.w3.org/2005/Atom}feed"


def test_explorer_sorts_by_health_score(visit: Callable[..., Page], site: Served) -> None:
    page = visit("codes-sources/")
    table = page.locator("#inv-explorer table")
    expect(table).to_be_visible()
    header = table.locator("thead th").last
    expect(header).to_have_text("Santé (sur 100)")
    header.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "descending")
    scores = [
        int(text) if text.strip() else -1
        for text in table.locator("tbody tr td:last-child").all_inner_texts()
    ]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0
    blocking = [v for v in run_axe(page) if v["impact"] in BLOCKING]
    assert not blocking, describe(blocking)
