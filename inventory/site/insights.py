"""Insights on the site: the indicators page, indicators and charts on the home and
administration pages, the Atom feeds, and the health and Software Heritage details of
repositories.

Everything comes from :attr:`inventory.site.sitedata.SiteData.insights`, computed once per
build (:mod:`inventory.insights.overview`), with the definitions of
:mod:`inventory.insights.indicators` (the one documented place) and the charts of
:mod:`inventory.insights.charts`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from inventory.insights import charts
from inventory.insights.administrations import Administration
from inventory.insights.feeds import (
    ALGORITHMS_FEED,
    CHANGES_FEED,
    REPOSITORIES_FEED,
    FeedContext,
    write_changes_feeds,
    write_feeds,
    write_openings_feed,
)
from inventory.insights.indicators import (
    BY_CODE,
    INDICATORS,
    Row,
    Share,
    display,
    relevant,
)
from inventory.insights.links import code_urls
from inventory.model import Record, Repository
from inventory.site import paths
from inventory.site.layout import front_matter, paragraph
from inventory.site.render import escape
from inventory.site.sitedata import SiteData

INDICATORS_PAGE = "indicateurs/index.md"
INDICATORS_CSV = "indicateurs.csv"

#: Columns of the indicators table, in order (:data:`inventory.insights.indicators.INDICATORS`).
TABLE_CODES = tuple(indicator.code for indicator in INDICATORS)


# --- indicators ---------------------------------------------------------------------------------


def _cell(row: Row, code: str) -> str:
    value = row.values.get(code)
    if value is None:
        return '<td data-sort="-1">—</td>'
    if isinstance(value, Share):
        title = f"{value.numerator} sur {value.denominator}"
        return (
            f'<td data-sort="{value.ratio:.6f}" title="{escape(title)}">'
            f"{escape(display(value))}</td>"
        )
    return f'<td data-sort="{value}">{escape(display(value))}</td>'


def definitions() -> str:
    """The definitions of every indicator, from the one table of inventory.insights.indicators."""
    items = "".join(
        f"<dt>{escape(i.label_fr)}</dt><dd>{escape(i.description_fr)}</dd>" for i in INDICATORS
    )
    return f'\n<dl class="inv-fields inv-definitions">{items}</dl>\n'


def indicators_page(site: SiteData) -> str:
    insights = site.insights
    here = INDICATORS_PAGE
    header = "".join(
        f'<th scope="col" data-sort-type="number">{escape(BY_CODE[code].label_fr)}</th>'
        for code in TABLE_CODES
    )
    body = []
    for administration in site.index.administrations:
        row = insights.rows[administration.slug]
        url = paths.href(here, paths.administration_page(administration.slug))
        body.append(
            f'<tr><th scope="row" data-sort="{escape(administration.name.lower())}">'
            f'<a href="{escape(url)}">{escape(administration.name)}</a></th>'
            + "".join(_cell(row, code) for code in TABLE_CODES)
            + "</tr>"
        )
    total = (
        '<tr><th scope="row">Ensemble</th>'
        + "".join(_cell(insights.total, code) for code in TABLE_CODES)
        + "</tr>"
    )
    csv_href = paths.href(here, f"donnees/{INDICATORS_CSV}")
    table = (
        '\n<div class="inv-table-wrapper">'
        '<table class="inv-table inv-table--indicateurs" data-inv-sortable="1">'
        "<caption>Indicateurs de transparence par administration</caption>"
        f'<thead><tr><th scope="col" data-sort-type="text">Administration</th>{header}</tr>'
        "</thead>"
        f"<tbody>{''.join(body)}</tbody>"
        f"<tfoot>{total}</tfoot></table></div>\n"
        '<p class="inv-visually-hidden" aria-live="polite" data-inv-sort-status="1"></p>\n'
    )
    reference = insights.today.isoformat()
    return "".join(
        [
            front_matter("Indicateurs de transparence", hide_toc=True),
            "# Indicateurs de transparence\n",
            paragraph(
                "Pour chaque administration : combien d'algorithmes elle inscrit au registre, "
                "quelle part en publie le code, quelle part est à jour, quelle part décide sans "
                "intervention humaine, et combien de dépôts de code source publics elle a. "
                "Les parts ne s'appliquent pas (—) à une administration sans algorithme. "
                f"Calculés le {escape(reference)} ; le tableau se trie en activant l'en-tête "
                "d'une colonne."
            ),
            table if body else paragraph("Aucune administration n'est encore connue."),
            paragraph(f'<a href="{escape(csv_href)}">Télécharger les indicateurs (CSV)</a>'),
            "\n## Définitions {#definitions}\n",
            definitions(),
        ]
    )


# One chart per kind (its id stem): title pattern, counter, and whether it counts records.
_ALGORITHMS = (("algorithme", "algorithmes"), "Algorithmes")
_REPOSITORIES = (("dépôt", "dépôts"), "Dépôts")
CHART_KINDS: dict[str, tuple[str, Callable[[Any], Mapping[str, int]], bool]] = {
    "automatisation": ("Algorithmes{of} par niveau d'automatisation", charts.automation, True),
    "langages": ("Dépôts{of} par langage", charts.languages, False),
    "licences": ("Dépôts{of} par licence", charts.licences, False),
    "forges": ("Dépôts{of} par forge", charts.forges, False),
}


def _charts(
    records: Any,
    repositories: Any,
    *,
    of: str,
    prefix: str = "",
    suffix: str = "",
    kinds: Sequence[str] = tuple(CHART_KINDS),
) -> str:
    """The non-empty charts of ``kinds`` in one ``inv-charts`` block ('' when all are empty)."""
    figures = []
    for kind in kinds:
        title, count, of_records = CHART_KINDS[kind]
        unit, column = _ALGORITHMS if of_records else _REPOSITORIES
        figures.append(
            charts.bar_chart(
                title.format(of=of),
                list(count(records if of_records else repositories).items()),
                chart_id=f"{prefix}{kind}{suffix}",
                unit=unit,
                column=column,
            )
        )
    shown = [figure for figure in figures if figure]
    return '\n<div class="inv-charts">\n' + "".join(shown) + "</div>\n" if shown else ""


def administration_section(site: SiteData, administration: Administration) -> str:
    """Indicators and charts for an administration's page (a section of its own)."""
    insights = site.insights
    row = insights.rows.get(administration.slug)
    if row is None:
        return ""
    here = paths.administration_page(administration.slug)
    items = "".join(
        f"<dt>{escape(i.label_fr)}</dt><dd>{escape(display(row.values.get(i.code)))}</dd>"
        for i in relevant(row)
    )
    out = [
        "\n## Indicateurs de transparence {#indicateurs}\n",
        f'\n<dl class="inv-fields inv-indicators">{items}</dl>\n',
        paragraph(
            f'<a href="{escape(paths.href(here, INDICATORS_PAGE))}">Comparer avec les autres '
            "administrations et lire les définitions</a>"
        ),
    ]
    out.append(
        _charts(
            administration.records,
            administration.repositories,
            of=f" de {administration.name}",
            suffix=f"-{administration.slug}",
            kinds=("automatisation", "langages", "licences"),
        )
    )
    return "".join(out)


