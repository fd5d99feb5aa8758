"""``inventory crawl``: crawl the forges listed in the sources into the SQLite store."""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from crawlers.http import HttpPolicy
from inventory.catalogue.crawl import CrawlEvent, CrawlSummary, run_crawl, select_targets
from inventory.catalogue.sources import load_sources
from inventory.catalogue.store import Store
from inventory.cli.app import main
from inventory.cli.options import api_overrides, api_urls_option, db_option, quiet_option
from inventory.cli.publiccode import problem_line
from inventory.cli.summary import measure_table, number

DEFAULT_SOURCES = Path("sources.yml")


def summary_table(summary: CrawlSummary) -> Table:
    table = measure_table("Bilan du moissonnage")
    table.add_row("Comptes réussis", number(summary.owners_ok))
    table.add_row("Comptes en échec", number(len(summary.owners_failed)))
    if summary.resumed:
        table.add_row("Comptes déjà faits (reprise)", number(summary.skipped))
    table.add_row("Dépôts nouveaux", number(summary.repositories_new))
    table.add_row("Dépôts mis à jour", number(summary.repositories_updated))
    table.add_row("Dépôts disparus", number(summary.repositories_gone))
    if summary.repositories_held:
        table.add_row(
            "Dépôts disparus à confirmer (conservés)",
            number(summary.repositories_held),
        )
    table.add_row("Requêtes envoyées", number(summary.requests))
    table.add_row("Réponses 304 (inchangées)", number(summary.not_modified))
    table.add_row("Nouvelles tentatives", number(summary.retries))
    table.add_row("Signaux de santé relevés", number(summary.health_checked))
    if summary.health_failed:
        table.add_row(
            "Signaux de santé en échec (repris au prochain passage)", number(summary.health_failed)
        )
    table.add_row("  dont requêtes pour ces signaux", number(summary.health_requests))
    table.add_row("Durée", f"{summary.duration:.1f} s".replace(".", ","))
    if summary.deferred:
        table.add_row("Forges reportées", ", ".join(summary.deferred))
    if summary.health_skipped:
        table.add_row("Signaux de santé non relevés", ", ".join(summary.health_skipped))
    return table


def failures_table(summary: CrawlSummary) -> Table:
    table = Table(title="Comptes en échec", title_justify="left")
    table.add_column("Compte")
    table.add_column("Raison")
    for failure in summary.owners_failed:
        table.add_row(failure.target, failure.reason)
    return table


def suspect_table(summary: CrawlSummary) -> Table:
    table = Table(
        title="Disparitions suspectes (dépôts conservés, marqués non confirmés)",
        title_justify="left",
    )
    table.add_column("Compte")
    table.add_column("Dépôts connus")
    table.add_column("Absents du listage")
    for drop in summary.suspect:
        table.add_row(drop.target, number(drop.before), number(drop.held))
    return table


class _Progress:
    """One rich progress bar per forge, fed from the crawl's threads."""

    def __init__(self, console: Console) -> None:
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        )
        self.tasks: dict[str, int] = {}
        self.lock = threading.Lock()

    def __call__(self, event: CrawlEvent) -> None:
        with self.lock:
            if event.kind == "host":
                self.tasks[event.host] = self.progress.add_task(event.host, total=event.total)
            elif event.kind == "target" and event.host in self.tasks:
                self.progress.advance(self.tasks[event.host])


