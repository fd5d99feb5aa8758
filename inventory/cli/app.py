"""The click group and the error boundary shared by every command."""

from __future__ import annotations

from typing import Any

import click

from inventory import __version__
from inventory.cli import french
from inventory.errors import InventoryError

french.install()


def _boundary_errors() -> tuple[type[BaseException], ...]:
    """Exception types turned into a one-line French message at the CLI boundary."""
    errors: list[type[BaseException]] = [InventoryError]
    try:
        from crawlers.errors import CrawlerError
    except ImportError:  # pragma: no cover - the crawlers package ships with the project
        pass
    else:
        errors.append(CrawlerError)
    return tuple(errors)


class InventoryGroup(click.Group):
    """A group that converts library errors into ``ClickException`` (exit code 1)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except _boundary_errors() as exc:
            raise click.ClickException(str(exc)) from exc
        except KeyboardInterrupt:
            click.echo("Interrompu.", err=True)
            ctx.exit(130)


@click.group(
    name="inventory",
    cls=InventoryGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, prog_name="inventory", message="%(prog)s %(version)s")
def main() -> None:
    """Inventaire des codes sources et des algorithmes publics.

    Vérifie les fiches d'algorithmes, moissonne les forges des organismes publics et
    construit le site de transparence.
    """
