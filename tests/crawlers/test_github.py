"""The GitHub adapter through the real PyGithub against the emulator."""

from __future__ import annotations

import math

import pytest

from crawlers.base import ForgeKind, Known, Listing, Target
from crawlers.errors import MalformedResponse, OwnerNotFound, RateLimited
from crawlers.github import GitHubCrawler
from crawlers.http import HttpPolicy, MemoryEtagStore, Stats, make_session
from tests.emulator.core import Emulator
from tests.emulator.github import GitHubForge

PER_REPO = r"/gh/repos/.*"


@pytest.fixture
def gh(emulator: Emulator) -> GitHubForge:
    return GitHubForge(emulator, prefix="/gh")


class Runner:
    def __init__(self, gh: GitHubForge, policy: HttpPolicy) -> None:
        self.gh = gh
        self.stats = Stats()
        self.etags = MemoryEtagStore()
        session = make_session("github.com", stats=self.stats, etags=self.etags, policy=policy)
        # These tests are about the REST listing (GraphQL: tests/crawlers/test_github_graphql.py).
        self.crawler = GitHubCrawler(session, token="ghp_emulated", graphql=False)

    def target(self, owner: str, **kwargs) -> Target:
        return Target("github.com", ForgeKind.GITHUB, self.gh.api_url, owner, **kwargs)

    def crawl(self, owner: str, **kwargs) -> Listing:
        return self.crawler.crawl(self.target(owner, **kwargs), Known())


@pytest.fixture
def run(gh: GitHubForge, fast_policy: HttpPolicy) -> Runner:
    return Runner(gh, fast_policy)


def _urls(listing: Listing) -> set[str]:
    return {repo.repository_url for repo in listing.repositories}


def test_organisation_exact_repositories_and_fields(gh: GitHubForge, run: Runner, emulator):
    served = gh.add_org(
        "etalab",
        [
            {"name": "api-adresse", "license": "MIT", "topics": ["adresse", "api"]},
            {
                "name": "cecill",
                "license": {"key": "other", "name": "Other", "spdx_id": "NOASSERTION"},
            },
            {"name": "fork", "fork": True, "archived": True, "license": None, "homepage": ""},
            {"name": "licence-ouverte", "license": "etalab-2.0", "language": None},
        ],
    )
    listing = run.crawl("etalab", pso_id="pso-1", floss_policy="https://example.fr/p")
    assert _urls(listing) == {f"https://github.com/etalab/{r['name']}" for r in served}
    by_name = {repo.name: repo for repo in listing.repositories}
    api = by_name["api-adresse"]
    raw = served[0]
    assert api.id == f"github.com:{raw['id']}"
    assert api.platform == "github.com" and api.forge == "github"
    assert api.organization_name == "etalab"
    assert api.license == "MIT"
    assert api.topics == ("adresse", "api")
    assert api.creation_date == "2011-01-26T19:01:12Z"
    assert api.last_update == raw["updated_at"] and api.last_modification == raw["pushed_at"]
    assert api.stars_count == raw["stargazers_count"] and api.forks_count == raw["forks_count"]
    assert api.open_issues_count == raw["open_issues_count"]
    assert api.default_branch == "master" and api.language == "Python"
    assert api.pso_id == "pso-1"
    assert by_name["cecill"].license is None
    # What GitHub said is kept beside the SPDX identifier.
    assert api.license_original == "MIT"
    assert by_name["cecill"].license_original == "Other"
    assert by_name["fork"].license_original is None
    assert by_name["fork"].is_fork is True and by_name["fork"].is_archived is True
    assert by_name["fork"].license is None and by_name["fork"].homepage is None
    assert by_name["licence-ouverte"].license == "etalab-2.0"
    assert by_name["licence-ouverte"].language is None
    (org,) = listing.organisations
    assert org.login == "etalab" and org.repositories_count == 4
    assert org.description == "A great organization"
    assert org.floss_policy == "https://example.fr/p" and org.pso_id == "pso-1"
    assert listing.renamed_to is None
    assert emulator.count(PER_REPO) == 0
    # The token reached the forge in the Authorization header.
    assert emulator.requests()[0].headers["Authorization"] == "token ghp_emulated"


