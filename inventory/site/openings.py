"""The « Ouvertures annoncées » page, and the commitments on each administration's page.

One section per roadmap: who published it and when, the timeline of its deadlines and actual
openings (:mod:`inventory.insights.timeline`), and a table of its commitments with a status
badge (text, with a colour that only repeats it), the opening date, the delay, the repository
found and the notes. The statuses are those of :mod:`inventory.insights.openings`, computed
on the build's date.
"""

from __future__ import annotations

from inventory.insights.administrations import Administration
from inventory.insights.feeds import OPENINGS_FEED, opening_anchor
from inventory.insights.openings import (
    LABELS,
    LATE,
    OPEN,
    OPEN_LATE,
    STATUSES,
    UNTRACKED,
    UPCOMING,
    Tracked,
)
from inventory.insights.timeline import timeline
from inventory.site import paths
from inventory.site.layout import front_matter, h1, number, paragraph, plural, table
from inventory.site.render import escape, link
from inventory.site.sitedata import SiteData

PAGE = "codes-sources/ouvertures.md"
TITLE = "Ouvertures de codes sources annoncées"


def badge(status: str) -> str:
    return f'<span class="inv-status inv-status--{escape(status)}">{escape(LABELS[status])}</span>'


def _day(tracked: Tracked) -> str:
    return tracked.opened.strftime("%d/%m/%Y") if tracked.opened else ""


def _opening(tracked: Tracked) -> str:
    parts = []
    if tracked.opened:
        source = "création sur la forge" if tracked.opened_from == "creation" else "moissonnage"
        parts.append(f'<time datetime="{tracked.opened.isoformat()}">{_day(tracked)}</time>')
        parts.append(f'<span class="inv-muted"> ({source})</span>')
    if tracked.delay_days is not None and tracked.status in (OPEN_LATE, LATE):
        parts.append(f"<br>{number(tracked.delay_days)} jours de retard")
    if tracked.account and tracked.created_since is not None:
        quarters = ", ".join(f"{q} : {n}" for q, n in tracked.by_quarter)
        since = tracked.roadmap.published.strftime("%d/%m/%Y")
        parts.append(
            f"<br>{plural(tracked.created_since, 'dépôt ouvert', 'dépôts ouverts')} "
            f"depuis le {since}" + (f" ({escape(quarters)})" if quarters else "")
        )
    return "".join(parts)


def _where(tracked: Tracked) -> str:
    commitment = tracked.commitment
    if tracked.repository_url and tracked.status != UNTRACKED:
        text = tracked.repository_url.removeprefix("https://")
        return link(tracked.repository_url, text)
    if commitment.depot:
        return link(commitment.depot, commitment.depot.removeprefix("https://"))
    return '<span class="inv-muted">Aucune adresse</span>'


def _notes(tracked: Tracked) -> str:
    notes = [tracked.commitment.note, *tracked.notes] if tracked.commitment.note else tracked.notes
    return "<br>".join(escape(n) for n in notes)


def _summary(rows: list[Tracked]) -> str:
    counts = {status: sum(1 for t in rows if t.status == status) for status in STATUSES}
    shown = [status for status in STATUSES if counts[status]]
    items = "".join(f"<li>{badge(status)} {number(counts[status])}</li>" for status in shown)
    return f'\n<ul class="inv-status-counts" aria-label="Engagements par statut">{items}</ul>\n'


def _roadmap_section(site: SiteData, rows: list[Tracked]) -> str:
    roadmap = rows[0].roadmap
    published = roadmap.published.strftime("%d/%m/%Y")
    source = f" — {link(roadmap.url, 'lire la feuille de route')}" if roadmap.url else ""
    here = PAGE
    body = []
    for tracked in rows:
        administration = site.index.by_commitment.get(tracked.id)
        who = escape(tracked.commitment.administration.label())
        if administration is not None:
            target = paths.href(here, paths.administration_page(administration.slug))
            who = f'<a href="{escape(target)}">{who}</a>'
        body.append(
            (
                f'<span id="{escape(opening_anchor(tracked))}">'
                f"{escape(tracked.commitment.code)}</span>",
                who,
                escape(tracked.commitment.deadline.label()),
                badge(tracked.status),
                _opening(tracked),
                _where(tracked),
                _notes(tracked),
            )
        )
    ident = f"feuille-{roadmap.id}"
    return "".join(
        [
            f"\n## {escape(roadmap.title)} {{#{ident}}}\n",
            paragraph(
                f"Publiée par {escape(roadmap.administration.label())} le {published}"
                f"{source}. "
                + plural(len(rows), "engagement", "engagements")
                + f" ; fichier source : <code>{escape(roadmap.source_file)}</code>."
            ),
            _summary(rows),
            timeline(
                f"Échéances et ouvertures : {roadmap.title}",
                rows,
                roadmap.published,
                site.today,
                ident,
            ),
            # A data table scrolls on its own on narrow screens (the page never does); the
            # region takes the focus so that it can be scrolled from the keyboard.
            f'\n<div class="inv-table-wrapper" role="region" tabindex="0" '
            f'aria-label="Engagements : {escape(roadmap.title)}">',
            table(
                (
                    "Code source",
                    "Administration",
                    "Échéance",
                    "Statut",
                    "Ouverture",
                    "Dépôt",
                    "Notes",
                ),
                body,
                caption=f"Engagements de la feuille de route « {roadmap.title} »",
                css="inv-table inv-openings",
            ),
            "</div>\n",
        ]
    )


