"""Small helpers shared by the browser tests (text folding, reading the page)."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from playwright.sync_api import Page


def fold(text: object) -> str:
    """Lower-case, accent-free, single-spaced text (what the site's search compares)."""
    decomposed = unicodedata.normalize("NFD", str(text or ""))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(plain.split())


def spaces(text: str) -> str:
    """Normalise the narrow/no-break spaces French number formatting uses."""
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


def count_in(option_text: str) -> int:
    """``"Aide à la décision (12)"`` -> 12."""
    match = re.search(r"\(([\d\s\u202f\xa0]+)\)\s*$", option_text)
    assert match, f"pas de compte dans l'option « {option_text} »"
    return int(re.sub(r"\D", "", match.group(1)))


def visible_titles(page: Page) -> list[str]:
    return page.locator(".inv-card:not([hidden]) .inv-card__title").all_inner_texts()


def options(page: Page, select_name: str) -> dict[str, str]:
    """value -> text of a select's options."""
    return page.eval_on_selector_all(
        f'select[name="{select_name}"] option',
        "nodes => Object.fromEntries(nodes.map(o => [o.value, o.textContent]))",
    )


def run_axe(page: Page) -> list[dict[str, Any]]:
    """axe-core (bundled by axe-playwright-python) with the WCAG 2.0/2.1 A and AA rules."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
            "resultTypes": ["violations"],
        },
    )
    return list(results.response["violations"])


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:5]]
        lines.append(
            f"{violation['id']} ({violation['impact']}) : {violation['help']} -> {targets}"
        )
    return "\n".join(lines)
