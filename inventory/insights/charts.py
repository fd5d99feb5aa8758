"""Accessible SVG bar charts rendered at build time (no script, no third-party asset).

:func:`bar_chart` returns one HTML fragment: a ``<figure>`` holding

* an inline ``<svg role="img" aria-labelledby="ID-title ID-desc">`` whose ``<title>`` names
  the chart and whose ``<desc>`` reads every value in a sentence (what a screen reader
  announces), horizontal bars with their label and value as SVG text;
* a ``<figcaption>`` repeating the title for sighted readers;
* a ``<details>`` with the data as an HTML ``<table>`` (the text alternative, also useful to
  copy the figures).

Every text is escaped: labels come from forges and records. Colours meet the 3:1 contrast
for graphics (WCAG 1.4.11) against white: the bars use the French State's blue ``#000091``,
the text ``#161616``.

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

BAR_COLOUR = "#000091"
TEXT_COLOUR = "#161616"
WIDTH = 640
BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 200
VALUE_WIDTH = 60
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


def _truncate(label: str, limit: int = 28) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


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
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = len(bars) * (BAR_HEIGHT + GAP) + GAP
    one, many = unit
    spoken = "; ".join(
        f"{label} : {_number(value)} {one if value <= 1 else many}" for label, value in bars
    )
    parts = [
        f'<figure class="inv-chart" id="{ident}">',
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="100%" '
        f'viewBox="0 0 {WIDTH} {height}" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="{ident}-title {ident}-desc" class="inv-chart__svg">',
        f'<title id="{ident}-title">{_escape(title)}</title>',
        f'<desc id="{ident}-desc">{_escape(spoken)}.</desc>',
    ]
    for position, (label, value) in enumerate(bars):
        y = GAP + position * (BAR_HEIGHT + GAP)
        width = max(1.0, plot * value / largest) if largest else 1.0
        middle = y + BAR_HEIGHT / 2
        parts.append(
            f'<g class="inv-chart__bar" data-label="{_escape(label)}" data-value="{value}">'
            f'<text x="{LABEL_WIDTH - 8}" y="{middle:.1f}" text-anchor="end" '
            f'dominant-baseline="middle" fill="{TEXT_COLOUR}" font-size="14">'
            f"{_escape(_truncate(label))}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" '
            f'fill="{BAR_COLOUR}"></rect>'
            f'<text x="{LABEL_WIDTH + width + 6:.1f}" y="{middle:.1f}" '
            f'dominant-baseline="middle" fill="{TEXT_COLOUR}" font-size="14">'
            f"{_number(value)}</text></g>"
        )
    parts.append("</svg>")
    parts.append(f'<figcaption class="inv-chart__caption">{_escape(title)}</figcaption>')
    rows = "".join(
        f'<tr><th scope="row">{_escape(label)}</th><td>{_number(value)}</td></tr>'
        for label, value in bars
    )
    parts.append(
        '<details class="inv-chart__data"><summary>Données du graphique</summary>'
        f'<table class="inv-table"><caption>{_escape(title)}</caption>'
        '<thead><tr><th scope="col">Libellé</th>'
        f'<th scope="col">{_escape(column)}</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></details>"
    )
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
