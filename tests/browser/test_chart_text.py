"""Chart text is readable at every width: rendered size, whole labels, width used (Chromium).

Measured in the browser on the site the browser tests build: the rendered font size of
every caption, label and value (computed size times any scaling between the element and the
page), each label shown whole (its text is the data label, nothing clipped nor ellipsed),
and the bars taking the width of their figure.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page

from tests.browser.helpers import describe, run_axe

pytestmark = pytest.mark.browser

WIDTHS = (320, 390, 1280, 1920)
#: An administration of the browser tests' site with records and repositories (two charts).
ADMINISTRATION = "administrations/direction-generale-des-finances-publiques/"
MIN_PX = 14.0

MEASURE = """
figures => figures.map(figure => {
  const scaled = el => {
    // Rendered size: the computed font size times the scale of every transformed ancestor.
    let size = parseFloat(getComputedStyle(el).fontSize);
    for (let node = el; node; node = node.parentElement) {
      const t = getComputedStyle(node).transform;
      if (t && t !== 'none') size *= new DOMMatrix(t).a;
    }
    return size;
  };
  const texts = [...figure.querySelectorAll(
    '.inv-chart__caption, .inv-chart__label, .inv-chart__value')];
  const labels = [...figure.querySelectorAll('.inv-chart__row')].map(row => {
    const label = row.querySelector('.inv-chart__label');
    const style = getComputedStyle(label);
    return {
      expected: row.dataset.label,
      shown: label.innerText.replace(/\\s+/g, ' ').trim(),
      clipped: label.scrollWidth > label.clientWidth + 1
        || label.scrollHeight > label.clientHeight + 1,
      ellipsis: style.textOverflow === 'ellipsis',
      visible: label.getBoundingClientRect().width > 0,
    };
  });
  const bars = figure.querySelector('.inv-chart__bars').getBoundingClientRect().width;
  // The room the figure has: its grid track in the charts' grid, else its parent's width.
  const parent = figure.parentElement;
  const grid = getComputedStyle(parent);
  const room = grid.display === 'grid'
    ? parseFloat(grid.gridTemplateColumns.split(' ')[0])
    : parent.clientWidth;
  return {
    id: figure.id,
    sizes: texts.map(el => [el.className, el.innerText.trim(), scaled(el)]),
    labels,
    ratio: bars / room,
    overflow: figure.scrollWidth > figure.clientWidth + 1
      || figure.getBoundingClientRect().right > window.innerWidth + 1,
  };
})
"""


@pytest.mark.parametrize("width", WIDTHS)
def test_chart_text_is_14px_or_more_and_whole(
    width: int, visit: Callable[..., Page], page: Page
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    for path in ("", ADMINISTRATION):
        visit(path)
        charts = page.eval_on_selector_all("figure.inv-chart", MEASURE)
        assert charts, f"aucun graphique sur /{path}"
        for chart in charts:
            small = [(kind, text, size) for kind, text, size in chart["sizes"] if size < MIN_PX]
            assert not small, f"{width} px, {chart['id']} : texte sous {MIN_PX} px : {small}"
            for label in chart["labels"]:
                assert label["visible"] and label["shown"] == label["expected"], label
                assert not label["clipped"] and not label["ellipsis"], label
            assert chart["ratio"] > 0.95, f"{width} px, {chart['id']} : largeur non utilisée"
            assert not chart["overflow"], f"{width} px, {chart['id']} : le graphique déborde"


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_charts_pass_axe_in_both_colour_schemes(
    scheme: str, visit: Callable[..., Page], page: Page
) -> None:
    page.set_viewport_size({"width": 390, "height": 900})
    visit("")
    page.evaluate("scheme => document.body.setAttribute('data-md-color-scheme', scheme)", scheme)
    blocking = [v for v in run_axe(page) if v["impact"] in {"serious", "critical"}]
    assert not blocking, describe(blocking)
    colour = page.eval_on_selector(
        ".inv-chart__bar", "bar => getComputedStyle(bar).backgroundColor"
    )
    assert colour == ("rgb(0, 0, 145)" if scheme == "default" else "rgb(133, 133, 246)")
