"""Atom 1.0 feeds (RFC 4287): new and updated algorithms, new repositories, changes of the
records, and changes of status of the announced code openings.

Feeds are written as text with the escaping of :mod:`xml.etree.ElementTree` (text and
attribute values; the same bytes, checked by the tests on hostile text); characters that XML
1.0 forbids (control characters a record or a forge description may
hold) are removed first, so the output always parses.

Identifiers must be permanent. With the site's public address (``site_url`` in
``mkdocs.yml``), a feed's id is its own absolute URL and an algorithm entry's id the absolute
URL of its page; without one, ids are ``tag:`` URIs (RFC 4151) minted under the project's
repository (:func:`tag_authority`), with a fixed date so they never change, and links are
relative to the feed's location (Atom allows relative references). A repository entry's id
and link are the repository's own URL.

An algorithm entry is updated when the record's ``date_mise_a_jour`` changes: the entry keeps
its id and its ``updated`` moves, which is how feed readers show an update.
"""

from __future__ import annotations

import datetime as dt
import functools
import posixpath
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from inventory.atomic import write_bytes
from inventory.insights.history import RegisterHistory, Version
from inventory.insights.openings import LABELS, OPEN_LATE, Openings, Tracked
from inventory.model import Record, Repository

ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM = "{" + ATOM_NS + "}"
ALGORITHMS_FEED = "flux/algorithmes.xml"
REPOSITORIES_FEED = "flux/depots.xml"
TAG_DATE = "2026"
MAX_ENTRIES = 50


_DECLARATION = "<?xml version='1.0' encoding='utf-8'?>\n"
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: object) -> str:
    """``text`` as a string without the characters XML 1.0 forbids."""
    return _FORBIDDEN.sub("", str(text or ""))


@functools.lru_cache(maxsize=16)
def tag_authority(repo_url: str) -> tuple[str, str]:
    """``(authority, prefix)`` for tag URIs from the project repository's URL.

    ``https://github.com/codegouvfr/inventaire-public`` -> ``("github.com",
    "codegouvfr/inventaire-public")``.
    """
    parts = urlsplit(repo_url)
    return (parts.hostname or "localhost").lower(), parts.path.strip("/")


@dataclass(frozen=True)
class FeedContext:
    """Where the site lives: ``site_url`` (absolute, may be empty) and the tag authority."""

    site_url: str = ""
    repo_url: str = "https://github.com/codegouvfr/inventaire-public"

    def page_id(self, page_dir: str) -> str:
        """Permanent id of a site page (``algorithmes/x/``)."""
        if self.site_url:
            return self.site_url.rstrip("/") + "/" + page_dir
        authority, prefix = tag_authority(self.repo_url)
        return f"tag:{authority},{TAG_DATE}:{prefix}/{page_dir}"

    def href(self, feed_path: str, page_dir: str) -> str:
        """Link from the feed at ``feed_path`` to a page of the site."""
        if self.site_url:
            return self.site_url.rstrip("/") + "/" + page_dir
        rel = posixpath.relpath(page_dir or ".", posixpath.dirname(feed_path) or ".")
        return rel.rstrip("/") + "/" if rel != "." else "./"


