"""``inventory build``: check the records, generate build/docs/ and render the site."""

from __future__ import annotations

from pathlib import Path

import click

from inventory.cli.app import main
from inventory.cli.options import db_option


@main.command("build")
@db_option
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("public"),
    show_default=True,
    help="Dossier où écrire le site construit.",
)
@click.option(
    "--algorithms",
    "algorithms_path",
    type=click.Path(path_type=Path),
    default=Path("algorithms"),
    show_default=True,
    help="Dossier des fiches d'algorithmes.",
)
@click.option(
    "--timings",
    "timings",
    is_flag=True,
    hidden=True,
    help="Affiche la durée de chaque étape (pour les mesures de performance).",
)
@click.pass_context
def build(
    ctx: click.Context, db_path: Path, out: Path, algorithms_path: Path, timings: bool
) -> None:
    """Construit le site de transparence (MkDocs Material) dans public/.

    Les fiches sont d'abord vérifiées : une seule erreur arrête la construction. Les pages
    sont écrites dans build/docs/ puis rendues par MkDocs. Sans base de moissonnage, les pages
    des codes sources indiquent qu'aucun moissonnage n'a encore été effectué.
    """
    from inventory.cli.reference import cli_reference_markdown
    from inventory.register.report import FORMATTERS
    from inventory.site.builder import RecordsInvalid
    from inventory.site.builder import build as build_site

    try:
        summary = build_site(
            Path.cwd(),
            algorithms_path=algorithms_path,
            db=db_path,
            out=out,
            cli_reference=cli_reference_markdown(main),
        )
    except RecordsInvalid as exc:
        click.echo(FORMATTERS["text"](exc.result), err=True)
        click.echo(f"Erreur : {exc}", err=True)
        ctx.exit(1)
        return
    for warning in summary.warnings:
        click.echo(f"Avertissement : {warning}", err=True)
    crawl = (
        f"{summary.repositories} dépôt(s) moissonné(s)"
        if summary.crawled
        else f"aucun moissonnage ({db_path} absent)"
    )
    click.echo(
        f"Site construit dans {summary.out} : {summary.pages} pages, "
        f"{summary.algorithms} algorithme(s), {summary.administrations} administration(s), "
        f"{crawl}, en {summary.seconds:.1f} s (dont {summary.mkdocs_seconds:.1f} s de rendu "
        "MkDocs)."
    )
    if timings:
        click.echo("Durées par étape :")
        for label, seconds in summary.phases:
            click.echo(f"  {label} : {f'{seconds:.2f}'.replace('.', ',')} s")
