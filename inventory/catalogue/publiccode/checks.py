"""The checks of the publiccode.yml standard, key by key, on a :class:`~.reading.Document`.

Every file is checked against the current standard (the reference parser does the same,
whatever ``publiccodeYmlVersion`` says: older versions get a warning). Errors make the file
invalid; warnings (deprecated keys, an older version, lowercase country codes) do not.
Checks that need the network or the repository's files (images of the logo and screenshots,
videos' oEmbed, the authors file) are not made here: each skipped one is said in a note.
"""

from __future__ import annotations

import datetime as dt
import re
import urllib.parse
from collections.abc import Callable, Mapping
from typing import Any

import langcodes
import pycountry
import regex
from email_validator import EmailNotValidError, validate_email
from license_expression import ExpressionError

from crawlers.licenses import spdx_licensing
from inventory.catalogue.publiccode import standard as std
from inventory.catalogue.publiccode.reading import Document, Finding, Path, Yaml11Bool
from inventory.catalogue.urls import repository_key
from inventory.suggest import closest

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MEDIA_SUBTYPE = re.compile(r"[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}")
_GRAPHEME = regex.compile(r"\X")
_TAG = re.compile(r"[A-Za-z0-9]{1,8}(?:-[A-Za-z0-9]{1,8})*")


def graphemes(text: str) -> int:
    """The length of ``text`` in grapheme clusters (what a reader counts as characters)."""
    return len(_GRAPHEME.findall(text))