def test_user_account_lists_owner_repositories(gh: GitHubForge, run: Runner, emulator):
    served = gh.add_user("jdupont", 3)
    gh.add_org("autre", 2)
    listing = run.crawl("jdupont")
    assert _urls(listing) == {r["html_url"] for r in served}
    assert [r.path for r in emulator.requests()] == ["/gh/users/jdupont", "/gh/users/jdupont/repos"]
    assert emulator.requests()[1].query["type"] == "owner"
    assert listing.organisations[0].login == "jdupont"


@pytest.mark.parametrize("count", [0, 1, 100, 101, 250])
def test_request_budget_first_and_second_crawl(gh: GitHubForge, run: Runner, emulator, count):
    gh.add_org("etalab", count)
    listing = run.crawl("etalab")
    assert len(listing.repositories) == count
    first = emulator.count()
    assert first <= math.ceil(count / 100) + 2
    assert emulator.count(PER_REPO) == 0
    assert run.stats.requests == first
    emulator.clear_log()
    again = run.crawl("etalab")
    assert set(again.repositories) == set(listing.repositories)
    assert emulator.count() == first
    assert emulator.count(status=304) == first  # every page revalidated, nothing re-sent
    assert run.stats.not_modified == first
    assert emulator.count(PER_REPO) == 0


def test_owner_with_ten_thousand_repositories(gh: GitHubForge, emulator, sleeps):
    gh.add_org("grosse-org", 10_000)
    # Pages of 100 full payloads: a roomier timeout than the fault tests' (loaded machines).
    run = Runner(gh, HttpPolicy(timeout=30, sleep=sleeps.append))
    listing = run.crawl("grosse-org")
    assert len(listing.repositories) == 10_000
    assert len({r.id for r in listing.repositories}) == 10_000
    assert emulator.count(r"/gh/orgs/grosse-org/repos") == 100
    assert emulator.count() == 102
    assert run.stats.retries == 0
    assert {r.query.get("per_page") for r in emulator.requests(r"/gh/orgs/grosse-org/repos")} == {
        "100"
    }


def test_missing_list_field_never_triggers_lazy_completion(gh: GitHubForge, run: Runner, emulator):
    served = gh.add_org("etalab", 3)
    for repo in served:
        del repo["topics"]
        del repo["language"]
    listing = run.crawl("etalab")
    assert len(listing.repositories) == 3
    assert all(r.topics == () and r.language is None for r in listing.repositories)
    assert emulator.count(PER_REPO) == 0


def test_5xx_then_success(gh: GitHubForge, run: Runner, emulator, sleeps):
    gh.add_org("etalab", 150)
    emulator.fault(r"/gh/orgs/etalab/repos", "status", times=2, status=502, query={"page": "2"})
    listing = run.crawl("etalab")
    assert len(listing.repositories) == 150
    assert run.stats.retries == 2 and len(sleeps) == 2


def test_429_retry_after_honoured(gh: GitHubForge, run: Runner, sleeps):
    gh.add_org("etalab", 5)
    gh.emu.fault(r"/gh/orgs/etalab/repos", "rate_limit", retry_after=42)
    assert len(run.crawl("etalab").repositories) == 5
    assert sleeps == [42.0]


def test_403_secondary_rate_limit(gh: GitHubForge, run: Runner, sleeps, emulator, fast_policy):
    gh.add_org("etalab", 5)
    emulator.fault(r"/gh/users/etalab", "secondary", retry_after=30, times=1)
    assert len(run.crawl("etalab").repositories) == 5
    assert sleeps == [30.0]
    # A Retry-After beyond the policy's max_wait defers the forge instead of waiting.
    longer = fast_policy.max_wait + 1
    emulator.fault(r"/gh/users/etalab", "secondary", retry_after=int(longer), times=1)
    with pytest.raises(RateLimited):
        run.crawl("etalab")
    assert sleeps == [30.0]


