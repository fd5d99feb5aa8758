"""GitLab crawl through the real python-gitlab against the emulated GitLab v4 API."""

from __future__ import annotations

import math

import pytest

from crawlers.base import ForgeKind, Known, Listing, Target
from crawlers.errors import ForgeUnavailable, MalformedResponse, OwnerNotFound, RateLimited
from crawlers.gitlab import GitLabCrawler, instance_url
from crawlers.http import HttpPolicy, MemoryEtagStore, Stats, make_session
from tests.crawlers.gitlab.conftest import Harness
from tests.emulator.gitlab import GitLabEmulator

PROJECT_DETAIL = r"/projects/\d+(/languages)?"


def target(forge: GitLabEmulator, owner: str | None, pso_id: str | None = "pso-1") -> Target:
    return Target(forge.host, ForgeKind.GITLAB, forge.api_url, owner=owner, pso_id=pso_id)


def ids(listing: Listing) -> set[str]:
    return {repo.id for repo in listing.repositories}


def expected_ids(forge: GitLabEmulator, projects) -> set[str]:
    return {f"{forge.host}:{p['id']}" for p in projects}


def known_from(listing: Listing) -> Known:
    return Known({repo.id: repo for repo in listing.repositories})


def build_deep_group(forge: GitLabEmulator):
    """``dinum`` with 3 levels of subgroups, 130 projects (13 archived), plus noise."""
    top = forge.add_group("dinum", description="Direction interministérielle du numérique")
    level1 = forge.add_group("etalab", top)
    level2 = forge.add_group("data", level1)
    level3 = forge.add_group("outils", level2)
    groups = [top, level1, level2, level3]
    wanted = []
    for i in range(130):
        wanted.append(
            forge.add_project(
                groups[i % 4],
                f"projet-{i}",
                archived=i % 10 == 3,
                license_key="cecill-2.1" if i % 2 else "mit",
                languages={"Python": 60.0, "JavaScript": 40.0} if i % 3 else {"Go": 100.0},
            )
        )
    other = forge.add_group("autre-ministere")
    forge.add_project(other, "hors-perimetre")
    forge.add_project(level2, "interne", visibility="internal")
    forge.add_project(level3, "prive", visibility="private")
    return top, groups, wanted


def test_group_with_three_levels_of_subgroups_finds_every_project_archived_included(
    harness: Harness, gitlab_forge: GitLabEmulator
):
    _, _, wanted = build_deep_group(gitlab_forge)

    listing = harness.crawler.crawl(target(gitlab_forge, "dinum"), Known())

    assert ids(listing) == expected_ids(gitlab_forge, wanted)
    archived = {r.id for r in listing.repositories if r.is_archived}
    assert archived == expected_ids(gitlab_forge, [p for p in wanted if p["archived"]])
    assert len(archived) == 13
    assert {r.organization_name for r in listing.repositories} == {"dinum"}
    (organisation,) = listing.organisations
    assert organisation.login == "dinum"
    assert organisation.repositories_count == 130
    assert organisation.description == "Direction interministérielle du numérique"
    assert organisation.pso_id == "pso-1"
    assert listing.renamed_to is None
    # Both listing pages were read, with subgroups included and no archived filter.
    pages = gitlab_forge.emulator.requests(gitlab_forge.api_path + r"/groups/\d+/projects")
    assert [p.query.get("page", "1") for p in pages] == ["1", "2"]
    for page in pages:
        assert page.query["include_subgroups"] == "true"
        assert page.query["per_page"] == "100"
        assert "archived" not in page.query


def test_short_pages_of_a_capping_server_are_never_taken_as_the_last(
    harness: Harness, gitlab_forge: GitLabEmulator
):
    gitlab_forge.max_per_page = 40  # a proxy capping below what the client asks
    _, _, wanted = build_deep_group(gitlab_forge)

    listing = harness.crawler.crawl(target(gitlab_forge, "dinum"), Known())

    assert ids(listing) == expected_ids(gitlab_forge, wanted)
    assert gitlab_forge.emulator.count(gitlab_forge.api_path + r"/groups/\d+/projects") == 4


def test_request_budget_first_crawl_then_nothing_per_project_when_unchanged(
    harness: Harness, gitlab_forge: GitLabEmulator
):
    _, _, wanted = build_deep_group(gitlab_forge)
    emulator = gitlab_forge.emulator
    pages = math.ceil(len(wanted) / 100)

    first = harness.crawler.crawl(target(gitlab_forge, "dinum"), Known())

    assert emulator.count(gitlab_forge.api_path + PROJECT_DETAIL) <= 2 * len(wanted)
    assert harness.stats.requests == 1 + pages + 2 * len(wanted)
    assert harness.stats.requests == emulator.count()

    emulator.clear_log()
    before = harness.stats.snapshot()
    second = harness.crawler.crawl(target(gitlab_forge, "dinum"), known_from(first))

    assert emulator.count(gitlab_forge.api_path + PROJECT_DETAIL) == 0
    assert harness.stats.requests - before["requests"] == 1 + pages
    assert harness.stats.not_modified - before["not_modified"] == 1 + pages
    assert second.repositories == first.repositories


