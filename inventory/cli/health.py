"""``inventory health``: gather the repositories' health signals (README, publiccode.yml...)."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from inventory.catalogue.health_pass import HealthSummary, gather
from inventory.cli.app import main
from inventory.cli.options import (
    api_overrides,
    api_urls_option,
    db_option,
    limit_option,
    quiet_option,
)
from inventory.cli.summary import (
    crawled_repositories,
    existing_store,
    measure_table,
    number,
    print_failures,
)


def summary_table(summary: HealthSummary) -> Table:
    table = measure_table("Bilan des signaux de santé")
    table.add_row("Dépôts examinés", number(summary.checked))
    table.add_row("Dépôts inchangés (ignorés)", number(summary.skipped))
    table.add_row("Dépôts en échec", number(len(summary.failed)))
    table.add_row("Requêtes envoyées", number(summary.requests))
    if summary.deferred:
        table.add_row("Forges reportées", ", ".join(summary.deferred))
    return table


@main.command("health")
@db_option
@api_urls_option
@limit_option("Nombre maximal de dépôts à examiner dans ce lancement.")
@click.option("--force", is_flag=True, help="Réexamine tous les dépôts, même inchangés.")
@quiet_option
@click.pass_context
def health(
    ctx: click.Context,
    db_path: Path,
    api_urls: tuple[str, ...],
    limit: int | None,
    force: bool,
    quiet: bool,
) -> None:
    """Relève à part les signaux de santé des dépôts moissonnés.

    « inventory crawl » les relève déjà à chaque passage ; cette commande sert à tout
    réexaminer (--force), à rattraper une base moissonnée avec --no-health, ou à relever
    par lots les dépôts GitHub moissonnés sans jeton (un jeton est alors nécessaire).
    Présence d'un README, d'une licence, d'un guide de contribution, d'un journal des
    modifications et d'un publiccode.yml (lu et vérifié), pour les seuls dépôts modifiés
    depuis le dernier relevé : GitHub par requêtes GraphQL groupées (50 dépôts par requête,
    jeton nécessaire), GitLab par requêtes GraphQL groupées (5 projets par requête ; une
    instance qui ne sait pas y répondre est lue par REST), Gitea par une requête par dépôt
    (plus une pour lire un publiccode.yml présent). Code de sortie : 0 si tout a été relevé,
    3 si des dépôts ont échoué ou des forges ont été reportées, 1 en cas d'erreur bloquante.
    """
    overrides = api_overrides(api_urls)
    repositories = crawled_repositories(db_path)
    with existing_store(db_path) as signals:
        summary = gather(repositories, signals, api_overrides=overrides, force=force, limit=limit)
    out = Console(highlight=False)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    out.print(summary_table(summary))
    if not quiet:
        print_failures(err, summary.failed)
    ctx.exit(0 if summary.complete else 3)
