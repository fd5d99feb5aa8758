"""A new record's file, for ``inventory new``: values checked as typed, then a commented YAML.

The file lists the fields in the guide's order (the schema's), each under a French comment
made of the schema's title and description (one source for the wording), with the values
given; optional fields are present as commented-out examples, ready to be filled in. Values
are written through PyYAML's safe dumper (:mod:`inventory.register.emit`).

The ``parse_*`` functions turn what a person typed into a value the schema accepts, or raise
:class:`ValueProblem` with a French message saying what is expected (the CLI re-prompts).
"""

from __future__ import annotations

import os
import re
import textwrap
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from inventory.atomic import write_text
from inventory.errors import InventoryError
from inventory.register.emit import dump_value
from inventory.register.fields import Field, by_path, definition, ordered, record_fields
from inventory.register.records import EXTENSIONS, ID_PATTERN, slug

WIDTH = 96
FRENCH_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")

# Commented-out examples of the optional fields (the schema gives their meaning).
EXAMPLES: dict[str, Any] = {
    "administration.sigle": "DGFiP",
    "administration.direction": "Direction de la législation fiscale",
    "administration.pso_id": "00000000-0000-0000-0000-000000000000",
    "contexte": "Décrivez pourquoi la décision est prise, par qui, et les tâches à accomplir.\n",
    "fondements_juridiques[].url": "https://www.legifrance.gouv.fr/",
    "decisions_par_an": 100000,
    "portee_decision": "externe",
    "donnees[].mode_collecte": "Formulaire en ligne",
    "donnees[].donnees_personnelles": True,
    "parametres": [
        {
            "nom": "Quotient familial",
            "ponderation": "coefficient 2",
            "description": "Ce que représente le paramètre et comment il est utilisé.",
        }
    ],
    "ressources": [
        {
            "type": "code_source",
            "url": "https://git.example.fr/mon-algorithme",
            "titre": "Code source de l'algorithme",
        }
    ],
}


class ValueProblem(InventoryError):
    """A typed value the record format does not accept (French message, for a re-prompt)."""


class ScaffoldError(InventoryError):
    """The new record cannot be written (existing file, identifier already used...)."""


# --- parsing what was typed -------------------------------------------------------------------


def parse_text(value: str) -> str:
    text = value.strip()
    if not text:
        raise ValueProblem("ce champ ne peut pas être vide")
    return text


def parse_identifier(value: str, *, what: str = "identifiant") -> str:
    text = value.strip()
    if not ID_PATTERN.match(text):
        raise ValueProblem(
            f"{what} invalide : minuscules sans accent, chiffres et tirets simples, par exemple "
            f"« {slug(text)} »"
        )
    return text


def parse_contact(value: str) -> str:
    text = value.strip()
    pattern = by_path()["contact"].pattern or ""
    if not re.search(pattern, text):
        raise ValueProblem(
            "adresse électronique (nom@administration.fr) ou adresse web (https://…) attendue"
        )
    return text


def parse_url(value: str) -> str:
    text = value.strip()
    if not re.search(definition("url")["pattern"], text):
        raise ValueProblem("adresse web attendue, commençant par http:// ou https://")
    return text


def parse_date(value: str, *, today: date | None = None) -> date:
    """``AAAA-MM-JJ`` or ``JJ/MM/AAAA``; a real date, not in the future."""
    text = value.strip()
    today = today or date.today()
    match = ISO_DATE.match(text)
    parts = (int(match[1]), int(match[2]), int(match[3])) if match else None
    if parts is None and (french := FRENCH_DATE.match(text)):
        parts = (int(french[3]), int(french[2]), int(french[1]))
    if parts is None:
        raise ValueProblem("date attendue au format AAAA-MM-JJ (ou JJ/MM/AAAA)")
    try:
        result = date(*parts)
    except ValueError as exc:
        raise ValueProblem("cette date n'existe pas dans le calendrier") from exc
    if result > today:
        raise ValueProblem(f"la date est dans le futur (aujourd'hui : {today.isoformat()})")
    return result


def enum_choices(path: str) -> list[tuple[str, str]]:
    """``(code, French label)`` of an enumerated field, in the schema's order."""
    spec = by_path()[path]
    return [(code, spec.label_of.get(code, code)) for code in spec.enum]


def parse_choice(path: str, value: str) -> str:
    """A choice typed as its number in the list, its code or its French label."""
    text = value.strip()
    choices = enum_choices(path)
    if text.isdigit() and 1 <= int(text) <= len(choices):
        return choices[int(text) - 1][0]
    wanted = slug(text).replace("-", "_")
    for code, label in choices:
        if wanted in (code, slug(label).replace("-", "_")):
            return code
    listed = ", ".join(f"{n}. {label} ({code})" for n, (code, label) in enumerate(choices, 1))
    raise ValueProblem(f"choix inconnu ; tapez un numéro ou un code : {listed}")


