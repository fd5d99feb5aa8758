"""The administrations table and one page per administration (algorithms and repositories)."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlencode

from inventory.insights.administrations import Administration, activity
from inventory.model import Organisation
from inventory.register import labels
from inventory.site import insights, openings, paths
from inventory.site.layout import (
    fields,
    front_matter,
    h1,
    number,
    paragraph,
    plural,
    table,
    time_tag,
)
from inventory.site.render import escape, link
from inventory.site.sitedata import SiteData

# An administration page lists this many repositories (the most recently active); the
# explorer shows them all.
MAX_REPOSITORIES = 50


def pages(data: SiteData) -> Iterator[tuple[str, str]]:
    yield paths.ADMINISTRATIONS, index(data)
    for administration in data.index.administrations:
        yield paths.administration_page(administration.slug), page(data, administration)


def index(data: SiteData) -> str:
    here = paths.ADMINISTRATIONS
    administrations = data.index.administrations
    rows = []
    for administration in administrations:
        url = paths.href(here, paths.administration_page(administration.slug))
        rows.append(
            (
                f'<a href="{escape(url)}">{escape(administration.name)}</a>',
                escape(administration.sigle),
                number(len(administration.records)),
                number(len(administration.repositories)),
            )
        )
    return "".join(
        [
            front_matter("Administrations", search_exclude=True),
            "# Administrations\n",
            paragraph(
                f"{plural(len(administrations), 'administration', 'administrations')} "
                "publient des algorithmes dans le registre ou des codes sources sur une forge "
                "moissonnée."
                + (
                    ""
                    if data.crawled
                    else " Aucun moissonnage n'a encore été effectué : seules les "
                    "administrations des fiches d'algorithmes sont connues."
                )
            ),
            table(
                ("Administration", "Sigle", "Algorithmes", "Dépôts"),
                rows,
                caption="Administrations, nombre d'algorithmes et de dépôts",
                css="inv-table inv-table--administrations",
            )
            if rows
            else paragraph("Aucune administration n'est encore connue."),
        ]
    )


def _account(organisation: Organisation) -> str:
    label = f"{organisation.login} ({organisation.platform})"
    if organisation.name and organisation.name != organisation.login:
        label = f"{organisation.name} : {label}"
    return link(organisation.organization_url, label)


def page(data: SiteData, administration: Administration) -> str:
    here = paths.administration_page(administration.slug)
    records = administration.records
    repositories = administration.repositories
    out = [
        front_matter(administration.name, search_exclude=True),
        h1(administration.name),
        fields(
            (
                ("Sigle", escape(administration.sigle)),
                ("Identifiant dans l'Annuaire de l'administration", escape(administration.pso_id)),
                (
                    "Comptes moissonnés",
                    "<ul>"
                    + "".join(f"<li>{_account(o)}</li>" for o in administration.organisations)
                    + "</ul>"
                    if administration.organisations
                    else "",
                ),
            )
        ),
        insights.administration_section(data, administration),
        openings.administration_section(data, administration),
        "\n## Algorithmes {#algorithmes}\n",
    ]
    if records:
        items = []
        for record in records:
            url = paths.href(here, paths.algorithm_page(record.id))
            statut = labels.label(labels.STATUT, record.get("statut"))
            items.append(
                f'<li><a href="{escape(url)}">{escape(record.get("nom") or record.id)}</a>'
                + (f" ({escape(statut)})" if statut else "")
                + "</li>"
            )
        out.append(f'\n<ul class="inv-list">\n{"".join(items)}\n</ul>\n')
    else:
        out.append(paragraph("Aucun algorithme de cette administration n'est inscrit au registre."))
    out.append("\n## Codes sources {#codes-sources}\n")
    if not data.crawled:
        out.append(paragraph("Aucun moissonnage n'a encore été effectué."))
    elif repositories:
        shown = repositories[:MAX_REPOSITORIES]
        rows = [
            (
                link(r.repository_url, r.name),
                escape(r.language or ""),
                escape(r.license or ""),
                time_tag(activity(r)),
            )
            for r in shown
        ]
        intro = plural(len(repositories), "dépôt moissonné", "dépôts moissonnés")
        if len(repositories) > len(shown):
            intro += f", dont les {number(len(shown))} plus récemment actifs"
        explorer = paths.href(here, paths.REPOSITORIES)
        logins = sorted({r.organization_name for r in repositories})
        query = "?" + urlencode({"organisation": logins[0]}) if len(logins) == 1 else ""
        out.append(paragraph(f"{intro}."))
        out.append(
            table(
                ("Dépôt", "Langage", "Licence", "Dernière activité"),
                rows,
                caption=f"Dépôts de {administration.name}",
                css="inv-table",
            )
        )
        out.append(
            paragraph(f'<a href="{escape(explorer + query)}">Explorer tous les codes sources</a>')
        )
    else:
        out.append(paragraph("Aucun dépôt moissonné pour cette administration."))
    return "".join(out)
