"""Gitea / Forgejo / Gogs crawl through the requests client against the emulated API."""

from __future__ import annotations

import pytest

from crawlers.base import ForgeKind, Known, Listing, Target
from crawlers.errors import ForgeUnavailable, MalformedResponse, OwnerNotFound
from tests.crawlers.gitea.conftest import Harness
from tests.emulator.gitea import GiteaEmulator


def target(forge: GiteaEmulator, owner: str | None, kind: ForgeKind = ForgeKind.GITEA) -> Target:
    return Target(forge.host, kind, forge.api_url, owner=owner, pso_id="pso-g")


def ids(listing: Listing) -> set[str]:
    return {repo.id for repo in listing.repositories}


def expected(forge: GiteaEmulator, repos) -> set[str]:
    return {f"{forge.host}:{r['id']}" for r in repos}


def populate(forge: GiteaEmulator, owner, count: int, prefix: str = "depot"):
    return [
        forge.add_repo(owner, f"{prefix}-{i}", archived=i % 9 == 4, fork=i % 11 == 5)
        for i in range(count)
    ]


def repo_pages(forge: GiteaEmulator, kind: str = "orgs"):
    return forge.emulator.requests(forge.api_path + rf"/{kind}/[^/]+/repos")


def test_organisation_all_pages_with_the_server_cap(harness: Harness, gitea_forge: GiteaEmulator):
    org = gitea_forge.add_org("mairie", full_name="Mairie de Démo")
    repos = populate(gitea_forge, org, 120)
    gitea_forge.add_repo(org, "secret", private=True)
    populate(gitea_forge, gitea_forge.add_org("voisine"), 7, "autre")

    listing = harness.crawler.crawl(target(gitea_forge, "mairie"), Known())

    assert ids(listing) == expected(gitea_forge, repos)
    pages = repo_pages(gitea_forge)
    assert pages[0].query["limit"] == "50"  # from /settings/api
    assert len(pages) == 3
    (organisation,) = listing.organisations
    assert organisation.login == "mairie"
    assert organisation.name == "Mairie de Démo"
    assert organisation.website == "https://mairie.example.org"
    assert organisation.repositories_count == 120
    assert organisation.forge == "gitea"


def test_server_caps_at_50_even_when_asked_100(harness: Harness, gitea_forge: GiteaEmulator):
    gitea_forge.advertised_max_response_items = 100  # settings say 100, the server gives 50
    org = gitea_forge.add_org("mairie")
    repos = populate(gitea_forge, org, 130)

    listing = harness.crawler.crawl(target(gitea_forge, "mairie"), Known())

    assert ids(listing) == expected(gitea_forge, repos)
    pages = repo_pages(gitea_forge)
    assert pages[0].query["limit"] == "100"
    assert len(pages) == 3  # 50 + 50 + 30: the short first page was not taken as the last


def test_without_settings_endpoint_short_pages_are_followed(
    harness: Harness, gitea_forge: GiteaEmulator
):
    gitea_forge.publish_settings = False
    gitea_forge.max_response_items = 30
    org = gitea_forge.add_org("mairie")
    repos = populate(gitea_forge, org, 95)

    listing = harness.crawler.crawl(target(gitea_forge, "mairie"), Known())

    assert ids(listing) == expected(gitea_forge, repos)
    pages = repo_pages(gitea_forge)
    assert pages[0].query["limit"] == "50"
    assert len(pages) == 4


def test_repository_normalisation(harness: Harness, gitea_forge: GiteaEmulator):
    org = gitea_forge.add_org("mairie")
    repo = gitea_forge.add_repo(
        org,
        "cantine",
        archived=True,
        fork=True,
        licenses=["CECILL-2.1"],
        language="Go",
        topics=["cantine", "ecole"],
        updated_at="2024-05-06T07:08:09+02:00",
    )
    dual = gitea_forge.add_repo(org, "double", licenses=["MIT", "Apache-2.0"])
    none = gitea_forge.add_repo(org, "sans-licence", licenses=[])

    listing = harness.crawler.crawl(target(gitea_forge, "mairie"), Known())

    by_id = {r.id: r for r in listing.repositories}
    r = by_id[f"{gitea_forge.host}:{repo['id']}"]
    assert r.name == "cantine"
    assert r.organization_name == "mairie"
    assert r.repository_url == f"https://{gitea_forge.host}/mairie/cantine"
    assert r.forge == "gitea"
    assert (r.is_archived, r.is_fork) == (True, True)
    assert r.license == "CECILL-2.1"
    assert r.language == "Go"
    assert r.topics == ("cantine", "ecole")
    assert r.homepage == "https://cantine.mairie.example.org"
    assert r.last_update == r.last_modification == "2024-05-06T05:08:09Z"
    assert r.creation_date == "2021-02-03T03:05:06Z"
    assert r.open_issues_count == 3
    assert r.stars_count == repo["stars_count"]
    assert r.default_branch == "main"
    assert r.pso_id == "pso-g"
    assert by_id[f"{gitea_forge.host}:{dual['id']}"].license == "MIT AND Apache-2.0"
    assert by_id[f"{gitea_forge.host}:{dual['id']}"].license_original == "MIT, Apache-2.0"
    assert by_id[f"{gitea_forge.host}:{none['id']}"].license_original is None
    assert by_id[f"{gitea_forge.host}:{none['id']}"].license is None


