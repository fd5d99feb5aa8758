"""``inventory export --out DIR [--force]``: the open-data exports.

The command runs a list of export jobs. Each job names the files it will write and writes
them; every job's targets are checked before any job writes, so a refused overwrite leaves
every file untouched. Adding an export (the crawl's repositories, from ``--db``) is one more
job in :func:`_jobs`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import click

from inventory.cli.app import main
from inventory.cli.options import db_option
from inventory.errors import RecordsError
from inventory.interchange.table import algorithm_targets, ensure_writable, export_algorithms
from inventory.model import Record
from inventory.register.report import summary
from inventory.register.validate import DEFAULT_PATH, check_paths


@dataclass(frozen=True)
class ExportJob:
    """One export: the files it writes into ``out``, and how it writes them."""

    targets: Callable[[Path], list[Path]]
    write: Callable[[Path, bool], list[Path]]


def _valid_records(algorithms: Path) -> tuple[Record, ...]:
    """The checked records; ``RecordsError`` (export cancelled) when any has an error."""
    result = check_paths([algorithms])
    if not result.ok:
        raise RecordsError(
            f"fiches invalides, export annulé ({summary(result)}) : "
            f"lancez « inventory check {algorithms.as_posix()} » pour le détail"
        )
    return result.records


def algorithms_job(algorithms: Path) -> ExportJob:
    """The algorithm register's export; refuses when any record has an error."""

    def write(out: Path, force: bool) -> list[Path]:
        return export_algorithms(_valid_records(algorithms), out, force=force)

    return ExportJob(targets=algorithm_targets, write=write)


def repositories_job(db_path: Path) -> ExportJob:
    """The crawl's export (repos, organisations) from the SQLite database."""
    from inventory.catalogue.store import Store
    from inventory.exports.repositories import export_repositories, repository_targets

    def write(out: Path, force: bool) -> list[Path]:
        with Store.open_readonly(db_path) as store:
            return export_repositories(store, out, force=force)

    return ExportJob(targets=repository_targets, write=write)


def external_job(algorithms: Path, key: str) -> ExportJob:
    """An export for another register (``--format atrs`` or ``algoritmeregister``)."""
    from inventory.interchange.foreign import export_external, external_targets

    def write(out: Path, force: bool) -> list[Path]:
        return export_external(_valid_records(algorithms), out, key, force=force)

    return ExportJob(targets=lambda out: external_targets(out, key), write=write)


def links_job(algorithms: Path, db_path: Path) -> ExportJob:
    """The algorithm <-> repository links (liens.json, liens.csv: issue 6)."""
    from inventory.catalogue.store import Store
    from inventory.exports.links import export_links, link_targets
    from inventory.insights.links import redirects_from_owners

    def write(out: Path, force: bool) -> list[Path]:
        records = check_paths([algorithms]).records
        with Store.open_readonly(db_path) as store:
            repositories = store.repositories()
            redirects = redirects_from_owners(store.owner_statuses())
        return export_links(records, repositories, out, redirects=redirects, force=force)

    return ExportJob(targets=link_targets, write=write)


def _jobs(algorithms: Path, db_path: Path | None = None) -> list[ExportJob]:
    jobs = [algorithms_job(algorithms)]
    if db_path is not None and db_path.is_file():
        jobs.append(repositories_job(db_path))
        jobs.append(links_job(algorithms, db_path))
    return jobs


def run_jobs(jobs: list[ExportJob], out: Path, *, force: bool) -> list[Path]:
    """Check every job's targets, then run the jobs in order."""
    ensure_writable([target for job in jobs for target in job.targets(out)], force=force)
    written: list[Path] = []
    for job in jobs:
        written.extend(job.write(out, force))
    return written


@main.command("export")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Dossier où écrire les exports (créé s'il n'existe pas).",
)
@click.option("--force", is_flag=True, help="Remplace les fichiers d'export déjà présents.")
@click.option(
    "--algorithms",
    "algorithms",
    type=click.Path(path_type=Path),
    default=DEFAULT_PATH,
    show_default=True,
    help="Dossier des fiches d'algorithmes.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["json-csv", "atrs", "algoritmeregister"]),
    default="json-csv",
    show_default=True,
    help="json-csv : exports du registre ; atrs : standard britannique (ATRS) ; "
    "algoritmeregister : registre néerlandais (fichiers algorithmes-<format>.json).",
)
@db_option
def export(out: Path, force: bool, algorithms: Path, output_format: str, db_path: Path) -> None:
    """Exporte les fiches d'algorithmes en JSON et en CSV (algorithmes.json, algorithmes.csv).

    Avec une base de moissonnage (--db), exporte aussi les dépôts et les comptes (repos.json,
    repos.csv, organisations.json, organisations.csv ; schémas dans schemas/).

    Sans --force, un fichier d'export déjà présent n'est pas remplacé et rien n'est écrit.
    Chaque fichier est écrit de façon atomique.
    """
    if output_format != "json-csv":
        for path in run_jobs([external_job(algorithms, output_format)], out, force=force):
            click.echo(f"écrit : {path.as_posix()}")
        return
    if not db_path.is_file():
        click.echo(
            f"note : pas de base de moissonnage ({db_path.as_posix()}) : seuls les algorithmes "
            "sont exportés (lancez « inventory crawl » pour les dépôts)",
            err=True,
        )
    for path in run_jobs(_jobs(algorithms, db_path), out, force=force):
        click.echo(f"écrit : {path.as_posix()}")