def dotted(path: Path) -> str:
    """``description.fr.features[2]``: a key path as the messages show it."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part).split("#", 1)[0]
    return out


def _shown(value: object, limit: int = 60) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Checker:
    """Collects the findings of one file; each helper checks one kind of value."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.findings: list[Finding] = list(document.findings)
        self.notes: list[str] = []

    # -- findings ----------------------------------------------------------------------------

    def error(self, path: Path, message: str, code: str) -> None:
        self.findings.append(Finding(path, message, code))

    def warning(self, path: Path, message: str, code: str) -> None:
        self.findings.append(Finding(path, message, code, warning=True))

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def present(
        self, parent: Mapping[str, Any], key: str, path: Path, required: bool, expected: str = ""
    ) -> Any:
        """The value of ``key``; None when absent, reported if it is ``required``."""
        value = parent.get(key)
        if value is None and required:
            self.error(
                path,
                f"la clé obligatoire « {dotted(path)} » est absente{expected}",
                "publiccode-required",
            )
        return value

    # -- structure ---------------------------------------------------------------------------

    def section(
        self, parent: Mapping[str, Any], key: str, path: Path, *, required: bool
    ) -> Mapping[str, Any] | None:
        value = parent.get(key)
        if value is None:
            if required:
                self.error(
                    path,
                    f"la section obligatoire « {dotted(path)} » est absente",
                    "publiccode-required",
                )
            return None
        if not isinstance(value, Mapping):
            self.error(
                path,
                f"« {dotted(path)} » doit être une section (des clés et leurs valeurs)",
                "publiccode-type",
            )
            return None
        return value

    def open_section(
        self, data: Mapping[str, Any], name: str, allowed: frozenset[str], *, required: bool
    ) -> Mapping[str, Any] | None:
        """The top-level section ``name``, its unknown keys reported; None when absent."""
        section = self.section(data, name, (name,), required=required)
        if section is not None:
            self.known_keys(section, allowed, (name,))
        return section

    def known_keys(self, data: Mapping[str, Any], allowed: frozenset[str], path: Path) -> None:
        for key in data:
            if key not in allowed:
                guess = closest(key, allowed)
                hint = f" ; vouliez-vous dire « {guess} » ?" if guess else ""
                self.error(
                    (*path, key),
                    f"clé inconnue du standard « {dotted((*path, key))} »{hint}",
                    "publiccode-unknown-key",
                )

    def items(
        self, parent: Mapping[str, Any], key: str, path: Path, *, required: bool = False
    ) -> list[tuple[Path, Any]]:
        """The items of a list key, with their paths (a non-list is an error)."""
        value = self.present(parent, key, path, required)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(path, f"« {dotted(path)} » doit être une liste", "publiccode-type")
            return []
        if not value and required:
            self.error(path, f"« {dotted(path)} » ne doit pas être vide", "publiccode-required")
        return [((*path, index), item) for index, item in enumerate(value)]

    # -- scalars -----------------------------------------------------------------------------

    def text_value(self, value: Any, path: Path) -> str | None:
        if isinstance(value, Yaml11Bool):
            return value.text  # a string in YAML 1.2
        if not isinstance(value, str):
            self.error(
                path,
                f"« {dotted(path)} » doit être un texte (mettez la valeur entre guillemets), "
                f"pas « {_shown(value)} »",
                "publiccode-type",
            )
            return None
        if not value.strip():
            self.error(path, f"« {dotted(path)} » ne doit pas être vide", "publiccode-type")
            return None
        return value

    def text(
        self, parent: Mapping[str, Any], key: str, path: Path, *, required: bool = False
    ) -> str | None:
        value = self.present(parent, key, path, required)
        if value is None:
            return None
        return self.text_value(value, path)

    def texts(
        self, parent: Mapping[str, Any], key: str, path: Path, *, required: bool = False
    ) -> list[tuple[Path, str]]:
        found = []
        for item_path, item in self.items(parent, key, path, required=required):
            text = self.text_value(item, item_path)
            if text is not None:
                found.append((item_path, text))
        return found

    def boolean(
        self, parent: Mapping[str, Any], key: str, path: Path, *, required: bool = False
    ) -> bool | None:
        value = self.present(parent, key, path, required, " (attendu : true ou false)")
        if value is None:
            return None
        if isinstance(value, Yaml11Bool):
            self.error(
                path,
                f"« {value.text} » n'est un booléen qu'en YAML 1.1 ; le standard suit YAML 1.2 : "
                "écrivez true ou false",
                "publiccode-yaml11-boolean",
            )
            return None
        if not isinstance(value, bool):
            self.error(
                path,
                f"« {dotted(path)} » doit valoir true ou false, pas « {_shown(value)} »",
                "publiccode-type",
            )
            return None
        return value

    def choice(
        self,
        parent: Mapping[str, Any],
        key: str,
        path: Path,
        allowed: tuple[str, ...],
        *,
        required: bool = False,
    ) -> str | None:
        value = self.text(parent, key, path, required=required)
        if value is not None and value not in allowed:
            guess = closest(value, allowed)
            hint = f" (vouliez-vous dire « {guess} » ?)" if guess else ""
            self.error(
                path,
                f"« {dotted(path)} » vaut « {_shown(value)} »{hint} ; valeurs permises : "
                f"{', '.join(allowed)}",
                "publiccode-enum",
            )
            return None
        return value

    def url_value(self, value: Any, path: Path, *, web: bool) -> str | None:
        """A URL; ``web``: an ``http``/``https`` address a browser can open."""
        text = self.text_value(value, path)
        if text is None:
            return None
        parts = urllib.parse.urlsplit(text.strip())
        ok = bool(parts.scheme) and (bool(parts.netloc) or not web)
        if web:
            ok = ok and parts.scheme in ("http", "https")
        if not ok or " " in text.strip():
            expected = "une adresse http(s)://…" if web else "une URL (https://…, git://…)"
            self.error(
                path,
                f"« {dotted(path)} » vaut « {_shown(text)} » ; attendu : {expected}",
                "publiccode-url",
            )
            return None
        return text

    def url(
        self,
        parent: Mapping[str, Any],
        key: str,
        path: Path,
        *,
        web: bool,
        required: bool = False,
    ) -> str | None:
        value = self.present(parent, key, path, required)
        if value is None:
            return None
        return self.url_value(value, path, web=web)

    def date(
        self, parent: Mapping[str, Any], key: str, path: Path, *, required: bool = False
    ) -> None:
        value = self.present(parent, key, path, required, " (une date AAAA-MM-JJ)")
        if value is None:
            return
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return
        if isinstance(value, str) and _DATE.fullmatch(value.strip()):
            try:
                dt.date.fromisoformat(value.strip())
                return
            except ValueError:
                pass
        self.error(
            path,
            f"« {dotted(path)} » vaut « {_shown(value)} » ; attendu : une date AAAA-MM-JJ",
            "publiccode-date",
        )

    def email(self, parent: Mapping[str, Any], key: str, path: Path) -> None:
        text = self.text(parent, key, path)
        if text is None:
            return
        try:
            validate_email(text, check_deliverability=False)
        except EmailNotValidError:
            self.error(
                path,
                f"« {dotted(path)} » vaut « {_shown(text)} », qui n'est pas une adresse "
                "électronique (nom@domaine.fr)",
                "publiccode-email",
            )

    def language(self, tag: Any, path: Path) -> bool:
        text = str(tag) if isinstance(tag, str | Yaml11Bool) else None
        # langcodes also reads POSIX forms (en_GB): BCP 47 separates subtags with hyphens.
        if text is None or not _TAG.fullmatch(text) or not langcodes.tag_is_valid(text):
            self.error(
                path,
                f"« {_shown(tag)} » n'est pas une étiquette de langue BCP 47 (par exemple fr, "
                "en, fr-FR)",
                "publiccode-language",
            )
            return False
        return True

    def country(self, value: Any, path: Path) -> None:
        text = self.text_value(value, path)
        if text is None:
            return
        if (
            len(text) != 2
            or text not in (text.upper(), text.lower())
            or pycountry.countries.get(alpha_2=text.upper()) is None
        ):
            self.error(
                path,
                f"« {_shown(text)} » n'est pas un code de pays ISO 3166-1 alpha-2 (par exemple "
                "FR, BE)",
                "publiccode-country",
            )
        elif text != text.upper():
            self.warning(
                path,
                f"code de pays en minuscules « {text} », déprécié : écrivez « {text.upper()} »",
                "publiccode-deprecated",
            )

    def media_type(self, value: Any, path: Path) -> None:
        text = self.text_value(value, path)
        if text is None:
            return
        top, _, sub = text.strip().partition("/")
        if top.lower() not in std.MEDIA_TOP_LEVELS or not _MEDIA_SUBTYPE.fullmatch(sub):
            self.error(
                path,
                f"« {_shown(text)} » n'est pas un type de média (RFC 6838, par exemple text/plain)",
                "publiccode-mime",
            )

    def graphemes_between(
        self, text: str | None, path: Path, low: int | None, high: int | None
    ) -> None:
        if text is None:
            return
        count = graphemes(text)
        if (low is not None and count < low) or (high is not None and count > high):
            wanted = (
                f"de {low} à {high}"
                if low is not None and high is not None
                else f"au plus {high}"
                if high is not None
                else f"au moins {low}"
            )
            self.error(
                path,
                f"« {dotted(path)} » compte {count} caractères ; attendu : {wanted} caractères",
                "publiccode-length",
            )

    def deprecated(self, data: Mapping[str, Any], path: Path, key: str, message: str) -> None:
        if key in data:
            self.warning(
                (*path, key), f"« {dotted((*path, key))} » : {message}", "publiccode-deprecated"
            )

    def each_mapping(
        self,
        parent: Mapping[str, Any],
        key: str,
        path: Path,
        check: Callable[[Mapping[str, Any], Path], None],
        *,
        required: bool = False,
    ) -> int:
        """Apply ``check`` to every item of a list of sections; the number of items."""
        items = self.items(parent, key, path, required=required)
        for item_path, item in items:
            if isinstance(item, Mapping):
                check(item, item_path)
            else:
                self.error(
                    item_path,
                    f"« {dotted(item_path)} » doit être une section (des clés et leurs valeurs)",
                    "publiccode-type",
                )
        return len(items)


