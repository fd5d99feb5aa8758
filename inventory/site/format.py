"""The Format page, generated from ``schemas/algorithme.schema.json``, with a complete example."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import yaml

from inventory.interchange.foreign import mapping_markdown
from inventory.register import labels
from inventory.site import paths
from inventory.site.layout import front_matter, paragraph, table
from inventory.site.render import escape

TYPES = {
    "string": "texte",
    "integer": "nombre entier",
    "number": "nombre",
    "boolean": "booléen (true ou false)",
    "array": "liste",
    "object": "objet",
    "null": "vide",
}
FORMATS = {
    "date": "date AAAA-MM-JJ",
    "uri": "adresse web",
    "email": "adresse électronique",
    "uuid": "identifiant UUID",
}

# Used when no record is available to show: every field filled in.
BUILTIN_EXAMPLE: dict[str, Any] = {
    "nom": "Calcul du quotient familial",
    "administration": {
        "nom": "Caisse nationale des allocations familiales",
        "sigle": "Cnaf",
        "direction": "Direction des statistiques, des études et de la recherche",
        "pso_id": "00000000-0000-4000-8000-000000000000",
    },
    "contact": "contact@example.fr",
    "date_mise_a_jour": "2025-01-15",
    "statut": "en_service",
    "contexte": "Les prestations familiales dépendent des ressources du foyer.",
    "finalite": "Calculer le quotient familial qui détermine le montant de certaines aides.",
    "intervention_dans_la_decision": "Le calcul est automatique à chaque changement de situation.",
    "niveau_automatisation": "decision_entierement_automatisee",
    "fondements_juridiques": [
        {
            "titre": "Code de la sécurité sociale, article L521-1",
            "url": "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000031688393",
        }
    ],
    "decisions_par_an": 1000000,
    "portee_decision": "externe",
    "public_concerne": "Les allocataires.",
    "donnees": [
        {
            "nom": "Revenus du foyer",
            "source": "Déclaration de ressources",
            "mode_collecte": "Échange de données avec l'administration fiscale",
            "donnees_personnelles": True,
        }
    ],
    "type_algorithme": "systeme_de_regles",
    "operations": "Division des revenus mensuels par le nombre de parts du foyer.",
    "parametres": [
        {"nom": "Nombre de parts", "ponderation": "diviseur", "description": "Selon la famille."}
    ],
    "ressources": [
        {"type": "code_source", "url": "https://git.example.fr/qf", "titre": "Code source"}
    ],
}


def _resolve(schema: Mapping[str, Any], root: Mapping[str, Any]) -> Mapping[str, Any]:
    seen = 0
    while "$ref" in schema and isinstance(schema["$ref"], str) and seen < 10:
        ref = schema["$ref"]
        if not ref.startswith("#/"):
            break
        target: Any = root
        for part in ref[2:].split("/"):
            target = target.get(part, {}) if isinstance(target, Mapping) else {}
        merged = dict(target)
        merged.update({k: v for k, v in schema.items() if k != "$ref"})
        schema = merged
        seen += 1
    return schema


def _alternatives(schema: Mapping[str, Any], root: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    for key in ("oneOf", "anyOf"):
        if isinstance(schema.get(key), list):
            return [_resolve(s, root) for s in schema[key] if isinstance(s, Mapping)]
    return [schema]


def describe_type(schema: Mapping[str, Any], root: Mapping[str, Any]) -> str:
    """French reading of a property's type (with format, bounds and item type)."""
    readings = []
    for alt in _alternatives(_resolve(schema, root), root):
        kinds = alt.get("type")
        kinds = kinds if isinstance(kinds, list) else [kinds] if kinds else []
        if not kinds and "enum" in alt:
            kinds = ["string"]
        for kind in kinds:
            text = TYPES.get(kind, str(kind))
            if kind == "string" and alt.get("format") in FORMATS:
                text = FORMATS[alt["format"]]
            elif kind == "array":
                items = alt.get("items")
                if isinstance(items, Mapping):
                    text += " de " + describe_type(items, root)
                if isinstance(alt.get("minItems"), int) and alt["minItems"] > 0:
                    text += f" (au moins {alt['minItems']})"
            elif kind in {"integer", "number"} and "minimum" in alt:
                text += f" ≥ {alt['minimum']}"
            if text not in readings:
                readings.append(text)
    return " ou ".join(readings) or "libre"


def _enum(schema: Mapping[str, Any], root: Mapping[str, Any], key: str) -> list[str]:
    for alt in _alternatives(_resolve(schema, root), root):
        if isinstance(alt.get("enum"), list):
            return [str(v) for v in alt["enum"]]
    return []


