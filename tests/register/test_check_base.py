"""``inventory check --base REF`` on a branch, with and without a date change."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from inventory.cli import main
from tests.history_repo import Script
from tests.register.helpers import valid_data, write_record


@pytest.fixture
def branch(tmp_path: Path) -> Iterator[Script]:
    """A register with two valid records on ``main``, checked out on a new branch."""
    script = Script(tmp_path)
    write_record(tmp_path / "algorithms", "cnaf", "prime.yml")
    write_record(tmp_path / "algorithms", "cnaf", "rsa.yml")
    script.commit("Registre")
    script.git("checkout", "-q", "-b", "proposition")
    here = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield script
    finally:
        os.chdir(here)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def test_changed_without_date_is_a_warning(branch: Script) -> None:
    write_record(branch.root / "algorithms", "cnaf", "prime.yml", valid_data(finalite="Autre."))
    branch.commit("Finalité changée")
    code, output = run("--base", "main")
    assert code == 0
    assert code == 0
    line = next(x for x in output.splitlines() if "date_mise_a_jour" in x)
    assert line.startswith("algorithms/cnaf/prime.yml:")
    assert ": avertissement: date_mise_a_jour : la fiche a changé depuis main" in line
    assert "rsa.yml" not in output
    code, output = run("--base", "main", "--strict")
    assert code == 1 and "erreur: date_mise_a_jour" in output


def test_changed_with_date_is_clean(branch: Script) -> None:
    data = valid_data(finalite="Autre.", date_mise_a_jour="2026-03-02")
    write_record(branch.root / "algorithms", "cnaf", "prime.yml", data)
    branch.commit("Finalité changée, date mise à jour")
    code, output = run("--base", "main", "--format", "json")
    assert code == 0
    problems = json.loads(output)["problemes"]
    assert [p for p in problems if p["code"] in ("date-not-updated", "record-removed")] == []


def test_uncommitted_change_and_merge_base(branch: Script) -> None:
    # main moves on after the branch started: its changes are not the branch's.
    branch.git("checkout", "-q", "main")
    write_record(branch.root / "algorithms", "cnaf", "rsa.yml", valid_data(nom="Nouveau nom"))
    branch.commit("Sur main")
    branch.git("checkout", "-q", "proposition")
    write_record(branch.root / "algorithms", "cnaf", "prime.yml", valid_data(nom="Renommé"))
    code, output = run("--base", "main", "--format", "github")
    assert code == 0
    assert "::warning file=algorithms/cnaf/prime.yml,line=" in output
    assert "rsa.yml" not in output


def test_reformatting_only_is_not_a_change(branch: Script) -> None:
    path = branch.root / "algorithms" / "cnaf" / "prime.yml"
    path.write_text("# commentaire\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    branch.commit("Commentaire")
    code, output = run("--base", "main", "--strict")
    assert code == 0 and "date_mise_a_jour" not in output


def test_removed_and_moved_records(branch: Script) -> None:
    (branch.root / "algorithms" / "cnaf" / "rsa.yml").unlink()
    old = branch.root / "algorithms" / "cnaf" / "prime.yml"
    new = branch.root / "algorithms" / "caf-gironde" / "prime.yml"
    new.parent.mkdir()
    old.rename(new)
    branch.commit("Suppression et déplacement")
    code, output = run("--base", "main", "--format", "codequality")
    issues = json.loads(output)
    removed = [i for i in issues if i["check_name"] == "record-removed"]
    assert [i["location"]["path"] for i in removed] == ["algorithms/cnaf/rsa.yml"]
    assert "statut: retire" in removed[0]["description"]
    assert not [i for i in issues if i["check_name"] == "date-not-updated"]
    code, output = run("--base", "main")
    assert code == 0
    assert "algorithms/cnaf/rsa.yml: avertissement: fiche supprimée depuis main" in output


def test_unknown_ref_is_one_french_line(branch: Script) -> None:
    result = CliRunner().invoke(main, ["check", "--base", "origin/nulle-part"])
    assert result.exit_code == 1
    assert "la référence « origin/nulle-part » est introuvable" in result.output
    assert "Traceback" not in result.output


def test_outside_git_is_one_french_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_record(tmp_path / "algorithms", "cnaf", "prime.yml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    result = CliRunner().invoke(main, ["check", "--base", "main"])
    assert result.exit_code == 1
    assert "n'est pas dans un dépôt git" in result.output
