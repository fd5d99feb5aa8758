"""The Données page: the open-data files (:mod:`inventory.exports`) and their schemas."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from inventory.exports.files import FILES
from inventory.site import paths
from inventory.site.layout import front_matter, number, paragraph, table
from inventory.site.render import escape

FOLDER = "donnees"
SCHEMAS = "donnees/schemas"


@dataclass(frozen=True)
class Download:
    """One file offered on the Données page (``path`` relative to the docs folder)."""

    path: str
    description: str
    size: int
    schema: str = ""


def copy_schemas(project_schemas: Path, docs: Path) -> tuple[str, ...]:
    """Copy ``schemas/*.json`` into ``donnees/schemas/``; the copied paths (docs-relative)."""
    copied = []
    if project_schemas.is_dir():
        target = docs / SCHEMAS
        target.mkdir(parents=True, exist_ok=True)
        for schema in sorted(project_schemas.glob("*.json")):
            shutil.copyfile(schema, target / schema.name)
            copied.append(f"{SCHEMAS}/{schema.name}")
    return tuple(copied)


def downloads(docs: Path) -> tuple[Download, ...]:
    """The open-data files present in ``donnees/``, in the registry's order, with the
    registry's description and schema (:data:`inventory.exports.files.FILES`)."""
    folder = docs / FOLDER
    if not folder.is_dir():
        return ()
    schemas = (
        {p.name for p in (docs / SCHEMAS).glob("*.json")} if (docs / SCHEMAS).is_dir() else set()
    )
    found = []
    for file in FILES:
        path = folder / file.name
        if path.is_file():
            found.append(
                Download(
                    path=f"{FOLDER}/{file.name}",
                    description=file.description,
                    size=path.stat().st_size,
                    schema=f"{SCHEMAS}/{file.schema}" if file.schema in schemas else "",
                )
            )
    return tuple(found)


def _size(size: int) -> str:
    if size < 1024:
        return f"{number(size)} octets"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} Ko".replace(".", ",")
    return f"{size / 1024 / 1024:.1f} Mo".replace(".", ",")


def page(files: tuple[Download, ...], schemas: tuple[str, ...], *, crawled: bool) -> str:
    here = paths.DATA
    rows = [
        (
            f'<a href="{escape(paths.href(here, f.path))}" download>'
            f"{escape(f.path.rsplit('/', 1)[-1])}</a>",
            escape(f.description),
            _size(f.size),
            f'<a href="{escape(paths.href(here, f.schema))}">'
            f"{escape(f.schema.rsplit('/', 1)[-1])}</a>"
            if f.schema
            else "",
        )
        for f in files
    ]
    schema_items = "".join(
        f'<li><a href="{escape(paths.href(here, s))}">{escape(s.rsplit("/", 1)[-1])}</a></li>'
        for s in schemas
    )
    return "".join(
        [
            front_matter("Données"),
            "# Données ouvertes\n",
            paragraph(
                "Les données du registre et du moissonnage sont publiées sous licence ouverte, "
                "dans des formats lisibles par les machines. Elles sont régénérées à chaque "
                "construction du site."
            ),
            "\n## Téléchargements {#telechargements}\n",
            table(
                ("Fichier", "Contenu", "Taille", "Schéma"),
                rows,
                caption="Fichiers à télécharger",
                css="inv-table",
            )
            if rows
            else paragraph("Aucun fichier n'est disponible."),
            ""
            if crawled
            else paragraph(
                "Aucun moissonnage n'a encore été effectué : les fichiers des dépôts et des "
                "organisations seront publiés après le premier moissonnage."
            ),
            "\n## Schémas {#schemas}\n",
            paragraph(
                "Le schéma JSON des fiches d'algorithmes et le schéma de tableau (Table Schema) "
                "de chaque fichier. Le "
                f'<a href="{escape(paths.href(here, paths.FORMAT))}">'
                "format des fiches</a> est documenté champ par champ."
            ),
            f"\n<ul>\n{schema_items}\n</ul>\n" if schema_items else "",
        ]
    )