def test_a_changed_project_is_enriched_again_alone(harness: Harness, gitlab_forge: GitLabEmulator):
    _, _, wanted = build_deep_group(gitlab_forge)
    first = harness.crawler.crawl(target(gitlab_forge, "dinum"), Known())
    changed = wanted[17]
    gitlab_forge.touch(changed, "2025-01-02T03:04:05.000+01:00")
    gitlab_forge.licenses[changed["id"]]["license"].update(key="eupl-1.2", name="EUPL-1.2")
    gitlab_forge.languages[changed["id"]] = {"Rust": 90.0, "Python": 10.0}
    gitlab_forge.emulator.clear_log()

    second = harness.crawler.crawl(target(gitlab_forge, "dinum"), known_from(first))

    detail = gitlab_forge.emulator.requests(gitlab_forge.api_path + PROJECT_DETAIL)
    assert sorted(r.path.rsplit("/api/v4", 1)[1] for r in detail) == [
        f"/projects/{changed['id']}",
        f"/projects/{changed['id']}/languages",
    ]
    repo = {r.id: r for r in second.repositories}[f"{gitlab_forge.host}:{changed['id']}"]
    assert repo.last_update == "2025-01-02T02:04:05Z"
    assert repo.license == "EUPL-1.2"
    assert repo.language == "Rust"
    unchanged = {r.id: r for r in first.repositories}
    for other in second.repositories:
        if other.id != repo.id:
            assert other == unchanged[other.id]


def test_project_normalisation(harness: Harness, gitlab_forge: GitLabEmulator):
    group = gitlab_forge.add_group("ville")
    sub = gitlab_forge.add_group("urbanisme", group)
    fork = gitlab_forge.add_project(
        sub,
        "cadastre",
        forked=True,
        archived=True,
        license_key="cecill-b",
        license_name="CeCILL-B Free Software License Agreement",
        languages={"Shell": 12.5, "Python": 80.0, "Makefile": 7.5},
        last_activity_at="2024-07-01T12:30:00.123+02:00",
        topics=["urbanisme", "cadastre"],
        issues_enabled=False,
    )
    plain = gitlab_forge.add_project(group, "vide", empty=True)

    listing = harness.crawler.crawl(target(gitlab_forge, "ville", pso_id="pso-ville"), Known())

    repos = {r.id: r for r in listing.repositories}
    repo = repos[f"{gitlab_forge.host}:{fork['id']}"]
    assert repo.name == "cadastre"
    assert repo.organization_name == "ville"
    assert repo.platform == gitlab_forge.host
    assert repo.forge == "gitlab"
    assert repo.repository_url == f"https://{gitlab_forge.host}/ville/urbanisme/cadastre"
    assert repo.is_fork is True
    assert repo.is_archived is True
    assert repo.license == "CECILL-B"
    assert repo.license_original == "cecill-b"  # GitLab's key, as given
    assert repo.language == "Python"
    assert repo.topics == ("urbanisme", "cadastre")
    assert repo.last_update == repo.last_modification == "2024-07-01T10:30:00Z"
    assert repo.creation_date == "2013-09-30T13:46:02Z"
    assert repo.open_issues_count is None  # issues disabled: GitLab omits the field
    assert repo.default_branch == "main"
    assert repo.description == "Projet cadastre"
    assert repo.stars_count == fork["star_count"]
    assert repo.forks_count == fork["forks_count"]
    assert repo.pso_id == "pso-ville"
    empty = repos[f"{gitlab_forge.host}:{plain['id']}"]
    assert (empty.is_fork, empty.is_archived, empty.license, empty.language) == (
        False,
        False,
        None,
        None,
    )
    # An empty repository costs no enrichment request.
    assert gitlab_forge.emulator.count(gitlab_forge.api_path + rf"/projects/{plain['id']}.*") == 0


def test_user_namespace(harness: Harness, gitlab_forge: GitLabEmulator):
    user = gitlab_forge.add_user("jdupont", "Jeanne Dupont")
    mine = [gitlab_forge.add_project(user, f"outil-{i}", archived=i == 2) for i in range(5)]
    gitlab_forge.add_project(gitlab_forge.add_user("autre"), "pas-a-moi")
    gitlab_forge.add_project(user, "brouillon", visibility="private")

    listing = harness.crawler.crawl(target(gitlab_forge, "jdupont"), Known())

    assert ids(listing) == expected_ids(gitlab_forge, mine)
    (organisation,) = listing.organisations
    assert (organisation.login, organisation.name) == ("jdupont", "Jeanne Dupont")
    assert organisation.organization_url == f"https://{gitlab_forge.host}/jdupont"
    assert organisation.repositories_count == 5
    assert {r.organization_name for r in listing.repositories} == {"jdupont"}


