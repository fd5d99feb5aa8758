"""axe-core on every page template: no serious or critical WCAG 2.0/2.1 A/AA violation.

Each template is checked in Material's default scheme; the pages carrying the project's own
components (catalogue, algorithm page, explorer) are checked in the slate (dark) scheme too:
the palette stylesheet Material ships is added and the scheme switched, as Material does
when a reader picks it.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Served
from tests.browser.helpers import describe, run_axe

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}
TEMPLATES = {
    "accueil": "",
    "catalogue": "algorithmes/",
    "algorithme": "algorithmes/calcul-impot/",
    "administrations": "administrations/",
    "administration": None,  # found through the index (its slug is the generator's business)
    "codes-sources": "codes-sources/",
    "donnees": "donnees/",
    "format": "format/",
    "contribuer": "contribuer/",
    "accessibilite": "accessibilite/",
}
SLATE = ("catalogue", "algorithme", "codes-sources")


def open_template(visit: Callable[..., Page], name: str) -> Page:
    path = TEMPLATES[name]
    if path is None:
        page = visit("administrations/")
        admin = "Direction générale des Finances publiques"
        page.locator("article a", has_text=admin).first.click()
        page.wait_for_load_state("load")
        expect(page.locator("h1")).to_contain_text(admin)
    else:
        page = visit(path)
    if name == "catalogue":
        expect(page.locator(".inv-filters")).to_be_visible()
    if name == "codes-sources":
        expect(page.locator("#inv-explorer table")).to_be_visible()
    return page


def use_slate(page: Page, site: Served) -> None:
    palettes = sorted((site.root / "assets" / "stylesheets").glob("palette.*.css"))
    assert palettes, "la feuille de style des palettes de Material est absente"
    href = "/" + palettes[0].relative_to(site.root).as_posix()
    page.evaluate(
        """(href) => new Promise((done, fail) => {
            // Material animates colour changes: axe must not measure half-way colours.
            const still = document.createElement("style");
            still.textContent = "*, *::before, *::after { transition: none !important; }";
            document.head.appendChild(still);
            const link = document.createElement("link");
            link.rel = "stylesheet";
            link.href = href;
            link.onload = () => requestAnimationFrame(() => requestAnimationFrame(done));
            link.onerror = () => fail(new Error(href));
            document.head.appendChild(link);
            const body = document.body;
            body.setAttribute("data-md-color-scheme", "slate");
            body.setAttribute("data-md-color-primary", "indigo");
            body.setAttribute("data-md-color-accent", "indigo");
        })""",
        href,
    )
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background not in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"), background


@pytest.mark.parametrize("name", list(TEMPLATES))
def test_template_has_no_serious_violation(
    visit: Callable[..., Page], site: Served, name: str
) -> None:
    page = open_template(visit, name)
    blocking = [v for v in run_axe(page) if v["impact"] in BLOCKING]
    assert blocking == [], f"{name} :\n{describe(blocking)}"
    if name in SLATE:
        use_slate(page, site)
        blocking = [v for v in run_axe(page) if v["impact"] in BLOCKING]
        assert blocking == [], f"{name} (schéma slate) :\n{describe(blocking)}"