def test_rate_limit_far_away_raises_rate_limited(gh: GitHubForge, run: Runner, emulator):
    gh.add_org("etalab", 5)
    emulator.fault(r"/gh/.*", "exhausted", times=None, reset_in=7200)
    with pytest.raises(RateLimited, match="reportée"):
        run.crawl("etalab")
    assert emulator.count() == 1


def test_timeout_retried(gh: GitHubForge, emulator, sleeps):
    gh.add_org("etalab", 5)
    run = Runner(gh, HttpPolicy(timeout=1.0, max_retries=3, sleep=sleeps.append))
    emulator.fault(r"/gh/orgs/etalab/repos", "timeout", delay=3.0)
    assert len(run.crawl("etalab").repositories) == 5
    assert run.stats.retries >= 1


def test_truncated_json_fails_the_owner(gh: GitHubForge, run: Runner, emulator):
    gh.add_org("etalab", 150)
    emulator.fault(r"/gh/orgs/etalab/repos", "truncated", query={"page": "2"})
    with pytest.raises(MalformedResponse, match="JSON illisible"):
        run.crawl("etalab")
    # Not cached: the next crawl reads the page again and succeeds.
    assert len(run.crawl("etalab").repositories) == 150


def test_unknown_owner_is_not_found(gh: GitHubForge, run: Runner):
    with pytest.raises(OwnerNotFound, match="introuvable"):
        run.crawl("disparu")


def test_renamed_owner_is_followed(gh: GitHubForge, run: Runner, emulator):
    served = gh.add_org("ancien-nom", 3)
    gh.rename("ancien-nom", "nouveau-nom")
    listing = run.crawl("ancien-nom")
    assert listing.renamed_to == "nouveau-nom"
    assert _urls(listing) == {f"https://github.com/nouveau-nom/{r['name']}" for r in served}
    assert emulator.count(status=301) == 1
    assert emulator.count(PER_REPO) == 0


def test_pagination_loop_stops(gh: GitHubForge, run: Runner, emulator):
    gh.add_org("boucle", 250)
    gh.set_loop("boucle")
    with pytest.raises(MalformedResponse, match="boucle ou pagination sans fin"):
        run.crawl("boucle")
    assert emulator.count(r"/gh/orgs/boucle/repos") <= 5


def test_whole_github_instance_is_refused(gh: GitHubForge, run: Runner):
    from crawlers.errors import CrawlerError

    with pytest.raises(CrawlerError, match="owners"):
        run.crawler.crawl(Target("github.com", ForgeKind.GITHUB, gh.api_url), Known())


def test_repository_without_id_is_malformed(gh: GitHubForge, run: Runner):
    served = gh.add_org("etalab", 2)
    del served[1]["id"]
    with pytest.raises(MalformedResponse, match="sans identifiant"):
        run.crawl("etalab")


def test_private_repositories_are_left_out(gh: GitHubForge, run: Runner):
    gh.add_org("etalab", [{"name": "public"}, {"name": "secret", "private": True}])
    assert [r.name for r in run.crawl("etalab").repositories] == ["public"]


def test_refused_token_is_explained(gh: GitHubForge, run: Runner, emulator):
    gh.add_org("etalab", 1)
    emulator.fault(r"/gh/users/etalab", "status", status=401)
    from crawlers.errors import ForgeUnavailable

    with pytest.raises(
        ForgeUnavailable, match=r"jeton refusé.*INVENTORY_TOKEN_GITHUB_COM"
    ) as caught:
        run.crawl("etalab")
    assert "ghp_emulated" not in str(caught.value)


def test_listing_stays_on_the_api_root_given(gh: GitHubForge, run: Runner, emulator):
    """Behind a proxy (--api-url) payloads still name the real API: pages go to the proxy."""
    gh.add_org("etalab", 3, url="https://api.github.com/orgs/etalab")
    assert len(run.crawl("etalab").repositories) == 3
    assert emulator.count(r"/gh/orgs/etalab/repos") == 1
    assert emulator.count(status=404) == 0
