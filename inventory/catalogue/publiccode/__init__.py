"""Read and check a ``publiccode.yml`` against the whole publiccode.yml standard.

The standard's versions 0 to 0.4 and the keys of its later 0.x releases (``supports``,
``organisation``, ``fundedBy``), with its code lists (:mod:`.standard`), read with the
position of every key (:mod:`.reading`) and checked key by key (:mod:`.checks`): types,
required keys, allowed values, BCP 47 language tags, ISO 3166-1 country codes, media types,
e-mail addresses, web addresses, dates, lengths in grapheme clusters, SPDX licence
expressions, YAML 1.1 booleans refused, UTF-8 required, deprecated keys as warnings.

The text comes from a repository, so it is untrusted: every finding is a French
:class:`~inventory.model.Problem` with its line, column and key path, never an exception.
``url`` must designate the repository where the file was found (compared with
:func:`inventory.catalogue.urls.repository_key`): a file copied from another project, or
claiming to be another one, is an error (``url`` usurpée).

:func:`check` returns a :class:`Publiccode`: what the site shows (name, description, French
preferred, maintenance and development status), the problems, and notes on what was not
checked offline (images, videos, files of the repository).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from inventory.catalogue.publiccode import checks
from inventory.catalogue.publiccode.reading import MAX_BYTES, Document, read
from inventory.catalogue.publiccode.standard import MAINTENANCE_TYPES
from inventory.model import Level, Problem

__all__ = ["FILE_NAME", "MAINTENANCE_LABELS", "MAINTENANCE_TYPES", "MAX_BYTES", "Publiccode"]
__all__ += ["check"]

FILE_NAME = "publiccode.yml"

#: What the site says of each maintenance type.
MAINTENANCE_LABELS = {
    "internal": "Maintenu en interne",
    "contract": "Maintenu sous contrat",
    "community": "Maintenu par la communauté",
    "none": "Non maintenu",
}


@dataclass(frozen=True)
class Publiccode:
    """A parsed ``publiccode.yml``: what the site shows, the problems found, and ``notes``
    on the checks not made offline."""

    version: str | None
    name: str | None
    url: str | None
    description: str | None
    description_language: str | None
    maintenance_type: str | None
    development_status: str | None
    problems: tuple[Problem, ...]
    notes: tuple[str, ...] = ()

    @property
    def valid(self) -> bool:
        return not any(problem.is_error for problem in self.problems)

    @property
    def maintenance_label(self) -> str | None:
        return MAINTENANCE_LABELS.get(self.maintenance_type or "")


def _pick_language(descriptions: Mapping[str, str]) -> str | None:
    languages = list(descriptions)
    for prefix in ("fr", "en"):
        for language in languages:
            if language.lower() == prefix or language.lower().startswith(prefix + "-"):
                return language
    return languages[0] if languages else None


def _problems(document: Document, checker: checks.Checker, shown: str) -> tuple[Problem, ...]:
    found = []
    for finding in checker.findings:
        line, column = document.where(finding.path)
        level = Level.WARNING if finding.warning else Level.ERROR
        field = checks.dotted(finding.path).replace("<yaml>", "")
        found.append(Problem(shown, line, column, field, finding.message, level, finding.code))
    return tuple(sorted(found, key=lambda p: (p.line or 0, p.column or 0, p.field)))


def check(
    text: str | bytes,
    repository_url: str | None = None,
    *,
    forges: Mapping[str, str] | None = None,
    shown: str | None = None,
) -> Publiccode:
    """Parse and check a ``publiccode.yml`` found in the repository at ``repository_url``
    (None: the anti-spoofing check of ``url`` is skipped, and a note says so)."""
    shown = shown or (f"{repository_url.rstrip('/')}/{FILE_NAME}" if repository_url else FILE_NAME)
    document = read(text)
    checker = checks.Checker(document)
    data = document.data
    if data is None:
        return Publiccode(
            None, None, None, None, None, None, None, _problems(document, checker, shown)
        )
    version = checks.version(checker, data)
    shown_fields = checks.top_level(checker, data)
    url = checks.repository_url(checker, data, repository_url, forges)
    descriptions = checks.descriptions(checker, data)
    checks.legal(checker, data)
    maintenance = checks.maintenance(checker, data)
    checks.localisation(checker, data)
    checks.depends_on(checker, data)
    checks.audience(checker, data)
    checks.organisations(checker, data)
    checks.supports(checker, data)
    checks.italian_section(checker, data)
    language = _pick_language(descriptions)
    return Publiccode(
        version=version,
        name=shown_fields["name"],
        url=url,
        description=descriptions.get(language) if language else None,
        description_language=language,
        maintenance_type=maintenance,
        development_status=shown_fields["status"],
        problems=_problems(document, checker, shown),
        notes=tuple(checker.notes),
    )
