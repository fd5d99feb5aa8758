"""Small HTML/Markdown building blocks shared by the page generators."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from inventory.site.render import escape, front_matter_string, page_title

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
MISSING = '<span class="inv-missing">Non renseigné</span>'


def front_matter(
    title: str,
    *,
    search_exclude: bool = False,
    hide_toc: bool = False,
    meta: Sequence[tuple[str, str]] = (),
) -> str:
    """YAML front matter: the (escaped) title, optional search/toc settings and ``meta``
    values the templates read (``page.meta``), as plain text."""
    lines = ["---", f"title: {page_title(title)}"]
    lines += [f"{key}: {front_matter_string(value)}" for key, value in meta]
    if search_exclude:
        lines += ["search:", "  exclude: true"]
    if hide_toc:
        lines += ["hide:", "  - toc"]
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def h1(text: str) -> str:
    """A raw-HTML h1 (untrusted text is never read as Markdown)."""
    return f'<h1 class="inv-title">{escape(text)}</h1>\n\n'


def french_date(value: object) -> str:
    """``2025-03-12`` (date, datetime or ISO string) -> ``12 mars 2025``; the text otherwise."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return escape(value)
    if isinstance(value, dt.date):
        day = "1er" if value.day == 1 else str(value.day)
        return f"{day} {MONTHS[value.month - 1]} {value.year}"
    return escape(value) if value is not None else ""


def iso_date(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value or "")[:10]


def time_tag(value: object) -> str:
    """A ``<time>`` element with the ISO date and the French reading, or ''."""
    if value in (None, ""):
        return ""
    return f'<time datetime="{escape(iso_date(value))}">{french_date(value)}</time>'


def number(value: object) -> str:
    """French grouping of thousands with a narrow no-break space."""
    if isinstance(value, bool) or not isinstance(value, int):
        return escape(value)
    return f"{value:,}".replace(",", "\u202f")


def plural(count: int, singular: str, plural_form: str) -> str:
    return f"{number(count)} {singular if count <= 1 else plural_form}"


def fields(
    items: Iterable[tuple[str, str] | tuple[str, str, bool]], *, css: str = "inv-fields"
) -> str:
    """A definition list of ``(label, html[, searchable])``; empty values read 'Non renseigné'.

    The labels repeat on every page: they are kept out of the search index, and so is every
    value marked ``searchable=False`` (codes, numbers, background text).
    """
    rows = []
    for item in items:
        label, value = item[0], item[1]
        searchable = item[2] if len(item) > 2 else True  # type: ignore[misc]
        mark = "" if searchable else " data-search-exclude"
        rows.append(
            f"<dt data-search-exclude>{escape(label)}</dt>\n"
            f"<dd{mark}>{value if value else MISSING}</dd>"
        )
    return f'\n<dl class="{css}">\n' + "\n".join(rows) + "\n</dl>\n"


def table(
    headers: Sequence[str], rows: Iterable[Sequence[str]], *, caption: str = "", css: str = ""
) -> str:
    """An HTML table; cells are HTML already escaped by the caller."""
    klass = f' class="{escape(css)}"' if css else ""
    parts = [f"\n<table{klass}>"]
    if caption:
        parts.append(f"<caption>{escape(caption)}</caption>")
    parts.append(
        "<thead><tr>"
        + "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
        + "</tr></thead>"
    )
    parts.append("<tbody>")
    for row in rows:
        parts.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>")
    parts.append("</tbody>\n</table>\n")
    return "\n".join(parts)


def paragraph(html: str, *, css: str = "") -> str:
    klass = f' class="{escape(css)}"' if css else ""
    return f"\n<p{klass}>{html}</p>\n"
