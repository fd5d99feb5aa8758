"""A record's history in Chromium: « Historique de la fiche » on its page (versions, French
differences, links to the commit and the pull request) and « Dernières modifications »."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import describe, run_axe

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}


def test_history_section_lists_versions_and_differences(visit: Callable[..., Page]) -> None:
    page = visit("algorithmes/calcul-impot/")
    heading = page.locator("article h2", has_text="Historique de la fiche")
    expect(heading).to_have_count(1)
    versions = page.locator("ol.inv-history > li")
    expect(versions).to_have_count(2)
    newest = " ".join(versions.first.inner_text().split())
    assert "Statut" in newest and "Expérimentation" in newest and "En service" in newest
    assert "Finalité" in newest
    pull = versions.first.locator('a[href*="/pull/12"]')
    expect(pull).to_have_count(1)
    commit = versions.first.locator('a[href*="/commit/"]')
    assert commit.count() >= 1
    blocking = [v for v in run_axe(page) if v["impact"] in BLOCKING]
    assert not blocking, describe(blocking)


def test_recent_changes_page(visit: Callable[..., Page]) -> None:
    page = visit("algorithmes/dernieres-modifications/")
    expect(page.locator("h1")).to_contain_text("Dernières modifications")
    entry = page.locator("article li", has_text="calcul-impot").first
    expect(entry).to_be_visible()
    entry.locator('a[href$="calcul-impot/"]').first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/algorithmes/calcul-impot/")
    blocking = [
        v for v in run_axe(visit("algorithmes/dernieres-modifications/")) if v["impact"] in BLOCKING
    ]
    assert not blocking, describe(blocking)
