"""``inventory mention`` and ``inventory explication``: the texts owed to the person concerned."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from inventory.atomic import ensure_writable, write_bytes, write_text
from inventory.cli.app import main
from inventory.errors import InventoryError
from inventory.interchange import documents, rights
from inventory.model import Record
from inventory.register.report import text_line
from inventory.register.validate import DEFAULT_PATH, check_paths
from inventory.suggest import closest

#: What ``explication --out`` writes for each extension.
WRITERS = {".odt": "odt", ".md": "markdown", ".html": "html", ".txt": "texte"}


def algorithms_option(function: Callable[..., Any]) -> Callable[..., Any]:
    """``--algorithms DOSSIER``: where the records are."""
    return click.option(
        "--algorithms",
        "algorithms_path",
        type=click.Path(path_type=Path, file_okay=False),
        default=DEFAULT_PATH,
        show_default=True,
        help="Dossier des fiches d'algorithmes.",
    )(function)


def find_record(identifier: str, folder: Path) -> Record:
    """The record ``identifier`` of ``folder``; a French error with the closest ones else."""
    if not folder.is_dir():
        raise InventoryError(f"dossier de fiches introuvable : {folder}")
    result = check_paths([folder])
    for record in result.records:
        if record.id == identifier:
            if any(p.is_error and p.path == str(record.path) for p in result.problems):
                errors = [text_line(p) for p in result.problems if p.is_error][:3]
                raise InventoryError(
                    f"la fiche {identifier} a des erreurs, corrigez-les d'abord : "
                    + " ; ".join(errors)
                )
            return record
    guess = closest(identifier, [record.id for record in result.records])
    hint = f" ; vouliez-vous dire « {guess} » ?" if guess else ""
    raise InventoryError(f"aucune fiche d'identifiant « {identifier} » dans {folder}{hint}")


def _site_url() -> str:
    from inventory.site.insights import site_url_of

    return site_url_of(Path.cwd())


@main.command("mention")
@click.argument("identifier", metavar="ID")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(rights.FORMATS),
    default="texte",
    show_default=True,
    help="texte, markdown ou html.",
)
@algorithms_option
def mention(identifier: str, fmt: str, algorithms_path: Path) -> None:
    """Affiche la mention explicite d'un algorithme, à porter sur chaque décision.

    ID est l'identifiant de la fiche (le nom de son fichier sans .yml, colonne « Identifiant »
    des exports). Le texte suit l'article R311-3-1-1 du code des relations entre le public et
    l'administration ; il est plus strict pour une décision entièrement automatisée (article
    47 de la loi Informatique et Libertés). Le lien vers la page de l'algorithme vient de
    site_url dans mkdocs.yml.
    """
    record = find_record(identifier, algorithms_path)
    text = rights.mention(record, _site_url() or None, fmt)
    render = {"texte": documents.as_text, "markdown": documents.as_markdown}
    click.echo(render.get(fmt, documents.as_html)(text), nl=False)


@main.command("explication")
@click.argument("identifier", metavar="ID")
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="Fichier à écrire : .odt (OpenDocument), .md, .html ou .txt selon l'extension.",
)
@click.option("--force", is_flag=True, help="Remplace le fichier s'il existe déjà.")
@algorithms_option
def explication(identifier: str, out: Path, force: bool, algorithms_path: Path) -> None:
    """Prépare la réponse à une demande d'explication sur une décision (article R311-3-1-2).

    La réponse reprend la fiche en quatre parties : degré et mode de contribution du
    traitement à la décision, données traitées et leurs sources, paramètres et leur
    pondération (avec une colonne « valeur retenue pour votre situation » à compléter par
    l'agent), opérations effectuées.
    """
    kind = WRITERS.get(out.suffix.lower())
    if kind is None:
        raise InventoryError(
            f"extension « {out.suffix or '(aucune)'} » non prise en charge pour {out} : "
            f"utilisez {', '.join(WRITERS)}"
        )
    record = find_record(identifier, algorithms_path)
    ensure_writable([out], force=force)
    subject = rights.Subject.of(record, _site_url() or None)
    if kind == "odt":
        write_bytes(out, documents.as_odt(rights.render("explication", subject, "texte")))
    else:
        text = rights.render("explication", subject, kind)
        writer = {"texte": documents.as_text, "markdown": documents.as_markdown}
        write_text(out, writer.get(kind, documents.as_html)(text))
    click.echo(f"Réponse écrite dans {out} : complétez la colonne « valeur retenue ».")