# --- sections -------------------------------------------------------------------------------


def version(checker: Checker, data: Mapping[str, Any]) -> str | None:
    path: Path = ("publiccodeYmlVersion",)
    raw = data.get("publiccodeYmlVersion")
    if raw is None:
        checker.error(
            path,
            'la clé obligatoire « publiccodeYmlVersion » est absente (écrivez "0")',
            "publiccode-required",
        )
        return None
    if not isinstance(raw, str):
        checker.error(
            path,
            f'« publiccodeYmlVersion » doit être un texte entre guillemets, par exemple "0" '
            f"(lu : {_shown(raw)})",
            "publiccode-version-type",
        )
        return None
    value = raw.strip()
    if value not in std.VERSIONS:
        checker.error(
            path,
            f"version « {_shown(raw)} » inconnue ; versions du standard : "
            f'{", ".join(std.VERSIONS)} (écrivez "0")',
            "publiccode-version",
        )
        return None
    if value not in std.CURRENT_VERSIONS:
        checker.warning(
            path,
            f'la version « {value} » n\'est plus la dernière : écrivez "0" (le fichier est '
            "vérifié selon la version actuelle du standard)",
            "publiccode-version-old",
        )
    return value


def descriptions(checker: Checker, data: Mapping[str, Any]) -> dict[str, str]:
    """Check every language of ``description``; ``{language: its short description}``."""
    path: Path = ("description",)
    section = checker.section(data, "description", path, required=True)
    found: dict[str, str] = {}
    if section is None:
        return found
    if not section:
        checker.error(
            path, "« description » doit décrire au moins une langue", "publiccode-required"
        )
        return found
    long_somewhere = features_somewhere = False
    for language, body in section.items():
        lpath: Path = (*path, language)
        checker.language(language, lpath)
        if not isinstance(body, Mapping):
            checker.error(lpath, f"« {dotted(lpath)} » doit être une section", "publiccode-type")
            continue
        checker.known_keys(body, std.DESCRIPTION_KEYS, lpath)
        checker.text(body, "localisedName", (*lpath, "localisedName"))
        generic = checker.text(body, "genericName", (*lpath, "genericName"))
        checker.graphemes_between(generic, (*lpath, "genericName"), None, std.GENERIC_NAME_MAX)
        checker.deprecated(
            body, lpath, "genericName", std.DEPRECATED[("description", "*", "genericName")]
        )
        short = checker.text(body, "shortDescription", (*lpath, "shortDescription"), required=True)
        checker.graphemes_between(short, (*lpath, "shortDescription"), None, std.SHORT_MAX)
        long = checker.text(body, "longDescription", (*lpath, "longDescription"))
        checker.graphemes_between(long, (*lpath, "longDescription"), std.LONG_MIN, std.LONG_MAX)
        long_somewhere = long_somewhere or long is not None
        for key in ("documentation", "apiDocumentation"):
            checker.url(body, key, (*lpath, key), web=True)
        features = checker.texts(body, "features", (*lpath, "features"))
        if "features" in body and isinstance(body["features"], list) and not body["features"]:
            checker.error(
                (*lpath, "features"), "« features » ne doit pas être vide", "publiccode-required"
            )
        features_somewhere = features_somewhere or bool(features)
        if checker.texts(body, "screenshots", (*lpath, "screenshots")):
            checker.note("captures d'écran non vérifiées hors ligne (images du dépôt)")
        for item_path, item in checker.items(body, "videos", (*lpath, "videos")):
            checker.url_value(item, item_path, web=True)
            checker.note("vidéos non vérifiées hors ligne (oEmbed)")
        checker.texts(body, "awards", (*lpath, "awards"))
        if short:
            found[str(language)] = short
    if not long_somewhere:
        checker.error(
            path,
            "« longDescription » est obligatoire dans au moins une langue (150 à 10 000 "
            "caractères)",
            "publiccode-required",
        )
    if not features_somewhere:
        checker.error(
            path,
            "« features » (liste des fonctionnalités) est obligatoire dans au moins une langue",
            "publiccode-required",
        )
    return found


