"""Exports for other registers: the UK ATRS and the Dutch Algoritmeregister, as data.

Each standard is a :class:`Standard`: a list of :class:`Target` fields, each built from named
record fields, plus the target fields this register has no counterpart for. Everything the
mapping does not carry is *listed*, never dropped silently: the record fields without a
counterpart are named in the export's ``unmapped_fields`` and, with their values, in each
record's ``unmapped`` list; :func:`mapping_markdown` renders the same tables in French for the
site's Format page. Only fields of the standards are produced: a record field without a clear
counterpart is listed as unmapped rather than put in an invented field. Text values stay in
French: neither register translates records.

Sources, checked on 28 November 2026 from stored copies of public repositories (no live
access to the registers):

* Algoritmeregister, publication standard 1.0: field names, nesting (``*_grouping`` lists of
  ``{title, link}``), permitted values (``status``, ``publication_category``, ``lang``,
  ``standard_version``) follow the register's own machine-readable configuration,
  ``backend/app/schemas/config/v1_0.json`` in github.com/MinBZK/Algoritmeregister (file last
  changed by commit be01f3a18e93754da2fd7463645ec3a49247d8dc, 29 August 2025; repository head
  4885a0537d142638732f7d83676800a701411e93); its own description says it drives the input
  fields of the register's management module and validates download files.
  The human-readable standard, github.com/MinBZK/Algoritmeregister-Publicatiestandaard
  (``ch02.md``, version 1.0.10 of 29 November 2024, commit
  d20a0fe085472a1ac7373fd771771dd32ded9326), lists the same fields by their Dutch titles. Every
  field of that configuration is either produced or listed in ``without_source``.
* ATRS (UK Algorithmic Transparency Recording Standard): no official machine-readable
  definition of the tier 1 / tier 2 fields was found (the template is published as a
  spreadsheet and a guidance page; only the opening of a Google Sheets template titled
  "Algorithmic Transparency Recording Standard v3.0 for browser", signed by the ATRS team,
  could be read). The tier names and field names below were written from the published
  documentation from memory and are NOT verified; "3.0" is the version that template carries,
  and a later template may exist (a third-party test fixture shows GOV.UK records tagged
  ``v4.0`` in 2026: not checked). What was verified: the phase vocabulary
  (``Pre-deployment``, ``Beta/Pilot``, ``Production``, ``Retired``) is a subset of the labels
  GOV.UK accepts for ``algorithmic_transparency_record_phase`` in
  ``lib/documents/schemas/algorithmic_transparency_records.json`` of
  github.com/alphagov/specialist-publisher (head a9801882bf069f0a26d17d92d70802efcde3c979,
  21 August 2026), which also lists ``Private Beta`` and ``Public Beta``.

The target names are kept here as data so that a correction is a one-line change;
tests/interchange/official_fields.py holds the hand-written field lists the tests compare them to.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from inventory.atomic import write_texts
from inventory.errors import ExportError
from inventory.model import Record
from inventory.register.fields import by_path, leaf_paths
from inventory.register.records import as_json

Data = Mapping[str, Any]


@dataclass(frozen=True)
class Target:
    """One field of the other register, built from record fields (``sources``)."""

    name: str  # dotted path in the exported record, e.g. ``tier_2.owner_and_responsibility.team``
    sources: tuple[str, ...]
    build: Callable[[Data], Any]
    note: str = ""
    partial: bool = False  # carries only part of its sources: they stay listed as unmapped


@dataclass(frozen=True)
class Standard:
    """Another register's field set and how records map onto it."""

    key: str
    title: str
    version: str
    reference: str
    file_name: str
    targets: tuple[Target, ...]
    without_source: tuple[tuple[str, str], ...]  # (target field, French note)
    verification: str  # French: what was checked against which official definition
    id_target: str | None = None  # target field that receives the record's identifier

    def unmapped_fields(self) -> list[str]:
        """Record fields (leaf paths) that no target uses, in the schema's order."""
        used = {s for t in self.targets if not t.partial for s in t.sources}
        return [
            path
            for path in leaf_paths()
            if path not in used and not any(path.startswith(u + ".") for u in used)
        ]


