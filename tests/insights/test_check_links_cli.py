"""``inventory check --links [--strict] --db`` end to end (click runner, real files)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from inventory.cli import main
from tests.insights.helpers import repo
from tests.insights.test_link_check import RECORD, crawl_db


def test_check_links(tmp_path: Path) -> None:
    folder = tmp_path / "algorithms" / "dgfip"
    folder.mkdir(parents=True)
    shutil.copy(RECORD, folder / RECORD.name)
    db = crawl_db(
        tmp_path / "db.sqlite3", repo("https://gitlab.adullact.net/dgfip/ir-calcul", forge="gitlab")
    )
    runner = CliRunner()
    plain = runner.invoke(main, ["check", str(tmp_path / "algorithms")])
    assert plain.exit_code == 0 and "aucun dépôt moissonné" not in plain.output
    warned = runner.invoke(
        main, ["check", "--links", "--db", str(db), str(tmp_path / "algorithms")]
    )
    assert warned.exit_code == 0, warned.output
    assert "calcul-impot-revenu.yml:34:5" in warned.output
    assert "avertissement" in warned.output and "openfisca-france" in warned.output
    strict = runner.invoke(
        main, ["check", "--links", "--strict", "--db", str(db), str(tmp_path / "algorithms")]
    )
    assert strict.exit_code == 1
    assert "erreur" in strict.output and "aucun dépôt moissonné" in strict.output
    missing = runner.invoke(
        main,
        ["check", "--links", "--db", str(tmp_path / "none.sqlite3"), str(tmp_path / "algorithms")],
    )
    assert missing.exit_code == 1
    assert "--links a besoin de la base" in missing.output and "Traceback" not in missing.output


@pytest.mark.parametrize("flag", [[], ["--health"]])
def test_crawl_gathers_health_signals(tmp_path: Path, emulator, flag: list[str]) -> None:
    """``inventory crawl`` on an emulated Gitea forge: listing and file signals, one run."""
    from tests.catalogue.helpers import read_health
    from tests.emulator.gitea import GiteaEmulator
    from tests.emulator.health import Files

    forge = GiteaEmulator(emulator, host="git.example.fr")
    forge.add_repo(forge.add_org("ville"), "outil")
    files = Files(emulator, gitea="/gitea/api/v1")
    files.repos = {"ville/outil": {"README.md": "", "LICENSE": ""}}
    sources = tmp_path / "sources.yml"
    sources.write_text("git.example.fr:\n  forge: gitea\n  owners:\n    ville:\n", encoding="utf-8")
    db = tmp_path / "db.sqlite3"
    result = CliRunner().invoke(
        main,
        [
            "crawl",
            "--sources",
            str(sources),
            "--db",
            str(db),
            *flag,
            "--quiet",
            "--api-url",
            f"git.example.fr={forge.api_url}",
        ],
    )
    assert result.exit_code == 0, result.output
    assert re.search(r"Signaux de santé relevés\s*│\s*1\b", result.output), result.output
    signals = read_health(db)
    assert len(signals) == 1
    (only,) = signals.values()
    assert only.has_readme and only.has_license and not only.has_publiccode
    assert emulator.count(r"/gitea/api/v1/repos/ville/outil/contents") == 1


def test_crawl_without_health_sends_no_file_request(tmp_path: Path, emulator) -> None:
    from tests.catalogue.helpers import read_health
    from tests.emulator.gitea import GiteaEmulator
    from tests.emulator.health import Files

    forge = GiteaEmulator(emulator, host="git.example.fr")
    forge.add_repo(forge.add_org("ville"), "outil")
    Files(emulator, gitea="/gitea/api/v1").repos = {"ville/outil": {"README.md": ""}}
    sources = tmp_path / "sources.yml"
    sources.write_text("git.example.fr:\n  forge: gitea\n  owners:\n    ville:\n", encoding="utf-8")
    db = tmp_path / "db.sqlite3"
    args = ["crawl", "--sources", str(sources), "--db", str(db), "--no-health", "--quiet"]
    result = CliRunner().invoke(main, [*args, "--api-url", f"git.example.fr={forge.api_url}"])
    assert result.exit_code == 0, result.output
    assert read_health(db) == {}
    assert emulator.count(r"/gitea/api/v1/repos/ville/outil/contents") == 0