def legal(checker: Checker, data: Mapping[str, Any]) -> None:
    path: Path = ("legal",)
    section = checker.open_section(data, "legal", std.LEGAL_KEYS, required=True)
    if section is None:
        return
    licence = checker.text(section, "license", (*path, "license"), required=True)
    if licence is not None:
        try:
            info = spdx_licensing().validate(licence)
        except ExpressionError:  # pragma: no cover - validate() reports instead of raising
            info = None
        if info is None or info.errors or info.invalid_symbols:
            checker.error(
                (*path, "license"),
                f"« legal.license » vaut « {_shown(licence)} », qui n'est pas une expression de "
                "licence SPDX (par exemple EUPL-1.2 ou AGPL-3.0-or-later)",
                "publiccode-license",
            )
    for key in ("mainCopyrightOwner", "repoOwner", "authorsFile"):
        checker.text(section, key, (*path, key))
    checker.deprecated(section, path, "repoOwner", std.DEPRECATED[("legal", "repoOwner")])
    checker.deprecated(section, path, "authorsFile", std.DEPRECATED[("legal", "authorsFile")])
    if "authorsFile" in section:
        checker.note("fichier des auteurs (legal.authorsFile) non vérifié hors ligne")


def maintenance(checker: Checker, data: Mapping[str, Any]) -> str | None:
    path: Path = ("maintenance",)
    section = checker.open_section(data, "maintenance", std.MAINTENANCE_KEYS, required=True)
    if section is None:
        return None
    kind = checker.choice(section, "type", (*path, "type"), std.MAINTENANCE_TYPES, required=True)

    def contractor(item: Mapping[str, Any], where: Path) -> None:
        checker.known_keys(item, std.CONTRACTOR_KEYS, where)
        checker.text(item, "name", (*where, "name"), required=True)
        checker.date(item, "until", (*where, "until"), required=True)
        checker.email(item, "email", (*where, "email"))
        checker.url(item, "website", (*where, "website"), web=True)

    def contact(item: Mapping[str, Any], where: Path) -> None:
        checker.known_keys(item, std.CONTACT_KEYS, where)
        checker.text(item, "name", (*where, "name"), required=True)
        checker.email(item, "email", (*where, "email"))
        if not isinstance(item.get("phone"), int):  # +33123456789 unquoted reads as a number
            checker.text(item, "phone", (*where, "phone"))
        checker.text(item, "affiliation", (*where, "affiliation"))

    if "contractors" in section and kind is not None and kind != "contract":
        checker.error(
            (*path, "contractors"),
            f"« maintenance.contractors » n'est permis qu'avec le type « contract » (ici "
            f"« {kind} ») : supprimez-le ou changez le type",
            "publiccode-contractors",
        )
    else:
        checker.each_mapping(
            section,
            "contractors",
            (*path, "contractors"),
            contractor,
            required=kind == "contract",
        )
    checker.each_mapping(
        section,
        "contacts",
        (*path, "contacts"),
        contact,
        required=kind in ("internal", "community"),
    )
    return kind