# --- value helpers ----------------------------------------------------------------------------


def _get(data: Data, path: str) -> Any:
    """A field's value; ``donnees[].nom`` gives the list of every item's value."""
    if "[]." in path:
        key, sub = path.split("[].", 1)
        items = data.get(key)
        if not isinstance(items, list):
            return None
        values = [item.get(sub) for item in items if isinstance(item, Mapping)]
        return values if any(v is not None for v in values) else None
    value: Any = data
    for part in path.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


def _field(path: str) -> Callable[[Data], Any]:
    return lambda data: _get(data, path)


def _label(path: str) -> Callable[[Data], Any]:
    """The French label of an enumerated value (``Aide à la décision``)."""

    def build(data: Data) -> Any:
        value = _get(data, path)
        return by_path()[path].label_of.get(value, value) if value is not None else None

    return build


def _email(data: Data) -> str | None:
    contact = data.get("contact")
    if isinstance(contact, str) and "@" in contact and "://" not in contact:
        return contact.removeprefix("mailto:")
    return None


def _resources(*kinds: str) -> Callable[[Data], Any]:
    def build(data: Data) -> Any:
        items = data.get("ressources") or []
        urls = [
            item.get("url")
            for item in items
            if isinstance(item, Mapping) and (not kinds or item.get("type") in kinds)
        ]
        return urls or None

    return build


def _first(build: Callable[[Data], Any]) -> Callable[[Data], Any]:
    def first(data: Data) -> Any:
        value = build(data)
        return value[0] if isinstance(value, list) and value else value

    return first


def _legal_text(data: Data) -> str | None:
    items = data.get("fondements_juridiques") or []
    titles = [str(item.get("titre")) for item in items if isinstance(item, Mapping)]
    return "\n".join(titles) or None


def _data_text(data: Data, *, personal: bool = False) -> str | None:
    """Each datum with its source and how it is collected (and, with ``personal``, whether
    it is personal data), one per line."""
    items = data.get("donnees") or []
    lines = []
    for item in items:
        if not isinstance(item, Mapping):
            continue
        line = f"{item.get('nom')} (source : {item.get('source')}"
        if item.get("mode_collecte"):
            line += f" ; collecte : {item['mode_collecte']}"
        is_personal = item.get("donnees_personnelles")
        if personal and is_personal is not None:
            line += f" ; données personnelles : {'oui' if is_personal else 'non'}"
        lines.append(line + ")")
    return "\n".join(lines) or None


def _organisation(data: Data) -> str | None:
    name = _get(data, "administration.nom")
    sigle = _get(data, "administration.sigle")
    return f"{name} ({sigle})" if name and sigle else name


def _methods(data: Data) -> str | None:
    kind = _label("type_algorithme")(data)
    operations = data.get("operations")
    parts = [f"Type d'algorithme : {kind}." if kind else None, operations]
    return "\n\n".join(str(p).strip() for p in parts if p) or None


def _contact(data: Data) -> str | None:
    """The contact as an address or a web page (``mailto:`` removed)."""
    contact = data.get("contact")
    return contact.removeprefix("mailto:") if isinstance(contact, str) else None


def _paragraphs(*parts: str | None) -> str | None:
    return "\n\n".join(p.strip() for p in parts if p and p.strip()) or None


def _goal_and_impact(data: Data) -> str | None:
    public = data.get("public_concerne")
    return _paragraphs(
        data.get("finalite"), f"Public concerné : {str(public).strip()}" if public else None
    )


def _human_intervention(data: Data) -> str | None:
    level = _label("niveau_automatisation")(data)
    return _paragraphs(
        f"Niveau d'automatisation : {level}." if level else None,
        data.get("intervention_dans_la_decision"),
    )


