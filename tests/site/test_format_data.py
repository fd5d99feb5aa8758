"""The Format page (from the JSON Schema) and the Données page."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from inventory.site import data, format
from tests.conftest import PROJECT

SCHEMA = PROJECT / "schemas" / "algorithme.schema.json"


def _schema() -> dict:
    return json.loads(SCHEMA.read_text(encoding="utf-8"))


def test_format_page_documents_every_property_of_the_schema() -> None:
    schema = _schema()
    text = format.page(schema, ("exemple.yml", "nom: Exemple\n"))
    keys = [key for key, _, _ in format._fields(schema, schema)]
    top = list(schema["properties"])
    assert keys[:1] == top[:1] and set(top) <= set(keys)
    assert "administration.nom" in keys and "donnees.donnees_personnelles" in keys
    assert "ressources.type" in keys
    for key, prop, _ in format._fields(schema, schema):
        assert f"<code>{key}</code>" in text, key
        assert prop.get("title"), f"propriété sans titre : {key}"
    assert (
        "<code>decision_entierement_automatisee</code> : Décision entièrement automatisée" in text
    )
    assert "<code>code_source</code> : Code source" in text
    assert "<dt>Obligatoire</dt><dd>Oui</dd>" in text
    assert "La fiche <code>exemple.yml</code> du registre" in text


def test_format_page_example_falls_back_to_a_complete_builtin_record() -> None:
    schema = _schema()
    text = format.page(schema, None)
    block = text.split('<code class="language-yaml">', 1)[1].split("</code>", 1)[0]
    import html

    example = yaml.safe_load(html.unescape(block))
    assert set(example) == set(schema["properties"])


def test_format_type_readings() -> None:
    root: dict = {"$defs": {"t": {"type": "string", "minLength": 1}}}
    assert format.describe_type({"$ref": "#/$defs/t"}, root) == "texte"
    assert format.describe_type({"type": "integer", "minimum": 0}, root) == "nombre entier ≥ 0"
    assert (
        format.describe_type({"type": "array", "minItems": 1, "items": {"type": "object"}}, root)
        == "liste de objet (au moins 1)"
    )
    assert format.describe_type({"anyOf": [{"type": "string"}, {"type": "number"}]}, root) == (
        "texte ou nombre"
    )
    assert format.describe_type({"type": "string", "format": "date"}, root) == "date AAAA-MM-JJ"


def test_data_page_lists_downloads_with_sizes_and_schemas(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "donnees").mkdir(parents=True)
    (docs / "donnees/algorithmes.json").write_text("[]", encoding="utf-8")
    (docs / "donnees/algorithmes.csv").write_text("a\n" * 1000, encoding="utf-8")
    schemas_dir = tmp_path / "schemas"
    schemas_dir.mkdir()
    (schemas_dir / "algorithme.schema.json").write_text("{}", encoding="utf-8")
    schemas = data.copy_schemas(schemas_dir, docs)
    assert schemas == ("donnees/schemas/algorithme.schema.json",)
    files = data.downloads(docs)
    assert [f.path for f in files] == ["donnees/algorithmes.json", "donnees/algorithmes.csv"]
    text = data.page(files, schemas, crawled=False)
    assert '<a href="algorithmes.json" download>algorithmes.json</a>' in text
    assert "2 octets" in text and "2,0 Ko" in text
    assert '<a href="schemas/algorithme.schema.json">algorithme.schema.json</a>' in text
    assert "Aucun moissonnage n'a encore été effectué" in text
