"""The texts a record owes the person concerned by a decision, from the templates of ``textes/``.

* the **explicit mention** to carry on each decision (CRPA L311-3-1; its content:
  R311-3-1-1), stricter for a fully automated decision (loi n° 78-17, article 47);
* the **explanation** an agent sends on request, in the four parts of R311-3-1-2, with an empty
  column for the values retained for the person's situation;
* the **request letter** a person can send to ask for it;
* the « En bref » block of each algorithm page, and the « Vos droits » page of the site.

The wording lives in Jinja2 templates (``inventory/interchange/textes/``, with a README for
lawyers), never in this code. The record's texts are untrusted: they are escaped for the
output format before they reach a template (:mod:`inventory.interchange.documents` renders
the result as plain text, Markdown, HTML or OpenDocument).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import jinja2

from inventory.model import Record

TEMPLATES = "textes"
FORMATS = ("texte", "markdown", "html")

#: The legal provisions the texts cite: label and Légifrance address.
ARTICLES: Mapping[str, tuple[str, str]] = {
    "L311_3_1": (
        "article L311-3-1 du code des relations entre le public et l'administration",
        "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000033205535",
    ),
    "R311_3_1_1": (
        "article R311-3-1-1 du code des relations entre le public et l'administration",
        "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000034195878",
    ),
    # The four articles below are linked to the code's page: their own Légifrance identifiers
    # could not be confirmed offline (L311-3-1, R311-3-1-1 and article 47 come from Etalab's
    # practical sheet on the explicit mention).
    "R311_3_1_2": (
        "article R311-3-1-2 du code des relations entre le public et l'administration",
        "https://www.legifrance.gouv.fr/codes/texte_lc/LEGITEXT000031366350",
    ),
    "R311_13": (
        "article R311-13 du code des relations entre le public et l'administration",
        "https://www.legifrance.gouv.fr/codes/texte_lc/LEGITEXT000031366350",
    ),
    "R343_1": (
        "article R343-1 du code des relations entre le public et l'administration",
        "https://www.legifrance.gouv.fr/codes/texte_lc/LEGITEXT000031366350",
    ),
    "L312_1_3": (
        "article L312-1-3 du code des relations entre le public et l'administration",
        "https://www.legifrance.gouv.fr/codes/texte_lc/LEGITEXT000031366350",
    ),
    "LIL_47": (
        "article 47 de la loi n° 78-17 du 6 janvier 1978 relative à l'informatique, aux "
        "fichiers et aux libertés",
        "https://www.legifrance.gouv.fr/loda/article_lc/LEGIARTI000037823131",
    ),
}
CADA = ("la Commission d'accès aux documents administratifs (CADA)", "https://www.cada.fr")


class RightsError(Exception):
    """A text cannot be produced (an unknown format); the message is French."""


# --- escaping per format --------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def _plain(text: str) -> str:
    return " ".join(str(text).split())


def _markdown(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", _plain(text))


def _html(text: str) -> str:
    import html

    return html.escape(_plain(text), quote=True)


_ESCAPE: Mapping[str, Callable[[str], str]] = {
    "texte": _plain,
    "markdown": _markdown,
    "html": _html,
}


def _safe_url(url: str) -> bool:
    return url.lower().startswith(("https://", "http://", "mailto:")) and not any(
        ch in url for ch in ' "<>`\n\r\t'
    )


def _link(label: str, url: str, fmt: str) -> str:
    """A link in ``fmt``; in plain text the label alone (the reader looks the article up).
    An address that is not http(s) or mailto (a record is untrusted) is shown as text."""
    if fmt != "texte" and not _safe_url(url):
        return _ESCAPE[fmt](label)
    if fmt == "markdown":
        return f"[{_markdown(label)}]({url})"
    if fmt == "html":
        return f'<a href="{_html(url)}">{_html(label)}</a>'
    return label


# --- what the record says ---------------------------------------------------------------------


@dataclass(frozen=True)
class Subject:
    """What the texts need from a record (plain, unescaped values)."""

    identifier: str
    algorithm: str
    administration: str
    purpose: str
    contact: str
    contact_is_email: bool
    fully_automated: bool
    intervention: str
    data: tuple[tuple[str, str, bool], ...]
    parameters: tuple[tuple[str, str, str], ...]
    operations: str
    page: str | None
    public: str = ""
    code: str | None = None

    @classmethod
    def of(cls, record: Record, site_url: str | None = None) -> Subject:
        data = record.data
        admin = data.get("administration") or {}
        name = str(admin.get("nom") or "l'administration")
        if admin.get("sigle"):
            name += f" ({admin['sigle']})"
        contact = str(data.get("contact") or "").strip()
        is_email = contact.lower().startswith("mailto:") or (
            "@" in contact and not contact.lower().startswith(("http://", "https://"))
        )
        if contact.lower().startswith("mailto:"):
            contact = contact[len("mailto:") :]
        page = None
        if site_url:
            page = f"{site_url.rstrip('/')}/algorithmes/{record.id}/"
        return cls(
            identifier=record.id,
            algorithm=str(data.get("nom") or record.id),
            administration=name,
            purpose=_plain(str(data.get("finalite") or "")),
            contact=contact,
            contact_is_email=is_email,
            fully_automated=data.get("niveau_automatisation") == "decision_entierement_automatisee",
            intervention=_plain(str(data.get("intervention_dans_la_decision") or "")),
            data=tuple(
                (
                    str(item.get("nom") or ""),
                    str(item.get("source") or "non précisée"),
                    item.get("donnees_personnelles") is True,
                )
                for item in data.get("donnees") or ()
                if isinstance(item, Mapping)
            ),
            parameters=tuple(
                (
                    str(item.get("nom") or ""),
                    str(item.get("ponderation") or "non précisée"),
                    str(item.get("description") or ""),
                )
                for item in data.get("parametres") or ()
                if isinstance(item, Mapping)
            ),
            operations=_plain(str(data.get("operations") or "")),
            page=page,
            public=_plain(str(data.get("public_concerne") or "")),
        )

    def context(self, fmt: str) -> dict[str, Any]:
        """The templates' variables, escaped for ``fmt`` (see ``textes/README.md``)."""
        if fmt not in _ESCAPE:
            raise RightsError(f"format « {fmt} » inconnu : formats possibles {', '.join(FORMATS)}")
        esc = _ESCAPE[fmt]
        cell = (lambda text: esc(text).replace("|", "\\|")) if fmt != "markdown" else esc
        contact = self.contact
        contact_shown = (
            _link(contact, f"mailto:{contact}" if self.contact_is_email else contact, fmt)
            if fmt != "texte"
            else contact
        )
        return {
            "algorithme": esc(self.algorithm),
            "administration": esc(self.administration),
            "finalite": esc(self.purpose),
            "contact": contact_shown,
            "contact_courriel": self.contact_is_email,
            "page": _link(self.page, self.page, fmt) if self.page and fmt != "texte" else self.page,
            "entierement_automatisee": self.fully_automated,
            "intervention": esc(self.intervention),
            "donnees": [
                {"nom": esc(name), "source": esc(source), "personnelles": personal}
                for name, source, personal in self.data
            ],
            "parametres": [
                {"nom": cell(name), "ponderation": cell(weight), "description": cell(text)}
                for name, weight, text in self.parameters
            ],
            "operations": esc(self.operations),
            "article": {key: _link(label, url, fmt) for key, (label, url) in ARTICLES.items()},
            "cada": _link(*CADA, fmt),
            "public": esc(self.public),
            "donnees_personnelles": any(personal for _, _, personal in self.data),
            "code": self.code,  # already a link in ``fmt`` (see :func:`with_code`)
        }

    def with_code(self, link: str | None) -> Subject:
        """The same subject with ``code``: a link, ready for the output format."""
        import dataclasses

        return dataclasses.replace(self, code=link)