def _legal_grouping(data: Data) -> list[dict[str, Any]] | None:
    """``{title, link}`` for every legal basis that has an address."""
    items = data.get("fondements_juridiques") or []
    links = [
        {"title": item.get("titre"), "link": item["url"]}
        for item in items
        if isinstance(item, Mapping) and item.get("url")
    ]
    return links or None


def _resource_grouping(*kinds: str) -> Callable[[Data], Any]:
    """``{title, link}`` for every resource of the given types."""

    def build(data: Data) -> Any:
        items = data.get("ressources") or []
        links = [
            {"title": item.get("titre") or item["url"], "link": item["url"]}
            for item in items
            if isinstance(item, Mapping) and item.get("type") in kinds and item.get("url")
        ]
        return links or None

    return build


def _data_text_with_personal(data: Data) -> str | None:
    """Each datum with its source, how it is collected and whether it is personal data."""
    return _data_text(data, personal=True)


def _mapped(values: Mapping[str, str], path: str) -> Callable[[Data], Any]:
    return lambda data: values.get(_get(data, path)) if _get(data, path) is not None else None


def _constant(value: Any) -> Callable[[Data], Any]:
    return lambda data: value


# --- the standards ----------------------------------------------------------------------------

ATRS_PHASES = {
    "en_service": "Production",
    "en_developpement": "Pre-deployment",
    "experimentation": "Beta/Pilot",
    "retire": "Retired",
}

ATRS = Standard(
    key="atrs",
    title="Algorithmic Transparency Recording Standard (Royaume-Uni)",
    version="3.0",
    reference="https://www.gov.uk/government/collections/algorithmic-transparency-recording-standard-hub",
    file_name="algorithmes-atrs.json",
    targets=(
        Target("tier_1.name", ("nom",), _field("nom")),
        Target("tier_1.description", ("finalite",), _field("finalite")),
        Target(
            "tier_1.website",
            ("ressources[].url", "ressources[].type"),
            _first(_resources("documentation", "formulaire", "autre", "texte")),
            "première ressource de type documentation, formulaire, texte ou autre (toutes les "
            "ressources restent listées dans unmapped)",
            partial=True,
        ),
        Target(
            "tier_1.contact_email",
            ("contact",),
            _email,
            "seulement si le contact est une adresse électronique (le contact reste listé "
            "dans unmapped)",
            partial=True,
        ),
        Target(
            "tier_2.owner_and_responsibility.organisation",
            ("administration.nom", "administration.sigle"),
            _organisation,
        ),
        Target(
            "tier_2.owner_and_responsibility.team",
            ("administration.direction",),
            _field("administration.direction"),
        ),
        Target(
            "tier_2.description_and_rationale.detailed_description",
            ("operations",),
            _field("operations"),
        ),
        Target("tier_2.description_and_rationale.scope", ("contexte",), _field("contexte")),
        Target("tier_2.description_and_rationale.benefit", ("finalite",), _field("finalite")),
        Target(
            "tier_2.decision_making_process.process_integration",
            ("intervention_dans_la_decision",),
            _field("intervention_dans_la_decision"),
        ),
        Target(
            "tier_2.decision_making_process.frequency_and_scale_of_usage",
            ("decisions_par_an",),
            _field("decisions_par_an"),
            "nombre de décisions par an",
        ),
        Target(
            "tier_2.decision_making_process.human_decisions_and_review",
            ("niveau_automatisation",),
            _label("niveau_automatisation"),
            "libellé français du niveau d'automatisation",
        ),
        Target(
            "tier_2.tool_specification.phase",
            ("statut",),
            _mapped(ATRS_PHASES, "statut"),
            "en_service → Production, en_developpement → Pre-deployment, "
            "experimentation → Beta/Pilot, retire → Retired",
        ),
        Target(
            "tier_2.tool_specification.system_architecture",
            ("type_algorithme",),
            _label("type_algorithme"),
            "libellé français du type d'algorithme",
        ),
        Target(
            "tier_2.data_specification.source_data_name",
            ("donnees[].nom",),
            _field("donnees[].nom"),
        ),
        Target(
            "tier_2.data_specification.data_description",
            ("donnees[].source",),
            _data_text,
            "chaque donnée avec sa source et son mode de collecte",
        ),
        Target(
            "tier_2.data_specification.data_collection",
            ("donnees[].mode_collecte",),
            _field("donnees[].mode_collecte"),
        ),
    ),
    without_source=(
        ("tier_2.owner_and_responsibility.senior_responsible_owner", "non renseigné dans la fiche"),
        ("tier_2.owner_and_responsibility.external_supplier", "non renseigné dans la fiche"),
        ("tier_2.description_and_rationale.previous_process", "non renseigné dans la fiche"),
        ("tier_2.description_and_rationale.alternatives_considered", "non renseigné"),
        ("tier_2.decision_making_process.provided_information", "non renseigné dans la fiche"),
        ("tier_2.decision_making_process.required_training", "non renseigné dans la fiche"),
        ("tier_2.decision_making_process.appeals_and_review", "non renseigné dans la fiche"),
        ("tier_2.tool_specification.maintenance", "non renseigné dans la fiche"),
        ("tier_2.tool_specification.models", "non renseigné dans la fiche"),
        ("tier_2.data_specification.data_modality", "non renseigné dans la fiche"),
        ("tier_2.data_specification.data_quantities", "non renseigné dans la fiche"),
        ("tier_2.data_specification.data_access_and_storage", "non renseigné dans la fiche"),
        ("tier_2.risks_mitigations_and_impact_assessments.impact_assessments", "non renseigné"),
        ("tier_2.risks_mitigations_and_impact_assessments.risks", "non renseigné dans la fiche"),
    ),
    verification=(
        "Aucune définition officielle lisible par machine des champs de niveau 1 et 2 n'a été "
        "trouvée : leurs noms suivent la documentation publiée et sont à vérifier avec le modèle "
        "officiel avant un dépôt. Seules les valeurs de phase ont été vérifiées (le 28 novembre "
        "2026) avec le schéma de publication de GOV.UK (dépôt alphagov/specialist-publisher, "
        "lib/documents/schemas/algorithmic_transparency_records.json)."
    ),
)

