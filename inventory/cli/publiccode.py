"""``inventory publiccode FICHIER [--url URL]``: check a publiccode.yml before pushing it."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import click

from inventory.catalogue.publiccode import MAX_BYTES, check
from inventory.cli.app import main
from inventory.model import Problem
from inventory.register.report import text_line


def problem_line(problem: Problem) -> str:
    """``FICHIER:LIGNE:COLONNE: niveau: clé: message`` (the position when known)."""
    keyed = f"{problem.field}: {problem.message}" if problem.field else problem.message
    return text_line(dataclasses.replace(problem, message=keyed))


@main.command("publiccode")
@click.argument("path", metavar="FICHIER", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--url",
    "repository_url",
    metavar="URL",
    help="Adresse du dépôt où se trouve le fichier : « url » doit la désigner (sans cette "
    "option, cette vérification n'est pas faite, et c'est dit).",
)
@click.pass_context
def publiccode(ctx: click.Context, path: Path, repository_url: str | None) -> None:
    """Vérifie un fichier publiccode.yml selon le standard publiccode.yml.

    Une ligne par problème : FICHIER:LIGNE:COLONNE: niveau: clé: message. Les vérifications
    qui demandent le réseau ou les fichiers du dépôt (logo, captures d'écran, vidéos) ne sont
    pas faites et sont signalées. Code de sortie 0 si le fichier est valide (les
    avertissements sont permis), 1 s'il a des erreurs, 2 si la commande est mal employée
    (fichier absent ou illisible).
    """
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        click.echo(f"Erreur : impossible de lire {path} ({exc.strerror or exc}).", err=True)
        ctx.exit(2)
    shown = str(path)
    result = check(raw, repository_url, shown=shown)
    for problem in result.problems:
        click.echo(problem_line(problem))
    for note in result.notes:
        click.echo(f"{shown}: information: {note}")
    errors = sum(1 for p in result.problems if p.is_error)
    warnings = len(result.problems) - errors
    verdict = "valide" if result.valid else "invalide"
    click.echo(f"{shown} : {verdict} ({errors} erreur(s), {warnings} avertissement(s))", err=True)
    ctx.exit(0 if result.valid else 1)
