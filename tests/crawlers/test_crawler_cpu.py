"""The crawler's CPU savings keep its behaviour: caches give the same answers, built once."""

from __future__ import annotations

import sqlite3
import threading
import time
import zlib

import gitlab.base
import pytest

import crawlers.licenses as licenses
from crawlers.base import ForgeKind, Known, Target
from crawlers.gitlab import GitLabCrawler
from crawlers.http import CachedResponse, HttpPolicy, MemoryEtagStore, Stats, make_session
from inventory.catalogue.publiccode import check
from inventory.catalogue.store import Store
from tests.catalogue.test_publiccode import REPO, VALID
from tests.catalogue.test_store import listing, repo
from tests.emulator.core import Emulator
from tests.emulator.gitlab import GitLabEmulator


@pytest.fixture
def fresh_licensing(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """An empty shared-licensing slot and a counting ``get_spdx_licensing``: the builds."""
    builds: list[object] = []
    real = licenses.get_spdx_licensing

    def counting() -> object:
        time.sleep(0.05)  # widen the window in which concurrent first calls could race
        built = real()
        builds.append(built)
        return built

    monkeypatch.setattr(licenses, "_LICENSING", [])
    monkeypatch.setattr(licenses, "get_spdx_licensing", counting)
    return builds


def test_spdx_licensing_is_built_once_for_concurrent_threads(fresh_licensing):
    seen: list[object] = []
    barrier = threading.Barrier(8)

    def first_use() -> None:
        barrier.wait()
        seen.append(licenses.spdx_licensing())

    threads = [threading.Thread(target=first_use) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(fresh_licensing) == 1
    assert len(seen) == 8 and all(item is fresh_licensing[0] for item in seen)
    # Shared warmed up: the tokenizer is never built lazily by two threads at once.
    assert fresh_licensing[0].advanced_tokenizer is not None


def test_publiccode_checks_share_one_licensing_with_the_same_verdicts(fresh_licensing):
    bad = VALID.replace("license: EUPL-1.2", "license: Licence maison")
    results = [check(VALID, REPO), check(bad, REPO), check(VALID, REPO), check(bad, REPO)]

    assert len(fresh_licensing) == 1
    assert [r.valid for r in results] == [True, False, True, False]
    assert [p.code for p in results[1].problems] == ["publiccode-license"]
    assert results[3].problems == results[1].problems


def test_licence_normalisation_is_computed_once_per_distinct_input(monkeypatch):
    calls: list[object] = []
    real = licenses._normalize_one

    def counting(value: object) -> str | None:
        calls.append(value)
        return real(value)

    monkeypatch.setattr(licenses, "_normalize_one", counting)
    licenses._normalize_cached.cache_clear()
    try:
        name = "CeCILL Free Software License Agreement v2.1"
        answers = [licenses.normalize_license("cecill-2.1", name) for _ in range(5)]
        answers += [licenses.normalize_license("other", "MIT License") for _ in range(5)]
    finally:
        licenses._normalize_cached.cache_clear()

    assert answers == ["CECILL-2.1"] * 5 + ["MIT"] * 5
    # One computation per distinct (key, name): "cecill-2.1" alone, then "other" -> "MIT License".
    assert calls == ["cecill-2.1", "other", "MIT License"]


def test_gitlab_listing_builds_no_object_per_project(
    emulator: Emulator, fast_policy: HttpPolicy, monkeypatch: pytest.MonkeyPatch
):
    forge = GitLabEmulator(emulator)
    group = forge.add_group("dinum")
    sub = forge.add_group("etalab", group)
    user = forge.add_user("jdupont")
    projects = [forge.add_project(group if i % 2 else sub, f"projet-{i}") for i in range(230)]
    mine = [forge.add_project(user, f"outil-{i}") for i in range(120)]
    built: list[str] = []
    real_init = gitlab.base.RESTObject.__init__

    def counting_init(self, *args, **kwargs):
        built.append(type(self).__name__)
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(gitlab.base.RESTObject, "__init__", counting_init)
    session = make_session(forge.host, stats=Stats(), etags=MemoryEtagStore(), policy=fast_policy)
    crawler = GitLabCrawler(session)

    def crawl(owner: str | None):
        target = Target(forge.host, ForgeKind.GITLAB, forge.api_url, owner=owner)
        return crawler.crawl(target, Known())

    group_listing, user_listing, instance = crawl("dinum"), crawl("jdupont"), crawl(None)

    host = forge.host
    assert {r.id for r in group_listing.repositories} == {f"{host}:{p['id']}" for p in projects}
    assert {r.id for r in user_listing.repositories} == {f"{host}:{p['id']}" for p in mine}
    assert len(instance.repositories) == len(projects) + len(mine)
    # Only the owners' lookups build python-gitlab objects (a group; a user, after the group
    # lookup's 404): 350 projects listed three times, none of them as an object.
    assert sorted(built) == ["Group", "User"]


@pytest.mark.parametrize("size", [0, 1, 511, 4_000, 40_000, 400_000])
def test_etag_bodies_of_every_size_come_back_intact(tmp_path, size):
    store = Store.open(tmp_path / "etags.sqlite")
    try:
        body = (b'{"id": 1, "name": "projet"}' * (size // 27 + 1))[:size]
        store.put_etag("https://h/p", CachedResponse('"e"', body, {"Link": "<n>"}))
        cached = store.get_etag("https://h/p")
        raw = sqlite3.connect(store.path).execute("SELECT body FROM etags").fetchone()[0]
    finally:
        store.close()
    assert cached == CachedResponse('"e"', body, {"Link": "<n>"})
    assert zlib.decompress(raw) == body  # a standard zlib stream, whatever its window
    if size >= 4_000:
        assert len(raw) < size / 4  # still compressed


def test_an_unchanged_repository_is_not_written_again(tmp_path):
    store = Store.open(tmp_path / "inventory.sqlite3")
    writes: list[str] = []
    # Every statement the store's connection runs (the store's own connection: no other way
    # to see a write that leaves the data as it was).
    store._db.set_trace_callback(
        lambda sql: writes.append(sql) if sql.startswith("INSERT INTO repositories") else None
    )
    try:
        assert store.save_listing(listing(repo(1), repo(2), repo(3))).new == 3
        assert len(writes) == 3
        same = store.save_listing(listing(repo(1), repo(2), repo(3)))
        assert (same.new, same.updated, same.gone) == (0, 0, 0) and len(writes) == 3
        changed = store.save_listing(listing(repo(1, topics=("c",)), repo(2), repo(3)))
        assert (changed.new, changed.updated) == (0, 1) and len(writes) == 4
        store.mark_failed(listing().target, "panne", now="2026-03-01T10:00:00.000000Z")
        back = store.save_listing(listing(repo(1, topics=("c",)), repo(2), repo(3)))
        # Stale rows are rewritten (stale_since cleared) and counted as updated, as before.
        assert (back.new, back.updated) == (0, 3) and len(writes) == 7
        assert [r.stale_since for r in store.repositories()] == [None, None, None]
        assert store.repositories()[0] == repo(1, topics=("c",))
    finally:
        store.close()