DUTCH_STATUS = {
    "en_service": "In gebruik",
    "en_developpement": "In ontwikkeling",
    "experimentation": "In ontwikkeling",
    "retire": "Buiten gebruik",
}

ALGORITMEREGISTER = Standard(
    key="algoritmeregister",
    title="Algoritmeregister de l'administration néerlandaise (algoritmes.overheid.nl)",
    version="1.0",
    reference="https://algoritmes.overheid.nl",
    file_name="algorithmes-algoritmeregister.json",
    # In the order of the register's configuration (v1_0.json).
    targets=(
        Target("name", ("nom",), _field("nom")),
        Target("description_short", ("finalite",), _field("finalite")),
        Target("organization", ("administration.nom",), _field("administration.nom")),
        Target(
            "status",
            ("statut",),
            _mapped(DUTCH_STATUS, "statut"),
            "en_service → In gebruik, en_developpement et experimentation → In ontwikkeling, "
            "retire → Buiten gebruik",
        ),
        Target(
            "contact_email",
            ("contact",),
            _contact,
            "adresse électronique (sans « mailto: ») ou page web de contact : le registre "
            "accepte l'une ou l'autre",
        ),
        Target(
            "website",
            ("ressources[].url", "ressources[].type"),
            _first(_resources("documentation", "formulaire", "autre", "texte")),
            "première ressource de type documentation, formulaire, texte ou autre (toutes les "
            "ressources restent listées dans unmapped)",
            partial=True,
        ),
        Target(
            "publication_category",
            (),
            _constant("Impactvolle algoritmes"),
            "toujours « Impactvolle algoritmes » : une fiche décrit un traitement fondant des "
            "décisions individuelles (article L312-1-3 du CRPA), qui ont un effet juridique",
        ),
        Target(
            "goal",
            ("finalite", "public_concerne"),
            _goal_and_impact,
            "« Doel en impact » : la finalité, puis le public concerné",
        ),
        Target(
            "human_intervention",
            ("niveau_automatisation", "intervention_dans_la_decision"),
            _human_intervention,
            "libellé français du niveau d'automatisation, puis l'intervention dans la décision",
        ),
        Target(
            "lawful_basis",
            ("fondements_juridiques[].titre",),
            _legal_text,
            "titres des fondements juridiques, un par ligne",
        ),
        Target(
            "lawful_basis_grouping",
            ("fondements_juridiques[].titre", "fondements_juridiques[].url"),
            _legal_grouping,
            "liste {title, link} des fondements juridiques qui ont une adresse",
        ),
        Target(
            "source_data",
            (
                "donnees[].nom",
                "donnees[].source",
                "donnees[].mode_collecte",
                "donnees[].donnees_personnelles",
            ),
            _data_text_with_personal,
            "chaque donnée avec sa source, son mode de collecte et s'il s'agit de données "
            "personnelles",
        ),
        Target(
            "source_data_grouping",
            ("ressources[].type", "ressources[].titre", "ressources[].url"),
            _resource_grouping("donnees"),
            "liste {title, link} des ressources de type données (toutes les ressources restent "
            "listées dans unmapped)",
            partial=True,
        ),
        Target(
            "methods_and_models",
            ("type_algorithme", "operations"),
            _methods,
            "type d'algorithme (libellé français) suivi des opérations",
        ),
        Target(
            "publiccode",
            ("ressources[].url", "ressources[].type"),
            _first(_resources("code_source")),
            "première ressource de type code source (toutes les ressources restent listées "
            "dans unmapped)",
            partial=True,
        ),
        Target("standard_version", (), _constant("1.0"), "toujours « 1.0 »"),
    ),
    id_target="source_id",
    without_source=(
        ("category", "non renseigné (thème choisi dans la liste du registre)"),
        ("begin_date", "non renseigné dans la fiche"),
        ("end_date", "non renseigné dans la fiche"),
        ("url", "non renseigné (adresse de l'enregistrement d'origine)"),
        ("proportionality", "non renseigné dans la fiche"),
        ("risks", "non renseigné dans la fiche"),
        ("process_index_url", "non renseigné (registre des traitements)"),
        ("impacttoetsen_grouping", "non renseigné (analyses d'impact : AIPD, IAMA…)"),
        ("impacttoetsen", "non renseigné dans la fiche"),
        ("provider", "non renseigné dans la fiche"),
        (
            "lang",
            "le registre n'admet que « nld » ; les textes de la fiche sont en français et "
            "sont à traduire avant un dépôt",
        ),
        ("tags", "non renseigné dans la fiche"),
        ("lars", "attribué par le registre à la publication"),
        ("publication_dt", "attribué par le registre à la publication"),
    ),
    verification=(
        "Noms de champs, structure et valeurs admises vérifiés le 28 novembre 2026 avec la "
        "configuration officielle de la version 1.0 du registre (dépôt MinBZK/Algoritmeregister, "
        "backend/app/schemas/config/v1_0.json). Les textes restent en français : le registre "
        "n'admet que des textes en néerlandais (lang « nld »)."
    ),
)

