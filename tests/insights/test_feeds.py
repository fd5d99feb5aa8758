"""Atom feeds (inventory.insights.feeds): valid Atom 1.0, escaping, permanent ids."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from urllib.parse import urljoin, urlsplit

from hypothesis import given, settings
from hypothesis import strategies as st

from inventory.insights.feeds import (
    ALGORITHMS_FEED,
    FeedContext,
    algorithms_feed,
    repositories_feed,
    write_feeds,
)
from tests.insights.helpers import record, repo

A = "{http://www.w3.org/2005/Atom}"
GENERATED = "2026-11-28T12:00:00Z"
SITE = FeedContext(site_url="https://inventaire.example.gouv.fr/")
NO_SITE = FeedContext(repo_url="https://github.com/codegouvfr/inventaire-public")


def records():
    return [
        record("vieux", date_mise_a_jour=dt.date(2024, 1, 2), finalite="Ancien."),
        record(
            "recent",
            date_mise_a_jour=dt.date(2026, 11, 1),
            administration={"nom": "DGFiP & <Cie>"},
            nom="Calcul <script>alert(1)</script> & co\x07\x00",
            finalite="Calcule l'impôt « sur le revenu ».",
        ),
        record("sans-date"),
        record("milieu", date_mise_a_jour="2025-06-30"),
    ]


def parse(body: bytes) -> ET.Element:
    assert body.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    return ET.fromstring(body)


def check_atom(feed: ET.Element) -> None:
    """The elements RFC 4287 requires, with RFC 3339 dates."""
    assert feed.tag == A + "feed"
    for name in ("id", "title", "updated"):
        assert len(feed.findall(A + name)) == 1 and feed.findtext(A + name)
    assert feed.find(A + "author/" + A + "name").text
    dt.datetime.fromisoformat(feed.findtext(A + "updated").replace("Z", "+00:00"))
    assert feed.find(A + "link[@rel='self']") is not None
    for entry in feed.findall(A + "entry"):
        for name in ("id", "title", "updated"):
            assert len(entry.findall(A + name)) == 1 and entry.findtext(A + name), name
        dt.datetime.fromisoformat(entry.findtext(A + "updated").replace("Z", "+00:00"))
        assert entry.find(A + "link[@rel='alternate']").get("href")
        scheme = urlsplit(entry.findtext(A + "id")).scheme
        assert scheme in ("https", "tag")


def test_algorithm_feed_with_site_url() -> None:
    feed = parse(algorithms_feed(records(), SITE, generated=GENERATED))
    check_atom(feed)
    assert feed.findtext(A + "id") == "https://inventaire.example.gouv.fr/flux/algorithmes.xml"
    entries = feed.findall(A + "entry")
    # Newest first; a record without a date is left out.
    assert [e.findtext(A + "id") for e in entries] == [
        "https://inventaire.example.gouv.fr/algorithmes/recent/",
        "https://inventaire.example.gouv.fr/algorithmes/milieu/",
        "https://inventaire.example.gouv.fr/algorithmes/vieux/",
    ]
    assert feed.findtext(A + "updated") == "2026-11-01T00:00:00Z"
    first = entries[0]
    assert first.findtext(A + "updated") == "2026-11-01T00:00:00Z"
    # Untrusted text is escaped text, control characters removed.
    assert first.findtext(A + "title") == "Calcul <script>alert(1)</script> & co"
    assert first.findtext(A + "author/" + A + "name") == "DGFiP & <Cie>"
    assert first.findtext(A + "summary") == "Calcule l'impôt « sur le revenu »."
    assert (
        first.find(A + "link").get("href")
        == "https://inventaire.example.gouv.fr/algorithmes/recent/"
    )
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"


def test_escaping_in_the_raw_bytes() -> None:
    body = algorithms_feed(records(), SITE, generated=GENERATED)
    assert b"<script>" not in body
    assert b"&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in body
    assert b"\x07" not in body and b"\x00" not in body


def test_without_site_url_ids_are_tag_uris_and_links_relative() -> None:
    feed = parse(algorithms_feed(records(), NO_SITE, generated=GENERATED))
    check_atom(feed)
    assert (
        feed.findtext(A + "id")
        == "tag:github.com,2026:codegouvfr/inventaire-public/flux/algorithmes.xml"
    )
    entry = feed.find(A + "entry")
    assert (
        entry.findtext(A + "id")
        == "tag:github.com,2026:codegouvfr/inventaire-public/algorithmes/recent/"
    )
    href = entry.find(A + "link").get("href")
    assert href == "../algorithmes/recent/"
    base = "https://any.host/sub/" + ALGORITHMS_FEED
    assert urljoin(base, href) == "https://any.host/sub/algorithmes/recent/"
    assert urljoin(base, feed.find(A + "link[@rel='self']").get("href")) == base


def test_ids_are_stable_across_updates() -> None:
    before = parse(algorithms_feed(records(), SITE, generated=GENERATED))
    changed = records()
    changed[0] = record("vieux", date_mise_a_jour=dt.date(2026, 11, 20))
    after = parse(algorithms_feed(changed, SITE, generated=GENERATED))
    ids_before = {e.findtext(A + "id") for e in before.findall(A + "entry")}
    ids_after = {e.findtext(A + "id") for e in after.findall(A + "entry")}
    assert ids_before == ids_after
    assert after.find(A + "entry").findtext(A + "id").endswith("/vieux/")


def test_empty_feed_is_valid() -> None:
    feed = parse(algorithms_feed([], SITE, generated=GENERATED))
    check_atom(feed)
    assert feed.findtext(A + "updated") == GENERATED
    assert feed.findall(A + "entry") == []


def test_repository_feed() -> None:
    repositories = [
        repo("https://github.com/etalab/old", creation_date="2019-01-01T00:00:00Z"),
        repo(
            "https://gitlab.com/a/b/new",
            creation_date="2026-11-20T10:11:12+02:00",
            description="Un <b>dépôt</b>",
        ),
        repo("https://github.com/etalab/undated"),
    ]
    feed = parse(repositories_feed(repositories, SITE, generated=GENERATED, limit=1))
    check_atom(feed)
    (entry,) = feed.findall(A + "entry")
    assert entry.findtext(A + "id") == "https://gitlab.com/a/b/new"
    assert entry.findtext(A + "updated") == "2026-11-20T08:11:12Z"
    assert entry.findtext(A + "published") == "2026-11-20T08:11:12Z"
    assert entry.findtext(A + "summary") == "Un <b>dépôt</b>"
    assert entry.findtext(A + "title") == "a/b/new (gitlab.com)"


def test_write_feeds(tmp_path) -> None:
    written = write_feeds(tmp_path, records(), [], NO_SITE, generated=GENERATED)
    assert [p.relative_to(tmp_path).as_posix() for p in written] == [
        "flux/algorithmes.xml",
        "flux/depots.xml",
    ]
    for path in written:
        check_atom(ET.parse(path).getroot())


# --- the text writer gives ElementTree's bytes --------------------------------------------------


def _reference(*, feed_id, title, self_href, alternate_href, entries, generated, author, subtitle):
    """The feed as ElementTree writes it after ``ET.indent`` (what ``render`` replaced)."""
    from inventory.insights.feeds import ATOM_NS, clean

    atom = "{" + ATOM_NS + "}"
    ET.register_namespace("", ATOM_NS)

    def text(parent, tag, value, **attributes):
        ET.SubElement(parent, atom + tag, attributes).text = clean(value)

    feed = ET.Element(atom + "feed", {"{http://www.w3.org/XML/1998/namespace}lang": "fr"})
    text(feed, "id", feed_id)
    text(feed, "title", title)
    if subtitle:
        text(feed, "subtitle", subtitle)
    text(feed, "updated", max((e.updated for e in entries), default=generated))
    link = {"rel": "self", "type": "application/atom+xml", "href": clean(self_href)}
    ET.SubElement(feed, atom + "link", link)
    link = {"rel": "alternate", "type": "text/html", "href": clean(alternate_href)}
    ET.SubElement(feed, atom + "link", link)
    ET.SubElement(ET.SubElement(feed, atom + "author"), atom + "name").text = clean(author)
    text(feed, "generator", "inventaire-public")
    for entry in entries:
        node = ET.SubElement(feed, atom + "entry")
        text(node, "id", entry.id)
        text(node, "title", entry.title, type="text")
        text(node, "updated", entry.updated)
        if entry.published:
            text(node, "published", entry.published)
        ET.SubElement(node, atom + "link", {"rel": "alternate", "href": clean(entry.link)})
        if entry.author:
            author_node = ET.SubElement(node, atom + "author")
            ET.SubElement(author_node, atom + "name").text = clean(entry.author)
        if entry.summary:
            text(node, "summary", entry.summary, type="text")
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=300, deadline=None)
@given(
    texts=st.lists(_TEXT, min_size=9, max_size=9),
    entries=st.lists(st.tuples(_TEXT, _TEXT, _TEXT, _TEXT, _TEXT, st.booleans()), max_size=4),
)
def test_the_text_writer_gives_elementtree_bytes(texts, entries) -> None:
    from inventory.insights.feeds import Entry, render

    made = [
        Entry(
            id=i, title=t, updated="2026-01-0" + str(n % 9 + 1), link=lk, summary=sm,
            published="2026-01-01T00:00:00Z" if pub else None, author=au,
        )
        for n, (i, t, lk, sm, au, pub) in enumerate(entries)
    ]  # fmt: skip
    arguments = dict(
        feed_id=texts[0], title=texts[1], self_href=texts[2], alternate_href=texts[3],
        entries=made, generated=texts[4], author=texts[5], subtitle=texts[6],
    )  # fmt: skip
    body = render(**arguments)
    assert body == _reference(**arguments)
    ET.fromstring(body)  # and it parses
