"""``inventory check``: exit codes and the text, github and json formats."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from inventory.cli import main
from inventory.model import Level, Problem
from inventory.register.report import github_line, text_line
from tests.register.helpers import VALID_TEXT, valid_data, write_record

LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<level>erreur|avertissement): ")


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


@pytest.fixture
def mixed(register: Path) -> Path:
    """A register with a valid record, an invalid one and a stale one."""
    write_record(register, "cnaf", "valide.yml")
    write_record(
        register,
        "cnaf",
        "fautive.yml",
        text=VALID_TEXT.replace("statut: en_service", "statut: en-service"),
    )
    write_record(register, "cnaf", "ancienne.yml", valid_data(date_mise_a_jour="2020-01-15"))
    return register


def test_exit_zero_when_valid(register: Path) -> None:
    write_record(register, "cnaf", "valide.yml")
    code, output = _run(str(register))
    assert code == 0
    assert output.strip().endswith("Aucun problème dans 1 fichier.")


def test_warnings_alone_exit_zero(register: Path) -> None:
    write_record(register, "cnaf", "ancienne.yml", valid_data(date_mise_a_jour="2020-01-15"))
    code, output = _run(str(register))
    assert code == 0
    assert "avertissement: « date_mise_a_jour »" in output
    assert output.strip().endswith("0 erreur, 1 avertissement dans 1 fichier sur 1")


def test_text_format_lines_and_summary(mixed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(mixed.parent)
    code, output = _run("algorithms/")
    assert code == 1
    lines = output.strip().splitlines()
    assert lines[-1] == "1 erreur, 1 avertissement dans 2 fichiers sur 3"
    error = next(line for line in lines if "erreur:" in line)
    assert error.startswith("algorithms/cnaf/fautive.yml:7:1: erreur: « statut » : valeur")
    assert "vouliez-vous dire « en_service » ?" in error
    for line in lines[:-1]:
        assert LINE.match(line), line


def test_default_path_is_algorithms(mixed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(mixed.parent)
    code, output = _run()
    assert code == 1
    assert "algorithms/cnaf/fautive.yml:7:1:" in output


def test_missing_default_folder_is_a_clean_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, output = _run()
    assert code == 1
    assert output.startswith("algorithms: erreur: fichier ou dossier introuvable")
    assert "Traceback" not in output


def test_github_format(mixed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(mixed.parent)
    code, output = _run("--format", "github", "algorithms")
    assert code == 1
    lines = output.strip().splitlines()
    assert lines[0].startswith(
        "::warning file=algorithms/cnaf/ancienne.yml,line=8,col=1,"
        "title=Fiche d'algorithme %3A date_mise_a_jour::« date_mise_a_jour » : fiche mise à jour"
    )
    assert lines[1].startswith(
        "::error file=algorithms/cnaf/fautive.yml,line=7,col=1,"
        "title=Fiche d'algorithme %3A statut::"
    )
    assert lines[-1] == "1 erreur, 1 avertissement dans 2 fichiers sur 3"


def test_github_escaping_follows_workflow_command_rules() -> None:
    problem = Problem(
        path="algorithms/a,b:c/x.yml",
        line=3,
        column=2,
        field="ressources[0].url",
        message="100 % faux\r\nligne 2 : a, b",
        level=Level.WARNING,
    )
    assert github_line(problem) == (
        "::warning file=algorithms/a%2Cb%3Ac/x.yml,line=3,col=2,"
        "title=Fiche d'algorithme %3A ressources[0].url::100 %25 faux%0D%0Aligne 2 : a, b"
    )


def test_github_and_text_without_position() -> None:
    problem = Problem(path="algorithms/A.yml", line=None, column=None, field="", message="m")
    assert github_line(problem) == "::error file=algorithms/A.yml,title=Fiche d'algorithme::m"
    assert text_line(problem) == "algorithms/A.yml: erreur: m"


def test_json_format(mixed: Path) -> None:
    code, output = _run("--format", "json", str(mixed))
    assert code == 1
    document = json.loads(output)
    assert document["bilan"] == {
        "valide": False,
        "erreurs": 1,
        "avertissements": 1,
        "fichiers_concernes": 2,
        "fichiers_verifies": 3,
        "fiches_lues": 3,
        "feuilles_de_route_lues": 0,
        "message": "1 erreur, 1 avertissement dans 2 fichiers sur 3",
    }
    error = next(p for p in document["problemes"] if p["niveau"] == "erreur")
    assert error["fichier"].endswith("cnaf/fautive.yml")
    assert (error["ligne"], error["colonne"], error["champ"], error["code"]) == (
        7,
        1,
        "statut",
        "schema-enum",
    )


@pytest.mark.parametrize(
    "raw",
    [
        b"nom: [\n",
        b"\tnom: x\n",
        b"- a\n",
        b"",
        b"nom: \xff\n",
        b"a: 1\na: 2\n",
        b"a: !!python/none x\n",
    ],
)
def test_bad_input_never_shows_a_traceback(register: Path, raw: bytes) -> None:
    write_record(register, "cnaf", "fiche.yml", raw=raw)
    code, output = _run(str(register))
    assert code == 1
    assert "Traceback" not in output
    assert "cnaf/fiche.yml" in output and "erreur:" in output


def test_unknown_format_is_refused(register: Path) -> None:
    result = CliRunner().invoke(main, ["check", "--format", "xml", str(register)])
    assert result.exit_code == 2


def test_console_script_end_to_end(mixed: Path) -> None:
    executable = shutil.which("inventory")
    if executable is None:
        pytest.skip("le script « inventory » n'est pas installé (pip install -e .)")
    result = subprocess.run(
        [executable, "check", "algorithms"],
        cwd=mixed.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout.strip().endswith("1 erreur, 1 avertissement dans 2 fichiers sur 3")
    assert result.stderr == ""


def test_summary_when_nothing_could_be_checked(tmp_path: Path) -> None:
    code, output = _run(str(tmp_path / "absent"))
    assert code == 1
    assert output.strip().splitlines()[-1] == "1 erreur, 0 avertissement ; aucune fiche vérifiée"


def test_summary_counts_only_checked_files(register: Path, tmp_path: Path) -> None:
    bad = write_record(register, "cnaf", "fautive.yml", valid_data(statut="x"))
    code, output = _run(str(bad), str(tmp_path / "absent"))
    assert code == 1
    assert output.strip().splitlines()[-1] == "2 erreurs, 0 avertissement dans 1 fichier sur 1"
