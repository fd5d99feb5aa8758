"""Accessible HTML charts (inventory.insights.charts): structure, values, text alternative."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from inventory.insights.charts import (
    OTHERS,
    automation,
    bar_chart,
    forges,
    languages,
    licences,
    top,
)
from tests.insights.helpers import record, repo


def parse(fragment: str) -> ET.Element:
    # The fragment is well-formed XML (XHTML).
    return ET.fromstring(fragment)


def test_structure_and_values() -> None:
    fragment = bar_chart(
        "Langages",
        [("Python", 12), ("Java", 3), ("Vide", 0), ("C", 3)],
        chart_id="langages accueil",
        unit=("dépôt", "dépôts"),
        column="Dépôts",
    )
    figure = parse(fragment)
    assert figure.tag == "figure" and figure.get("id") == "langages-accueil"
    caption = figure.find("figcaption")
    assert (caption.get("id"), caption.text) == ("langages-accueil-title", "Langages")
    bars = figure.find("div")
    assert bars.get("role") == "img"
    assert bars.get("aria-labelledby") == "langages-accueil-title langages-accueil-desc"
    desc = figure.find("p")
    assert desc.get("id") == "langages-accueil-desc" and desc.get("hidden") is not None
    assert desc.text == "Python : 12 dépôts; C : 3 dépôts; Java : 3 dépôts."
    rows = bars.findall("div")
    assert [(row.get("data-label"), row.get("data-value")) for row in rows] == [
        ("Python", "12"),
        ("C", "3"),
        ("Java", "3"),
    ]
    # Whole labels as text (never cut), values as text, widths proportional to the largest.
    assert [row.find("span").text for row in rows] == ["Python", "C", "Java"]
    assert [row.findall("span")[-1].text for row in rows] == ["12", "3", "3"]
    widths = [row.find("span/span").get("style") for row in rows]
    assert widths == ["width: 100.0%", "width: 25.0%", "width: 25.0%"]
    # The text alternative: a data table with every value.
    table = figure.find("details/table")
    assert figure.find("details/summary").text == "Données du graphique"
    assert [th.text for th in table.findall("thead/tr/th")] == ["Libellé", "Dépôts"]
    rows = [(tr.find("th").text, tr.find("td").text) for tr in table.findall("tbody/tr")]
    assert rows == [("Python", "12"), ("C", "3"), ("Java", "3")]
    assert "<script" not in fragment and "\n\n" not in fragment


def test_untrusted_labels_are_escaped() -> None:
    fragment = bar_chart("Licences <b>", [('<script>alert("x")</script>', 2)], chart_id="l")
    assert "<script>" not in fragment
    figure = parse(fragment)
    assert figure.find("figcaption").text == "Licences <b>"
    assert figure.find("div/div/span").text == '<script>alert("x")</script>'
    assert figure.find("details/table/tbody/tr/th").text == '<script>alert("x")</script>'


def test_long_labels_are_kept_whole() -> None:
    label = "Décision entièrement automatisée après examen du dossier complet"
    figure = parse(bar_chart("Niveaux", [(label, 1)], chart_id="n"))
    assert figure.find("div/div").get("data-label") == label
    assert figure.find("div/div/span").text == label
    assert "…" not in ET.tostring(figure, encoding="unicode")


def test_tail_is_grouped_and_empty_data_gives_nothing() -> None:
    counts = {f"L{i:02d}": 20 - i for i in range(15)}
    bars = top(counts, 5)
    assert bars[:4] == [("L00", 20), ("L01", 19), ("L02", 18), ("L03", 17)]
    assert bars[4] == (OTHERS, sum(range(6, 17)))
    assert sum(v for _, v in bars) == sum(counts.values())
    assert bar_chart("Rien", [], chart_id="x") == ""
    assert bar_chart("Zéros", [("a", 0)], chart_id="x") == ""


def test_counters() -> None:
    repositories = [
        repo("https://github.com/a/x", language="Python", license="MIT"),
        repo("https://GitHub.com/a/y", language="Python", license=None),
        repo("https://gitlab.com/b/z", language=None, license="EUPL-1.2"),
    ]
    assert languages(repositories) == {"Python": 2, "Non renseigné": 1}
    assert licences(repositories) == {"MIT": 1, "EUPL-1.2": 1, "Non renseigné": 1}
    assert forges(repositories) == {"github.com": 2, "gitlab.com": 1}
    records = [
        record("a", niveau_automatisation="aide_a_la_decision"),
        record("b", niveau_automatisation="decision_entierement_automatisee"),
        record("c", niveau_automatisation="aide_a_la_decision"),
        record("d"),
    ]
    assert automation(records) == {
        "Aide à la décision": 2,
        "Décision entièrement automatisée": 1,
        "Non renseigné": 1,
    }