def localisation(checker: Checker, data: Mapping[str, Any]) -> None:
    path: Path = ("localisation",)
    section = checker.open_section(data, "localisation", std.LOCALISATION_KEYS, required=True)
    if section is None:
        return
    checker.boolean(section, "localisationReady", (*path, "localisationReady"), required=True)
    for item_path, item in checker.texts(
        section, "availableLanguages", (*path, "availableLanguages"), required=True
    ):
        checker.language(item, item_path)


def depends_on(checker: Checker, data: Mapping[str, Any]) -> None:
    path: Path = ("dependsOn",)
    section = checker.open_section(data, "dependsOn", std.DEPENDS_KEYS, required=False)
    if section is None:
        return

    def dependency(item: Mapping[str, Any], where: Path) -> None:
        checker.known_keys(item, std.DEPENDENCY_KEYS, where)
        checker.text(item, "name", (*where, "name"), required=True)
        for key in ("versionMin", "versionMax", "version"):
            checker.text(item, key, (*where, key))
        checker.boolean(item, "optional", (*where, "optional"))

    for kind in sorted(std.DEPENDS_KEYS):
        checker.each_mapping(section, kind, (*path, kind), dependency)


def audience(checker: Checker, data: Mapping[str, Any]) -> None:
    path: Path = ("intendedAudience",)
    section = checker.open_section(data, "intendedAudience", std.AUDIENCE_KEYS, required=False)
    if section is None:
        return
    for key in ("countries", "unsupportedCountries"):
        for item_path, item in checker.items(section, key, (*path, key)):
            checker.country(item, item_path)
    for item_path, scope in checker.texts(section, "scope", (*path, "scope")):
        if scope not in std.SCOPES:
            guess = closest(scope, std.SCOPES)
            hint = f" ; vouliez-vous dire « {guess} » ?" if guess else ""
            checker.error(
                item_path,
                f"« {_shown(scope)} » n'est pas un domaine de la liste du standard{hint}",
                "publiccode-scope",
            )


