"""Accessible bar charts rendered at build time, in HTML and CSS (no script, no asset).

:func:`bar_chart` returns one HTML fragment: a ``<figure>`` holding

* a ``<figcaption>`` naming the chart;
* the bars: a ``role="img"`` block whose accessible name is the caption followed by a hidden
  sentence reading every value (what a screen reader announces); each bar is a row of a CSS
  grid (``graphiques.css``) with its label as real text, a bar whose width is its share of
  the largest value, and the value. Text stays at the page's font size whatever the width
  (never a scaled drawing), labels wrap instead of being cut, and the chart takes the width
  of its column;
* a ``<details>`` with the data as an HTML ``<table>`` (the text alternative, also useful to
  copy the figures).

Every text is escaped: labels come from forges and records. The bars use the French State's
blue ``#000091`` on the light scheme and a lighter blue on the dark one (3:1 contrast for
graphics, WCAG 1.4.11, in both); the text has the page's colour.

Data helpers count what the charts show: :func:`languages`, :func:`licences`,
:func:`forges` (over repositories) and :func:`automation` (over records). Beyond
``max_bars`` values, the rest is summed in one "Autres" bar.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from inventory.model import Record, Repository

MAX_BARS = 10
OTHERS = "Autres"
UNKNOWN = "Non renseigné"

AUTOMATION_LABELS = {
    "decision_entierement_automatisee": "Décision entièrement automatisée",
    "aide_a_la_decision": "Aide à la décision",
}


def _escape(text: object) -> str:
    return html.escape(str(text), quote=True)


def _number(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")


def _id(text: str) -> str:
    cleaned = re.sub(r"[^a-zA-Z0-9_-]+", "-", text).strip("-")
    return cleaned or "graphique"


def top(
    counts: Mapping[str, int] | Iterable[tuple[str, int]], max_bars: int = MAX_BARS
) -> list[tuple[str, int]]:
    """Largest first (ties by label), the tail summed into one :data:`OTHERS` entry."""
    items = list(counts.items()) if isinstance(counts, Mapping) else list(counts)
    items = [(str(label), int(value)) for label, value in items if int(value) > 0]
    items.sort(key=lambda item: (-item[1], item[0].lower()))
    if len(items) <= max_bars:
        return items
    kept = items[: max_bars - 1]
    rest = sum(value for _, value in items[max_bars - 1 :])
    return [*kept, (OTHERS, rest)]


def spoken(data: Sequence[tuple[str, int]], unit: tuple[str, str]) -> str:
    """Every value in one sentence, for screen readers: « Python : 12 dépôts; C : 3 dépôts »."""
    one, many = unit
    return "; ".join(
        f"{label} : {_number(value)} {one if value <= 1 else many}" for label, value in data
    )


def data_table(title: str, data: Sequence[tuple[str, int]], column: str) -> str:
    """The chart's data as a ``<details>`` table: its text alternative."""
    rows = "".join(
        f'<tr><th scope="row">{_escape(label)}</th><td>{_number(value)}</td></tr>'
        for label, value in data
    )
    return (
        '<details class="inv-chart__data"><summary>Données du graphique</summary>'
        f'<table class="inv-table"><caption>{_escape(title)}</caption>'
        '<thead><tr><th scope="col">Libellé</th>'
        f'<th scope="col">{_escape(column)}</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></details>"
    )


def bar_chart(
    title: str,
    data: Sequence[tuple[str, int]],
    *,
    chart_id: str,
    unit: tuple[str, str] = ("élément", "éléments"),
    column: str = "Valeur",
    max_bars: int = MAX_BARS,
) -> str:
    """The chart as an HTML fragment (see the module docstring); '' when there is no data."""
    bars = top(data, max_bars)
    if not bars:
        return ""
    ident = _id(chart_id)
    largest = max(value for _, value in bars)
    parts = [
        f'<figure class="inv-chart" id="{ident}">',
        f'<figcaption class="inv-chart__caption" id="{ident}-title">{_escape(title)}</figcaption>',
        f'<p id="{ident}-desc" hidden="hidden">{_escape(spoken(bars, unit))}.</p>',
        f'<div class="inv-chart__bars" role="img" aria-labelledby="{ident}-title {ident}-desc">',
    ]
    for label, value in bars:
        share = 100 * value / largest if largest else 0
        parts.append(
            f'<div class="inv-chart__row" data-label="{_escape(label)}" data-value="{value}">'
            f'<span class="inv-chart__label">{_escape(label)}</span>'
            f'<span class="inv-chart__track"><span class="inv-chart__bar" '
            f'style="width: {share:.1f}%"></span></span>'
            f'<span class="inv-chart__value">{_number(value)}</span></div>'
        )
    parts.append("</div>")
    parts.append(data_table(title, bars, column))
    parts.append("</figure>")
    return "\n".join(parts) + "\n"


# --- what the charts count ------------------------------------------------------------------


def _count(values: Iterable[str | None]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for value in values:
        text = (value or "").strip()
        counts[text or UNKNOWN] += 1
    return counts


def languages(repositories: Iterable[Repository]) -> Counter[str]:
    return _count(r.language for r in repositories)


def licences(repositories: Iterable[Repository]) -> Counter[str]:
    return _count(r.license for r in repositories)


def forges(repositories: Iterable[Repository]) -> Counter[str]:
    return _count((r.platform or "").lower() for r in repositories)


def automation(records: Iterable[Record]) -> Counter[str]:
    values = []
    for record in records:
        level = record.get("niveau_automatisation")
        values.append(AUTOMATION_LABELS.get(level, str(level)) if level else None)
    return _count(values)