def _timestamp(value: object) -> str | None:
    """RFC 3339 date-time of a date, datetime or ISO string (dates at 00:00 UTC)."""
    if isinstance(value, dt.datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    elif isinstance(value, dt.date):
        moment = dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    elif isinstance(value, str) and value.strip():
        text = value.strip().replace("Z", "+00:00")
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
    else:
        return None
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    updated: str
    link: str
    summary: str = ""
    published: str | None = None
    author: str = ""


def _escape_text(text: str) -> str:
    """XML character data: ``&``, ``<`` and ``>`` escaped (as ElementTree writes them)."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _escape_attribute(text: str) -> str:
    """A double-quoted attribute value (quotes and white space escaped, as ElementTree)."""
    text = _escape_text(text)
    for raw, escaped in (('"', "&quot;"), ("\r", "&#13;"), ("\n", "&#10;"), ("\t", "&#09;")):
        if raw in text:
            text = text.replace(raw, escaped)
    return text


class _Writer:
    """Atom elements as indented text: the bytes ElementTree writes after ``ET.indent``
    (``tests/insights/test_feeds.py`` checks it on hostile text), about three times faster,
    which counts for the thousands of feeds of the records' history."""

    def __init__(self) -> None:
        self.parts = [_DECLARATION, f'<feed xmlns="{ATOM_NS}" xml:lang="fr">']

    def text(self, depth: int, tag: str, text: object, attributes: str = "") -> None:
        value = clean(text)
        indent = "  " * depth
        if value:
            self.parts.append(f"\n{indent}<{tag}{attributes}>{_escape_text(value)}</{tag}>")
        else:
            self.parts.append(f"\n{indent}<{tag}{attributes} />")

    def link(self, depth: int, href: str, **attributes: str) -> None:
        pairs = "".join(f' {k}="{_escape_attribute(v)}"' for k, v in attributes.items())
        self.parts.append(
            f'\n{"  " * depth}<link{pairs} href="{_escape_attribute(clean(href))}" />'
        )

    def author(self, depth: int, name: str) -> None:
        indent = "  " * depth
        self.parts.append(f"\n{indent}<author>")
        self.text(depth + 1, "name", name)
        self.parts.append(f"\n{indent}</author>")

    def open(self, tag: str) -> None:
        self.parts.append(f"\n  <{tag}>")

    def close(self, tag: str) -> None:
        self.parts.append(f"\n  </{tag}>")

    def bytes(self) -> bytes:
        return ("".join(self.parts) + "\n</feed>").encode("utf-8")


def render(
    *,
    feed_id: str,
    title: str,
    self_href: str,
    alternate_href: str,
    entries: Sequence[Entry],
    generated: str,
    author: str,
    subtitle: str = "",
) -> bytes:
    """An Atom document; ``updated`` is the newest entry's, else ``generated``."""
    out = _Writer()
    out.text(1, "id", feed_id)
    out.text(1, "title", title)
    if subtitle:
        out.text(1, "subtitle", subtitle)
    out.text(1, "updated", max((entry.updated for entry in entries), default=generated))
    out.link(1, self_href, rel="self", type="application/atom+xml")
    out.link(1, alternate_href, rel="alternate", type="text/html")
    out.author(1, author)
    out.text(1, "generator", "inventaire-public")
    for entry in entries:
        out.open("entry")
        out.text(2, "id", entry.id)
        out.text(2, "title", entry.title, ' type="text"')
        out.text(2, "updated", entry.updated)
        if entry.published:
            out.text(2, "published", entry.published)
        out.link(2, entry.link, rel="alternate")
        if entry.author:
            out.author(2, entry.author)
        if entry.summary:
            out.text(2, "summary", entry.summary, ' type="text"')
        out.close("entry")
    return out.bytes()


AUTHOR = "Inventaire des codes sources et des algorithmes publics"


def site_feed(
    context: FeedContext,
    feed_path: str,
    page_dir: str,
    *,
    title: str,
    entries: Sequence[Entry],
    generated: str,
    subtitle: str = "",
) -> bytes:
    """One feed of the site at ``feed_path``, about the page at ``page_dir``: its id, its
    self and alternate links and its author follow from where it lives."""
    return render(
        feed_id=context.page_id(feed_path),
        title=title,
        subtitle=subtitle,
        self_href=context.href(feed_path, feed_path).rstrip("/"),
        alternate_href=context.href(feed_path, page_dir),
        entries=entries,
        generated=generated,
        author=AUTHOR,
    )


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _administration(record: Record) -> str:
    admin = record.get("administration")
    if isinstance(admin, dict):
        return str(admin.get("nom") or "")
    return ""


def algorithms_feed(
    records: Sequence[Record],
    context: FeedContext,
    *,
    page_dir: Callable[[str], str] = lambda rid: f"algorithmes/{rid}/",
    generated: str | None = None,
    limit: int = MAX_ENTRIES,
) -> bytes:
    """The ``limit`` most recently updated algorithms (by ``date_mise_a_jour``)."""
    generated = generated or _now()
    dated = []
    for record in records:
        updated = _timestamp(record.get("date_mise_a_jour"))
        if updated:
            dated.append((updated, record))
    dated.sort(key=lambda item: (item[0], item[1].id), reverse=True)
    entries = []
    for updated, record in dated[:limit]:
        target = page_dir(record.id)
        entries.append(
            Entry(
                id=context.page_id(target),
                title=str(record.get("nom") or record.id),
                updated=updated,
                link=context.href(ALGORITHMS_FEED, target),
                summary=str(record.get("finalite") or ""),
                author=_administration(record),
            )
        )
    return site_feed(
        context,
        ALGORITHMS_FEED,
        "algorithmes/",
        title="Algorithmes publics : fiches nouvelles et mises à jour",
        subtitle="Les fiches du registre, de la plus récemment mise à jour à la plus ancienne.",
        entries=entries,
        generated=generated,
    )


def repositories_feed(
    repositories: Sequence[Repository],
    context: FeedContext,
    *,
    generated: str | None = None,
    limit: int = MAX_ENTRIES,
) -> bytes:
    """The ``limit`` most recently created repositories (by ``creation_date``)."""
    generated = generated or _now()
    dated = []
    for repository in repositories:
        created = _timestamp(repository.creation_date)
        if created:
            dated.append((created, repository))
    dated.sort(key=lambda item: (item[0], item[1].id), reverse=True)
    entries = [
        Entry(
            id=repository.repository_url,
            title=f"{repository.organization_name}/{repository.name} ({repository.platform})",
            updated=created,
            published=created,
            link=repository.repository_url,
            summary=repository.description or "",
            author=repository.organization_name,
        )
        for created, repository in dated[:limit]
    ]
    return site_feed(
        context,
        REPOSITORIES_FEED,
        "codes-sources/",
        title="Codes sources publics : nouveaux dépôts",
        subtitle="Les dépôts moissonnés, du plus récemment créé au plus ancien.",
        entries=entries,
        generated=generated,
    )


def write_feeds(
    docs: Path,
    records: Sequence[Record],
    repositories: Sequence[Repository],
    context: FeedContext,
    *,
    generated: str | None = None,
) -> list[Path]:
    """Write both feeds under ``docs`` (atomically); the paths written."""
    written = []
    for relative, body in (
        (ALGORITHMS_FEED, algorithms_feed(records, context, generated=generated)),
        (REPOSITORIES_FEED, repositories_feed(repositories, context, generated=generated)),
    ):
        target = Path(docs) / relative
        write_bytes(target, body)
        written.append(target)
    return written


# --- changes of the records (their git history) ----------------------------------------------

CHANGES_FEED = "flux/modifications.xml"
CHANGES_PAGE = "algorithmes/dernieres-modifications/"


def record_changes_feed_path(record_id: str) -> str:
    return f"flux/algorithmes/{record_id}.xml"


def changes_feed(
    versions: Sequence[tuple[str, Version]],
    context: FeedContext,
    *,
    feed_path: str,
    title: str,
    alternate: str,
    generated: str,
    link_of: Callable[[str, Version], str],
) -> bytes:
    """An Atom feed of record versions (``(record id, version)``, newest first): one entry
    per version, its id the commit and the record, its summary the changes in French."""
    entries = []
    for record_id, version in versions[:MAX_ENTRIES]:
        updated = _timestamp(version.date) or generated
        lines = [change.summary for change in version.changes] or [version.kind]
        entries.append(
            Entry(
                id=context.page_id(f"historique/{record_id}/{version.sha}"),
                title=f"{record_id} : {lines[0]}",
                updated=updated,
                link=link_of(record_id, version),
                summary="\n".join(lines),
                author=version.author,
            )
        )
    return site_feed(
        context, feed_path, alternate, title=title, entries=entries, generated=generated
    )


def write_changes_feeds(
    docs: Path,
    history: RegisterHistory,
    context: FeedContext,
    *,
    generated: str | None = None,
    page_dir: Callable[[str], str] = lambda rid: f"algorithmes/{rid}/",
) -> list[Path]:
    """The register's feed of changes and one per record with a history, written plainly:
    ``docs`` is the site's tree being generated, put in place whole once finished."""
    if not history.available:
        return []
    generated = generated or _now()
    written = []

    def link_from(feed_path: str) -> Callable[[str, Version], str]:
        links: dict[str, str] = {}

        def link(rid: str, _version: Version) -> str:
            if rid not in links:
                links[rid] = context.href(feed_path, page_dir(rid)) + "#historique"
            return links[rid]

        return link

    every = [(h.record_id, v) for h, v in history.latest(MAX_ENTRIES)]
    feeds = [
        (
            CHANGES_FEED,
            every,
            "Algorithmes publics : dernières modifications des fiches",
            CHANGES_PAGE,
        )
    ]
    for record in history.by_id.values():
        if record.removed:
            continue
        newest = [(record.record_id, v) for v in reversed(record.versions)]
        feeds.append(
            (
                record_changes_feed_path(record.record_id),
                newest,
                f"Historique de la fiche « {record.record_id} »",
                page_dir(record.record_id),
            )
        )
    for feed_path, versions, title, alternate in feeds:
        body = changes_feed(
            versions,
            context,
            feed_path=feed_path,
            title=title,
            alternate=alternate,
            generated=generated,
            link_of=link_from(feed_path),
        )
        target = Path(docs) / feed_path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
        written.append(target)
    return written


# --- announced code openings ------------------------------------------------------------------

OPENINGS_FEED = "flux/ouvertures.xml"
OPENINGS_PAGE = "codes-sources/ouvertures/"


def opening_anchor(tracked: Tracked) -> str:
    """The HTML id of a commitment's row on the openings page."""
    return "engagement-" + tracked.id.replace("/", "--")


def openings_feed(
    openings: Openings,
    context: FeedContext,
    *,
    generated: str | None = None,
    limit: int = MAX_ENTRIES,
) -> bytes:
    """The ``limit`` latest changes of status of the commitments, newest first.

    A change happens on a date computed from the roadmaps and the crawl (a deadline passing,
    a repository appearing): the feed needs no memory of earlier builds, and an entry's id
    (the page, the commitment, the new status) never changes.
    """
    generated = generated or _now()
    changes = [
        (event, tracked)
        for tracked in openings.tracked
        for event in tracked.events
        if event.day <= openings.today
    ]
    changes.sort(key=lambda item: (item[0].day, item[1].id, item[0].status), reverse=True)
    entries = []
    for event, tracked in changes[:limit]:
        commitment = tracked.commitment
        title = f"{commitment.code} : {LABELS[event.status].lower()}"
        if event.status == OPEN_LATE and tracked.delay_days is not None:
            title += f" ({tracked.delay_days} jours après l'échéance)"
        summary = [
            f"{tracked.roadmap.title} — {commitment.administration.label()}.",
            f"Échéance : {commitment.deadline.label()}.",
        ]
        if commitment.depot:
            summary.append(f"Dépôt annoncé : {commitment.depot}.")
        summary.extend(tracked.notes)
        stamp = _timestamp(event.day) or generated
        anchor = opening_anchor(tracked)
        entries.append(
            Entry(
                id=f"{context.page_id(OPENINGS_PAGE)}#{anchor}-{event.status}",
                title=title,
                updated=stamp,
                published=stamp,
                link=context.href(OPENINGS_FEED, OPENINGS_PAGE) + f"#{anchor}",
                summary=" ".join(summary),
                author=commitment.administration.nom,
            )
        )
    return site_feed(
        context,
        OPENINGS_FEED,
        OPENINGS_PAGE,
        title="Ouvertures de codes sources annoncées : changements de statut",
        subtitle=(
            "Les engagements des feuilles de route ministérielles qui passent une échéance "
            "sans ouverture, ou dont le code source est ouvert."
        ),
        entries=entries,
        generated=generated,
    )


def write_openings_feed(
    docs: Path, openings: Openings, context: FeedContext, *, generated: str | None = None
) -> Path:
    target = Path(docs) / OPENINGS_FEED
    write_bytes(target, openings_feed(openings, context, generated=generated))
    return target