def page(site: SiteData) -> str:
    openings = site.insights.openings
    today = site.today.strftime("%d/%m/%Y")
    here = PAGE
    out = [
        front_matter(
            TITLE,
            meta=(
                ("feed", OPENINGS_FEED),
                ("feed_title", "Ouvertures de codes sources annoncées : changements de statut"),
            ),
        ),
        h1(TITLE),
        paragraph(
            "Les feuilles de route ministérielles pour la donnée, les algorithmes et les codes "
            "sources annoncent l'ouverture de codes sources à une échéance. Cette page suit "
            "chaque engagement d'après le moissonnage des forges : un code est "
            f"{badge(OPEN)} quand un dépôt est apparu au plus tard à l'échéance (date de "
            "création sur la forge, sinon premier moissonnage qui l'a vu), "
            f"{badge(OPEN_LATE)} quand il est apparu après, {badge(LATE)} quand l'échéance "
            f"est passée sans dépôt, {badge(UPCOMING)} avant l'échéance, et "
            f"{badge(UNTRACKED)} quand la feuille de route ne donne pas d'adresse sur une "
            "forge moissonnée. Une échéance court jusqu'au dernier jour de son trimestre ou "
            f"semestre. Statuts calculés le {today}."
        ),
        paragraph(
            f'<a href="{escape(paths.href(here, "donnees/ouvertures.csv"))}">Télécharger les '
            f'engagements (CSV)</a> · <a href="{escape(paths.href(here, OPENINGS_FEED))}">'
            "Suivre les changements de statut (flux Atom)</a> · Ajouter une feuille de route : "
            f'un fichier YAML dans le dossier ouvertures/ (voir <a href="'
            f'{escape(paths.href(here, paths.CONTRIBUTE))}">Contribuer</a>).'
        ),
    ]
    if not openings.roadmaps:
        out.append(paragraph("Aucune feuille de route n'est encore inscrite."))
        return "".join(out)
    if not openings.crawled:
        out.append(
            paragraph(
                "Aucun moissonnage des forges n'a encore été effectué : les engagements ne "
                "peuvent pas encore être suivis."
            )
        )
    for roadmap in openings.roadmaps:
        rows = list(openings.of(roadmap))
        if rows:
            out.append(_roadmap_section(site, rows))
    return "".join(out)


def administration_section(site: SiteData, administration: Administration) -> str:
    """The commitments of one administration (empty when it has none)."""
    known = site.insights.openings.by_id()
    rows = [known[cid] for cid in administration.commitments if cid in known]
    if not rows:
        return ""
    here = paths.administration_page(administration.slug)
    items = []
    for tracked in rows:
        target = paths.href(here, PAGE) + "#" + opening_anchor(tracked)
        opened = f", ouvert le {_day(tracked)}" if tracked.opened else ""
        items.append(
            f'<li><a href="{escape(target)}">{escape(tracked.commitment.code)}</a> — '
            f"{badge(tracked.status)} (échéance "
            f"{escape(tracked.commitment.deadline.label())}{opened}) — "
            f"{escape(tracked.roadmap.title)}</li>"
        )
    return (
        "\n## Ouvertures de codes sources annoncées {#ouvertures}\n"
        + f'\n<ul class="inv-list">\n{"".join(items)}\n</ul>\n'
    )


def home_link(here: str) -> str:
    """The home page's entry for this page."""
    return (
        f'<li><a href="{escape(paths.href(here, PAGE))}">Les ouvertures de codes sources '
        "annoncées</a> par les feuilles de route ministérielles, et si elles ont été tenues."
        "</li>\n"
    )