def _uri(checker: Checker, value: Any, path: Path) -> None:
    text = checker.text_value(value, path)
    if text is None:
        return
    parts = urllib.parse.urlsplit(text.strip())
    if not parts.scheme or not (parts.netloc or parts.path) or " " in text.strip():
        checker.error(
            path,
            f"« {dotted(path)} » vaut « {_shown(text)} » ; attendu : une URI (https://… ou urn:…)",
            "publiccode-uri",
        )


def organisations(checker: Checker, data: Mapping[str, Any]) -> None:
    def organisation(item: Mapping[str, Any], where: Path) -> None:
        checker.known_keys(item, std.ORGANISATION_KEYS, where)
        checker.text(item, "name", (*where, "name"))
        if "uri" not in item:
            checker.error(
                (*where, "uri"),
                f"la clé obligatoire « {dotted((*where, 'uri'))} » est absente (l'adresse ou "
                "l'identifiant URN de l'organisation)",
                "publiccode-required",
            )
        if "uri" in item:
            _uri(checker, item["uri"], (*where, "uri"))

    section = checker.section(data, "organisation", ("organisation",), required=False)
    if section is not None:
        organisation(section, ("organisation",))
    checker.each_mapping(data, "fundedBy", ("fundedBy",), organisation)


def supports(checker: Checker, data: Mapping[str, Any]) -> None:
    def support(item: Mapping[str, Any], where: Path) -> None:
        checker.known_keys(item, std.SUPPORT_KEYS, where)
        ident = checker.text(item, "id", (*where, "id"), required=True)
        if ident is None:
            return
        if ident.startswith("alias:"):
            alias = ident.removeprefix("alias:")
            if alias not in std.ALIASES:
                checker.error(
                    (*where, "id"),
                    f"alias inconnu « {_shown(ident)} » ; alias du standard : "
                    f"{', '.join(sorted(std.ALIASES))}",
                    "publiccode-alias",
                )
        else:
            _uri(checker, ident, (*where, "id"))

    checker.each_mapping(data, "supports", ("supports",), support)


def italian_section(checker: Checker, data: Mapping[str, Any]) -> None:
    for key in ("IT", "it"):
        path: Path = (key,)
        section = checker.section(data, key, path, required=False)
        if section is None:
            continue
        if key == "it":
            checker.warning(
                path,
                "section « it » en minuscules, dépréciée : écrivez « IT »",
                "publiccode-deprecated",
            )
        checker.warning(
            path,
            f"la section italienne « {key} » est dépréciée : utilisez « supports » et "
            "« organisation »",
            "publiccode-deprecated",
        )
        checker.known_keys(section, std.IT_KEYS, path)
        checker.choice(
            section,
            "countryExtensionVersion",
            (*path, "countryExtensionVersion"),
            std.IT_EXTENSION_VERSIONS,
        )
        for name, keys in (
            ("conforme", std.IT_CONFORME_KEYS),
            ("piattaforme", std.IT_PIATTAFORME_KEYS),
        ):
            part = checker.section(section, name, (*path, name), required=False)
            if part is not None:
                checker.known_keys(part, keys, (*path, name))
                for flag in sorted(keys):
                    checker.boolean(part, flag, (*path, name, flag))
        riuso = checker.section(section, "riuso", (*path, "riuso"), required=False)
        if riuso is not None:
            checker.known_keys(riuso, std.IT_RIUSO_KEYS, (*path, "riuso"))
            checker.text(riuso, "codiceIPA", (*path, "riuso", "codiceIPA"))
    if "IT" in data and "it" in data:
        checker.error(
            ("it",),
            "sections « IT » et « it » à la fois : gardez seulement « IT »",
            "publiccode-duplicate",
        )


