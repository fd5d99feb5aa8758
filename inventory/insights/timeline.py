"""The timeline of a roadmap's commitments: deadlines and actual openings, drawn at build time.

One row per tracked commitment. The marks are SVG drawn at build time (no script): the
deadline as an outlined bar ending on its last day, the opening as a solid tick, the delay
between a deadline and a late opening (or today, when still late) as a hatched band. Text is
never inside the SVG, which scales with the page: the code's name, the years of the axis and
the legend are HTML at the page's text size, so they stay readable at every width (the rule
of :mod:`inventory.insights.charts`). The figure's accessible content is text: each row
carries a sentence for screen readers (« échéance T4 2021, ouvert le 15/10/2021 ») and the
figure ends with a data table in a ``<details>``. The SVG is decorative (``aria-hidden``).
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Sequence

from inventory.insights.openings import LABELS, LATE, OPEN_LATE, UNTRACKED, Tracked

WIDTH = 1000  # user units of each row's SVG (stretched to the column's width)
HEIGHT = 24


def _escape(text: object) -> str:
    return html.escape(str(text), quote=True)


def _fr(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def sentence(tracked: Tracked) -> str:
    """What a row shows, in words."""
    deadline = tracked.commitment.deadline
    parts = [f"échéance {deadline.label()}"]
    if tracked.opened is not None:
        parts.append(f"ouvert le {_fr(tracked.opened)}")
    if tracked.delay_days is not None and tracked.status in (OPEN_LATE, LATE):
        parts.append(f"{tracked.delay_days} jours de retard")
    parts.append(LABELS[tracked.status].lower())
    return ", ".join(parts)


class _Scale:
    def __init__(self, first: dt.date, last: dt.date) -> None:
        self.first = first
        self.days = max((last - first).days, 1)

    def x(self, day: dt.date) -> float:
        return round(WIDTH * (day - self.first).days / self.days, 1)

    def percent(self, day: dt.date) -> str:
        return f"{100 * (day - self.first).days / self.days:.2f}%"


def _bounds(rows: Sequence[Tracked], published: dt.date, today: dt.date) -> tuple[dt.date, dt.date]:
    days = [published, today]
    for tracked in rows:
        deadline = tracked.commitment.deadline
        days.extend(d for d in (deadline.first_day, deadline.last_day, tracked.opened) if d)
    first, last = min(days), max(days)
    return dt.date(first.year, 1, 1), dt.date(last.year, 12, 31)


def _marks(tracked: Tracked, scale: _Scale, today: dt.date) -> str:
    deadline = tracked.commitment.deadline
    shapes = []
    if deadline.first_day and deadline.last_day:
        x0, x1 = scale.x(deadline.first_day), scale.x(deadline.last_day)
        shapes.append(
            f'<rect class="inv-tl-deadline" x="{x0}" y="5" width="{max(x1 - x0, 3)}" '
            'height="14" vector-effect="non-scaling-stroke"/>'
        )
    if deadline.last_day and tracked.status in (OPEN_LATE, LATE):
        end = tracked.opened if tracked.opened else today
        x0, x1 = scale.x(deadline.last_day), scale.x(end)
        shapes.append(
            f'<rect class="inv-tl-delay" x="{x0}" y="9" width="{max(x1 - x0, 1)}" height="6"/>'
        )
    if tracked.opened is not None:
        shapes.append(f'<rect class="inv-tl-open" x="{scale.x(tracked.opened) - 3}" y="2" '
                      'width="6" height="20"/>')  # fmt: skip
    return (
        f'<svg class="inv-tl-track" viewBox="0 0 {WIDTH} {HEIGHT}" preserveAspectRatio="none" '
        f'aria-hidden="true" focusable="false">{"".join(shapes)}</svg>'
    )


def _table(title: str, rows: Sequence[Tracked]) -> str:
    body = "".join(
        "<tr>"
        f'<th scope="row">{_escape(t.commitment.code)}</th>'
        f"<td>{_escape(t.commitment.deadline.label())}</td>"
        f"<td>{_escape(_fr(t.opened))}</td>"
        f"<td>{_escape(LABELS[t.status])}</td>"
        "</tr>"
        for t in rows
    )
    return (
        "<details><summary>Tableau des données</summary>"
        f'<table><caption>{_escape(title)}</caption><thead><tr><th scope="col">Code source'
        '</th><th scope="col">Échéance</th><th scope="col">Ouverture</th>'
        f'<th scope="col">Statut</th></tr></thead><tbody>{body}</tbody></table></details>'
    )


def _year_class(year: int, first: int, span: int) -> str:
    """Which screens name a year on the axis: about ten on a wide one, four on a narrow one,
    never one so close to the end that its text would run past the axis."""
    offset, place = year - first, (year - first) / span
    wide_step = math.ceil(span / 10)
    narrow_step = wide_step * math.ceil(math.ceil(span / 4) / wide_step)  # a multiple of it
    wide = offset % wide_step == 0 and place <= 0.9
    narrow = offset % narrow_step == 0 and place <= 0.78
    if not wide:
        return " inv-tl-unnamed"
    return "" if narrow else " inv-tl-minor"


def timeline(
    title: str, rows: Sequence[Tracked], published: dt.date, today: dt.date, ident: str
) -> str:
    """The HTML figure of ``rows`` (untracked commitments left out: nothing to place)."""
    shown = [t for t in rows if t.status != UNTRACKED and t.commitment.deadline.last_day]
    if not shown:
        return ""
    first, last = _bounds(shown, published, today)
    scale = _Scale(first, last)
    span = last.year - first.year + 1
    years = "".join(
        f'<span class="inv-tl-year{_year_class(year, first.year, span)}" '
        f'style="left:{scale.percent(dt.date(year, 1, 1))}">{year}</span>'
        for year in range(first.year, last.year + 1)
    )
    today_mark = f'<span class="inv-tl-today" style="left:{scale.percent(today)}"></span>'
    lines = "".join(
        '<li class="inv-tl-row">'
        f'<span class="inv-tl-label">{_escape(t.commitment.code)}'
        f'<span class="inv-visually-hidden"> : {_escape(sentence(t))}</span></span>'
        f'<span class="inv-tl-marks">{_marks(t, scale, today)}</span>'
        "</li>"
        for t in shown
    )
    legend = (
        '<p class="inv-tl-legend">'
        '<span class="inv-tl-key inv-tl-key--deadline"></span> période de l\'échéance '
        '<span class="inv-tl-key inv-tl-key--open"></span> ouverture constatée '
        '<span class="inv-tl-key inv-tl-key--delay"></span> retard '
        f"(axe : années {first.year} à {last.year}, trait vertical : aujourd'hui, "
        f"{_fr(today)})</p>"
    )
    caption = _escape(title)
    return (
        f'\n<figure class="inv-timeline" aria-labelledby="{ident}-titre">\n'
        f'<figcaption id="{ident}-titre">{caption}</figcaption>\n'
        f"{legend}\n"
        f'<div class="inv-tl-axis" aria-hidden="true">{years}{today_mark}</div>\n'
        f'<ul class="inv-tl-rows">{lines}</ul>\n'
        f"{_table(title, shown)}\n"
        "</figure>\n"
    )
