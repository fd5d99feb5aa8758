"""GitHub GraphQL pages that are too heavy: lighter pages, remembered, never a failed owner.

The emulator times out a ``repositories`` page heavier than ``timeout_above`` (its weight is
``first``, tripled when the ``publiccode.yml`` texts are asked), as github.com does with a
502 or a 200 carrying its timeout message.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from crawlers.base import ForgeKind, Known, Target
from crawlers.github_graphql import PLANS, QueryTimeout, plan_index, timed_out
from crawlers.http import HttpPolicy
from inventory.catalogue.crawl import run_crawl
from inventory.catalogue.store import Store
from tests.catalogue.test_publiccode import VALID
from tests.crawlers.test_github_graphql import GRAPHQL, TOKEN, Runner
from tests.emulator.core import Emulator
from tests.emulator.github import GitHubForge


@pytest.fixture
def gh(emulator: Emulator) -> GitHubForge:
    return GitHubForge(emulator, prefix="/gh")


@pytest.fixture
def run(gh: GitHubForge, fast_policy: HttpPolicy) -> Runner:
    return Runner(gh, fast_policy)


@pytest.mark.parametrize("status", [502, 200])
def test_a_page_timing_out_at_100_is_served_at_50(
    status: int, gh: GitHubForge, run: Runner, emulator: Emulator, sleeps: list[float]
):
    gh.add_org("etalab", 150)
    gh.graphql.timeout_above = 200  # 100 with texts weighs 300, 50 with texts 150
    gh.graphql.timeout_status = status
    listing = run.crawl("etalab")
    assert len(listing.repositories) == 150 and len(listing.root_files) == 150
    assert listing.hint == "50"
    assert gh.graphql.timeouts == 1
    # The timed-out page is not retried as is: one POST at 100, then three pages of 50.
    assert emulator.count(GRAPHQL, method="POST") == 1 + 3
    assert run.stats.retries == 0 and sleeps == []


def test_owner_of_1234_repositories_listed_when_every_page_above_25_times_out(
    gh: GitHubForge, run: Runner
):
    gh.add_org("grosse-orga", 1234)
    gh.graphql.timeout_above = 75  # 25 with texts weighs 75
    listing = run.crawl("grosse-orga")
    assert len({r.id for r in listing.repositories}) == 1234
    assert listing.hint == "25"
    assert gh.graphql.timeouts == 2  # 100 then 50, once: the next pages are asked at 25


def test_without_texts_the_publiccode_files_are_read_by_the_batched_query(
    tmp_path: Path,
    gh: GitHubForge,
    emulator: Emulator,
    fast_policy: HttpPolicy,
    monkeypatch: pytest.MonkeyPatch,
):
    gh.add_org("etalab", 60)
    for number in (3, 17, 42):
        gh.set_files("etalab", f"depot-{number:05d}", {"publiccode.yml": VALID, "README.md": "x"})
    gh.graphql.timeout_above = 30  # only 25 without texts (weight 25) passes
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    target = Target("github.com", ForgeKind.GITHUB, gh.api_url, "etalab")
    with Store.open(tmp_path / "db.sqlite3") as store:
        summary = run_crawl([target], store, policy=fast_policy)
        assert summary.exit_code == 0, summary.owners_failed
        assert summary.health_checked == 60
        health = store.stored_health(target)
        with_publiccode = {key for key, row in health.items() if row.signals.has_publiccode}
        assert len(with_publiccode) == 3
        assert all(health[key].signals.publiccode is not None for key in with_publiccode)
        assert store.known(target).hint == "25-sans-textes"


def test_when_even_the_lightest_page_times_out_the_owner_is_listed_over_rest(
    tmp_path: Path,
    gh: GitHubForge,
    emulator: Emulator,
    fast_policy: HttpPolicy,
    monkeypatch: pytest.MonkeyPatch,
):
    gh.add_org("etalab", 130)
    gh.graphql.timeout_above = 10
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    target = Target("github.com", ForgeKind.GITHUB, gh.api_url, "etalab")
    with Store.open(tmp_path / "db.sqlite3") as store:
        first = run_crawl([target], store, policy=fast_policy)
        assert first.exit_code == 0 and first.repositories_new == 130
        assert gh.graphql.timeouts == len(PLANS)
        assert store.known(target).hint == "rest"
        emulator.clear_log()
        second = run_crawl([target], store, policy=fast_policy)
        assert second.exit_code == 0
        assert gh.graphql.timeouts == len(PLANS)  # REST at once: no listing query again
        assert emulator.count(r"/gh/orgs/etalab/repos") == 2


def test_the_size_that_worked_is_where_the_next_crawl_starts(
    tmp_path: Path,
    gh: GitHubForge,
    emulator: Emulator,
    fast_policy: HttpPolicy,
    monkeypatch: pytest.MonkeyPatch,
):
    gh.add_org("etalab", 120)
    gh.add_org("betagouv", 20)
    gh.graphql.timeout_above = 200
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    targets = [
        Target("github.com", ForgeKind.GITHUB, gh.api_url, owner)
        for owner in ("etalab", "betagouv")
    ]
    with Store.open(tmp_path / "db.sqlite3") as store:
        run_crawl(targets, store, policy=fast_policy)
        # betagouv's 20 repositories: a page of 100 asking for 100 still weighs 300.
        assert gh.graphql.timeouts == 2
        assert {t.owner: store.known(t).hint for t in targets} == {
            "etalab": "50",
            "betagouv": "50",
        }
        run_crawl(targets, store, policy=fast_policy)
        assert gh.graphql.timeouts == 2  # started at 50: no timeout this time


def test_hints_and_timeout_messages():
    assert [plan.hint for plan in PLANS] == ["100", "50", "25", "25-sans-textes"]
    assert plan_index(None) == 0 and plan_index("25-sans-textes") == 3
    assert plan_index("inconnu") == 0
    assert timed_out([{"message": "Something went wrong while executing your query."}])
    assert not timed_out([{"type": "NOT_FOUND", "message": "Could not resolve"}])


def test_a_timeout_never_fails_the_listing_call_silently(gh: GitHubForge, run: Runner):
    # list_owner raises QueryTimeout only past the lightest plan; the adapter then lists
    # over REST: the owner is never failed for the weight of a query.
    gh.add_org("etalab", 5)
    gh.graphql.timeout_above = 1
    listing = run.crawler.crawl(
        Target("github.com", ForgeKind.GITHUB, gh.api_url, "etalab"), Known(hint="25")
    )
    assert len(listing.repositories) == 5 and listing.hint == "rest"
    assert gh.graphql.timeouts == 2  # started at the remembered 25, then 25 without texts
    assert issubclass(QueryTimeout, Exception)