def repository_url(
    checker: Checker,
    data: Mapping[str, Any],
    found_in: str | None,
    forges: Mapping[str, str] | None,
) -> str | None:
    path: Path = ("url",)
    url = checker.url(data, "url", path, web=False, required=True)
    if url is None:
        return None
    key = repository_key(url, forges)
    if key is None:
        checker.error(
            path,
            f"« url » vaut « {_shown(url)} », qui n'est pas l'adresse d'un dépôt",
            "publiccode-url",
        )
        return url
    if found_in is None:
        checker.note("« url » non comparée au dépôt (aucune adresse de dépôt donnée)")
    elif key != repository_key(found_in, forges):
        checker.error(
            path,
            f"« url » désigne « {_shown(url)} » et non le dépôt où le fichier a été trouvé "
            f"({_shown(found_in)}) : adresse usurpée ou copiée d'un autre projet",
            "publiccode-url-spoofed",
        )
    return url


#: What a logo may be: an SVG, SVGZ or PNG file (standard, key ``logo``).
LOGO_EXTENSIONS = (".svg", ".svgz", ".png")


def _logo(checker: Checker, value: str, path: Path) -> None:
    """A path relative to the repository's root, or an http(s) address of the raw file."""
    text = value.strip()
    scheme = urllib.parse.urlsplit(text).scheme.lower()
    if scheme not in ("", "http", "https") or text.startswith("/"):
        checker.error(
            path,
            f"« {dotted(path)} » vaut « {_shown(text)} » ; attendu : un chemin relatif à la "
            "racine du dépôt (img/logo.svg) ou une adresse http(s) du fichier dans le dépôt",
            "publiccode-logo",
        )
    elif not urllib.parse.urlsplit(text).path.lower().endswith(LOGO_EXTENSIONS):
        checker.error(
            path,
            f"« {dotted(path)} » vaut « {_shown(text)} » ; attendu : une image SVG, SVGZ ou PNG",
            "publiccode-logo",
        )


def top_level(checker: Checker, data: Mapping[str, Any]) -> dict[str, str | None]:
    """Every top-level key but the sections; what the site shows of them."""
    checker.known_keys(data, std.TOP_KEYS, ())
    name = checker.text(data, "name", ("name",), required=True)
    for key in ("applicationSuite", "softwareVersion"):
        checker.text(data, key, (key,))
    for key in ("landingURL", "roadmap"):
        checker.url(data, key, (key,), web=True)
    based = data.get("isBasedOn")
    if isinstance(based, list):
        for index, item in enumerate(based):
            checker.url_value(item, ("isBasedOn", index), web=False)
    elif based is not None:
        checker.url_value(based, ("isBasedOn",), web=False)
    checker.date(data, "releaseDate", ("releaseDate",))
    for key in ("logo", "monochromeLogo"):
        logo = checker.text(data, key, (key,))
        if logo is not None:
            _logo(checker, logo, (key,))
            checker.note("logo non vérifié hors ligne (image du dépôt)")
    for key in ("monochromeLogo", "inputTypes", "outputTypes"):
        checker.deprecated(data, (), key, std.DEPRECATED[(key,)])
    for key in ("inputTypes", "outputTypes"):
        for item_path, item in checker.items(data, key, (key,)):
            checker.media_type(item, item_path)
    # A list, even of one platform (as the reference parser reads the standard).
    checker.texts(data, "platforms", ("platforms",), required=True)
    for item_path, category in checker.texts(data, "categories", ("categories",)):
        if category not in std.CATEGORIES:
            guess = closest(category, std.CATEGORIES)
            hint = f" ; vouliez-vous dire « {guess} » ?" if guess else ""
            checker.error(
                item_path,
                f"« {_shown(category)} » n'est pas une catégorie de la liste du standard{hint}",
                "publiccode-category",
            )
    checker.texts(data, "usedBy", ("usedBy",))
    status = checker.choice(
        data, "developmentStatus", ("developmentStatus",), std.DEVELOPMENT_STATUSES, required=True
    )
    checker.choice(data, "softwareType", ("softwareType",), std.SOFTWARE_TYPES, required=True)
    return {"name": name, "status": status}
