"""``inventory check --format codequality``: GitLab's Code Quality report for merge requests."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from click.testing import CliRunner

from inventory.cli import main

OLD = (date.today() - timedelta(days=800)).isoformat()
RECORD = f"""nom: Calcul du tarif
administration:
  nom: Ville de Test
contact: contact@ville.fr
date_mise_a_jour: {OLD}
statut: en service
finalite: Calculer le tarif.
intervention_dans_la_decision: Automatique.
niveau_automatisation: aide_a_la_decision
fondements_juridiques:
  - titre: Délibération
public_concerne: Les familles.
donnees:
  - nom: Revenus
    source: La famille
type_algorithme: systeme_de_regles
operations: Une grille.
finalité: doublon accentué
"""


def _check(*paths: Path) -> tuple[int, list[dict]]:
    result = CliRunner().invoke(main, ["check", "--format", "codequality", *map(str, paths)])
    return result.exit_code, json.loads(result.stdout)


def _register(tmp_path: Path, prefix: str = "") -> Path:
    root = tmp_path / "algorithms"
    (root / "ville").mkdir(parents=True, exist_ok=True)
    (root / "ville" / "tarif.yml").write_text(prefix + RECORD, encoding="utf-8")
    return root


def test_report_shape_severity_and_lines(tmp_path: Path) -> None:
    root = _register(tmp_path)
    code, issues = _check(root)
    assert code == 1
    assert issues, "des problèmes étaient attendus"
    for issue in issues:
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["location"]["path"] == (root / "ville" / "tarif.yml").as_posix()
        assert isinstance(issue["location"]["lines"]["begin"], int)
        assert len(issue["fingerprint"]) == 64
    by_check = {issue["check_name"]: issue for issue in issues}
    assert by_check["schema-enum"]["severity"] == "major"
    assert by_check["schema-enum"]["location"]["lines"]["begin"] == 6
    assert "en_service" in by_check["schema-enum"]["description"]
    assert by_check["schema-additionalProperties"]["location"]["lines"]["begin"] == 18
    assert by_check["date-stale"]["severity"] == "minor"
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)


def test_fingerprints_are_stable_when_lines_move(tmp_path: Path) -> None:
    root = _register(tmp_path)
    _, first = _check(root)
    _, again = _check(root)
    assert [i["fingerprint"] for i in first] == [i["fingerprint"] for i in again]
    _register(tmp_path, prefix="# une ligne de commentaire ajoutée en tête\n")
    _, moved = _check(root)
    before = {i["fingerprint"]: i for i in first}
    assert set(before) == {i["fingerprint"] for i in moved}
    for issue in moved:
        line = before[issue["fingerprint"]]["location"]["lines"]["begin"]
        assert issue["location"]["lines"]["begin"] == line + 1


def test_valid_tree_gives_an_empty_report(project_root: Path) -> None:
    code, issues = _check(project_root / "algorithms")
    assert code == 0
    assert [i for i in issues if i["severity"] == "major"] == []