def test_user_owner(harness: Harness, gitea_forge: GiteaEmulator):
    user = gitea_forge.add_user("jdupont")
    repos = populate(gitea_forge, user, 4)

    listing = harness.crawler.crawl(target(gitea_forge, "jdupont"), Known())

    assert ids(listing) == expected(gitea_forge, repos)
    assert listing.organisations[0].login == "jdupont"
    assert listing.organisations[0].organization_url == f"https://{gitea_forge.host}/jdupont"
    assert gitea_forge.emulator.count(gitea_forge.api_path + r"/orgs/jdupont") == 1
    assert len(repo_pages(gitea_forge, "users")) == 1


def test_whole_instance_search(harness: Harness, gitea_forge: GiteaEmulator):
    a, b = gitea_forge.add_org("a"), gitea_forge.add_org("b")
    user = gitea_forge.add_user("c")
    repos = (
        populate(gitea_forge, a, 60) + populate(gitea_forge, b, 3) + populate(gitea_forge, user, 2)
    )
    gitea_forge.add_repo(a, "cache", private=True)

    listing = harness.crawler.crawl(target(gitea_forge, None), Known())

    assert ids(listing) == expected(gitea_forge, repos)
    assert {o.login: o.repositories_count for o in listing.organisations} == {
        "a": 60,
        "b": 3,
        "c": 2,
    }
    assert gitea_forge.emulator.count(gitea_forge.api_path + r"/repos/search") == 2


def test_second_crawl_is_revalidated_with_etags(harness: Harness, gitea_forge: GiteaEmulator):
    org = gitea_forge.add_org("mairie")
    populate(gitea_forge, org, 70)
    first = harness.crawler.crawl(target(gitea_forge, "mairie"), Known())
    sent = harness.stats.requests

    second = harness.crawler.crawl(target(gitea_forge, "mairie"), Known())

    assert second.repositories == first.repositories
    # /orgs/mairie + 2 pages, all 304; /settings/api is read once per crawler.
    assert harness.stats.requests - sent == 3
    assert harness.stats.not_modified == 3


def test_unknown_owner(harness: Harness, gitea_forge: GiteaEmulator):
    with pytest.raises(OwnerNotFound, match="fantome"):
        harness.crawler.crawl(target(gitea_forge, "fantome"), Known())


def test_renamed_organisation_via_redirect(harness: Harness, gitea_forge: GiteaEmulator):
    org = gitea_forge.add_org("nouveau")
    repos = populate(gitea_forge, org, 3)
    gitea_forge.emulator.fault(
        gitea_forge.api_path + r"/orgs/ancien",
        "redirect",
        times=None,
        location=f"{gitea_forge.prefix}/api/v1/orgs/nouveau",
    )

    listing = harness.crawler.crawl(target(gitea_forge, "ancien"), Known())

    assert listing.renamed_to == "nouveau"
    assert ids(listing) == expected(gitea_forge, repos)


def test_server_error_is_retried(harness: Harness, gitea_forge: GiteaEmulator):
    org = gitea_forge.add_org("mairie")
    repos = populate(gitea_forge, org, 60)
    gitea_forge.emulator.fault(
        gitea_forge.api_path + r"/orgs/mairie/repos", "status", status=503, query={"page": "2"}
    )

    listing = harness.crawler.crawl(target(gitea_forge, "mairie"), Known())

    assert ids(listing) == expected(gitea_forge, repos)
    assert harness.stats.retries == 1


