"""Loading and validating the sources file (code.gouv.fr's format)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from crawlers.base import ForgeKind
from inventory.catalogue.sources import SCHEMA_PATH, load_sources
from inventory.errors import SourcesError
from inventory.model import Level

BAD = """\
github.com:
  forge: github
  owners:
    etalab:
      pso_id: abc
    betagouv:
      floss_policy: pas-une-url
    "mauvais nom":
      pso_id: x
gitlab.example.fr:
  forge: gitbucket
framagit.org:
  forge: gitlab
  couleur: bleu
git.example.fr:
  forge: gitea
  ignored_since: 2099-01-01
old.example.fr:
  forge: gitlab
  ignored_since: 2020-01-01
date.example.fr:
  forge: gitlab
  ignored_since: 2020-13-45
forge.example.fr:
  forge: forgejo
  pso_id: forge-pso
  owners:
    sans-details:
    avec-details:
      pso_id: own-pso
      ospo_url: https://ospo.example.fr
    vieux:
      ignored_since: 2021-05-01
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_schema_is_valid_draft_2020_12():
    Draft202012Validator.check_schema(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def test_bad_entries_are_reported_with_lines_and_skipped(tmp_path: Path):
    sources = load_sources(_write(tmp_path, BAD), today=dt.date(2026, 1, 1))
    by_field = {p.field: p for p in sources.problems}
    assert by_field["github.com.owners.betagouv.floss_policy"].line == 7
    assert "URL" in by_field["github.com.owners.betagouv.floss_policy"].message
    assert by_field["github.com.owners.mauvais nom"].line == 8
    assert by_field["gitlab.example.fr.forge"].line == 11
    assert "gitbucket" in by_field["gitlab.example.fr.forge"].message
    assert by_field["framagit.org"].line == 12
    assert "couleur" in by_field["framagit.org"].message
    assert by_field["date.example.fr.ignored_since"].line == 23
    assert "AAAA-MM-JJ" in by_field["date.example.fr.ignored_since"].message
    assert all(p.level is Level.ERROR for p in sources.problems)
    assert sources.has_errors
    keys = [t.key for t in sources.targets]
    # The good entries still run; the bad ones (and only them) are skipped.
    assert keys == [
        "github.com/etalab",
        "git.example.fr",
        "forge.example.fr/sans-details",
        "forge.example.fr/avec-details",
    ]
    assert sources.ignored == (
        "old.example.fr ignorée depuis le 2020-01-01",
        "forge.example.fr/vieux ignoré depuis le 2021-05-01",
    )


def test_targets_inherit_forge_level_values(tmp_path: Path):
    sources = load_sources(
        _write(tmp_path, BAD),
        today=dt.date(2026, 1, 1),
        api_overrides={"forge.example.fr": "http://127.0.0.1:1/api"},
    )
    targets = {t.key: t for t in sources.targets}
    plain = targets["forge.example.fr/sans-details"]
    assert plain.forge is ForgeKind.FORGEJO and plain.pso_id == "forge-pso"
    assert plain.api_url == "http://127.0.0.1:1/api"
    detailed = targets["forge.example.fr/avec-details"]
    assert detailed.pso_id == "own-pso" and detailed.ospo_url == "https://ospo.example.fr"
    assert targets["github.com/etalab"].api_url == "https://api.github.com"
    whole = targets["git.example.fr"]
    assert whole.owner is None and whole.api_url == "https://git.example.fr/api/v1"


def test_ignored_since_in_the_future_is_crawled(tmp_path: Path):
    sources = load_sources(_write(tmp_path, BAD), today=dt.date(2100, 1, 1))
    assert "git.example.fr" not in [t.key for t in sources.targets]
    assert "git.example.fr ignorée depuis le 2099-01-01" in sources.ignored


def test_unreadable_files_raise_french_errors(tmp_path: Path):
    with pytest.raises(SourcesError, match="introuvable"):
        load_sources(tmp_path / "absent.yml")
    with pytest.raises(SourcesError, match="ligne 2"):
        load_sources(_write(tmp_path, "github.com:\n\tforge: github\n"))
    with pytest.raises(SourcesError, match="chaque forge"):
        load_sources(_write(tmp_path, "- github.com\n"))


def test_whole_github_com_is_refused(tmp_path: Path):
    sources = load_sources(_write(tmp_path, "github.com:\n  forge: github\n"))
    assert sources.targets == ()
    assert sources.problems[0].line == 1 and "owners" in sources.problems[0].message


def test_duplicate_key_is_a_warning(tmp_path: Path):
    text = "gitlab.example.fr:\n  forge: gitlab\n  pso_id: a\n  pso_id: b\n"
    sources = load_sources(_write(tmp_path, text))
    (problem,) = sources.problems
    assert problem.level is Level.WARNING and problem.line == 4
    assert sources.targets[0].pso_id == "b"


def test_project_sources_file_is_valid(project_root: Path):
    sources = load_sources(project_root / "sources.yml")
    assert sources.problems == ()
    keys = {t.key for t in sources.targets}
    assert {"github.com/etalab", "github.com/betagouv", "gitlab.adullact.net"} <= keys


def test_real_codegouvfr_accounts_file_loads_unchanged(shared_data: Path):
    path = shared_data / "codegouvfr" / "comptes-organismes-publics.yml"
    if not path.is_file():
        pytest.skip("comptes-organismes-publics.yml absent de ../shared/data")
    sources = load_sources(path, today=dt.date(2026, 1, 1))
    assert not sources.has_errors, [p for p in sources.problems if p.is_error]
    hosts = {t.host for t in sources.targets}
    assert "github.com" in hosts and "gitlab.com" in hosts
    assert {t.forge for t in sources.targets} >= {ForgeKind.GITHUB, ForgeKind.GITLAB}
    github = [t for t in sources.targets if t.host == "github.com"]
    assert len(github) > 100 and all(t.owner for t in github)
    assert all(t.api_url.startswith("https://") for t in sources.targets)
    # Forges with ignored_since in the past are skipped, with an information line each.
    assert len(sources.ignored) >= 10
    assert all("ignoré" in line for line in sources.ignored)
