"""The records' history on the site: « Historique de la fiche » on each algorithm page and the
page « Dernières modifications » across the register (``algorithmes/dernieres-modifications``).

Every text comes from git (messages, authors, record versions): all of it is escaped; a long
text's word diff is shown with ``<del>`` and ``<ins>``.
"""

from __future__ import annotations

from inventory.insights.changes import Change
from inventory.insights.feeds import CHANGES_FEED, record_changes_feed_path
from inventory.insights.history import (
    CREATION,
    MOVE,
    OLDEST,
    REMOVAL,
    RecordHistory,
    Version,
    commit_url,
    merge_request,
    merge_request_label,
    merge_request_url,
)
from inventory.model import Record
from inventory.site import paths
from inventory.site.layout import front_matter, paragraph, time_tag
from inventory.site.render import escape, link
from inventory.site.sitedata import SiteData

PAGE = "algorithmes/dernieres-modifications.md"
LATEST = 100

_KINDS = {
    CREATION: "Création de la fiche",
    MOVE: "Fiche déplacée ou renommée",
    REMOVAL: "Fiche supprimée",
    OLDEST: "Plus ancienne version connue",
}


def _change(change: Change) -> str:
    out = [f"<li>{escape(change.summary)}"]
    if change.words:
        parts = []
        for op, text in change.words:
            if op == "-":
                parts.append(f"<del>{escape(text)}</del>")
            elif op == "+":
                parts.append(f"<ins>{escape(text)}</ins>")
            else:
                parts.append(escape(text))
        out.append(f'<p class="inv-diff">{" ".join(parts)}</p>')
    out.append("</li>")
    return "".join(out)


def _links(data: SiteData, version: Version) -> str:
    out = [link(commit_url(data.repo_url, version.sha), f"commit {version.sha[:8]}")]
    number = merge_request(version.message, data.repo_url)
    if number:
        out.append(
            link(
                merge_request_url(data.repo_url, number),
                merge_request_label(data.repo_url, number),
            )
        )
    return " · ".join(out)


def _version(data: SiteData, version: Version, *, title: str = "") -> str:
    heading = title or _KINDS.get(version.kind, "Modification")
    if version.kind == MOVE and version.previous_path:
        heading += f" : {version.previous_path} → {version.path}"
    items = "".join(_change(change) for change in version.changes)
    if version.problem:
        items += f"<li>Version illisible : {escape(version.problem)}</li>"
    return (
        '<li class="inv-version">'
        f"{time_tag(version.day)} — <strong>{escape(heading)}</strong> "
        f"({_links(data, version)})" + (f"<ul>{items}</ul>" if items else "") + "</li>"
    )


def feed_meta(data: SiteData, record: Record) -> tuple[tuple[str, str], ...]:
    """The front matter naming the record's feed of changes, when it has one: the site's
    template links it from the page's ``<head>`` (``site/overrides/main.html``)."""
    found = data.history.of(record.id) if data.history.available else None
    if found is None or not found.versions or found.removed:
        return ()
    name = " ".join(str(record.get("nom") or record.id).split())
    return (
        ("feed", record_changes_feed_path(record.id)),
        ("feed_title", f"Historique de la fiche « {name} »"),
    )


def section(data: SiteData, record: Record) -> str:
    """« Historique de la fiche »: newest version first (empty without a git history)."""
    history = data.history
    if not history.available:
        return ""
    found: RecordHistory | None = history.of(record.id)
    here = paths.algorithm_page(record.id)
    out = ["\n## Historique de la fiche {#historique data-search-exclude}\n"]
    if history.partial:
        out.append(paragraph(escape(history.note), css="inv-note"))
    if found is None or not found.versions:
        out.append(paragraph("Aucune version de cette fiche n'est encore enregistrée."))
        return "".join(out)
    versions = "".join(_version(data, v) for v in reversed(found.versions))
    out.append(f'\n<ol class="inv-history" reversed>{versions}</ol>\n')
    if found.truncated:
        out.append(paragraph("Seules les versions les plus récentes sont affichées."))
    if found.removed:  # a record written again under a removed one's name: no feed yet
        return "".join(out)
    feed = paths.href(here, record_changes_feed_path(record.id))
    out.append(
        paragraph(
            f'<a href="{escape(feed)}" type="application/atom+xml">Suivre les modifications '
            "de cette fiche (flux Atom)</a>"
        )
    )
    return "".join(out)


def page(data: SiteData) -> str:
    """« Dernières modifications »: the latest versions across the register."""
    history = data.history
    out = [
        front_matter("Dernières modifications", search_exclude=True),
        "# Dernières modifications des fiches\n",
    ]
    if history.note:
        out.append(paragraph(escape(history.note), css="inv-note"))
    if not history.available:
        return "".join(out)
    feed = paths.href(PAGE, CHANGES_FEED)
    out.append(
        paragraph(
            "Chaque modification d'une fiche passe par une demande de fusion ; voici les "
            f'plus récentes. <a href="{escape(feed)}" type="application/atom+xml">Flux '
            "Atom des modifications</a>."
        )
    )
    items = []
    for record, version in history.latest(LATEST):
        name = escape(record.record_id)
        if record.removed:
            title = name
        else:
            target = paths.href(PAGE, paths.algorithm_page(record.record_id))
            title = f'<a href="{escape(target)}">{name}</a>'
        items.append(
            _version(data, version).replace(
                '<li class="inv-version">', f'<li class="inv-version">{title} · ', 1
            )
        )
    if not items:
        out.append(paragraph("Aucune modification n'est encore enregistrée."))
    else:
        out.append(f'\n<ol class="inv-history">{"".join(items)}</ol>\n')
    return "".join(out)