@main.command("crawl")
@click.option(
    "--sources",
    "sources_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_SOURCES,
    show_default=True,
    help="Liste des comptes à moissonner (format de code.gouv.fr).",
)
@db_option
@click.option(
    "--only",
    multiple=True,
    metavar="HOTE[/COMPTE]",
    help="Ne moissonne que cette forge ou ce compte (répétable).",
)
@api_urls_option
@click.option(
    "--per-host",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="Requêtes simultanées au plus par forge.",
)
@click.option(
    "--health/--no-health",
    default=True,
    show_default=True,
    help="Relève les signaux de santé (README, licence, CONTRIBUTING, CHANGELOG, "
    "publiccode.yml) des dépôts nouveaux ou modifiés depuis le passage précédent : dans le "
    "listage même sur GitHub (avec jeton), par requêtes GraphQL groupées sur GitLab (REST "
    "si l'instance ne sait pas y répondre), une requête par dépôt modifié sur Gitea.",
)
@click.option(
    "--github-rest",
    is_flag=True,
    help="Liste GitHub par l'API REST, pages révalidées par ETag (les réponses 304 ne "
    "comptent pas dans la limite de requêtes), au lieu du listage GraphQL (choisi par défaut "
    "avec un jeton) ; les signaux de santé des seuls dépôts modifiés sont alors relevés par "
    "requêtes GraphQL groupées (50 dépôts par requête, jeton nécessaire).",
)
@click.option(
    "--budget-hote",
    "host_budget",
    type=click.IntRange(min=1),
    default=int((HttpPolicy().host_budget or 0) // 60),
    show_default=True,
    metavar="MINUTES",
    help="Temps maximal passé sur une même forge ; au-delà, ses comptes restants sont notés "
    "en échec (leurs derniers dépôts connus sont conservés) et les autres forges continuent. "
    f"Une forge qui ne donne aucune réponse exploitable pendant "
    f"{int(HttpPolicy().stall // 60)} min est abandonnée de même.",
)
@click.option(
    "--confirmer-disparitions",
    "confirm_drops",
    is_flag=True,
    help="Supprime tout de suite les dépôts absents des listages, même quand un compte en "
    "perd d'un coup tous ou plus de la moitié (sans cette option, ils sont conservés jusqu'à "
    "ce que le moissonnage suivant confirme leur disparition).",
)
@quiet_option
@click.pass_context
def crawl(
    ctx: click.Context,
    sources_path: Path,
    db_path: Path,
    only: tuple[str, ...],
    api_urls: tuple[str, ...],
    per_host: int,
    quiet: bool,
    health: bool = True,
    github_rest: bool = False,
    confirm_drops: bool = False,
    host_budget: int | None = None,
) -> None:
    """Moissonne les forges des sources dans la base SQLite.

    Un compte dont le listage perd d'un coup tous ses dépôts, ou plus de la moitié, est
    suspect (incident de la forge, droits modifiés) : ses dépôts absents sont conservés,
    marqués non confirmés, et ne sont supprimés que si le moissonnage suivant confirme leur
    absence (ou avec --confirmer-disparitions).

    Code de sortie : 0 si tous les comptes ont réussi, 3 si certains ont échoué (listés dans
    le bilan) ou si des entrées des sources sont invalides (ignorées, les autres sont
    moissonnées), 4 si aucun n'a échoué mais que des disparitions suspectes sont en attente
    de confirmation, 1 en cas d'erreur bloquante.
    """
    overrides = api_overrides(api_urls)
    sources = load_sources(sources_path, api_overrides=overrides)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    out = Console(highlight=False)
    for problem in sources.problems:
        err.print(problem_line(problem), markup=False)
    if not quiet:
        for line in sources.ignored:
            err.print(f"information : {line}", markup=False)
    targets = select_targets(sources.targets, only)
    if not targets:
        err.print("Aucun compte à moissonner.", markup=False)
        ctx.exit(3 if sources.has_errors else 0)
    show_progress = not quiet and out.is_terminal and sys.stdout.isatty()
    options: dict[str, Any] = {
        "per_host": per_host,
        "health": health,
        "github_graphql": False if github_rest else None,
        "confirm_drops": confirm_drops,
        "host_budget": None if host_budget is None else host_budget * 60.0,
    }
    with Store.open(db_path) as store:
        if show_progress:
            bars = _Progress(out)
            with bars.progress:
                summary = run_crawl(targets, store, progress=bars, **options)
        else:
            summary = run_crawl(targets, store, **options)
    for key, new_name in summary.renamed:
        err.print(
            f"information : {key} a été renommé en « {new_name} » : mettez à jour les sources",
            markup=False,
        )
    out.print(summary_table(summary))
    if summary.owners_failed:
        out.print(failures_table(summary))
    if summary.suspect:
        out.print(suspect_table(summary))
    if sources.has_errors:
        err.print(
            "Des entrées des sources sont invalides et n'ont pas été moissonnées (voir plus haut).",
            markup=False,
        )
    ctx.exit(3 if sources.has_errors else summary.exit_code)
