"""The generated CLI reference contains every command's own help, verbatim."""

from __future__ import annotations

import click
from click.testing import CliRunner

from inventory.cli import main
from inventory.cli.reference import cli_reference_markdown


def test_reference_has_every_command_and_matches_help() -> None:
    page = cli_reference_markdown(main)
    assert page.startswith("# Référence de la ligne de commande")
    runner = CliRunner()
    names = main.list_commands(click.Context(main))
    assert {"check", "crawl", "build", "export", "new", "import"} <= set(names)
    for name in names:
        assert f"## `inventory {name}`" in page
        help_output = runner.invoke(main, [name, "--help"], terminal_width=88).output
        first_line = help_output.splitlines()[0]
        assert first_line in page


def test_reference_of_a_nested_group() -> None:
    @click.group()
    def tool() -> None:
        """Outil."""

    @tool.command()
    @click.option("--n", type=int, help="Un nombre.")
    def compter(n: int) -> None:
        """Compte jusqu'à N."""

    page = cli_reference_markdown(tool, prog="outil")
    assert "## `outil compter`" in page
    assert "Utilisation : outil compter [OPTIONS]" in page
    assert "Un nombre." in page
