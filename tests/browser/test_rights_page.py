"""What an algorithm page tells the person concerned, in Chromium: « En bref », the explicit
mention and its copy button, the request letter and the downloads, « Vos droits »."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from urllib.request import urlopen

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Served
from tests.browser.helpers import describe, run_axe

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}
PAGE = "algorithmes/calcul-impot/"


def test_brief_block_comes_first_and_says_what_is_decided(
    visit: Callable[..., Page], site: Served
) -> None:
    page = visit(PAGE)
    record = site.expected.records["calcul-impot"]
    brief = page.locator("section.inv-brief")
    expect(brief).to_be_visible()
    first_heading = page.locator("article h2").first
    expect(first_heading).to_have_text("En bref")
    text = " ".join(brief.inner_text().split())
    assert record["nom"] in text
    assert "Vos droits" in text
    brief.get_by_role("link", name="Vos droits face à une décision").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/vos-droits/")
    expect(page.locator("h1")).to_contain_text("Vos droits")


def test_copy_button_copies_the_mention(
    visit: Callable[..., Page], page: Page, site: Served
) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.url)
    visit(PAGE)
    box = page.locator("section.inv-mention")
    button = box.get_by_role("button", name="Copier la mention")
    expect(button).to_be_visible()  # shown by the script; without it the text stays selectable
    button.click()
    expect(box.locator(".inv-mention__status")).to_have_text("Mention copiée.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("Information sur l'utilisation d'un traitement algorithmique")
    assert "article R311-3-1-1" in copied


def test_downloads_serve_the_mention_and_the_letter(
    visit: Callable[..., Page], site: Served
) -> None:
    page = visit(PAGE)
    hrefs = {
        link.get_attribute("href")
        for link in page.locator(
            "section.inv-mention a[download], section.inv-request a[download]"
        ).all()
    }
    assert hrefs == {"mention.txt", "demande-explication.txt", "demande-explication.odt"}
    base = site.url + PAGE
    mention = urlopen(base + "mention.txt").read().decode("utf-8")
    assert mention.startswith("Information sur l'utilisation d'un traitement algorithmique")
    letter = urlopen(base + "demande-explication.txt").read().decode("utf-8")
    assert "[Votre nom et prénom]" in letter and "R311-3-1-2" in letter
    odt = urlopen(base + "demande-explication.odt").read()
    assert zipfile.ZipFile(io.BytesIO(odt)).read("mimetype") == (
        b"application/vnd.oasis.opendocument.text"
    )
    page.locator("section.inv-request summary").click()
    expect(page.locator("section.inv-request details")).to_contain_text("Madame, Monsieur")


@pytest.mark.parametrize("path", [PAGE, "vos-droits/"])
def test_axe_clean(path: str, visit: Callable[..., Page]) -> None:
    page = visit(path)
    blocking = [v for v in run_axe(page) if v["impact"] in BLOCKING]
    assert not blocking, describe(blocking)


def test_without_javascript_the_mention_is_text_and_no_dead_button(browser, site: Served) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site.url + PAGE)
        box = page.locator("section.inv-mention")
        expect(box.locator(".inv-mention__text")).to_contain_text("article L311-3-1")
        expect(box.locator("button[data-inv-copy]")).to_be_hidden()
        expect(box.locator('a[href="mention.txt"]')).to_be_visible()
    finally:
        context.close()
