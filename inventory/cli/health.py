"""``inventory health``: gather the repositories' health signals (README, publiccode.yml...)."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from crawlers.http import parse_api_overrides
from inventory.cli.app import main
from inventory.cli.options import db_option, quiet_option
from inventory.errors import InventoryError
from inventory.health_crawl import HealthStore, HealthSummary, gather
from inventory.store import Store


def _number(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")


def summary_table(summary: HealthSummary) -> Table:
    table = Table(title="Bilan des signaux de santé", show_header=False, title_justify="left")
    table.add_column("Mesure")
    table.add_column("Valeur", justify="right")
    table.add_row("Dépôts examinés", _number(summary.checked))
    table.add_row("Dépôts inchangés (ignorés)", _number(summary.skipped))
    table.add_row("Dépôts en échec", _number(len(summary.failed)))
    table.add_row("Requêtes envoyées", _number(summary.requests))
    if summary.deferred:
        table.add_row("Forges reportées", ", ".join(summary.deferred))
    return table


@main.command("health")
@db_option
@click.option(
    "--api-url",
    "api_urls",
    multiple=True,
    metavar="HOTE=URL",
    help="Remplace la racine d'API d'une forge (miroir, proxy, tests ; répétable).",
)
@click.option(
    "--limit",
    metavar="N",
    type=click.IntRange(min=0),
    default=None,
    help="Nombre maximal de dépôts à examiner dans ce lancement.",
)
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
    """Relève les signaux de santé des dépôts moissonnés.

    Présence d'un README, d'une licence, d'un guide de contribution, d'un journal des
    modifications et d'un publiccode.yml (lu et vérifié), pour les seuls dépôts modifiés
    depuis le dernier relevé : GitHub par requêtes GraphQL groupées (50 dépôts par requête,
    jeton nécessaire), GitLab et Gitea par une requête par dépôt (plus une pour lire un
    publiccode.yml présent). Code de sortie : 0 si tout a été relevé, 3 si des dépôts ont
    échoué ou des forges ont été reportées, 1 en cas d'erreur bloquante.
    """
    try:
        overrides = parse_api_overrides(api_urls)
    except ValueError as exc:
        raise InventoryError(str(exc)) from None
    if not Path(db_path).is_file():
        raise InventoryError(
            f"base de moissonnage introuvable : {db_path} (lancez d'abord « inventory crawl »)"
        )
    with Store.open_readonly(db_path) as store:
        repositories = store.repositories()
    with HealthStore(db_path) as signals:
        summary = gather(repositories, signals, api_overrides=overrides, force=force, limit=limit)
    out = Console(highlight=False)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    out.print(summary_table(summary))
    if not quiet:
        for message in summary.failed:
            err.print(f"échec : {message}", markup=False)
    ctx.exit(0 if summary.complete else 3)