# --- where the record goes --------------------------------------------------------------------


def find_identifier(root: Path, identifier: str) -> Path | None:
    """The file already using ``identifier`` anywhere under ``root``, if any."""
    if not root.is_dir():
        return None
    for current, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.endswith(EXTENSIONS) and Path(name).stem == identifier:
                return Path(current, name)
    return None


def folders(root: Path) -> list[str]:
    """The register's existing folders."""
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))


def target_path(root: Path, folder: str, identifier: str) -> Path:
    """``root/folder/identifier.yml``, refused when the identifier is already used."""
    path = Path(root) / folder / f"{identifier}.yml"
    if path.exists():
        raise ScaffoldError(
            f"le fichier {path.as_posix()} existe déjà : il n'est pas remplacé (modifiez-le "
            "directement, ou choisissez un autre identifiant)"
        )
    used = find_identifier(Path(root), identifier)
    if used is not None:
        raise ScaffoldError(
            f"l'identifiant « {identifier} » est déjà utilisé par {used.as_posix()} : "
            "chaque identifiant est unique dans tout le registre"
        )
    return path


# --- rendering --------------------------------------------------------------------------------


def _comment(text: str, indent: str) -> list[str]:
    return [
        f"{indent}# {line}"
        for line in textwrap.wrap(text, width=WIDTH - len(indent) - 2, break_on_hyphens=False)
    ]


def _field_comment(field: Field, indent: str) -> list[str]:
    need = "obligatoire" if field.required else "facultatif"
    text = f"{field.title} ({need}) : {field.description}"
    if field.enum:
        values = ", ".join(f"{code} ({label})" for code, label in enum_choices(field.path))
        text += f" Valeurs possibles : {values}."
    return _comment(text, indent)


def _dump(key: str, value: Any, indent: str, commented: bool) -> list[str]:
    lines = dump_value({key: value}).rstrip("\n").split("\n")
    prefix = f"{indent}# " if commented else indent
    return [prefix + line for line in lines]


def _mapping(
    fields: tuple[Field, ...], values: Mapping[str, Any], indent: str, comments: bool = True
) -> list[str]:
    """Lines of a mapping: each field with its comment, optional ones as commented examples."""
    lines: list[str] = []
    for field in fields:
        if comments:
            lines.extend(_field_comment(field, indent))
        if field.key in values:
            value = values[field.key]
            if field.kind == "object" and isinstance(value, Mapping):
                lines.append(f"{indent}{field.key}:")
                lines.extend(_mapping(field.children, value, indent + "  "))
            elif field.kind == "array" and field.children and isinstance(value, list):
                lines.append(f"{indent}{field.key}:")
                for number, item in enumerate(value):  # explained once, on the first item
                    lines.extend(_item(field.children, item, indent + "  ", number == 0))
            else:
                lines.extend(_dump(field.key, value, indent, commented=False))
        elif field.path in EXAMPLES:
            lines.extend(_dump(field.key, EXAMPLES[field.path], indent, commented=True))
    return lines


def _item(
    fields: tuple[Field, ...], values: Mapping[str, Any], indent: str, comments: bool
) -> list[str]:
    """A list item (``- key: value``), its optional keys as commented examples."""
    inner = indent + "  "
    body = _mapping(fields, ordered(values, fields), inner, comments)
    first = next(i for i, line in enumerate(body) if not line.lstrip().startswith("#"))
    for index in range(first):  # the first key's comment sits at the dash's level
        body[index] = indent + body[index][len(inner) :]
    body[first] = f"{indent}- {body[first][len(inner) :]}"
    return body


def render(data: Mapping[str, Any]) -> str:
    """The commented YAML text of a new record holding ``data`` (required fields at least)."""
    header = _comment(
        "Fiche d'algorithme public (modèle d'inventaire d'Etalab). Chaque champ est précédé "
        "de son explication ; les champs facultatifs sont en commentaire : retirez le « # » "
        "pour les remplir. Vérifiez la fiche avec « inventory check ». Format détaillé : "
        "page « Format des fiches » du site, ou schemas/algorithme.schema.json.",
        "",
    )
    body = _mapping(record_fields(), ordered(data), "")
    return "\n".join([*header, "", *body]) + "\n"


def create(root: Path, folder: str, identifier: str, data: Mapping[str, Any]) -> Path:
    """Write ``root/folder/identifier.yml`` (atomically), never over an existing record."""
    parse_identifier(folder, what="nom de dossier")
    parse_identifier(identifier)
    path = target_path(root, folder, identifier)
    write_text(path, render(data))
    return path
