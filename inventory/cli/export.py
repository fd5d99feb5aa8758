"""``inventory export --out DIR [--force]``: the open-data exports.

The files are those the site offers on its « Données » page, written by the same function
(:func:`inventory.exports.publish.write_all`): the records' files when there is a records
folder, the crawl's when there is a crawl database, and the indicators from either; what is
skipped is said on one French line each.
"""

from __future__ import annotations

from pathlib import Path

import click

from inventory.catalogue.snapshot import CatalogueSnapshot
from inventory.catalogue.sources import crawl_targets
from inventory.catalogue.store import read_snapshot
from inventory.cli.app import main
from inventory.cli.options import db_option
from inventory.errors import RecordsError
from inventory.exports.publish import Published, write_all
from inventory.insights.history import RegisterHistory
from inventory.model import Record
from inventory.register.openings import Roadmap
from inventory.register.report import summary
from inventory.register.validate import DEFAULT_PATH, OPENINGS_PATH, check_paths

SOURCES = Path("sources.yml")


def valid_records(algorithms: Path) -> tuple[Record, ...]:
    """The checked records; ``RecordsError`` (export cancelled) when any has an error."""
    result = check_paths([algorithms])
    if not result.ok:
        raise RecordsError(
            f"fiches invalides, export annulé ({summary(result)}) : "
            f"lancez « inventory check {algorithms.as_posix()} » pour le détail"
        )
    return result.records


def _records_if_any(algorithms: Path) -> tuple[Record, ...] | None:
    if not algorithms.exists():
        click.echo(
            f"note : pas de dossier de fiches ({algorithms.as_posix()}) : les fiches ne sont "
            "pas exportées (option --algorithms pour un autre dossier)",
            err=True,
        )
        return None
    return valid_records(algorithms)


def _roadmaps_if_any(folder: Path) -> tuple[Roadmap, ...] | None:
    """The roadmaps of announced code openings; ``RecordsError`` when one has an error."""
    if not folder.is_dir():
        return None
    result = check_paths([folder], crawled=sorted(crawl_targets(SOURCES)))
    if not result.ok:
        raise RecordsError(
            f"feuilles de route invalides, export annulé ({summary(result)}) : "
            f"lancez « inventory check {folder.as_posix()} » pour le détail"
        )
    return result.roadmaps


def _catalogue_if_any(db_path: Path) -> CatalogueSnapshot | None:
    if not db_path.is_file():
        click.echo(
            f"note : pas de base de moissonnage ({db_path.as_posix()}) : les dépôts ne sont "
            "pas exportés (lancez « inventory crawl », ou option --db)",
            err=True,
        )
        return None
    return read_snapshot(db_path)


def _foreign(out: Path, force: bool, algorithms: Path, output_format: str) -> None:
    from inventory.interchange.foreign import export_external

    for path in export_external(valid_records(algorithms), out, output_format, force=force):
        click.echo(f"écrit : {path.as_posix()}")


def _history_if_any(
    algorithms: Path, records: tuple[Record, ...] = ()
) -> tuple[RegisterHistory | None, str]:
    """The records' git history (the checked ``records`` spare reading again the versions
    equal to their files) and the register's address (``extra.depot`` of mkdocs.yml in the
    current folder, when there is one)."""
    from inventory.errors import SiteError
    from inventory.insights.history import read_history
    from inventory.site.builder import project_repository, read_config

    history = read_history(algorithms, current=records)
    if history.note:
        click.echo(f"note : {history.note}", err=True)
    try:
        repo_url, _ = project_repository(read_config(Path.cwd()))
    except SiteError:
        repo_url = ""
    return history, repo_url


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
    help="json-csv : les données ouvertes du site ; atrs : standard britannique (ATRS) ; "
    "algoritmeregister : registre néerlandais (fichiers algorithmes-<format>.json).",
)
@click.option(
    "--ouvertures",
    "openings_folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=OPENINGS_PATH,
    show_default=True,
    help="Dossier des feuilles de route d'ouvertures de codes sources annoncées.",
)
@db_option
def export(
    out: Path,
    force: bool,
    algorithms: Path,
    output_format: str,
    db_path: Path,
    openings_folder: Path = OPENINGS_PATH,
) -> None:
    """Exporte les données ouvertes : les mêmes fichiers que la page « Données » du site.

    Avec un dossier de fiches : algorithmes.json, algorithmes.csv, liens.json, liens.csv.
    Avec une base de moissonnage (--db) : repos.json, repos.csv, organisations.json,
    organisations.csv. Avec l'un ou l'autre : indicateurs.csv. Quand le dossier des fiches est
    dans un dépôt git : historique.json et historique.csv. Avec un dossier ouvertures/ :
    ouvertures.json et ouvertures.csv (statuts calculés d'après la base de moissonnage ;
    sans elle, les engagements sont « non suivi »). Ce qui manque est signalé et
    le reste est exporté ; les schémas des fichiers sont dans schemas/.

    Sans --force, un fichier d'export déjà présent n'est pas remplacé et rien n'est écrit.
    Chaque fichier est écrit de façon atomique.
    """
    if output_format != "json-csv":
        _foreign(out, force, algorithms, output_format)
        return
    records = _records_if_any(algorithms)
    catalogue = _catalogue_if_any(db_path)
    history, repo_url = _history_if_any(algorithms, records) if records is not None else (None, "")
    roadmaps = _roadmaps_if_any(openings_folder)
    published = Published.of(
        records, catalogue, history=history, repo_url=repo_url, roadmaps=roadmaps
    )
    result = write_all(published, out, force=force)
    for path in result.written:
        click.echo(f"écrit : {path.as_posix()}")
    for note in result.skipped:
        click.echo(f"note : {note}", err=True)
    if not result.written:
        click.echo("note : rien à exporter", err=True)
