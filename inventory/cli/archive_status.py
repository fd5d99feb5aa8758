"""``inventory archive-status``: ask Software Heritage whether each repository is archived."""

from __future__ import annotations

import sys
import urllib.parse
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from inventory.catalogue.archive import (
    DEFAULT_API_URL,
    DEFAULT_MAX_AGE_DAYS,
    RunSummary,
    SwhClient,
    run,
    token_from_env,
)
from inventory.cli.app import main
from inventory.cli.options import db_option, limit_option, quiet_option
from inventory.cli.summary import (
    crawled_repositories,
    existing_store,
    measure_table,
    number,
    print_failures,
)
from inventory.errors import InventoryError


def summary_table(summary: RunSummary) -> Table:
    table = measure_table("Bilan de l'archivage (Software Heritage)")
    table.add_row("Dépôts vérifiés", number(summary.checked))
    table.add_row("Archivés", number(summary.archived))
    table.add_row("Non archivés", number(summary.not_archived))
    table.add_row("Vérifications en échec", number(len(summary.failed)))
    table.add_row("Ignorés (vérifiés récemment)", number(summary.skipped))
    table.add_row("Restant à vérifier", number(summary.remaining))
    table.add_row("Requêtes envoyées", number(summary.requests))
    return table


def _api_url(value: str) -> str:
    parts = urllib.parse.urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InventoryError(
            "--api-url attend une adresse http(s), par exemple "
            f"{DEFAULT_API_URL} ; reçu « {value} »"
        )
    return value.rstrip("/")


@main.command("archive-status")
@db_option
@click.option(
    "--api-url",
    metavar="URL",
    default=DEFAULT_API_URL,
    show_default=True,
    help="Racine de l'API de Software Heritage (miroir, tests).",
)
@limit_option("Nombre maximal de dépôts à vérifier dans ce lancement.")
@click.option(
    "--max-age",
    "max_age",
    metavar="JOURS",
    type=click.IntRange(min=0),
    default=DEFAULT_MAX_AGE_DAYS,
    show_default=True,
    help="Revérifie un dépôt inchangé après ce nombre de jours.",
)
@click.option("--force", is_flag=True, help="Revérifie tous les dépôts, même récents.")
@quiet_option
@click.pass_context
def archive_status(
    ctx: click.Context,
    db_path: Path,
    api_url: str,
    limit: int | None,
    max_age: int,
    force: bool,
    quiet: bool,
) -> None:
    """Vérifie l'archivage des dépôts moissonnés dans Software Heritage.

    Une requête par dépôt (l'API n'a pas de requête groupée pour les origines), en
    respectant la limite de requêtes de l'API ; les dépôts vérifiés depuis moins de
    --max-age jours et inchangés depuis sont ignorés. Les réponses sont enregistrées dans la
    base au fur et à mesure : un lancement interrompu reprend où il s'était arrêté. Jeton
    facultatif dans la variable d'environnement SWH_TOKEN. Code de sortie : 0 si tout a été
    vérifié, 3 si des vérifications ont échoué ou si le lancement a dû s'arrêter avant la
    fin, 1 en cas d'erreur bloquante.
    """
    api = _api_url(api_url)
    repositories = crawled_repositories(db_path)
    out = Console(highlight=False)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    client = SwhClient(api, token=token_from_env())
    try:
        with existing_store(db_path) as statuses:
            if not quiet and out.is_terminal and sys.stdout.isatty():
                progress = Progress(
                    TextColumn("Software Heritage"),
                    BarColumn(),
                    MofNCompleteColumn(),
                    console=out,
                )
                task = progress.add_task("swh", total=None)
                with progress:
                    summary = run(
                        repositories,
                        statuses,
                        client,
                        force=force,
                        limit=limit,
                        max_age_days=max_age,
                        progress=lambda done, total: progress.update(
                            task, completed=done, total=total
                        ),
                    )
            else:
                summary = run(
                    repositories, statuses, client, force=force, limit=limit, max_age_days=max_age
                )
    finally:
        client.close()
    out.print(summary_table(summary))
    if not quiet:
        print_failures(err, summary.failed)
    if summary.stopped:
        err.print(f"Arrêt : {summary.stopped}", markup=False)
    ctx.exit(0 if summary.complete else 3)
