"""``inventory check [PATH ...]``: validate algorithm records; exit 1 on any error."""

from __future__ import annotations

from pathlib import Path

import click

from inventory.catalogue.sources import crawl_targets
from inventory.cli.app import main
from inventory.cli.options import db_option
from inventory.register.openings import FOLDER as OPENINGS_FOLDER
from inventory.register.report import FORMATTERS
from inventory.register.validate import (
    check_paths,
    default_paths,
    strictly,
    with_base_problems,
)

SOURCES = Path("sources.yml")


@main.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(sorted(FORMATTERS)),
    default="text",
    show_default=True,
    help="text : une ligne par problème ; github : annotations GitHub Actions ; json : machines ; "
    "codequality : rapport Code Quality de GitLab.",
)
@click.option(
    "--links",
    is_flag=True,
    help="Signale les adresses de code source qui ne correspondent à aucun dépôt moissonné "
    "(avertissement ; erreur avec --strict ; lit la base indiquée par --db).",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Les avertissements sur ce qu'exigent la mention explicite et l'explication (finalité, "
    "paramètres et opérations d'une décision entièrement automatisée) deviennent des "
    "erreurs ; avec --links, les adresses non moissonnées aussi ; avec --base, les fiches "
    "modifiées sans nouvelle date et les fiches supprimées.",
)
@click.option(
    "--base",
    "base",
    metavar="REF",
    help="Pour une demande de fusion (REF : la branche cible, par exemple origin/main) : "
    "avertit quand une fiche a changé depuis REF sans que sa date_mise_a_jour ait bougé "
    "(erreur avec --strict) et signale les fiches supprimées (préférez « statut: retire »).",
)
@db_option
@click.pass_context
def check(
    ctx: click.Context,
    paths: tuple[Path, ...],
    output_format: str,
    links: bool = False,
    strict: bool = False,
    db_path: Path | None = None,
    base: str | None = None,
) -> None:
    """Vérifie les fiches d'algorithmes et les feuilles de route d'ouvertures de codes.

    Sans chemin : le dossier algorithms/ et, s'il existe, le dossier ouvertures/ (un fichier
    placé dans ouvertures/ est lu comme une feuille de route, tout autre comme une fiche).
    Une adresse de dépôt est reconnue comme forge si c'est github.com, gitlab.com ou un hôte
    de sources.yml.

    Chaque problème est donné sous la forme chemin:ligne:colonne: niveau: message. Code de
    sortie 0 si aucune fiche n'a d'erreur (les avertissements sont permis), 1 sinon. Aucun
    fichier n'est modifié.
    """
    checked = list(paths) or default_paths()
    result = check_paths(checked, crawled=sorted(crawl_targets(SOURCES)))
    if strict:
        result = strictly(result)
    if base is not None:
        record_paths = [p for p in checked if Path(p).resolve().name != OPENINGS_FOLDER]
        result = with_base_problems(result, record_paths, base, strict=strict)
    if links and db_path is not None:
        from inventory.insights.link_check import with_link_problems

        result = with_link_problems(result, db_path, strict=strict)
    click.echo(FORMATTERS[output_format](result))
    ctx.exit(0 if result.ok else 1)
