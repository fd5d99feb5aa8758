"""The home page: what the register is, key figures and where to go next."""

from __future__ import annotations

from inventory.site import insights, openings, paths
from inventory.site.layout import front_matter, number, paragraph
from inventory.site.render import escape
from inventory.site.sitedata import SiteData


def page(data: SiteData) -> str:
    here = paths.HOME
    index = data.index
    figures = (
        (len(data.records), "algorithme", "algorithmes", paths.ALGORITHMS),
        (len(index.administrations), "administration", "administrations", paths.ADMINISTRATIONS),
        (
            len(data.repositories),
            "dépôt de code source",
            "dépôts de code source",
            paths.REPOSITORIES,
        ),
        (len(index.forges), "forge moissonnée", "forges moissonnées", paths.REPOSITORIES),
    )
    items = "".join(
        f'<li class="inv-figure"><a href="{escape(paths.href(here, target))}">'
        f'<strong class="inv-figure__value">{number(count)}</strong> '
        f'<span class="inv-figure__label">{escape(one if count <= 1 else many)}</span></a></li>'
        for count, one, many, target in figures
    )

    def to(target: str) -> str:
        return escape(paths.href(here, target))

    crawl_note = (
        ""
        if data.crawled
        else paragraph(
            "Aucun moissonnage des forges n'a encore été effectué : les chiffres des dépôts "
            "seront disponibles après le premier moissonnage."
        )
    )
    return "".join(
        [
            front_matter("Accueil", hide_toc=True),
            "# Inventaire des codes sources et des algorithmes publics\n",
            paragraph(
                "Ce registre rassemble les algorithmes que les administrations françaises "
                "utilisent pour prendre des décisions individuelles, et les codes sources "
                "qu'elles publient. Il répond à l'obligation de publier les règles des "
                "principaux traitements algorithmiques (Code des relations entre le public et "
                "l'administration, article L312-1-3) et au droit de chacun à une explication "
                "(articles L311-3-1 et R311-3-1-2).",
                css="inv-intro",
            ),
            f'\n<ul class="inv-figures" aria-label="Chiffres clés">\n{items}\n</ul>\n',
            crawl_note,
            insights.home_section(data),
            "\n## Parcourir le registre\n",
            "\n<ul>\n"
            f'<li><a href="{to(paths.ALGORITHMS)}">Les algorithmes</a> : finalité, fondements '
            "juridiques, données traitées, niveau d'automatisation, code source.</li>\n"
            f'<li><a href="{to(paths.ADMINISTRATIONS)}">Les administrations</a> : leurs '
            "algorithmes et leurs dépôts.</li>\n"
            f'<li><a href="{to(paths.REPOSITORIES)}">Les codes sources</a> publiés par les '
            "organismes publics sur les forges.</li>\n"
            + openings.home_link(here)
            + f'<li><a href="{to(paths.DATA)}">Les données</a> en téléchargement libre '
            "(JSON et CSV) avec leurs schémas.</li>\n"
            "</ul>\n",
            "\n## Contribuer\n",
            paragraph(
                "Chaque algorithme est décrit par un fichier YAML selon le "
                f'<a href="{to(paths.FORMAT)}">format du registre</a>, inspiré du modèle '
                "d'inventaire d'Etalab. Les administrations ajoutent ou mettent à jour leurs "
                f'fiches par demande de fusion : voir <a href="{to(paths.CONTRIBUTE)}">'
                "Contribuer</a>."
            ),
        ]
    )
