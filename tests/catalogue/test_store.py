"""The SQLite store: listings committed as units, failures keeping data, ETags, rounds."""

from __future__ import annotations

import dataclasses
import sqlite3
import threading
import zlib
from pathlib import Path

import pytest

from crawlers.base import ForgeKind, Listing, Target
from crawlers.http import CachedResponse
from inventory.catalogue.store import SCHEMA_VERSION, Store
from inventory.errors import StoreError
from inventory.model import Organisation, Repository

TARGET = Target("github.com", ForgeKind.GITHUB, "https://api.github.com", "etalab", pso_id="p")


def repo(number: int, **changes) -> Repository:
    base = Repository(
        id=f"github.com:{number}",
        name=f"depot-{number}",
        organization_name="etalab",
        platform="github.com",
        repository_url=f"https://github.com/etalab/depot-{number}",
        forge="github",
        is_fork=False,
        is_archived=number % 2 == 0,
        topics=("a", "b"),
        stars_count=number,
        pso_id="p",
    )
    return dataclasses.replace(base, **changes)


ORG = Organisation(login="etalab", platform="github.com", forge="github", repositories_count=3)


def listing(*repos: Repository, target: Target = TARGET) -> Listing:
    return Listing(target=target, organisations=(ORG,), repositories=repos)


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(tmp_path / "data" / "inventory.sqlite3") as opened:
        yield opened


def test_schema_version_and_wal(store: Store, tmp_path: Path):
    assert store.schema_version == SCHEMA_VERSION
    mode = sqlite3.connect(store.path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_save_listing_counts_new_updated_gone(store: Store):
    first = store.save_listing(listing(repo(1), repo(2), repo(3)))
    assert (first.new, first.updated, first.gone) == (3, 0, 0)
    same = store.save_listing(listing(repo(1), repo(2), repo(3)))
    assert (same.new, same.updated, same.gone) == (0, 0, 0)
    changed = store.save_listing(listing(repo(1, stars_count=99), repo(2), repo(4)))
    assert (changed.new, changed.updated, changed.gone) == (1, 1, 1)
    assert [r.id for r in store.repositories()] == ["github.com:1", "github.com:2", "github.com:4"]
    assert store.repositories()[0] == repo(1, stars_count=99)
    assert store.repositories()[0].topics == ("a", "b")
    assert store.organisations() == [ORG]
    (status,) = store.owner_statuses()
    assert status.status == "ok" and status.last_success and status.last_error is None


def test_known_returns_the_targets_repositories(store: Store):
    store.save_listing(listing(repo(1), repo(2)))
    other = Target("github.com", ForgeKind.GITHUB, "https://api.github.com", "autre")
    store.save_listing(listing(repo(7), target=other))
    assert set(store.known(TARGET).repositories) == {"github.com:1", "github.com:2"}
    assert store.known(TARGET).repositories["github.com:1"] == repo(1)


def test_failed_target_keeps_repositories_marked_stale(store: Store):
    store.save_listing(listing(repo(1), repo(2)))
    store.mark_failed(
        TARGET,
        "compte introuvable sur github.com : etalab (404)",
        now="2026-03-01T10:00:00.000000Z",
    )
    repos = store.repositories()
    assert [r.id for r in repos] == ["github.com:1", "github.com:2"]
    assert {r.stale_since for r in repos} == {"2026-03-01T10:00:00Z"}
    (status,) = store.owner_statuses()
    assert status.status == "failed" and "404" in (status.last_error or "")
    assert status.stale_since == "2026-03-01T10:00:00Z"
    # A second failure keeps the first date; a success clears it.
    store.mark_failed(TARGET, "encore", now="2026-03-02T10:00:00.000000Z")
    assert store.owner_statuses()[0].stale_since == "2026-03-01T10:00:00Z"
    assert {r.stale_since for r in store.repositories()} == {"2026-03-01T10:00:00Z"}
    store.save_listing(listing(repo(1), repo(2)))
    assert {r.stale_since for r in store.repositories()} == {None}
    assert store.owner_statuses()[0].stale_since is None


def test_listing_is_one_transaction(store: Store):
    store.save_listing(listing(repo(1), repo(2)))
    broken = dataclasses.replace(repo(3), name=None)  # NOT NULL violation mid-listing
    with pytest.raises(StoreError):
        store.save_listing(listing(repo(1, stars_count=5), broken))
    # Nothing of the failed listing was written: repo 2 not gone, repo 1 not updated.
    assert [r for r in store.repositories()] == [repo(1), repo(2)]


def test_etags_are_compressed(store: Store):
    body = b'[{"id": 1}]' * 100
    store.put_etag("https://h/x", CachedResponse('"e1"', body, {"Link": '<n>; rel="next"'}))
    cached = store.get_etag("https://h/x")
    assert cached == CachedResponse('"e1"', body, {"Link": '<n>; rel="next"'})
    raw = sqlite3.connect(store.path).execute("SELECT body FROM etags").fetchone()[0]
    assert zlib.decompress(raw) == body and len(raw) < len(body)
    assert store.get_etag("https://h/absent") is None


def test_readonly_store(store: Store, tmp_path: Path):
    store.save_listing(listing(repo(1)))
    with Store.open_readonly(store.path) as readonly:
        assert readonly.repositories() == [repo(1)]
        with pytest.raises(StoreError, match="lecture seule"):
            readonly.save_listing(listing(repo(2)))
    with pytest.raises(StoreError, match="introuvable"):
        Store.open_readonly(tmp_path / "absent.sqlite3")


def test_newer_schema_is_refused(tmp_path: Path):
    path = tmp_path / "db.sqlite3"
    Store.open(path).close()
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.commit()
    connection.close()
    with pytest.raises(StoreError, match="plus récente"):
        Store.open(path)


def test_unopenable_path_is_a_store_error(tmp_path: Path):
    (tmp_path / "dir.sqlite3").mkdir()
    with pytest.raises(StoreError):
        Store.open(tmp_path / "dir.sqlite3")


def test_concurrent_saves_from_threads(store: Store):
    def save(owner: int) -> None:
        target = Target("github.com", ForgeKind.GITHUB, "https://api.github.com", f"o{owner}")
        repos = tuple(repo(owner * 100 + i) for i in range(20))
        for _ in range(3):
            store.save_listing(listing(*repos, target=target))

    threads = [threading.Thread(target=save, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(store.repositories()) == 160
    assert len(store.owner_statuses()) == 8


def test_rounds_resume_until_finished(store: Store):
    first = store.begin_round("scope", now="2026-01-01T00:00:00.000000Z")
    assert not first.resumed
    store.save_listing(listing(repo(1)), now="2026-01-01T00:00:01.000000Z")
    again = store.begin_round("scope", now="2026-01-01T01:00:00.000000Z")
    assert again.resumed and again.id == first.id
    assert store.done_in_round(again) == {TARGET.key}
    assert not store.begin_round("autre", now="2026-01-01T01:00:00.000000Z").resumed
    store.finish_round(again)
    fresh = store.begin_round("scope", now="2026-01-01T02:00:00.000000Z")
    assert not fresh.resumed and store.done_in_round(fresh) == set()


def test_old_unfinished_round_is_abandoned(store: Store):
    old = store.begin_round("scope", now="2026-01-01T00:00:00.000000Z")
    store.save_listing(listing(repo(1)), now="2026-01-01T00:00:01.000000Z")
    later = store.begin_round("scope", now="2026-01-03T00:00:00.000000Z")
    assert not later.resumed and later.id != old.id
    assert store.done_in_round(later) == set()