def home_section(site: SiteData) -> str:
    """Charts of the whole register for the home page, and the links to indicators and feeds."""
    here = paths.HOME
    shown = _charts(site.records, site.repositories, of="", prefix="accueil-", suffix="")
    out = ["\n## En chiffres {#en-chiffres}\n", shown]
    out.append(
        paragraph(
            f'<a href="{escape(paths.href(here, INDICATORS_PAGE))}">Indicateurs de transparence '
            "par administration</a> · "
            f'<a href="{escape(paths.href(here, "algorithmes/dernieres-modifications.md"))}">'
            "Dernières modifications des fiches</a> · Suivre les nouveautés : "
            f'<a href="{escape(paths.href(here, ALGORITHMS_FEED))}" type="application/atom+xml">'
            "flux des algorithmes</a>, "
            f'<a href="{escape(paths.href(here, REPOSITORIES_FEED))}" '
            'type="application/atom+xml">flux des nouveaux dépôts</a>, '
            f'<a href="{escape(paths.href(here, CHANGES_FEED))}" type="application/atom+xml">'
            "flux des modifications des fiches</a> (Atom)."
        )
    )
    return "".join(out)


def explorer_fields(site: SiteData, repository: Repository) -> dict[str, object]:
    """What the repository explorer adds for a repository: its health score (0-100) and,
    when Software Heritage has archived it, the address of its archive."""
    insights = site.insights
    return {
        "score": insights.score(repository),
        "archive_swh": insights.archive_url(repository) or "",
    }


