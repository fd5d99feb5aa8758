"""The CLI boundary: French wording of click's own messages, library errors without traceback."""

from __future__ import annotations

import click
from click.testing import CliRunner

from inventory.cli import main
from inventory.cli.app import InventoryGroup
from inventory.errors import RecordsError


def test_help_is_in_french() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    assert "Utilisation : inventory" in result.output
    assert "Affiche cette aide et quitte." in result.output
    assert "Show this message" not in result.output


def test_unknown_option_and_command_are_reported_in_french() -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["--nope"])
    assert result.exit_code == 2
    assert "Erreur : Option inconnue : '--nope'." in result.output
    result = runner.invoke(main, ["pas-une-commande"])
    assert result.exit_code == 2
    assert "Commande inconnue" in result.output


def test_library_errors_become_one_line_without_traceback() -> None:
    @click.group(cls=InventoryGroup)
    def group() -> None:
        pass

    @group.command()
    def boom() -> None:
        raise RecordsError("le dossier « algorithms » est introuvable")

    result = CliRunner().invoke(group, ["boom"])
    assert result.exit_code == 1
    assert result.output == "Erreur : le dossier « algorithms » est introuvable\n"
    assert "Traceback" not in result.output