def _fields(
    schema: Mapping[str, Any], root: Mapping[str, Any], prefix: str = ""
) -> Iterator[tuple[str, Mapping[str, Any], bool]]:
    """``(dotted key, property schema, required)`` in schema order, nested objects included."""
    schema = _resolve(schema, root)
    required = set(schema.get("required") or ())
    for key, prop in (schema.get("properties") or {}).items():
        if not isinstance(prop, Mapping):
            continue
        prop = _resolve(prop, root)
        path = f"{prefix}{key}"
        yield path, prop, key in required
        nested = prop
        if prop.get("type") == "array" and isinstance(prop.get("items"), Mapping):
            nested = _resolve(prop["items"], root)
        if isinstance(nested.get("properties"), Mapping):
            yield from _fields(nested, root, f"{path}.")


def _anchor(path: str) -> str:
    return "champ-" + paths.slugify(path.replace(".", "-").replace("_", "-"))


def _field_block(
    path: str, prop: Mapping[str, Any], required: bool, root: Mapping[str, Any]
) -> str:
    title = prop.get("title") or labels.FIELD.get(path, "")
    description = prop.get("description") or ""
    values = _enum(prop, root, path)
    enum_labels = labels.BY_FIELD.get(path, {})
    parts = [
        f'\n<section class="inv-format-field" id="{escape(_anchor(path))}">',
        f"<h3><code>{escape(path)}</code> : {escape(title)}</h3>",
    ]
    if description:
        parts.append(f"<p>{escape(description)}</p>")
    parts.append('<dl class="inv-fields">')
    parts.append(f"<dt>Type</dt><dd>{escape(describe_type(prop, root))}</dd>")
    parts.append(f"<dt>Obligatoire</dt><dd>{'Oui' if required else 'Non'}</dd>")
    if values:
        items = "".join(
            f"<li><code>{escape(v)}</code>"
            + (f" : {escape(enum_labels[v])}" if v in enum_labels else "")
            + "</li>"
            for v in values
        )
        parts.append(f"<dt>Valeurs possibles</dt><dd><ul>{items}</ul></dd>")
    if isinstance(prop.get("pattern"), str):
        parts.append(f"<dt>Forme attendue</dt><dd><code>{escape(prop['pattern'])}</code></dd>")
    parts.append("</dl>\n</section>\n")
    return "\n".join(parts)


def page(schema: Mapping[str, Any] | None, example: tuple[str, str] | None) -> str:
    """The Format page; ``example`` is ``(file name, YAML text)`` of a real record, if any."""
    here = paths.FORMAT
    out = [
        front_matter("Format des fiches"),
        "# Format des fiches d'algorithmes\n",
        paragraph(
            "Chaque algorithme est décrit par un fichier YAML "
            "<code>algorithms/&lt;dossier&gt;/&lt;identifiant&gt;.yml</code>, vérifié par le "
            "schéma JSON <code>schemas/algorithme.schema.json</code> et par "
            "<code>inventory check</code>. Les champs suivent les quatre parties du guide "
            "d'Etalab sur l'inventaire des algorithmes publics. Les champs de texte acceptent "
            "la syntaxe Markdown, sans HTML ; les adresses sont en <code>http</code> ou "
            "<code>https</code>."
        ),
    ]
    if schema is None:
        out.append(
            paragraph("Le schéma des fiches est introuvable : le format ne peut être décrit.")
        )
    else:
        found = list(_fields(schema, schema))
        rows = [
            (
                f'<a href="#{escape(_anchor(p))}"><code>{escape(p)}</code></a>',
                escape(prop.get("title") or labels.FIELD.get(p, "")),
                escape(describe_type(prop, schema)),
                "Oui" if req else "Non",
            )
            for p, prop, req in found
        ]
        out.append("\n## Vue d'ensemble {#vue-d-ensemble}\n")
        out.append(
            table(
                ("Champ", "Intitulé", "Type", "Obligatoire"),
                rows,
                caption="Champs d'une fiche",
                css="inv-table",
            )
        )
        out.append(
            paragraph(
                "Un champ d'un objet imbriqué (par exemple <code>administration.nom</code>) est "
                "obligatoire quand son objet est présent. Toute clé inconnue est une erreur."
            )
        )
        out.append("\n## Champs {#champs}\n")
        out.extend(_field_block(p, prop, req, schema) for p, prop, req in found)
    out.append("\n## Exemple complet {#exemple}\n")
    if example is not None:
        name, text = example
        out.append(paragraph(f"La fiche <code>{escape(name)}</code> du registre :"))
    else:
        text = yaml.safe_dump(BUILTIN_EXAMPLE, allow_unicode=True, sort_keys=False, width=88)
    out.append(
        f'\n<pre class="inv-example"><code class="language-yaml">{escape(text)}</code></pre>\n'
    )
    out.append(mapping_markdown())  # exports for other registers (inventory.interchange.foreign)
    out.append(
        paragraph(
            f'Voir aussi <a href="{escape(paths.href(here, paths.CONTRIBUTE))}">'
            "comment contribuer</a>."
        )
    )
    return "".join(out)
