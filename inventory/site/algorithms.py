"""The algorithm catalogue (``algorithmes/index.md``) and one page per algorithm."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from urllib.parse import quote

from inventory.insights.administrations import Administration, activity
from inventory.model import Record, Repository
from inventory.register import labels
from inventory.site import history, insights, paths, rights
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
from inventory.site.render import escape, json_for_script, link, markdown
from inventory.site.sitedata import SiteData

_MARKUP = re.compile(r"[*_`#>|~]+|!?\[([^\]]*)\]\([^)]*\)")
EXCERPT = 180


def _text(value: object) -> str:
    return value if isinstance(value, str) else ("" if value is None else str(value))


def _excerpt(text: str) -> str:
    plain = " ".join(_MARKUP.sub(lambda m: m.group(1) or " ", text).split())
    if len(plain) <= EXCERPT:
        return plain
    return plain[:EXCERPT].rsplit(" ", 1)[0] + " …"


def _admin_name(record: Record) -> str:
    admin = record.get("administration")
    name = admin.get("nom") if isinstance(admin, Mapping) else None
    return _text(name).strip() or "Administration non précisée"


def pages(data: SiteData) -> Iterator[tuple[str, str]]:
    """``(path, Markdown)`` of the catalogue and of every algorithm page."""
    yield paths.ALGORITHMS, catalogue(data)
    for record in data.records:
        yield paths.algorithm_page(record.id), algorithm(data, record)


def labels_json() -> str:
    """The enum labels the catalogue's script shows, keyed like the cards' data-* attributes."""
    payload = {key: dict(values) for key, (_, values) in labels.FILTERS.items()}
    return f'<script type="application/json" id="inv-labels">{json_for_script(payload)}</script>'


def _card(record: Record, here: str) -> str:
    name = _text(record.get("nom")).strip() or record.id
    admin = _admin_name(record)
    finalite = _text(record.get("finalite"))
    attrs = [f'data-administration="{escape(admin)}"']
    tags = []
    for key, (field_name, values) in labels.FILTERS.items():
        code = _text(record.get(field_name))
        attrs.append(f'data-{key}="{escape(code)}"')
        if code:
            tags.append(
                f'<li class="inv-tag inv-tag--{key}">{escape(labels.label(values, code))}</li>'
            )
    texte = paths.fold(" ".join((name, admin, finalite)).replace("\n", " "))
    attrs.append(f'data-texte="{escape(" ".join(texte.split()))}"')
    url = escape(paths.href(here, paths.algorithm_page(record.id)))
    excerpt = _excerpt(finalite)
    return (
        f'<li class="inv-card" {" ".join(attrs)}>\n'
        f'<h2 class="inv-card__title"><a href="{url}">{escape(name)}</a></h2>\n'
        f'<p class="inv-card__administration">{escape(admin)}</p>\n'
        + (f'<p class="inv-card__finalite">{escape(excerpt)}</p>\n' if excerpt else "")
        + (f'<ul class="inv-card__tags">{"".join(tags)}</ul>\n' if tags else "")
        + "</li>"
    )


def catalogue(data: SiteData) -> str:
    here = paths.ALGORITHMS
    records = sorted(data.records, key=lambda r: (paths.fold(r.get("nom")), r.id))
    count = len(records)
    parts = [
        front_matter("Algorithmes", search_exclude=True),
        "# Catalogue des algorithmes publics\n",
        paragraph(
            f"{plural(count, 'algorithme est décrit', 'algorithmes sont décrits')} par les "
            "administrations qui les utilisent pour prendre des décisions individuelles. "
            "Recherchez par mot-clé ou filtrez par administration, niveau d'automatisation, "
            "type d'algorithme, statut ou portée de la décision.",
            css="inv-intro",
        ),
        "\n" + labels_json() + "\n",
        '\n<div class="inv-catalogue" data-inv-catalogue>\n'
        '<p class="inv-catalogue__count" aria-live="polite">'
        f"{escape(plural(count, 'algorithme', 'algorithmes'))}</p>\n"
        '<ul class="inv-cards">',
    ]
    parts.extend(_card(record, here) for record in records)
    parts.append("</ul>\n</div>\n")
    changes = paths.href(here, history.PAGE)
    parts.append(paragraph(f'<a href="{escape(changes)}">Dernières modifications des fiches</a>'))
    if not records:
        parts.append(paragraph("Aucun algorithme n'est encore inscrit au registre."))
    return "\n".join(parts)


def _legal(record: Record) -> str:
    items = []
    for basis in record.get("fondements_juridiques") or ():
        if isinstance(basis, Mapping):
            items.append(f"<li>{link(basis.get('url'), basis.get('titre'))}</li>")
        elif basis:
            items.append(f"<li>{escape(basis)}</li>")
    return f"<ul>{''.join(items)}</ul>" if items else ""


def _yes_no(value: object) -> str:
    if value is True:
        return "Oui"
    if value is False:
        return "Non"
    return "Non précisé"


def _data_table(record: Record) -> str:
    rows = []
    for entry in record.get("donnees") or ():
        if not isinstance(entry, Mapping):
            continue
        rows.append(
            (
                escape(entry.get("nom")),
                markdown(entry.get("source")),
                markdown(entry.get("mode_collecte")) or "Non précisé",
                _yes_no(entry.get("donnees_personnelles")),
            )
        )
    if not rows:
        return ""
    return table(
        ("Donnée", "Source", "Mode de collecte", "Données personnelles"),
        rows,
        caption="Données traitées",
        css="inv-table",
    )


def _parameters(record: Record) -> str:
    rows = []
    for entry in record.get("parametres") or ():
        if isinstance(entry, Mapping):
            weight = entry.get("ponderation")
            rows.append(
                (
                    escape(entry.get("nom")),
                    escape(weight) if weight not in (None, "") else "Non précisée",
                    markdown(entry.get("description")),
                )
            )
    if not rows:
        return ""
    return table(
        ("Paramètre", "Pondération", "Description"),
        rows,
        caption="Paramètres et pondération",
        css="inv-table",
    )


def _resources(record: Record) -> str:
    items = []
    for entry in record.get("ressources") or ():
        if isinstance(entry, Mapping):
            kind = labels.label(labels.RESSOURCE, entry.get("type"))
            items.append(
                f'<li><span class="inv-resource-type">{escape(kind)}</span> : '
                f"{link(entry.get('url'), entry.get('titre') or entry.get('url'))}</li>"
            )
    return f"\n<ul>{''.join(items)}</ul>\n" if items else ""


def _repositories(data: SiteData, record: Record) -> str:
    linked = insights.linked_repositories(data, record)
    if not linked:
        return ""
    rows = []
    for url, repository in linked:
        row = _repository_row(url, repository)
        if repository is not None:  # publiccode.yml and Software Heritage
            row = (row[0] + insights.repository_extras(data, repository), *row[1:])
        rows.append(row)
    note = (
        ""
        if data.crawled
        else paragraph(
            "Aucun moissonnage n'a encore été effectué : "
            "les informations des dépôts ne sont pas disponibles."
        )
    )
    return note + table(
        ("Dépôt", "Licence", "Langage", "Dernière activité"),
        rows,
        caption="Dépôts de code source liés",
        css="inv-table",
    )


def _repository_row(url: str, repository: Repository | None) -> tuple[str, ...]:
    if repository is None:
        return (link(url, url), "Dépôt non moissonné", "", "")
    return (
        link(repository.repository_url, f"{repository.organization_name}/{repository.name}"),
        escape(repository.license or "Non précisée"),
        escape(repository.language or "Non précisé"),
        time_tag(activity(repository)) or "Inconnue",
    )


def _contact(value: object) -> str:
    text = _text(value).strip()
    if not text:
        return ""
    if "@" in text and not text.lower().startswith(("mailto:", "http://", "https://")):
        return link(f"mailto:{text}", text)
    return link(text, text.removeprefix("mailto:"))


def _admin_link(here: str, administration: Administration | None, name: str) -> str:
    if administration is None:
        return escape(name)
    url = paths.href(here, paths.administration_page(administration.slug))
    return f'<a href="{escape(url)}">{escape(name)}</a>'


def _project_links(data: SiteData, record: Record) -> str:
    base = data.repo_url.rstrip("/")
    file = quote(data.record_file(record))
    branch = quote(data.branch)
    return (
        "<ul>"
        f"<li>{link(f'{base}/blob/{branch}/{file}', 'Fichier YAML de la fiche')}</li>"
        f"<li>{link(f'{base}/commits/{branch}/{file}', 'Historique des modifications')}</li>"
        "</ul>"
    )


def algorithm(data: SiteData, record: Record) -> str:
    here = paths.algorithm_page(record.id)
    name = _text(record.get("nom")).strip() or record.id
    admin = record.get("administration")
    admin = admin if isinstance(admin, Mapping) else {}
    admin_name = _admin_name(record)
    administration = data.index.by_record.get(record.id)
    updated = time_tag(record.get("date_mise_a_jour"))
    statut = labels.label(labels.STATUT, record.get("statut"))
    decisions = record.get("decisions_par_an")
    summary = " · ".join(
        part
        for part in (
            _admin_link(here, administration, admin_name),
            escape(statut),
            f"Dernière mise à jour : {updated}" if updated else "",
        )
        if part
    )
    linked = bool(insights.linked_repositories(data, record))
    out = [
        front_matter(name, meta=history.feed_meta(data, record)),
        h1(name),
        f'\n<p class="inv-summary" data-search-exclude>{summary}</p>\n',
        rights.brief(record, site_url=data.site_url, linked=linked),
        "\n## Informations sur l'administration {#administration data-search-exclude}\n",
        fields(
            (
                (labels.FIELD["administration.nom"], _admin_link(here, administration, admin_name)),
                (labels.FIELD["administration.sigle"], escape(admin.get("sigle") or "")),
                (labels.FIELD["administration.direction"], escape(admin.get("direction") or "")),
                (labels.FIELD["contact"], _contact(record.get("contact"))),
                (labels.FIELD["date_mise_a_jour"], updated),
            )
        ),
        "\n## Informations métier sur l'algorithme et la décision {#metier}\n",
        fields(
            (
                (labels.FIELD["nom"], escape(name), False),
                (labels.FIELD["statut"], escape(statut), False),
                (labels.FIELD["contexte"], markdown(record.get("contexte")), False),
                (labels.FIELD["finalite"], markdown(record.get("finalite"))),
                (
                    labels.FIELD["intervention_dans_la_decision"],
                    markdown(record.get("intervention_dans_la_decision")),
                ),
                (
                    labels.FIELD["niveau_automatisation"],
                    escape(labels.label(labels.NIVEAU, record.get("niveau_automatisation"))),
                    False,
                ),
                (labels.FIELD["fondements_juridiques"], _legal(record)),
            )
        ),
        "\n## Informations sur l'impact de la décision {#impact}\n",
        fields(
            (
                (
                    labels.FIELD["decisions_par_an"],
                    number(decisions) if decisions not in (None, "") else "",
                    False,
                ),
                (
                    labels.FIELD["portee_decision"],
                    escape(labels.label(labels.PORTEE, record.get("portee_decision"))),
                    False,
                ),
                (labels.FIELD["public_concerne"], markdown(record.get("public_concerne"))),
            )
        ),
        "\n## Informations sur le fonctionnement interne de l'algorithme {#fonctionnement}\n",
        fields(
            (
                (
                    labels.FIELD["type_algorithme"],
                    escape(labels.label(labels.TYPE, record.get("type_algorithme"))),
                    False,
                ),
                (labels.FIELD["operations"], markdown(record.get("operations"))),
            )
        ),
        "\n### Données traitées {#donnees data-search-exclude}\n",
        _data_table(record) or paragraph("Aucune donnée n'est décrite."),
        "\n### Paramètres et pondération {#parametres data-search-exclude}\n",
        _parameters(record) or paragraph("Aucun paramètre n'est décrit."),
        "\n### Ressources connexes {#ressources data-search-exclude}\n",
        _resources(record) or paragraph("Aucune ressource n'est indiquée."),
        "\n### Codes sources {#codes-sources data-search-exclude}\n",
        _repositories(data, record) or paragraph("Aucun dépôt de code source n'est indiqué."),
        rights.mention_box(record, site_url=data.site_url),
        rights.request(record, site_url=data.site_url),
        history.section(data, record),
        "\n## À propos de cette fiche {#fiche data-search-exclude}\n",
        paragraph(
            f"Dernière mise à jour : {updated or 'non renseignée'}. "
            "Cette fiche est un fichier YAML du registre ; toute modification passe par une "
            "demande de fusion (<em>pull request</em>)."
        ),
        "\n" + _project_links(data, record) + "\n",
    ]
    return "".join(out)
