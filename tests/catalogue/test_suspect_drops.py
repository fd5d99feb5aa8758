"""An owner that suddenly lists nothing, or less than half, loses nothing until confirmed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawlers.base import ForgeKind, Target
from inventory.catalogue.health import HealthSignals
from inventory.catalogue.store import Store, is_suspect_drop
from inventory.cli import main
from tests.catalogue.test_cli_crawl import SOURCES, _fast_policy, _value
from tests.catalogue.test_cli_crawl import crawl as run
from tests.catalogue.test_store import TARGET, listing, repo
from tests.emulator.core import Emulator
from tests.emulator.github import GitHubForge


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(tmp_path / "inventory.sqlite3") as opened:
        yield opened


def ids(store: Store) -> dict[str, str | None]:
    """Every stored repository id and its ``stale_since``."""
    return {r.id: r.stale_since for r in store.repositories()}


def test_the_rule_zero_or_more_than_half():
    assert is_suspect_drop(10, 10) and is_suspect_drop(1, 1)  # to zero
    assert is_suspect_drop(10, 6) and not is_suspect_drop(10, 5)  # more than half
    assert not is_suspect_drop(2, 1) and not is_suspect_drop(10, 0) and not is_suspect_drop(0, 0)


def test_drop_to_zero_is_held_then_confirmed_by_the_next_listing(store: Store):
    store.save_listing(listing(*(repo(i) for i in range(1, 6))))
    held = store.save_listing(listing())
    assert (held.gone, held.held, held.before) == (0, 5, 5)
    kept = ids(store)
    assert len(kept) == 5 and all(kept.values())  # kept, marked stale
    confirmed = store.save_listing(listing())
    assert (confirmed.gone, confirmed.held) == (5, 0)
    assert ids(store) == {}


def test_drop_by_more_than_half_is_held_and_health_rows_stay(store: Store):
    signals = {f"github.com:{i}": HealthSignals(has_readme=True) for i in range(1, 11)}
    store.save_listing(listing(*(repo(i) for i in range(1, 11))), health=signals)
    counts = store.save_listing(listing(repo(1), repo(2), repo(3), repo(4)))
    assert (counts.gone, counts.held) == (0, 6)
    stored = ids(store)
    assert len(stored) == 10
    assert {k for k, v in stored.items() if v} == {f"github.com:{i}" for i in range(5, 11)}
    assert len(store.stored_health(TARGET)) == 10


def test_a_held_repository_listed_again_is_back(store: Store):
    store.save_listing(listing(*(repo(i) for i in range(1, 5))))
    assert store.save_listing(listing(repo(1))).held == 3
    recovered = store.save_listing(listing(*(repo(i) for i in range(1, 5))))
    assert (recovered.gone, recovered.held) == (0, 0)
    assert ids(store) == {f"github.com:{i}": None for i in range(1, 5)}
    # The suspicion is cleared: a later small loss is an ordinary removal.
    assert store.save_listing(listing(repo(1), repo(2), repo(3))).gone == 1
    held_column = sqlite3.connect(store.path).execute(
        "SELECT COUNT(*) FROM repositories WHERE held_since IS NOT NULL"
    )
    assert held_column.fetchone()[0] == 0


def test_partly_back_removes_only_those_still_missing(store: Store):
    store.save_listing(listing(*(repo(i) for i in range(1, 7))))
    store.save_listing(listing(repo(1)))  # 5 of 6 held
    counts = store.save_listing(listing(repo(1), repo(2), repo(3)))
    assert (counts.gone, counts.held) == (3, 0)
    assert ids(store) == {f"github.com:{i}": None for i in (1, 2, 3)}


def test_one_repository_gone_is_removed_at_once(store: Store):
    store.save_listing(listing(*(repo(i) for i in range(1, 4))))
    counts = store.save_listing(listing(repo(1), repo(2)))
    assert (counts.gone, counts.held) == (1, 0)
    assert set(ids(store)) == {"github.com:1", "github.com:2"}


def test_confirm_drops_removes_at_once(store: Store):
    store.save_listing(listing(*(repo(i) for i in range(1, 4))))
    counts = store.save_listing(listing(), confirm_drops=True)
    assert (counts.gone, counts.held) == (3, 0)
    assert ids(store) == {}


def test_other_owners_are_untouched(store: Store):
    other = Target("github.com", ForgeKind.GITHUB, "https://api.github.com", "autre")
    store.save_listing(listing(*(repo(i) for i in range(1, 4))))
    store.save_listing(listing(repo(9), target=other))
    assert store.save_listing(listing()).held == 3
    assert ids(store)["github.com:9"] is None


# -- end to end: the emulator, PyGithub, the CLI's summary and exit code ---------------------


@pytest.fixture
def project(tmp_path: Path, emulator: Emulator, monkeypatch: pytest.MonkeyPatch):
    forge = GitHubForge(emulator, prefix="/gh")
    forge.add_org("etalab", 12)
    forge.add_org("betagouv", 3)
    forge.add_user("jdupont", 2)
    (tmp_path / "sources.yml").write_text(SOURCES, encoding="utf-8")
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.setattr("inventory.catalogue.crawl.HttpPolicy", _fast_policy)
    return tmp_path, forge


def stored(tmp_path: Path) -> dict[str, str | None]:
    with Store.open_readonly(tmp_path / "db.sqlite3") as store:
        return {r.repository_url: r.stale_since for r in store.repositories()}


def test_crawl_holds_an_empty_listing_reports_it_and_exits_4(project):
    tmp_path, forge = project
    assert run(tmp_path, forge).exit_code == 0
    for repository in list(forge.repos_of("etalab")):
        forge.remove_repo("etalab", repository["name"])
    forge.remove_repo("betagouv", "depot-00001")  # an ordinary removal, the same day
    result = run(tmp_path, forge)
    assert result.exit_code == 4, result.output
    assert "Disparitions suspectes" in result.output
    assert "github.com/etalab" in result.output
    assert _value(result.output, "Dépôts disparus à confirmer") == 12
    assert _value(result.output, "Dépôts disparus") == 1
    kept = stored(tmp_path)
    etalab = {url: stale for url, stale in kept.items() if "/etalab/" in url}
    assert len(etalab) == 12 and all(etalab.values())
    assert "https://github.com/betagouv/depot-00001" not in kept

    confirmed = run(tmp_path, forge)
    assert confirmed.exit_code == 0, confirmed.output
    assert _value(confirmed.output, "Dépôts disparus") == 12
    assert not any("/etalab/" in url for url in stored(tmp_path))


def test_confirmer_disparitions_removes_at_once(project):
    tmp_path, forge = project
    assert run(tmp_path, forge).exit_code == 0
    for repository in list(forge.repos_of("etalab")):
        forge.remove_repo("etalab", repository["name"])
    result = run(tmp_path, forge, "--confirmer-disparitions")
    assert result.exit_code == 0, result.output
    assert "Disparitions suspectes" not in result.output
    assert _value(result.output, "Dépôts disparus") == 12
    assert not any("/etalab/" in url for url in stored(tmp_path))


def test_help_documents_exit_code_4():
    result = CliRunner().invoke(main, ["crawl", "--help"])
    assert "--confirmer-disparitions" in result.output
    assert "4 si aucun n'a échoué" in " ".join(result.output.split())
