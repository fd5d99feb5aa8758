"""An algorithm page: the guide's four sections, legal bases as links, linked repository."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import Served
from tests.browser.helpers import fold

pytestmark = pytest.mark.browser

# The four sections of Etalab's guide ("Inventaire des algorithmes publics").
SECTIONS = (
    "Informations sur l'administration",
    "Informations métier sur l'algorithme et la décision",
    "Informations sur l'impact de la décision",
    "Informations sur le fonctionnement interne de l'algorithme",
)


def test_algorithm_page_shows_its_sections_and_legal_links(
    visit: Callable[..., Page], site: Served
) -> None:
    record = site.expected.records["calcul-impot"]
    page = visit("algorithmes/calcul-impot/")
    assert page.locator("h1").inner_text().strip() == record["nom"]
    headings = [fold(h) for h in page.locator("article h2").all_inner_texts()]
    for section in SECTIONS:
        assert any(h.startswith(fold(section)) for h in headings), (section, headings)

    article = page.locator("article")
    for basis in record["fondements_juridiques"]:
        if basis.get("url"):
            link = article.locator(f'a[href="{basis["url"]}"]')
            assert link.count() == 1, basis
            assert link.inner_text().strip() == basis["titre"]
        else:
            assert basis["titre"] in article.inner_text()
            assert article.get_by_role("link", name=basis["titre"]).count() == 0

    # Every datum, parameter and resource of the record is on the page.
    text = article.inner_text()
    for datum in record["donnees"]:
        assert datum["nom"] in text and datum["source"] in text
    for parameter in record.get("parametres", []):
        assert parameter["nom"] in text and str(parameter["ponderation"]) in text


def test_code_source_resource_shows_the_crawled_repository(
    visit: Callable[..., Page], site: Served
) -> None:
    record = site.expected.records["calcul-impot"]
    url = next(r["url"] for r in record["ressources"] if r["type"] == "code_source")
    repository = next(r for r in site.expected.repositories if r.repository_url == url)
    page = visit("algorithmes/calcul-impot/")
    article = page.locator("article")
    assert article.locator(f'a[href="{url}"]').count() >= 1
    row = article.locator("tr", has=page.locator(f'a[href="{url}"]'))
    assert row.count() >= 1, "le dépôt moissonné n'apparaît dans aucun tableau"
    cells = row.first.inner_text()
    assert repository.license and repository.license in cells
    assert repository.language and repository.language in cells


def test_algorithm_page_links_to_its_yaml_file_and_history(
    visit: Callable[..., Page],
) -> None:
    page = visit("algorithmes/calcul-impot/")
    hrefs = page.eval_on_selector_all("article a[href]", "links => links.map(a => a.href)")
    assert any(h.endswith("algorithms/dgfip/calcul-impot.yml") and "/blob/" in h for h in hrefs)
    assert any("/commits/" in h and h.endswith("algorithms/dgfip/calcul-impot.yml") for h in hrefs)
