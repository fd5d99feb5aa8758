"""The algorithm catalogue: search, each filter, faceted counts, URL state, reset."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import Served, Traffic
from tests.browser.helpers import count_in, fold, options, visible_titles

pytestmark = pytest.mark.browser

NONE = "_aucun"
FACETS: Mapping[str, Callable[[Mapping[str, Any]], str]] = {
    "administration": lambda r: r["administration"]["nom"],
    "niveau": lambda r: r["niveau_automatisation"],
    "type": lambda r: r["type_algorithme"],
    "statut": lambda r: r["statut"],
    "portee": lambda r: r.get("portee_decision") or NONE,
}


def names(records: Mapping[str, Mapping[str, Any]], keep: Callable[[Mapping[str, Any]], bool]):
    return sorted(r["nom"].strip() for r in records.values() if keep(r))


def status_text(shown: int, total: int) -> str:
    if shown == 0:
        return f"Aucun algorithme sur {total} ne correspond à ces critères."
    noun = "algorithme" if shown == 1 else "algorithmes"
    return f"{shown} {noun}" if shown == total else f"{shown} {noun} sur {total}"


@pytest.fixture
def catalogue(visit: Callable[..., Page], traffic: Traffic) -> Page:
    page = visit("algorithmes/")
    expect(page.get_by_label("Rechercher un algorithme")).to_be_visible()
    assert traffic.errors == []
    return page


def test_enhanced_controls_are_labelled(catalogue: Page, site: Served) -> None:
    total = len(site.expected.records)
    for label in (
        "Administration",
        "Niveau d'automatisation",
        "Type d'algorithme",
        "Statut",
        "Portée de la décision",
    ):
        expect(catalogue.get_by_label(label, exact=True)).to_be_visible()
    expect(catalogue.get_by_role("button", name="Réinitialiser les filtres")).to_be_visible()
    status = catalogue.locator("[data-inv-catalogue] [role=status]")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_have_text(status_text(total, total))
    assert len(visible_titles(catalogue)) == total


SEARCHES = (
    ("impot", ["impot"]),
    ("IMPÔT", ["impot"]),
    ("  Éducation  ", ["education"]),
    ("places crèche", ["places", "creche"]),
    ("introuvable-xyz", ["introuvable-xyz"]),
)


def test_search_is_accent_and_case_insensitive(catalogue: Page, site: Served) -> None:
    records = site.expected.records
    status = catalogue.locator("[data-inv-catalogue] [role=status]")
    for query, words in SEARCHES:

        def matches(r: Mapping[str, Any], words: list[str] = words) -> bool:
            text = fold(" ".join((r["nom"], r["administration"]["nom"], r["finalite"])))
            return all(word in text for word in words)

        expected = names(records, matches)
        assert expected != names(records, lambda r: True), query
        catalogue.get_by_label("Rechercher un algorithme").fill(query)
        expect(status).to_have_text(status_text(len(expected), len(records)))
        assert sorted(visible_titles(catalogue)) == expected, query


def test_each_filter_narrows_the_list_with_right_counts(catalogue: Page, site: Served) -> None:
    records = site.expected.records
    status = catalogue.locator("[data-inv-catalogue] [role=status]")
    for facet, value_of in FACETS.items():
        catalogue.get_by_role("button", name="Réinitialiser les filtres").click()
        values = sorted({value_of(r) for r in records.values()})
        assert len(values) >= 2, f"le jeu de test doit offrir deux valeurs de « {facet} »"
        shown_options = options(catalogue, facet)
        for value in values:
            expected_count = sum(1 for r in records.values() if value_of(r) == value)
            assert count_in(shown_options[value]) == expected_count, (facet, value)
        assert count_in(shown_options[""]) == len(records)
        for value in values:
            catalogue.locator(f'select[name="{facet}"]').select_option(value)
            expected = names(records, lambda r, v=value, f=value_of: f(r) == v)
            expect(status).to_have_text(status_text(len(expected), len(records)))
            assert sorted(visible_titles(catalogue)) == expected, (facet, value)
            assert parse_qs(urlsplit(catalogue.url).query)[facet] == [value]


def test_counts_reflect_the_other_active_filters(catalogue: Page, site: Served) -> None:
    records = site.expected.records
    catalogue.locator('select[name="niveau"]').select_option("aide_a_la_decision")
    helped = [r for r in records.values() if r["niveau_automatisation"] == "aide_a_la_decision"]
    for value, text in options(catalogue, "type").items():
        expected = (
            len(helped) if value == "" else sum(1 for r in helped if r["type_algorithme"] == value)
        )
        assert count_in(text) == expected, text
    # The niveau select itself still counts every level (its own filter is ignored).
    automated = "decision_entierement_automatisee"
    niveau = options(catalogue, "niveau")
    assert count_in(niveau[automated]) == sum(
        1 for r in records.values() if r["niveau_automatisation"] == automated
    )


def test_state_lives_in_the_url_and_reset_clears_it(
    catalogue: Page, site: Served, page: Page
) -> None:
    records = site.expected.records
    catalogue.get_by_label("Rechercher un algorithme").fill("calcul")
    catalogue.locator('select[name="statut"]').select_option("en_service")
    expected = names(
        records,
        lambda r: (
            r["statut"] == "en_service"
            and "calcul" in fold(" ".join((r["nom"], r["administration"]["nom"], r["finalite"])))
        ),
    )
    assert 0 < len(expected) < len(records)
    status = catalogue.locator("[data-inv-catalogue] [role=status]")
    expect(status).to_have_text(status_text(len(expected), len(records)))
    # The address follows the filters (it may be written just after the list is updated).
    expect(catalogue).to_have_url(re.compile(r"\?.*statut=en_service"))
    shared = catalogue.url
    assert parse_qs(urlsplit(shared).query) == {"recherche": ["calcul"], "statut": ["en_service"]}

    page.goto(shared, wait_until="networkidle")
    expect(page.get_by_label("Rechercher un algorithme")).to_have_value("calcul")
    expect(page.locator('select[name="statut"]')).to_have_value("en_service")
    status = page.locator("[data-inv-catalogue] [role=status]")
    expect(status).to_have_text(status_text(len(expected), len(records)))
    assert sorted(visible_titles(page)) == expected

    page.get_by_role("button", name="Réinitialiser les filtres").click()
    expect(status).to_have_text(status_text(len(records), len(records)))
    expect(page.get_by_label("Rechercher un algorithme")).to_be_focused()
    expect(page).not_to_have_url(re.compile(r"\?"))
    assert len(visible_titles(page)) == len(records)


def test_without_javascript_the_whole_list_is_there(browser: Browser, site: Served) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site.url + "algorithmes/")
        assert page.locator("select").count() == 0
        assert page.locator(".inv-card").count() == len(site.expected.records)
        assert page.locator(".inv-card[hidden]").count() == 0
    finally:
        context.close()
