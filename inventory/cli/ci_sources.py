"""``python -m inventory.cli.ci_sources [FICHIER] [--format FORMAT]``: check ``sources.yml`` in CI.

The pull-request workflows run it when ``sources.yml`` changes: it validates the list of
accounts exactly as ``inventory crawl`` does (:func:`inventory.catalogue.sources.
load_sources`) without crawling anything, and prints the problems in the same formats as
``inventory check`` (``--format github`` for inline annotations). Exit 0 when no entry has an
error, 1 otherwise.
"""

from __future__ import annotations

from pathlib import Path

import click

from inventory.catalogue.sources import load_sources
from inventory.cli import french
from inventory.errors import InventoryError
from inventory.register.report import FORMATTERS, github_line, summary
from inventory.register.validate import CheckResult


@click.command("ci_sources")
@click.argument(
    "path", type=click.Path(dir_okay=False, path_type=Path), default=Path("sources.yml")
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(sorted(FORMATTERS)),
    default="text",
    show_default=True,
    help="Mêmes formats que « inventory check ».",
)
def main(path: Path, output_format: str) -> None:
    """Vérifie la liste des comptes à moissonner (sources.yml) sans rien moissonner."""
    try:
        sources = load_sources(path)
    except InventoryError as exc:
        raise click.ClickException(str(exc)) from exc
    result = CheckResult(records=(), problems=tuple(sources.problems), files=(path,))
    if output_format == "github":
        lines = [
            github_line(p, title=f"Sources : {p.field}" if p.field else "Sources")
            for p in result.problems
        ]
        click.echo("\n".join([*lines, summary(result)]))
    else:
        click.echo(FORMATTERS[output_format](result))
    raise SystemExit(1 if sources.has_errors else 0)


if __name__ == "__main__":  # pragma: no cover - run as a module by the CI workflows
    french.install()
    main()
