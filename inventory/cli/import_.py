"""``inventory import FICHIER``: records from a spreadsheet (CSV or XLSX) of export columns."""

from __future__ import annotations

from pathlib import Path

import click

from inventory.cli.app import main
from inventory.interchange.importer import ImportReport, import_file
from inventory.register.validate import DEFAULT_PATH


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'s' if number > 1 else ''}"


def _summary(report: ImportReport, partial: bool) -> str:
    rows = _count(report.rows, "ligne") + (" lues" if report.rows > 1 else " lue")
    failed = report.failed_rows
    written = _count(len(report.written), "fiche") + (
        " écrites" if len(report.written) > 1 else " écrite"
    )
    if not failed:
        return f"{rows}, {written}."
    where = ", ".join(str(n) if n else "fichier" for n in failed)
    if report.written:
        return f"{rows}, {written} ; non importées (lignes en erreur) : {where}."
    advice = (
        "" if partial else " Corrigez le tableur puis relancez (ou --ignorer-lignes-invalides)."
    )
    return f"{rows}, aucune fiche écrite ; lignes en erreur : {where}.{advice}"


@main.command("import")
@click.argument("fichier", type=click.Path(dir_okay=False, path_type=Path), metavar="FICHIER")
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_PATH,
    show_default=True,
    help="Dossier du registre où écrire les fiches (algorithms/<dossier>/<id>.yml).",
)
@click.option(
    "--dossier-par-defaut",
    "default_folder",
    metavar="DOSSIER",
    help="Dossier des lignes dont la colonne « Dossier » est absente ou vide "
    "(sinon : sigle ou nom de l'administration).",
)
@click.option(
    "--feuille",
    "sheet",
    metavar="NOM",
    help="Feuille du classeur .xlsx à lire (la première sinon).",
)
@click.option("--force", is_flag=True, help="Remplace les fiches déjà présentes.")
@click.option(
    "--ignorer-lignes-invalides",
    "partial",
    is_flag=True,
    help="Écrit les lignes valides même si d'autres sont en erreur (sinon rien n'est écrit).",
)
@click.pass_context
def import_command(
    ctx: click.Context,
    fichier: Path,
    out: Path,
    default_folder: str | None,
    sheet: str | None,
    force: bool,
    partial: bool,
) -> None:
    """Crée des fiches à partir d'un tableur (.csv ou .xlsx) aux colonnes de l'export CSV.

    Une fiche par ligne. Toutes les lignes sont converties et vérifiées avant toute écriture :
    si une ligne est en erreur, rien n'est écrit (sauf avec --ignorer-lignes-invalides) et
    chaque problème est indiqué avec sa ligne, sa colonne et sa valeur. Une fiche existante
    n'est remplacée qu'avec --force. Code de sortie 0 si toutes les lignes sont importées,
    1 sinon.
    """
    report = import_file(
        fichier, out=out, default_folder=default_folder, force=force, sheet=sheet, partial=partial
    )
    for note in report.notes:
        click.echo(f"note : {note}", err=True)
    for issue in report.issues:
        click.echo(f"{fichier.name}: {issue.text()}", err=True)
    for path in report.written:
        click.echo(f"écrit : {path.as_posix()}")
    click.echo(_summary(report, partial))
    ctx.exit(0 if report.ok else 1)