def test_unknown_owner_is_owner_not_found(harness: Harness, gitlab_forge: GitLabEmulator):
    gitlab_forge.add_group("existe")
    with pytest.raises(OwnerNotFound, match="fantome"):
        harness.crawler.crawl(target(gitlab_forge, "fantome"), Known())


def test_whole_instance_with_keyset_pagination(harness: Harness, gitlab_forge: GitLabEmulator):
    _, _, in_groups = build_deep_group(gitlab_forge)
    user = gitlab_forge.add_user("solo")
    solo = [gitlab_forge.add_project(user, f"s{i}") for i in range(80)]
    outside = [p for p in gitlab_forge.projects.values() if p["path"] == "hors-perimetre"]
    public = in_groups + solo + outside

    listing = harness.crawler.crawl(target(gitlab_forge, None), Known())

    assert ids(listing) == expected_ids(gitlab_forge, public)
    requests = gitlab_forge.emulator.requests(gitlab_forge.api_path + r"/projects")
    assert len(requests) == math.ceil(len(public) / 100)
    for request in requests:
        assert request.query["pagination"] == "keyset"
        assert request.query["order_by"] == "id"
        assert request.query["sort"] == "asc"
        assert request.query["per_page"] == "100"
        assert "page" not in request.query
    assert "id_after" not in requests[0].query
    assert all("id_after" in r.query for r in requests[1:])
    counts = {o.login: o.repositories_count for o in listing.organisations}
    assert counts == {"dinum": 130, "solo": 80, "autre-ministere": 1}
    by_id = {r.id: r for r in listing.repositories}
    assert by_id[f"{gitlab_forge.host}:{solo[0]['id']}"].organization_name == "solo"


def test_renamed_group_answered_under_its_new_path(harness: Harness, gitlab_forge: GitLabEmulator):
    group = gitlab_forge.add_group("ancien-nom")
    projects = [gitlab_forge.add_project(group, f"p{i}") for i in range(3)]
    gitlab_forge.rename_group(group, "nouveau-nom")

    listing = harness.crawler.crawl(target(gitlab_forge, "ancien-nom"), Known())

    assert listing.renamed_to == "nouveau-nom"
    assert ids(listing) == expected_ids(gitlab_forge, projects)
    assert listing.organisations[0].login == "nouveau-nom"


def test_moved_group_301_is_followed(harness: Harness, gitlab_forge: GitLabEmulator):
    group = gitlab_forge.add_group("service-deplace")
    projects = [gitlab_forge.add_project(group, f"p{i}") for i in range(3)]
    gitlab_forge.emulator.fault(
        gitlab_forge.api_path + r"/groups/vieux-service",
        "redirect",
        times=None,
        location=f"{gitlab_forge.prefix}/api/v4/groups/service-deplace?with_projects=false",
    )

    listing = harness.crawler.crawl(target(gitlab_forge, "vieux-service"), Known())

    assert listing.renamed_to == "service-deplace"
    assert ids(listing) == expected_ids(gitlab_forge, projects)


# -- faults ----------------------------------------------------------------------------------


def test_server_error_on_a_page_is_retried(
    harness: Harness, gitlab_forge: GitLabEmulator, sleeps: list[float]
):
    _, _, wanted = build_deep_group(gitlab_forge)
    gitlab_forge.emulator.fault(
        gitlab_forge.api_path + r"/groups/\d+/projects", "status", status=502, query={"page": "2"}
    )

    listing = harness.crawler.crawl(target(gitlab_forge, "dinum"), Known())

    assert ids(listing) == expected_ids(gitlab_forge, wanted)
    assert harness.stats.retries == 1
    assert len(sleeps) == 1


def test_429_waits_for_ratelimit_reset(
    harness: Harness, gitlab_forge: GitLabEmulator, sleeps: list[float]
):
    group = gitlab_forge.add_group("limite")
    projects = [gitlab_forge.add_project(group, f"p{i}") for i in range(3)]
    gitlab_forge.emulator.fault(
        gitlab_forge.api_path + r"/groups/\d+/projects", "exhausted", status=429, reset_in=5
    )

    listing = harness.crawler.crawl(target(gitlab_forge, "limite"), Known())

    assert ids(listing) == expected_ids(gitlab_forge, projects)
    assert len(sleeps) == 1
    assert 3 <= sleeps[0] <= 8  # until RateLimit-Reset, not a blind back-off