STANDARDS: dict[str, Standard] = {s.key: s for s in (ATRS, ALGORITMEREGISTER)}

ID_NOTE = "identifiant de la fiche (nom de son fichier, sans l'extension .yml)"


# --- export -----------------------------------------------------------------------------------


def _place(document: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, last = dotted.split(".")
    for part in parents:
        document = document.setdefault(part, {})
    document[last] = value


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def map_record(record: Record, standard: Standard) -> dict[str, Any]:
    """One record in the other register's fields, with what has no counterpart."""
    data = as_json(record.data)
    result: dict[str, Any] = {"id": record.id, "dossier": record.folder}
    for target in standard.targets:
        _place(result, target.name, _jsonable(target.build(data)))
    if standard.id_target:
        _place(result, standard.id_target, record.id)
    for name, _note in standard.without_source:
        _place(result, name, None)
    result["unmapped"] = [
        {"field": path, "value": _jsonable(value)}
        for path in standard.unmapped_fields()
        if (value := _get(data, path)) is not None
    ]
    return result


def export_document(records: Sequence[Record], standard: Standard) -> dict[str, Any]:
    ordered = sorted(records, key=lambda r: (r.id, r.folder))
    return {
        "standard": {
            "name": standard.title,
            "version": standard.version,
            "reference": standard.reference,
            "note": standard.verification,
        },
        "mapping": [
            {"source": list(t.sources), "target": t.name, "note": t.note} for t in standard.targets
        ]
        + (
            [{"source": ["id"], "target": standard.id_target, "note": ID_NOTE}]
            if standard.id_target
            else []
        ),
        "unmapped_fields": standard.unmapped_fields(),
        "targets_without_source": [name for name, _ in standard.without_source],
        "records": [map_record(record, standard) for record in ordered],
    }


def external_json(records: Sequence[Record], key: str) -> str:
    standard = STANDARDS[key]
    return json.dumps(export_document(records, standard), ensure_ascii=False, indent=2) + "\n"


def export_external(records: Sequence[Record], out: Path, key: str, *, force: bool) -> list[Path]:
    """Write the ``key`` register's export into ``out`` (atomically; no overwrite unless forced)."""
    if key not in STANDARDS:
        raise ExportError(f"format d'export inconnu : {key} (atrs ou algoritmeregister)")
    return write_texts(
        Path(out), {STANDARDS[key].file_name: external_json(records, key)}, force=force
    )


# --- documentation ----------------------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def mapping_markdown() -> str:
    """The mapping tables, in French Markdown, for the site's Format page."""
    fields = by_path()
    out = [
        "\n## Exports vers d'autres registres {#exports-autres-registres}\n",
        "La commande `inventory export --format atrs` (ou `--format algoritmeregister`) écrit les "
        "fiches dans les champs du registre britannique ou néerlandais. Les champs d'une fiche "
        "sans équivalent ne sont pas perdus : ils sont listés dans `unmapped_fields` et, avec "
        "leur valeur, dans la liste `unmapped` de chaque fiche exportée. Chaque section "
        "indique ce qui a été vérifié avec la définition officielle du registre.\n",
    ]
    for standard in STANDARDS.values():
        out.append(
            f"\n### {standard.title}, version {standard.version} "
            f"{{#export-{standard.key}}}\n\n"
            f"Référence : <{standard.reference}>. Fichier : `{standard.file_name}`.\n\n"
            f"Vérification : {standard.verification}\n\n"
            "| Champ de la fiche | Champ du registre | Remarque |\n|---|---|---|\n"
        )
        for target in standard.targets:
            sources = ", ".join(f"`{s}`" for s in target.sources) or "(valeur fixe)"
            out.append(f"| {sources} | `{target.name}` | {_cell(target.note) or '—'} |\n")
        if standard.id_target:
            out.append(f"| `id` | `{standard.id_target}` | {_cell(ID_NOTE)} |\n")
        unmapped = standard.unmapped_fields()
        out.append("\n**Champs de la fiche sans équivalent** (listés dans `unmapped`) :\n\n")
        out.extend(f"- `{path}` : {_cell(fields[path].title)}\n" for path in unmapped)
        out.append("\n**Champs du registre que la fiche ne renseigne pas** (exportés vides) :\n\n")
        out.extend(f"- `{name}` : {_cell(note)}\n" for name, note in standard.without_source)
    return "".join(out)
