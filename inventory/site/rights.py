"""What an algorithm page tells the person concerned, and the « Vos droits » page.

On each algorithm page: the « En bref » block, the explicit mention in a box with a copy
button (the text stays selectable without JavaScript) and its download, and « Demander une
explication » with the request letter (text and OpenDocument downloads). The wording comes
from the templates of :mod:`inventory.interchange.rights`; this module only lays it out.
The downloads are written beside each page (``algorithmes/<id>/``) by :func:`files`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from inventory.interchange import documents
from inventory.interchange.rights import Subject, render, rights_page
from inventory.model import Record
from inventory.site import paths
from inventory.site.layout import front_matter, h1
from inventory.site.render import escape

PAGE = "vos-droits.md"
MENTION_FILE = "mention.txt"
LETTER_TEXT = "demande-explication.txt"
LETTER_ODT = "demande-explication.odt"


def _has_code(record: Record, linked: bool) -> bool:
    resources = record.get("ressources") or ()
    return linked or any(
        isinstance(item, Mapping) and item.get("type") == "code_source" for item in resources
    )


def _subject(record: Record, site_url: str | None, linked: bool) -> Subject:
    subject = Subject.of(record, site_url or None)
    code = '<a href="#codes-sources">voir la section « Codes sources »</a>'
    return subject.with_code(code if _has_code(record, linked) else None)


def brief(record: Record, *, site_url: str | None, linked: bool) -> str:
    """The « En bref » block (HTML) at the top of the page."""
    body = documents.as_html(render("en-bref", _subject(record, site_url, linked), "html"))
    return (
        '\n<section class="inv-brief" aria-labelledby="en-bref" data-search-exclude>\n'
        '<h2 id="en-bref" data-search-exclude>En bref</h2>\n'
        f"{body}"
        f'<p><a href="{escape(paths.href(paths.algorithm_page(record.id), PAGE))}">Vos droits '
        "face à une décision prise à l'aide d'un algorithme</a></p>\n</section>\n"
    )


def mention_box(record: Record, *, site_url: str | None) -> str:
    """The explicit mention, ready to copy onto a decision, and its download."""
    text = documents.as_html(render("mention", Subject.of(record, site_url or None), "html"))
    ident = f"mention-{escape(record.id)}"
    return (
        '\n<section class="inv-mention" aria-labelledby="mention-explicite" '
        "data-search-exclude>\n"
        '<h2 id="mention-explicite" data-search-exclude>'
        "Mention explicite à porter sur les décisions</h2>\n"
        "<p>Texte à reproduire sur chaque décision prise à l'aide de cet algorithme (article "
        "L311-3-1 du code des relations entre le public et l'administration).</p>\n"
        f'<div class="inv-mention__text" id="{ident}">\n{text}</div>\n'
        '<p class="inv-mention__actions">'
        f'<button type="button" class="inv-button" data-inv-copy="{ident}" hidden>'
        "Copier la mention</button> "
        f'<a class="inv-button" href="{MENTION_FILE}" download>Télécharger la mention (texte)</a>'
        '<span class="inv-mention__status" role="status" aria-live="polite"></span></p>\n'
        "</section>\n"
    )


def request(record: Record, *, site_url: str | None) -> str:
    """« Demander une explication »: the letter, its downloads, the delays."""
    letter = documents.as_html(render("demande", Subject.of(record, site_url or None), "html"))
    return (
        '\n<section class="inv-request" aria-labelledby="demander-une-explication" '
        "data-search-exclude>\n"
        '<h2 id="demander-une-explication" data-search-exclude>Demander une explication</h2>\n'
        "<p>Si une décision vous concernant a été prise à l'aide de cet algorithme, vous pouvez "
        "demander à l'administration comment il a été appliqué à votre situation. Voici une "
        "lettre prête à compléter et à envoyer.</p>\n"
        f'<p><a class="inv-button" href="{LETTER_TEXT}" download>Lettre (texte)</a> '
        f'<a class="inv-button" href="{LETTER_ODT}" download>Lettre (OpenDocument, .odt)</a></p>\n'
        '<details class="inv-request__letter"><summary>Lire la lettre</summary>\n'
        f"{letter}</details>\n</section>\n"
    )


def files(record: Record, *, site_url: str | None) -> Iterator[tuple[str, bytes]]:
    """The downloads of one algorithm page, beside it: ``(path under docs/, content)``."""
    subject = Subject.of(record, site_url or None)
    folder = f"algorithmes/{record.id}"
    yield f"{folder}/{MENTION_FILE}", documents.as_text(render("mention", subject)).encode()
    letter = render("demande", subject)
    yield f"{folder}/{LETTER_TEXT}", documents.as_text(letter).encode()
    yield f"{folder}/{LETTER_ODT}", documents.as_odt(letter)


def page() -> str:
    """The « Vos droits » page (Markdown with HTML)."""
    return (
        front_matter("Vos droits")
        + h1("Vos droits face à une décision prise à l'aide d'un algorithme")
        + "\n"
        + documents.as_html(rights_page("html"))
    )
