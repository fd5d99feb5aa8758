"""The repository explorer page and the compact JSON file its script loads."""

from __future__ import annotations

import json
from collections.abc import Iterator

from inventory.insights.administrations import activity
from inventory.model import Repository
from inventory.site import insights, paths
from inventory.site.layout import front_matter, paragraph, plural, time_tag
from inventory.site.render import escape
from inventory.site.sitedata import SiteData

CSV_DOWNLOAD = "donnees/repos.csv"


def row(repository: Repository) -> dict[str, object]:
    """One repository as the explorer reads it (French keys)."""
    return {
        "nom": repository.name,
        "organisation": repository.organization_name,
        "forge": paths.host(repository.repository_url) or repository.platform,
        "url": repository.repository_url,
        "description": repository.description or "",
        "langage": repository.language or "",
        "licence": repository.license or "",
        "etoiles": repository.stars_count if repository.stars_count is not None else 0,
        "fork": bool(repository.is_fork),
        "archive": bool(repository.is_archived),
        "derniere_activite": activity(repository),
    }


def explorer_json(data: SiteData) -> str:
    payload = {
        "generated_at": data.generated_at,
        "repositories": [
            {**row(r), **insights.explorer_fields(data, r)} for r in data.repositories
        ],
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def page(data: SiteData) -> str:
    here = paths.REPOSITORIES
    csv = paths.href(here, CSV_DOWNLOAD)
    count = len(data.repositories)
    if data.crawled:
        dates = [activity(r) for r in data.repositories]
        latest = max(dates) if any(dates) else ""
        intro = (
            plural(count, "dépôt de code source est publié", "dépôts de code source sont publiés")
            + " "
            "par des organismes publics sur les forges moissonnées."
            + (f" Activité la plus récente : {time_tag(latest)}." if latest else "")
        )
        noscript = (
            "L'explorateur a besoin de JavaScript. La liste complète des dépôts est "
            f'<a href="{escape(csv)}">téléchargeable au format CSV</a>.'
        )
    else:
        intro = (
            "Aucun moissonnage n'a encore été effectué : la liste des dépôts de code source "
            "sera disponible après le premier moissonnage des forges "
            "(<code>inventory crawl</code>)."
        )
        noscript = "L'explorateur a besoin de JavaScript ; aucun dépôt n'est encore disponible."
    return "".join(
        [
            front_matter("Codes sources", hide_toc=True),
            "# Codes sources publics\n",
            paragraph(intro, css="inv-intro"),
            paragraph(
                f'<a href="{escape(paths.href(here, paths.HEALTH))}">Comment le score de santé '
                "des dépôts est calculé</a>"
            ),
            '\n<div id="inv-explorer" data-src="depots.json"></div>\n',
            f"\n<noscript>\n<p>{noscript}</p>\n</noscript>\n",
        ]
    )


def pages(data: SiteData) -> Iterator[tuple[str, str]]:
    yield paths.REPOSITORIES, page(data)
    yield paths.REPOSITORIES_JSON, explorer_json(data)
