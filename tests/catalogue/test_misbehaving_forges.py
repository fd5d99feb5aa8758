"""A misbehaving forge never holds the crawl: endless pagination, trickling answers.

Each forge family (GitHub over REST, GitLab, the Gitea family) misbehaves in turn on its own
host while a healthy Gitea host is crawled in the same run: the misbehaving host's owners
fail with a French reason, the healthy one is listed whole, and the run ends within the
bound the policy promises (:attr:`HttpPolicy.stalled_host_bound`), with deadlines scaled
down so that the tests stay fast.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from crawlers.base import ForgeKind, Target
from crawlers.http import HttpPolicy
from inventory.catalogue.crawl import run_crawl
from inventory.catalogue.store import Store
from tests.emulator.core import Emulator
from tests.emulator.gitea import GiteaEmulator
from tests.emulator.github import GitHubForge
from tests.emulator.gitlab import GitLabEmulator

OWNERS = ("un", "deux", "trois", "quatre", "cinq", "six")

#: Scaled-down bounds: each attempt cut at 0.6 s, a host given up after 1 s of silence.
POLICY = HttpPolicy(
    timeout=0.5,
    deadline=0.6,
    stall=1.0,
    max_retries=2,
    max_wait=0.2,
    backoff_base=0.05,
    backoff_max=0.2,
)

#: Room for a loaded machine beyond the policy's bound (thread start-up, SQLite commits).
SLACK = 3.0


@dataclass
class Family:
    name: str
    forge: ForgeKind
    host: str
    api_url: str
    api_path: str  # regex prefix of the API paths on the emulator
    listing: str  # regex of an owner's listing path


def github(emulator: Emulator) -> Family:
    forge = GitHubForge(emulator, prefix="/gh", host="github.com")
    for owner in OWNERS:
        forge.add_org(owner, 120)
    return Family(
        "github", ForgeKind.GITHUB, "github.com", forge.api_url, "/gh", r"/gh/orgs/[^/]+/repos"
    )


def _populated(forge: GitLabEmulator | GiteaEmulator, make: str, add: str) -> None:
    for owner in OWNERS:
        account = getattr(forge, make)(owner)
        for number in range(120):
            getattr(forge, add)(account, f"depot-{number}")


def gitlab(emulator: Emulator) -> Family:
    forge = GitLabEmulator(emulator, host="gitlab.lent.fr", prefix="/gl")
    _populated(forge, "add_group", "add_project")
    listing = forge.api_path + r"/groups/\d+/projects"
    return Family("gitlab", ForgeKind.GITLAB, forge.host, forge.api_url, forge.api_path, listing)


def gitea(emulator: Emulator) -> Family:
    forge = GiteaEmulator(emulator, host="git.lent.fr", prefix="/gt")
    _populated(forge, "add_org", "add_repo")
    listing = forge.api_path + r"/orgs/[^/]+/repos"
    return Family("gitea", ForgeKind.GITEA, forge.host, forge.api_url, forge.api_path, listing)


FAMILIES = {"github": github, "gitlab": gitlab, "gitea": gitea}


@pytest.fixture
def healthy(emulator: Emulator) -> GiteaEmulator:
    forge = GiteaEmulator(emulator, host="git.sain.fr", prefix="/ok")
    org = forge.add_org("mairie")
    for number in range(75):
        forge.add_repo(org, f"sain-{number}")
    return forge


def targets(family: Family, healthy: GiteaEmulator) -> list[Target]:
    return [
        *(Target(family.host, family.forge, family.api_url, owner) for owner in OWNERS),
        Target(healthy.host, ForgeKind.GITEA, healthy.api_url, "mairie"),
    ]


def crawl(tmp_path: Path, family: Family, healthy: GiteaEmulator):
    with Store.open(tmp_path / "db.sqlite3") as store:
        started = time.monotonic()
        summary = run_crawl(targets(family, healthy), store, policy=POLICY, environ={})
        elapsed = time.monotonic() - started
        kept = [r for r in store.repositories() if r.platform == healthy.host]
    return summary, elapsed, kept


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_endless_pagination_fails_the_owner_and_stops(
    name: str, tmp_path: Path, emulator: Emulator, healthy: GiteaEmulator
):
    family = FAMILIES[name](emulator)
    emulator.fault(family.listing, "endless", times=None)
    summary, _, kept = crawl(tmp_path, family, healthy)

    failed = {f.target: f.reason for f in summary.owners_failed}
    assert set(failed) == {f"{family.host}/{owner}" for owner in OWNERS}
    assert all("pagination" in reason for reason in failed.values()), failed
    # Each owner declares 120 repositories: a few pages each, never thousands.
    assert emulator.count(family.listing) <= len(OWNERS) * 5
    assert len(kept) == 75 and summary.owners_ok == 1


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_trickling_forge_ends_within_the_bound_others_unaffected(
    name: str, tmp_path: Path, emulator: Emulator, healthy: GiteaEmulator
):
    family = FAMILIES[name](emulator)
    emulator.fault(family.api_path + "/.*", "trickle", times=None, interval=0.05)
    summary, elapsed, kept = crawl(tmp_path, family, healthy)

    failed = {f.target: f.reason for f in summary.owners_failed}
    assert set(failed) == {f"{family.host}/{owner}" for owner in OWNERS}
    reasons = " | ".join(failed.values())
    assert "délai total de 0,6 s dépassé" in reasons
    # Six owners at 0.6 s each on two workers outlast the 1 s budget: the last ones are
    # not even tried.
    assert f"budget de temps de l'hôte {family.host} épuisé" in reasons
    assert "ses derniers dépôts connus sont conservés" in reasons
    assert elapsed < POLICY.stalled_host_bound + SLACK
    assert len(kept) == 75 and summary.owners_ok == 1


def test_total_budget_fails_remaining_owners(
    tmp_path: Path, emulator: Emulator, healthy: GiteaEmulator
):
    family = gitea(emulator)
    emulator.fault(family.api_path + "/.*", "timeout", times=None, delay=0.3)
    with Store.open(tmp_path / "db.sqlite3") as store:
        summary = run_crawl(
            targets(family, healthy),
            store,
            policy=POLICY,
            environ={},
            per_host=1,
            host_budget=0.5,
        )
    failed = {f.target: f.reason for f in summary.owners_failed}
    assert any("(0,5 s au plus pour cet hôte)" in reason for reason in failed.values()), failed
    assert f"{healthy.host}/mairie" not in failed


def test_defaults_end_a_stalled_host_within_five_minutes():
    policy = HttpPolicy()
    # The stall budget, the attempt in flight when it runs out, one wait before the check.
    assert policy.stalled_host_bound == policy.stall + policy.deadline + policy.max_wait
    assert policy.timeout <= policy.deadline  # connecting never outlasts an attempt
    assert policy.backoff_max <= policy.max_wait
    assert policy.stalled_host_bound <= 5 * 60
