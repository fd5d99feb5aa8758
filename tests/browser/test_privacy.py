"""No request leaves the site: no Google Fonts, no CDN, no forge API, from any page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import Served, Traffic

pytestmark = pytest.mark.browser


def test_home_page_loads_with_no_request_leaving_the_site(
    visit: Callable[..., Page], traffic: Traffic, site: Served
) -> None:
    page = visit("", idle=True)
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").first.inner_text().strip()
    assert traffic.requests, "aucune requête enregistrée : l'enregistrement ne fonctionne pas"
    assert any(url.endswith(".css") for url in traffic.requests)
    assert traffic.foreign() == [], f"requêtes vers un autre site : {traffic.foreign()}"
    assert traffic.blocked == []
    assert traffic.errors == [], f"erreurs JavaScript : {traffic.errors}"


@pytest.mark.parametrize("path", ["algorithmes/", "algorithmes/calcul-impot/", "codes-sources/"])
def test_other_templates_make_no_third_party_request(
    visit: Callable[..., Page], traffic: Traffic, path: str
) -> None:
    visit(path, idle=True)
    assert traffic.foreign() == [], f"{path} : requêtes vers un autre site : {traffic.foreign()}"
    assert traffic.blocked == []
    assert traffic.errors == [], f"erreurs JavaScript : {traffic.errors}"


def test_built_html_references_no_external_resource(site: Served) -> None:
    """Static check of every page: no stylesheet, script or font from another host."""
    offenders = []
    for html in site.root.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        for marker in (
            "fonts.googleapis",
            "fonts.gstatic",
            "cdn.jsdelivr",
            "unpkg.com",
            'data-md-component="source"',
        ):
            if marker in text:
                offenders.append(f"{html.relative_to(site.root)} : {marker}")
    assert offenders == []
