"""Read and check a ``publiccode.yml`` (the publiccode.yml standard, versions 0.2 to 0.4).

The text comes from a repository, so it is untrusted: it is size-capped, parsed with the
safe YAML loader, and every finding is a French :class:`~inventory.model.Problem` (never an
exception). The checks follow the standard's core keys:

* mandatory everywhere: ``publiccodeYmlVersion``, ``name``, ``url``, ``platforms``,
  ``developmentStatus``, ``softwareType``, ``description.<langue>`` with
  ``shortDescription`` (150 characters at most), ``longDescription`` (150 to 10,000
  characters) and ``features``, ``legal.license`` (an SPDX expression),
  ``maintenance.type`` (with ``contacts`` for ``internal``/``community``, ``contractors`` for
  ``contract``), ``localisation.localisationReady`` and ``localisation.availableLanguages``;
* ``categories`` is mandatory up to 0.3 and optional from 0.4 on;
* ``url`` must designate the repository where the file was found (compared with
  :func:`inventory.catalogue.urls.repository_key`): a file copied from another project, or
  claiming to be another one, is an error (``url`` usurpée).

:func:`check` returns a :class:`Publiccode` with what the site shows: the name, the
description (French preferred, else English, else the first language), the maintenance
status, and the problems.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml
from license_expression import ExpressionError

from crawlers.licenses import spdx_licensing
from inventory.catalogue.urls import repository_key
from inventory.model import Level, Problem

FILE_NAME = "publiccode.yml"
MAX_BYTES = 512 * 1024

SUPPORTED_VERSIONS = ("0.2", "0.3", "0.4")
DEVELOPMENT_STATUSES = ("concept", "development", "beta", "stable", "obsolete")
SOFTWARE_TYPES = (
    "standalone/mobile",
    "standalone/iot",
    "standalone/desktop",
    "standalone/web",
    "standalone/backend",
    "standalone/other",
    "addon",
    "library",
    "configurationFiles",
)
MAINTENANCE_TYPES = ("internal", "contract", "community", "none")

#: What the site says of each maintenance type.
MAINTENANCE_LABELS = {
    "internal": "Maintenu en interne",
    "contract": "Maintenu sous contrat",
    "community": "Maintenu par la communauté",
    "none": "Non maintenu",
}

SHORT_MAX = 150
LONG_MIN = 150
LONG_MAX = 10_000

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Publiccode:
    """A parsed ``publiccode.yml``: what the site shows, and the problems found."""

    version: str | None
    name: str | None
    url: str | None
    description: str | None
    description_language: str | None
    maintenance_type: str | None
    development_status: str | None
    problems: tuple[Problem, ...]

    @property
    def valid(self) -> bool:
        return not any(problem.is_error for problem in self.problems)

    @property
    def maintenance_label(self) -> str | None:
        return MAINTENANCE_LABELS.get(self.maintenance_type or "")


class _Checker:
    def __init__(self, shown: str) -> None:
        self.shown = shown
        self.problems: list[Problem] = []

    def error(self, field: str, message: str, code: str) -> None:
        self.problems.append(Problem(self.shown, None, None, field, message, Level.ERROR, code))

    def warning(self, field: str, message: str, code: str) -> None:
        self.problems.append(Problem(self.shown, None, None, field, message, Level.WARNING, code))

    def _absent(self, field: str, *, required: bool) -> None:
        if required:
            self.error(field, f"la clé obligatoire « {field} » est absente", "publiccode-required")

    def text(
        self, data: Mapping[str, Any], key: str, field: str, *, required: bool = True
    ) -> str | None:
        value = data.get(key)
        if value is None:
            self._absent(field, required=required)
            return None
        if not isinstance(value, str) or not value.strip():
            self.error(field, f"« {field} » doit être un texte non vide", "publiccode-type")
            return None
        return value.strip()

    def mapping(self, data: Mapping[str, Any], key: str, field: str) -> Mapping[str, Any] | None:
        value = data.get(key)
        if value is None:
            self.error(
                field, f"la section obligatoire « {field} » est absente", "publiccode-required"
            )
            return None
        if not isinstance(value, Mapping):
            self.error(
                field, f"« {field} » doit être une section (dictionnaire)", "publiccode-type"
            )
            return None
        return value

    def text_list(
        self, data: Mapping[str, Any], key: str, field: str, *, required: bool = True
    ) -> list[str] | None:
        value = data.get(key)
        if value is None:
            self._absent(field, required=required)
            return None
        if (
            not isinstance(value, list)
            or not value
            or not all(isinstance(item, str) and item.strip() for item in value)
        ):
            self.error(
                field, f"« {field} » doit être une liste non vide de textes", "publiccode-type"
            )
            return None
        return [item.strip() for item in value]

    def choice(
        self, data: Mapping[str, Any], key: str, field: str, allowed: tuple[str, ...]
    ) -> str | None:
        value = self.text(data, key, field)
        if value is not None and value not in allowed:
            self.error(
                field,
                f"« {field} » vaut « {_shown(value)} », valeurs permises : {', '.join(allowed)}",
                "publiccode-enum",
            )
            return None
        return value


def _shown(value: object, limit: int = 60) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _version(checker: _Checker, data: Mapping[str, Any]) -> str | None:
    raw = data.get("publiccodeYmlVersion")
    if raw is None:
        checker.error(
            "publiccodeYmlVersion",
            "la clé obligatoire « publiccodeYmlVersion » est absente",
            "publiccode-required",
        )
        return None
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        checker.warning(
            "publiccodeYmlVersion",
            '« publiccodeYmlVersion » doit être écrite entre guillemets (par exemple "0.4")',
            "publiccode-version-type",
        )
        raw = str(raw)
    if not isinstance(raw, str):
        checker.error(
            "publiccodeYmlVersion", "« publiccodeYmlVersion » doit être un texte", "publiccode-type"
        )
        return None
    match = re.fullmatch(r"(0\.[0-9]+)(?:\.[0-9]+)?", raw.strip())
    version = match.group(1) if match else None
    if version not in SUPPORTED_VERSIONS:
        checker.error(
            "publiccodeYmlVersion",
            f"version « {_shown(raw)} » non prise en charge (versions acceptées : "
            f"{', '.join(SUPPORTED_VERSIONS)})",
            "publiccode-version",
        )
        return None
    return version


def _pick_language(descriptions: Mapping[str, Any]) -> str | None:
    languages = [key for key in descriptions if isinstance(key, str)]
    for prefix in ("fr", "en"):
        for language in languages:
            if language.lower() == prefix or language.lower().startswith(prefix + "-"):
                return language
    return languages[0] if languages else None


def _descriptions(checker: _Checker, data: Mapping[str, Any]) -> dict[str, str]:
    """Check every language of ``description``; ``{language: short or long text}``."""
    section = checker.mapping(data, "description", "description")
    found: dict[str, str] = {}
    if section is None:
        return found
    if not section:
        checker.error(
            "description", "« description » doit décrire au moins une langue", "publiccode-required"
        )
    for language, body in section.items():
        field = f"description.{language}"
        if not isinstance(body, Mapping):
            checker.error(
                field, f"« {field} » doit être une section (dictionnaire)", "publiccode-type"
            )
            continue
        short = checker.text(body, "shortDescription", f"{field}.shortDescription")
        if short is not None and len(short) > SHORT_MAX:
            checker.error(
                f"{field}.shortDescription",
                f"« {field}.shortDescription » dépasse {SHORT_MAX} caractères ({len(short)})",
                "publiccode-length",
            )
        long = checker.text(body, "longDescription", f"{field}.longDescription")
        if long is not None and not LONG_MIN <= len(long) <= LONG_MAX:
            checker.error(
                f"{field}.longDescription",
                f"« {field}.longDescription » doit compter de {LONG_MIN} à {LONG_MAX} caractères "
                f"({len(long)})",
                "publiccode-length",
            )
        checker.text_list(body, "features", f"{field}.features")
        text = short or long
        if text:
            found[str(language)] = text
    return found


def _license(checker: _Checker, data: Mapping[str, Any]) -> None:
    legal = checker.mapping(data, "legal", "legal")
    if legal is None:
        return
    license_text = checker.text(legal, "license", "legal.license")
    if license_text is None:
        return
    try:
        info = spdx_licensing().validate(license_text)
    except ExpressionError:  # pragma: no cover - validate() reports instead of raising
        info = None
    if info is None or info.errors or info.invalid_symbols:
        checker.error(
            "legal.license",
            f"« legal.license » vaut « {_shown(license_text)} », qui n'est pas une expression "
            "de licence SPDX (par exemple EUPL-1.2 ou AGPL-3.0-or-later)",
            "publiccode-license",
        )


def _maintenance(checker: _Checker, data: Mapping[str, Any]) -> str | None:
    section = checker.mapping(data, "maintenance", "maintenance")
    if section is None:
        return None
    kind = checker.choice(section, "type", "maintenance.type", MAINTENANCE_TYPES)
    needed = {"internal": "contacts", "community": "contacts", "contract": "contractors"}.get(
        kind or ""
    )
    if needed:
        people = section.get(needed)
        field = f"maintenance.{needed}"
        if not isinstance(people, list) or not people:
            checker.error(
                field,
                f"« {field} » est obligatoire pour une maintenance de type « {kind} »",
                "publiccode-required",
            )
        elif not all(isinstance(p, Mapping) and isinstance(p.get("name"), str) for p in people):
            checker.error(
                field, f"chaque entrée de « {field} » doit avoir un « name »", "publiccode-type"
            )
    return kind


def _localisation(checker: _Checker, data: Mapping[str, Any]) -> None:
    section = checker.mapping(data, "localisation", "localisation")
    if section is None:
        return
    if not isinstance(section.get("localisationReady"), bool):
        checker.error(
            "localisation.localisationReady",
            "« localisation.localisationReady » doit valoir true ou false",
            "publiccode-required",
        )
    checker.text_list(section, "availableLanguages", "localisation.availableLanguages")


def _url(
    checker: _Checker,
    data: Mapping[str, Any],
    repository_url: str | None,
    forges: Mapping[str, str] | None,
) -> str | None:
    url = checker.text(data, "url", "url")
    if url is None:
        return None
    key = repository_key(url, forges)
    if key is None:
        checker.error(
            "url",
            f"« url » vaut « {_shown(url)} », qui n'est pas l'adresse d'un dépôt",
            "publiccode-url",
        )
        return url
    if repository_url is not None and key != repository_key(repository_url, forges):
        checker.error(
            "url",
            f"« url » désigne « {_shown(url)} » et non le dépôt où le fichier a été trouvé "
            f"({_shown(repository_url)}) : adresse usurpée ou copiée d'un autre projet",
            "publiccode-url-spoofed",
        )
    return url


def check(
    text: str | bytes,
    repository_url: str | None = None,
    *,
    forges: Mapping[str, str] | None = None,
    shown: str | None = None,
) -> Publiccode:
    """Parse and check a ``publiccode.yml`` found in the repository at ``repository_url``."""
    shown = shown or (f"{repository_url.rstrip('/')}/{FILE_NAME}" if repository_url else FILE_NAME)
    checker = _Checker(shown)
    empty = Publiccode(None, None, None, None, None, None, None, ())
    size = len(text.encode("utf-8") if isinstance(text, str) else text)
    if size > MAX_BYTES:
        checker.error(
            "", f"fichier trop volumineux ({size} octets, au plus {MAX_BYTES})", "publiccode-size"
        )
        return _with(empty, checker)
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            checker.error("", "le fichier n'est pas encodé en UTF-8", "publiccode-encoding")
            return _with(empty, checker)
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (ligne {mark.line + 1})" if mark is not None else ""
        checker.error("", f"YAML illisible{where}", "publiccode-yaml")
        return _with(empty, checker)
    if not isinstance(data, Mapping):
        checker.error("", "le fichier doit contenir un dictionnaire YAML", "publiccode-type")
        return _with(empty, checker)

    version = _version(checker, data)
    name = checker.text(data, "name", "name")
    url = _url(checker, data, repository_url, forges)
    checker.text_list(data, "platforms", "platforms")
    categories_required = version in (None, "0.2", "0.3")
    checker.text_list(data, "categories", "categories", required=categories_required)
    status = checker.choice(data, "developmentStatus", "developmentStatus", DEVELOPMENT_STATUSES)
    checker.choice(data, "softwareType", "softwareType", SOFTWARE_TYPES)
    descriptions = _descriptions(checker, data)
    _license(checker, data)
    maintenance = _maintenance(checker, data)
    _localisation(checker, data)
    release = data.get("releaseDate")
    if release is not None and not isinstance(release, dt.date):
        try:
            dt.date.fromisoformat(str(release))
        except ValueError:
            checker.error(
                "releaseDate", "« releaseDate » doit être une date AAAA-MM-JJ", "publiccode-date"
            )
    language = _pick_language(descriptions)
    return Publiccode(
        version=version,
        name=name,
        url=url,
        description=descriptions.get(language) if language else None,
        description_language=language,
        maintenance_type=maintenance,
        development_status=status,
        problems=tuple(checker.problems),
    )


def _with(base: Publiccode, checker: _Checker) -> Publiccode:
    return Publiccode(
        base.version,
        base.name,
        base.url,
        base.description,
        base.description_language,
        base.maintenance_type,
        base.development_status,
        tuple(checker.problems),
    )