def linked_repositories(
    site: SiteData, record: Record
) -> tuple[tuple[str, Repository | None], ...]:
    """``(url, crawled repository or None)`` for each ``code_source`` resource of ``record``,
    as :func:`inventory.insights.links.match_resources` matched it (renames followed)."""
    links = site.insights.links
    return tuple((url, next(iter(links.repositories_at(url)), None)) for url in code_urls(record))


def repository_extras(site: SiteData, repository: Repository) -> str:
    """HTML added after a linked repository's name on an algorithm page: its publiccode.yml
    (name, description, maintenance status, or that it is invalid) and its archive link.
    Empty when neither is known."""
    insights = site.insights
    parts = []
    signals = insights.health.get(repository.id)
    parsed = signals.publiccode if signals is not None else None
    if parsed is not None:
        if parsed.valid:
            details = [escape(parsed.name or "")]
            if parsed.description:
                details.append(escape(parsed.description))
            if parsed.maintenance_label:
                details.append(escape(parsed.maintenance_label))
            parts.append(
                '<span class="inv-publiccode">publiccode.yml : '
                + " — ".join(d for d in details if d)
                + "</span>"
            )
        else:
            parts.append(
                '<span class="inv-publiccode">publiccode.yml présent mais non conforme '
                f"({len([p for p in parsed.problems if p.is_error])} erreur(s))</span>"
            )
    archive = insights.archive_url(repository)
    if archive:
        parts.append(
            f'<a class="inv-badge" href="{escape(archive)}" rel="noopener nofollow">'
            "copie Software Heritage</a>"
        )
    return "".join(f"<br>{part}" for part in parts)


def pages(site: SiteData) -> Iterator[tuple[str, str]]:
    yield INDICATORS_PAGE, indicators_page(site)


# --- files: feeds, CSV of the indicators, links table --------------------------------------------


def site_url_of(project: Path) -> str:
    """``site_url`` of the project's ``mkdocs.yml`` ('' when absent or unreadable)."""
    import yaml

    class _Loader(yaml.SafeLoader):
        """Ignores the tags meant for MkDocs (``!ENV``...)."""

    _Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    _Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    try:
        config = yaml.load(
            (Path(project) / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader
        )
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return ""
    value = config.get("site_url") if isinstance(config, dict) else None
    return value if isinstance(value, str) else ""


def _generated(site: SiteData) -> str | None:
    generated: str | None = site.generated_at
    try:
        moment = dt.datetime.fromisoformat(generated.replace("Z", "+00:00"))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        generated = moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        generated = None
    return generated


def write_feeds_of(site: SiteData, docs: Path, *, site_url: str = "") -> list[Path]:
    """Write the Atom feeds (``flux/``) of the site's records and repositories."""
    context = FeedContext(site_url=site_url, repo_url=site.repo_url)
    return write_feeds(docs, site.records, site.repositories, context, generated=_generated(site))


def write_openings_feed_of(site: SiteData, docs: Path, *, site_url: str = "") -> Path:
    """Write the Atom feed of the changes of status of the announced code openings."""
    context = FeedContext(site_url=site_url, repo_url=site.repo_url)
    return write_openings_feed(docs, site.insights.openings, context, generated=_generated(site))


def write_changes_feeds_of(site: SiteData, docs: Path, *, site_url: str = "") -> list[Path]:
    """Write the Atom feeds of the records' changes (the register's and one per record)."""
    context = FeedContext(site_url=site_url, repo_url=site.repo_url)
    return write_changes_feeds(docs, site.history, context, generated=_generated(site))
