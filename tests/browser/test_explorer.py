"""The repository explorer: table semantics, search, filters, sorting, paging, empty states."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, Route, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from inventory.model import Repository
from tests.browser.conftest import WAIT_MS, Served, Traffic
from tests.browser.helpers import fold, spaces

pytestmark = pytest.mark.browser

PAGE_SIZE = 50


def host(repository: Repository) -> str:
    return urlsplit(repository.repository_url).hostname or ""


def by_name(repositories: tuple[Repository, ...]) -> list[Repository]:
    return sorted(repositories, key=lambda r: (fold(r.name), fold(r.organization_name)))


def status_text(shown: int, total: int, page: int = 1) -> str:
    pages = max(1, -(-shown // PAGE_SIZE))
    noun = "dépôt" if shown == 1 else "dépôts"
    scope = "" if shown == total else f" sur {total}"
    return f"{shown} {noun}{scope}. Page {page} sur {pages}."


def row_names(page: Page) -> list[str]:
    return page.locator("#inv-explorer tbody th a").all_inner_texts()


@pytest.fixture
def explorer(visit: Callable[..., Page], traffic: Traffic) -> Page:
    page = visit("codes-sources/")
    expect(page.locator("#inv-explorer table")).to_be_visible()
    assert traffic.errors == []
    return page


def status(page: Page) -> str:
    return spaces(page.locator("#inv-explorer .inv-filters__count").inner_text())


def expect_status(page: Page, text: str, timeout: float = WAIT_MS) -> None:
    """Wait until the live region reads ``text`` (French number spaces normalised)."""
    try:
        page.wait_for_function(
            """([selector, wanted]) => {
                const node = document.querySelector(selector);
                return !!node && node.textContent.replace(/[\\s\\u202f\\u00a0]+/g, " ").trim()
                    === wanted;
            }""",
            arg=["#inv-explorer .inv-filters__count", text],
            timeout=timeout,
        )
    except PlaywrightTimeoutError:
        assert status(page) == text


def test_table_semantics_and_first_page(explorer: Page, site: Served) -> None:
    repositories = site.expected.repositories
    table = explorer.locator("#inv-explorer table")
    assert table.locator("caption").inner_text().strip()
    headers = table.locator("thead th")
    assert headers.count() == 8  # the health score among them
    assert all(headers.nth(i).get_attribute("scope") == "col" for i in range(8))
    assert table.locator("tbody th[scope=row]").count() == PAGE_SIZE
    name_header = table.locator("thead th", has_text="Nom")
    assert name_header.get_attribute("aria-sort") == "ascending"
    assert status(explorer) == status_text(len(repositories), len(repositories))
    live = explorer.locator("#inv-explorer [aria-live=polite]")
    assert live.count() >= 1
    expected = [r.name for r in by_name(repositories)[:PAGE_SIZE]]
    assert row_names(explorer) == expected


def test_paging_moves_through_every_page(explorer: Page, site: Served) -> None:
    ordered = by_name(site.expected.repositories)
    total = len(ordered)
    pages = -(-total // PAGE_SIZE)
    assert pages >= 3
    previous = explorer.get_by_role("button", name="Page précédente")
    following = explorer.get_by_role("button", name="Page suivante")
    expect(previous).to_be_disabled()
    for number in range(2, pages + 1):
        following.click()
        expect(explorer.locator(".inv-pagination__label")).to_have_text(
            f"Page {number} sur {pages}"
        )
        start = (number - 1) * PAGE_SIZE
        assert row_names(explorer) == [r.name for r in ordered[start : start + PAGE_SIZE]]
        assert status(explorer) == status_text(total, total, number)
    expect(following).to_be_disabled()
    expect(previous).to_be_focused()
    assert parse_qs(urlsplit(explorer.url).query)["page"] == [str(pages)]
    previous.click()
    expect(explorer.locator(".inv-pagination__label")).to_have_text(f"Page {pages - 1} sur {pages}")


def test_search_in_name_organisation_and_description(explorer: Page, site: Served) -> None:
    repositories = site.expected.repositories
    for query in ("ÉDUCATION", "dgfip", "ir-calcul"):
        word = fold(query)
        expected = [
            r.name
            for r in by_name(repositories)
            if word in fold(f"{r.name} {r.organization_name} {r.description or ''}")
        ]
        assert 0 < len(expected) < len(repositories), query
        explorer.get_by_label("Rechercher un dépôt").fill(query)
        expect_status(explorer, status_text(len(expected), len(repositories)))
        assert row_names(explorer) == expected[:PAGE_SIZE]


def test_filters_narrow_the_table(explorer: Page, site: Served) -> None:
    repositories = site.expected.repositories
    total = len(repositories)
    cases = [
        ("forge", "gitlab.example.org", lambda r: host(r) == "gitlab.example.org"),
        ("organisation", "betagouv", lambda r: r.organization_name == "betagouv"),
        ("langage", "Python", lambda r: r.language == "Python"),
        ("licence", "_aucun", lambda r: not r.license),
        ("archive", "exclure", lambda r: not r.is_archived),
        ("archive", "seulement", lambda r: bool(r.is_archived)),
        ("fork", "seulement", lambda r: bool(r.is_fork)),
    ]
    for name, value, keep in cases:
        explorer.get_by_role("button", name="Réinitialiser les filtres").click()
        explorer.locator(f'#inv-explorer select[name="{name}"]').select_option(value)
        expected = [r.name for r in by_name(repositories) if keep(r)]
        assert 0 < len(expected) < total, (name, value)
        expect_status(explorer, status_text(len(expected), total))
        assert row_names(explorer) == expected[:PAGE_SIZE], (name, value)

    # Filters combine with each other and with the search.
    explorer.get_by_role("button", name="Réinitialiser les filtres").click()
    explorer.locator('#inv-explorer select[name="forge"]').select_option("github.com")
    explorer.locator('#inv-explorer select[name="fork"]').select_option("exclure")
    explorer.get_by_label("Rechercher un dépôt").fill("fiscalite")
    expected = [
        r.name
        for r in by_name(repositories)
        if host(r) == "github.com" and not r.is_fork and "fiscalite" in fold(r.description)
    ]
    expect_status(explorer, status_text(len(expected), total))
    assert row_names(explorer) == expected[:PAGE_SIZE]


def test_sorting_by_stars_and_activity(explorer: Page, site: Served) -> None:
    repositories = site.expected.repositories
    table = explorer.locator("#inv-explorer table")
    stars = table.locator("thead th", has_text="Étoiles")
    activity = table.locator("thead th", has_text="Dernière activité")
    name = table.locator("thead th", has_text="Nom")

    stars.get_by_role("button").click()
    expect(stars).to_have_attribute("aria-sort", "descending")
    assert name.get_attribute("aria-sort") is None
    top = max(r.stars_count or 0 for r in repositories)
    first = table.locator("tbody tr").first.locator("td").nth(4).inner_text()
    assert int(spaces(first).replace(" ", "")) == top

    stars.get_by_role("button").click()
    expect(stars).to_have_attribute("aria-sort", "ascending")
    low = min(r.stars_count or 0 for r in repositories)
    first = table.locator("tbody tr").first.locator("td").nth(4).inner_text()
    assert int(spaces(first).replace(" ", "")) == low

    activity.get_by_role("button").click()
    expect(activity).to_have_attribute("aria-sort", "descending")
    latest = max((r.last_update or "")[:10] for r in repositories)
    stamp = table.locator("tbody tr").first.locator("time").get_attribute("datetime") or ""
    assert stamp[:10] == latest
    assert parse_qs(urlsplit(explorer.url).query)["tri"] == ["activite-desc"]


def test_state_is_restored_from_the_url(page: Page, site: Served) -> None:
    repositories = site.expected.repositories
    page.goto(site.url + "codes-sources/?langage=Python&tri=etoiles-desc&page=2")
    expect(page.locator("#inv-explorer table")).to_be_visible()
    expect(page.locator('#inv-explorer select[name="langage"]')).to_have_value("Python")
    expected = sorted(
        (r for r in repositories if r.language == "Python"),
        key=lambda r: (-(r.stars_count or 0), fold(r.name)),
    )
    pages = -(-len(expected) // PAGE_SIZE)
    if pages < 2:
        assert status(page) == status_text(len(expected), len(repositories), 1)
    else:
        assert status(page) == status_text(len(expected), len(repositories), 2)
        assert row_names(page) == [r.name for r in expected[PAGE_SIZE : 2 * PAGE_SIZE]]


def test_no_result_message(explorer: Page) -> None:
    explorer.get_by_label("Rechercher un dépôt").fill("aucun-depot-ne-porte-ce-nom")
    message = explorer.get_by_text("Aucun dépôt ne correspond à ces critères.", exact=False)
    expect(message.first).to_be_visible()
    expect(explorer.locator("#inv-explorer table")).to_be_hidden()
    expect(explorer.locator("#inv-explorer .inv-pagination")).to_be_hidden()


def _serve_json(page: Page, payload: object, status_code: int = 200) -> None:
    def fulfil(route: Route) -> None:
        route.fulfill(status=status_code, content_type="application/json", body=json.dumps(payload))

    page.route("**/codes-sources/depots.json", fulfil)


def test_empty_crawl_says_so(page: Page, site: Served) -> None:
    _serve_json(page, {"generated_at": "2026-01-01T00:00:00+00:00", "repositories": []})
    page.goto(site.url + "codes-sources/")
    expect(page.locator("#inv-explorer")).to_contain_text(
        "Aucun moissonnage n'a encore été effectué"
    )
    assert page.locator("#inv-explorer table").count() == 0


def test_unreadable_list_is_reported(page: Page, site: Served) -> None:
    _serve_json(page, {"erreur": True}, status_code=500)
    page.goto(site.url + "codes-sources/")
    expect(page.locator("#inv-explorer [role=alert]")).to_contain_text("n'a pas pu être chargée")


BIG = 30_000


@pytest.fixture(scope="module")
def big_explorer(site: Served) -> str:
    """A copy of the explorer page next to a 30,000-row list, served from disk."""
    folder = site.root / "grand-volume"
    if not folder.is_dir():
        folder.mkdir()
        shutil.copyfile(site.root / "codes-sources" / "index.html", folder / "index.html")
        rows = [
            {
                "nom": f"depot-{i:05d}",
                "organisation": f"org-{i % 400}",
                "forge": "github.com" if i % 3 else "gitlab.example.org",
                "url": f"https://github.com/org-{i % 400}/depot-{i:05d}",
                "description": "outil budgétaire" if i % 10 == 0 else "outil",
                "langage": "Python" if i % 2 else "Java",
                "licence": "MIT",
                "etoiles": i % 1000,
                "fork": False,
                "archive": i % 7 == 0,
                "derniere_activite": "2025-01-01",
            }
            for i in range(BIG)
        ]
        payload = {"generated_at": "2026-01-01T00:00:00+00:00", "repositories": rows}
        (folder / "depots.json").write_text(json.dumps(payload), encoding="utf-8")
    return "grand-volume/"


def test_thirty_thousand_rows_render_one_page_only(
    visit: Callable[..., Page], big_explorer: str
) -> None:
    page = visit(big_explorer)
    # Generous waits: the test checks what is rendered, never how fast (no timed test).
    expect(page.locator("#inv-explorer table")).to_be_visible(timeout=60_000)
    assert status(page) == "30 000 dépôts. Page 1 sur 600."
    assert page.locator("#inv-explorer tbody tr").count() == PAGE_SIZE
    page.get_by_label("Rechercher un dépôt").fill("budgetaire")
    expect_status(page, "3 000 dépôts sur 30 000. Page 1 sur 60.", timeout=30_000)
    assert page.locator("#inv-explorer tbody tr").count() == PAGE_SIZE
    page.locator('#inv-explorer select[name="langage"]').select_option("Java")
    expect_status(page, "3 000 dépôts sur 30 000. Page 1 sur 60.", timeout=30_000)
    page.locator("#inv-explorer thead th", has_text="Étoiles").get_by_role("button").click()
    first = page.locator("#inv-explorer tbody tr").first.locator("td").nth(4).inner_text()
    assert int(spaces(first).replace(" ", "")) == 990