def test_persistent_server_error_is_forge_unavailable(harness: Harness, gitea_forge: GiteaEmulator):
    gitea_forge.add_org("mairie")
    gitea_forge.emulator.fault(gitea_forge.api_path + r"/orgs/.*", "status", times=None)
    with pytest.raises(ForgeUnavailable):
        harness.crawler.crawl(target(gitea_forge, "mairie"), Known())


def test_truncated_json(harness: Harness, gitea_forge: GiteaEmulator):
    org = gitea_forge.add_org("mairie")
    populate(gitea_forge, org, 60)
    gitea_forge.emulator.fault(
        gitea_forge.api_path + r"/orgs/mairie/repos", "truncated", query={"page": "2"}
    )
    with pytest.raises(MalformedResponse, match="JSON"):
        harness.crawler.crawl(target(gitea_forge, "mairie"), Known())


def test_pagination_loop_is_an_error_not_a_hang(harness: Harness, gitea_forge: GiteaEmulator):
    org = gitea_forge.add_org("mairie")
    populate(gitea_forge, org, 120)
    gitea_forge.loop_after_page = 2
    with pytest.raises(MalformedResponse, match="boucle de pagination"):
        harness.crawler.crawl(target(gitea_forge, "mairie"), Known())
    assert len(repo_pages(gitea_forge)) <= 3


# -- Gogs ------------------------------------------------------------------------------------


def test_gogs_organisation_is_read_in_one_unpaginated_answer(
    gogs_harness: Harness, gogs_forge: GiteaEmulator
):
    org = gogs_forge.add_org("labo")
    repos = populate(gogs_forge, org, 70)  # more than a page: Gogs does not page this list

    listing = gogs_harness.crawler.crawl(target(gogs_forge, "labo", ForgeKind.GOGS), Known())

    assert ids(listing) == expected(gogs_forge, repos)
    assert len(repo_pages(gogs_forge)) == 1
    assert gogs_forge.emulator.count(gogs_forge.api_path + r"/settings/api") == 0
    r = listing.repositories[0]
    assert r.forge == "gogs"
    assert r.is_archived is None  # Gogs has no archived flag
    assert r.language is None and r.license is None and r.topics == ()
    assert r.homepage is None  # empty ``website``
    assert r.repository_url == f"https://{gogs_forge.host}/labo/{r.name}"
    assert r.organization_name == "labo"
    assert listing.organisations[0].website == "https://labo.example.org"


def test_gogs_user_and_whole_instance(gogs_harness: Harness, gogs_forge: GiteaEmulator):
    user = gogs_forge.add_user("cmartin")
    mine = populate(gogs_forge, user, 3)
    others = populate(gogs_forge, gogs_forge.add_org("labo"), 55, "x")

    listing = gogs_harness.crawler.crawl(target(gogs_forge, "cmartin", ForgeKind.GOGS), Known())
    assert ids(listing) == expected(gogs_forge, mine)

    whole = gogs_harness.crawler.crawl(target(gogs_forge, None, ForgeKind.GOGS), Known())
    assert ids(whole) == expected(gogs_forge, mine + others)
    # Gogs pages /repos/search with a Link header but no X-Total-Count.
    assert gogs_forge.emulator.count(gogs_forge.api_path + r"/repos/search") == 2


def test_links_naming_the_root_url_stay_on_the_api_root(
    harness: Harness, gitea_forge: GiteaEmulator
):
    # Gitea's ROOT_URL seen through a mirror: a closed loopback port, never any network.
    gitea_forge.external_url = "http://127.0.0.1:9/gitea"
    org = gitea_forge.add_org("mairie")
    repos = populate(gitea_forge, org, 120)

    listing = harness.crawler.crawl(target(gitea_forge, "mairie"), Known())

    assert ids(listing) == expected(gitea_forge, repos)
    assert len(repo_pages(gitea_forge)) == 3


def test_on_root_moves_links_onto_the_configured_root(harness: Harness):
    from crawlers.gitea import GiteaClient

    client = GiteaClient(harness.session, "http://127.0.0.1:8000/mirror/api/v1", where="h")
    assert (
        client.on_root("https://git.example.fr/api/v1/orgs/a/repos?page=2&limit=50")
        == "http://127.0.0.1:8000/mirror/api/v1/orgs/a/repos?page=2&limit=50"
    )
    same = "http://127.0.0.1:8000/mirror/api/v1/repos/search?page=3"
    assert client.on_root(same) == same