# --- rendering --------------------------------------------------------------------------------


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("inventory.interchange", TEMPLATES),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # the context is escaped for its format beforehand
        keep_trailing_newline=True,
        trim_blocks=False,
    )


def render(template: str, subject: Subject, fmt: str = "texte") -> str:
    """The text of ``template`` (``mention``, ``explication``, ``demande``, ``en-bref``) for
    ``subject``,
    in the lightweight structure of ``textes/README.md`` (blocks, ``#`` titles, ``-`` items,
    ``|`` table rows)."""
    context = subject.context(fmt)
    text = _environment().get_template(f"{template}.txt.j2").render(context)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def mention(record: Record, site_url: str | None = None, fmt: str = "texte") -> str:
    return render("mention", Subject.of(record, site_url), fmt)


def mention_text(record: Record) -> str:
    """The explicit mention as plain text, without the page's link (the exports' column)."""
    from inventory.interchange.documents import as_text

    return as_text(mention(record)).strip()


def rights_page(fmt: str = "html") -> str:
    """The « Vos droits » page, which explains the rights once (no record involved)."""
    articles = {key: _link(label, url, fmt) for key, (label, url) in ARTICLES.items()}
    text = (
        _environment()
        .get_template("vos-droits.txt.j2")
        .render(article=articles, cada=_link(*CADA, fmt))
    )
    return text.strip() + "\n"