def test_rate_limit_reset_too_far_defers_the_forge(harness: Harness, gitlab_forge: GitLabEmulator):
    group = gitlab_forge.add_group("limite")
    gitlab_forge.add_project(group, "p")
    gitlab_forge.emulator.fault(
        gitlab_forge.api_path + r"/groups/\d+/projects", "exhausted", status=429, reset_in=7200
    )
    with pytest.raises(RateLimited):
        harness.crawler.crawl(target(gitlab_forge, "limite"), Known())


def test_python_gitlab_does_not_add_its_own_retries(
    harness: Harness, gitlab_forge: GitLabEmulator, fast_policy: HttpPolicy
):
    gitlab_forge.add_group("instable")
    gitlab_forge.emulator.fault(gitlab_forge.api_path + r"/groups/.*", "rate_limit", times=None)

    with pytest.raises(ForgeUnavailable):
        harness.crawler.crawl(target(gitlab_forge, "instable"), Known())

    # Exactly the shared layer's attempts: python-gitlab's retry loop is off.
    assert gitlab_forge.emulator.count() == fast_policy.max_retries + 1


def test_truncated_json_is_malformed_response(harness: Harness, gitlab_forge: GitLabEmulator):
    build_deep_group(gitlab_forge)
    gitlab_forge.emulator.fault(
        gitlab_forge.api_path + r"/groups/\d+/projects", "truncated", query={"page": "2"}
    )
    with pytest.raises(MalformedResponse):
        harness.crawler.crawl(target(gitlab_forge, "dinum"), Known())


def test_pagination_loop_is_an_error_not_a_hang(harness: Harness, gitlab_forge: GitLabEmulator):
    build_deep_group(gitlab_forge)
    gitlab_forge.loop_after_page = 2  # page 2 says "next: page 1"
    with pytest.raises(MalformedResponse, match=r"boucle de pagination|pagination sans fin"):
        harness.crawler.crawl(target(gitlab_forge, "dinum"), Known())
    assert gitlab_forge.emulator.count(gitlab_forge.api_path + r"/groups/\d+/projects") <= 4


def test_instance_url_strips_api_v4():
    assert instance_url("https://gitlab.example.org/api/v4") == "https://gitlab.example.org"
    assert instance_url("http://127.0.0.1:8080/gl/api/v4/") == "http://127.0.0.1:8080/gl"


def test_token_is_sent_as_private_token_and_never_in_urls(gitlab_forge: GitLabEmulator):
    group = gitlab_forge.add_group("secret")
    gitlab_forge.add_project(group, "p")
    session = make_session(gitlab_forge.host, stats=Stats(), etags=MemoryEtagStore())
    crawler = GitLabCrawler(session, token="glpat-TESTTOKEN")

    crawler.crawl(target(gitlab_forge, "secret"), Known())

    for request in gitlab_forge.emulator.requests():
        assert request.headers.get("Private-Token") == "glpat-TESTTOKEN"
        assert "glpat-TESTTOKEN" not in request.path
        assert "glpat-TESTTOKEN" not in str(request.query)


def test_pagination_links_naming_the_external_url_stay_on_the_api_root(
    harness: Harness, gitlab_forge: GitLabEmulator
):
    # A mirror: GitLab's links name its external URL (here a closed loopback port, so that a
    # crawler following them would fail instead of reaching any network).
    gitlab_forge.external_url = "http://127.0.0.1:9/gitlab"
    _, _, wanted = build_deep_group(gitlab_forge)
    user = gitlab_forge.add_user("solo")
    solo = [gitlab_forge.add_project(user, f"s{i}") for i in range(120)]

    group = harness.crawler.crawl(target(gitlab_forge, "dinum"), Known())
    whole = harness.crawler.crawl(target(gitlab_forge, None), Known())

    assert ids(group) == expected_ids(gitlab_forge, wanted)
    assert expected_ids(gitlab_forge, wanted + solo) <= ids(whole)
    assert gitlab_forge.emulator.count(gitlab_forge.api_path + r"/groups/\d+/projects") == 2


def test_timeout_on_an_enrichment_request_is_retried(gitlab_forge: GitLabEmulator):
    group = gitlab_forge.add_group("lent")
    project = gitlab_forge.add_project(group, "p", license_key="gpl-3.0", languages={"C": 1.0})
    gitlab_forge.emulator.fault(
        gitlab_forge.api_path + rf"/projects/{project['id']}/languages", "timeout", delay=3.0
    )
    stats, sleeps = Stats(), []
    policy = HttpPolicy(timeout=1.0, max_retries=3, sleep=sleeps.append)
    session = make_session(gitlab_forge.host, stats=stats, etags=None, policy=policy)

    listing = GitLabCrawler(session).crawl(target(gitlab_forge, "lent"), Known())

    (repo,) = listing.repositories
    assert (repo.license, repo.license_original, repo.language) == ("GPL-3.0-only", "gpl-3.0", "C")
    assert stats.retries == 1
    assert len(sleeps) == 1
