"""The GitHub adapter's GraphQL listing, through the real PyGithub against the emulator.

One emulated data set answers both APIs, so the REST and GraphQL listings of the same owners
can be compared value for value; the GraphQL endpoint runs graphql-core on a subset of
GitHub's schema (tests/emulator/payloads/github/schema.graphql).
"""

from __future__ import annotations

import dataclasses
import math
import time

import pytest
import requests
from github import Github
from graphql import parse, validate

from crawlers.base import ForgeKind, Known, Listing, Target
from crawlers.errors import ForgeUnavailable, MalformedResponse, OwnerNotFound, RateLimited
from crawlers.github import GitHubCrawler
from crawlers.github_graphql import LISTING_QUERY, read_page
from crawlers.http import HttpPolicy, MemoryEtagStore, Stats, make_session
from crawlers.registry import make_crawler
from inventory.catalogue.health import HealthSignals, observe
from inventory.catalogue.store import Store
from inventory.model import RootFiles
from tests.catalogue.test_publiccode import VALID
from tests.emulator.core import Emulator
from tests.emulator.github import GitHubForge

TOKEN = "ghp_emulated_graphql"
GRAPHQL = r"/gh/graphql"


def signals_of(listing) -> dict[str, HealthSignals]:
    """The health signals of a listing's root files (what the crawl makes of them)."""
    urls = {r.id: r.repository_url for r in listing.repositories}
    return {key: observe(root, urls[key]) for key, root in listing.root_files.items()}


@pytest.fixture
def gh(emulator: Emulator) -> GitHubForge:
    return GitHubForge(emulator, prefix="/gh")


class Runner:
    def __init__(
        self,
        gh: GitHubForge,
        policy: HttpPolicy,
        *,
        token: str | None = TOKEN,
        graphql: bool | None = None,
    ) -> None:
        self.gh = gh
        self.stats = Stats()
        self.etags = MemoryEtagStore()
        session = make_session("github.com", stats=self.stats, etags=self.etags, policy=policy)
        self.crawler = GitHubCrawler(session, token=token, graphql=graphql)

    def crawl(self, owner: str, **kwargs) -> Listing:
        target = Target("github.com", ForgeKind.GITHUB, self.gh.api_url, owner, **kwargs)
        return self.crawler.crawl(target, Known())


@pytest.fixture
def run(gh: GitHubForge, fast_policy: HttpPolicy) -> Runner:
    return Runner(gh, fast_policy)


@pytest.fixture
def rest(gh: GitHubForge, fast_policy: HttpPolicy) -> Runner:
    return Runner(gh, fast_policy, graphql=False)


def _by_id(listing: Listing) -> dict:
    return {repo.id: repo for repo in listing.repositories}


def _publiccode(repo: str) -> str:
    """The valid publiccode.yml of the insights tests, naming ``etalab/{repo}``."""
    return VALID.replace("Etalab/taxe", f"etalab/{repo}")


# -- (1) the same repositories and organisations as REST -------------------------------------


def _varied_org(gh: GitHubForge) -> list[dict]:
    specs = [
        {"name": "api-adresse", "license": "MIT", "topics": ["adresse", "api"]},
        {"name": "archive", "archived": True, "topics": []},
        {"name": "bifurcation", "fork": True, "homepage": "", "description": None},
        {"name": "sans-licence", "license": None, "language": None},
        {
            "name": "autre-licence",
            "license": {"key": "other", "name": "Other", "spdx_id": "NOASSERTION"},
        },
        {"name": "licence-ouverte", "license": "etalab-2.0", "open_issues_count": 7},
        {"name": "vide", "pushed_at": None},
        {"name": "secret", "private": True},
        *({"name": f"outil-{i:03d}", "stargazers_count": i} for i in range(242)),
    ]
    return gh.add_org(
        "etalab",
        specs,
        files={"vide": None, "api-adresse": {"README.md": "# API"}},
        pulls={"licence-ouverte": 3},
        blog="",
        description="Administrateur général des données",
    )


def test_rest_and_graphql_list_the_same_organisation(gh: GitHubForge, run: Runner, rest: Runner):
    served = _varied_org(gh)
    assert len(served) == 250
    graphql = run.crawl("etalab", pso_id="pso-etalab", floss_policy="https://example.fr/p")
    by_rest = rest.crawl("etalab", pso_id="pso-etalab", floss_policy="https://example.fr/p")
    assert graphql.organisations == by_rest.organisations
    (org,) = graphql.organisations
    assert org.repositories_count == 249  # public ones only, as REST's public_repos
    assert org.description == "Administrateur général des données" and org.website is None
    assert org.pso_id == "pso-etalab" and org.floss_policy == "https://example.fr/p"
    mine, theirs = _by_id(graphql), _by_id(by_rest)
    assert set(mine) == set(theirs)
    assert len(mine) == 249 and "secret" not in {r.name for r in mine.values()}
    empty = next(r for r in mine.values() if r.name == "vide")
    # The one documented difference: an empty repository has no defaultBranchRef in GraphQL.
    assert empty.default_branch is None and theirs[empty.id].default_branch == "master"
    mine[empty.id] = dataclasses.replace(empty, default_branch="master")
    assert mine == theirs
    by_name = {r.name: r for r in graphql.repositories}
    # open issues + open pull requests, as REST counts them
    assert by_name["licence-ouverte"].open_issues_count == 7
    assert by_name["licence-ouverte"].license == "etalab-2.0"
    assert by_name["autre-licence"].license is None
    assert by_name["api-adresse"].topics == ("adresse", "api")
    assert by_name["archive"].is_archived is True and by_name["bifurcation"].is_fork is True
    assert by_name["bifurcation"].homepage is None and by_name["vide"].last_modification is None
    assert graphql.renamed_to is None and by_rest.renamed_to is None


def test_rest_and_graphql_list_the_same_user(gh: GitHubForge, run: Runner, rest: Runner):
    gh.add_user(
        "jdupont",
        [{"name": "outil", "license": "EUPL-1.2"}, {"name": "bifurque", "fork": True}],
        bio="Développeur à la DINUM",
        blog="https://jdupont.example.fr",
    )
    gh.add_org("autre", 2)
    graphql, by_rest = run.crawl("jdupont"), rest.crawl("jdupont")
    assert graphql.organisations == by_rest.organisations
    assert graphql.organisations[0].description == "Développeur à la DINUM"
    assert graphql.organisations[0].website == "https://jdupont.example.fr"
    assert _by_id(graphql) == _by_id(by_rest)
    assert {r.organization_name for r in graphql.repositories} == {"jdupont"}


# -- (2) budget --------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [0, 1, 100, 101, 250])
def test_one_query_per_page_of_100_and_no_rest_request(
    gh: GitHubForge, run: Runner, emulator: Emulator, count: int
):
    gh.add_org("etalab", count)
    listing = run.crawl("etalab")
    assert len(listing.repositories) == count and len(signals_of(listing)) == count
    expected = max(1, math.ceil(count / 100))
    assert emulator.count() == expected
    assert emulator.count(GRAPHQL, method="POST") == expected
    assert emulator.count(method="GET") == 0
    assert run.stats.requests == expected and run.stats.retries == 0
    # Every query carried the token PyGithub adds.
    assert {r.headers["Authorization"] for r in emulator.requests()} == {f"token {TOKEN}"}
    # POSTs are never revalidated: a second crawl costs the same queries, without 304.
    emulator.clear_log()
    again = run.crawl("etalab")
    assert set(again.repositories) == set(listing.repositories)
    assert emulator.count(GRAPHQL, method="POST") == expected
    assert emulator.count(status=304) == 0 and run.stats.not_modified == 0
    assert len(run.etags) == 0


def test_user_budget(gh: GitHubForge, run: Runner, emulator: Emulator):
    gh.add_user("jdupont", 130)
    assert len(run.crawl("jdupont").repositories) == 130
    assert emulator.count() == emulator.count(GRAPHQL, method="POST") == 2


# -- (3) health signals -------------------------------------------------------------------------


def test_health_signals_come_with_the_listing(gh: GitHubForge, run: Runner, emulator: Emulator):
    invalid = _publiccode("invalide").replace("EUPL-1.2", "Licence maison")
    gh.add_org(
        "etalab",
        [
            {"name": name}
            for name in ("complet", "nu", "invalide", "usurpe", "yaml", "vide", "binaire")
        ],
        files={
            "complet": {
                "README.md": "# Complet",
                "LICENSE": "EUPL",
                "CONTRIBUTING.md": "Contribuer",
                "CHANGELOG.md": "## 1.0",
                "publiccode.yml": _publiccode("complet"),
                "src/main.py": "print()",
            },
            "nu": {},
            "invalide": {"README": "", "publiccode.yml": invalid},
            "usurpe": {"publiccode.yml": _publiccode("autre-projet")},
            "yaml": {"publiccode.yaml": _publiccode("yaml")},
            "vide": None,
            "binaire": {"publiccode.yml": b"\x89PNG\r\n"},
        },
    )
    listing = run.crawl("etalab")
    assert emulator.count() == 1
    by_name = {r.name: r for r in listing.repositories}
    assert set(signals_of(listing)) == set(by_name[name].id for name in by_name)
    health = {name: signals_of(listing)[repo.id] for name, repo in by_name.items()}

    complet = health["complet"]
    assert (complet.has_readme, complet.has_license, complet.has_contributing) == (True,) * 3
    assert complet.has_changelog and complet.has_publiccode
    assert complet.publiccode is not None and complet.publiccode.valid
    assert complet.publiccode.name == "Taxe" and complet.publiccode.maintenance_type == "internal"
    assert complet.publiccode.description is not None
    assert complet.publiccode.description_language == "fr"

    assert health["nu"] == HealthSignals()
    # An empty repository has no HEAD: no root files.
    assert listing.root_files[by_name["vide"].id] == RootFiles()
    assert health["vide"] == HealthSignals()

    bad = health["invalide"]
    assert bad.has_readme and bad.has_publiccode and bad.publiccode is not None
    assert not bad.publiccode.valid
    assert "publiccode-url-spoofed" not in {p.code for p in bad.publiccode.problems}

    spoofed = health["usurpe"].publiccode
    assert spoofed is not None and not spoofed.valid
    assert "publiccode-url-spoofed" in {p.code for p in spoofed.problems}

    # A binary publiccode.yml: present, but nothing to parse (GraphQL gives no text).
    assert health["binaire"].has_publiccode and health["binaire"].publiccode is None

    yaml = health["yaml"]
    assert yaml.has_publiccode and yaml.publiccode is not None and yaml.publiccode.valid


# -- (4) faults ---------------------------------------------------------------------------------


def test_renamed_owner_is_followed_through_rest_once(
    gh: GitHubForge, run: Runner, emulator: Emulator
):
    served = gh.add_org("ancien-nom", 3, files={"depot-00001": {"README.md": "x"}})
    gh.rename("ancien-nom", "nouveau-nom")
    listing = run.crawl("ancien-nom")
    assert listing.renamed_to == "nouveau-nom"
    assert {r.repository_url for r in listing.repositories} == {
        f"https://github.com/nouveau-nom/{r['name']}" for r in served
    }
    assert listing.organisations[0].login == "nouveau-nom"
    first = next(r for r in listing.repositories if r.name == "depot-00001")
    assert signals_of(listing)[first.id].has_readme
    # GraphQL (null), REST /users (301, then the new login), GraphQL under the new login.
    assert [(r.method, r.path, r.status) for r in emulator.requests()] == [
        ("POST", GRAPHQL, 200),
        ("GET", "/gh/users/ancien-nom", 301),
        ("GET", "/gh/users/nouveau-nom", 200),
        ("POST", GRAPHQL, 200),
    ]


def test_deleted_owner_is_not_found(gh: GitHubForge, run: Runner, emulator: Emulator):
    with pytest.raises(OwnerNotFound, match=r"compte introuvable sur github\.com : disparu"):
        run.crawl("disparu")
    assert [(r.method, r.status) for r in emulator.requests()] == [("POST", 200), ("GET", 404)]


def test_owner_known_to_rest_only_is_listed_over_rest(
    gh: GitHubForge, run: Runner, emulator: Emulator
):
    gh.add_org("en-retard", 3)
    gh.graphql.hidden.add("en-retard")
    listing = run.crawl("en-retard")
    assert len(listing.repositories) == 3 and signals_of(listing) == {}
    assert emulator.count(GRAPHQL, method="POST") == 1


@pytest.mark.parametrize("status", [200, 403])
def test_rate_limited_defers_the_forge(gh: GitHubForge, run: Runner, emulator, status: int):
    gh.add_org("etalab", 5)
    gh.graphql.rate_limit(status=status, reset_in=7200)
    before = time.time()
    with pytest.raises(RateLimited, match="reportée") as caught:
        run.crawl("etalab")
    assert caught.value.reset_at is not None
    assert before + 7000 < caught.value.reset_at < time.time() + 7300
    assert emulator.count() == 1
    assert TOKEN not in str(caught.value)


def test_rate_limited_403_with_a_near_reset_is_waited_for(
    gh: GitHubForge, run: Runner, emulator, sleeps
):
    gh.add_org("etalab", 5)
    gh.graphql.rate_limit(status=403, reset_in=10)
    assert len(run.crawl("etalab").repositories) == 5
    assert len(sleeps) == 1 and 5 <= sleeps[0] <= 12
    assert emulator.count(GRAPHQL, method="POST") == 2


def test_5xx_is_retried(gh: GitHubForge, run: Runner, emulator: Emulator, sleeps):
    gh.add_org("etalab", 150)
    emulator.fault(GRAPHQL, "status", method="POST", times=2, status=500)
    listing = run.crawl("etalab")
    assert len(listing.repositories) == 150
    assert run.stats.retries == 2 and len(sleeps) == 2
    assert emulator.count(GRAPHQL, method="POST") == 2 + 2


@pytest.mark.parametrize(("kind", "status"), [("secondary", 403), ("rate_limit", 429)])
def test_retry_after_is_honoured(
    gh: GitHubForge, run: Runner, emulator, sleeps, kind: str, status: int
):
    gh.add_org("etalab", 5)
    emulator.fault(GRAPHQL, kind, method="POST", retry_after=30)
    assert len(run.crawl("etalab").repositories) == 5
    assert sleeps == [30.0]
    assert emulator.count(GRAPHQL, method="POST", status=status) == 1


def test_malformed_json_fails_the_owner_then_recovers(
    gh: GitHubForge, run: Runner, emulator: Emulator
):
    gh.add_org("etalab", 150)
    emulator.fault(GRAPHQL, "truncated", method="POST")
    with pytest.raises(MalformedResponse, match="JSON illisible"):
        run.crawl("etalab")
    assert len(run.crawl("etalab").repositories) == 150


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"data": None}, "sans « data »"),
        ({}, "sans « data »"),
        ("<html>", "illisible"),
        ({"errors": [{"type": "INTERNAL", "message": "Something\nwent wrong"}]}, "refusée"),
        ({"data": {"repositoryOwner": {"login": "x", "repositories": None}}}, "incomplète"),
    ],
)
def test_answers_without_usable_data_are_malformed(payload, message: str):
    target = Target("github.com", ForgeKind.GITHUB, "https://api.github.com", "etalab")
    with pytest.raises(MalformedResponse, match=message) as caught:
        read_page(payload, {}, target)
    assert "\n" not in str(caught.value)


def test_not_found_error_means_unknown_owner():
    target = Target("github.com", ForgeKind.GITHUB, "https://api.github.com", "etalab")
    error = {"type": "NOT_FOUND", "path": ["repositoryOwner"], "message": "Could not resolve"}
    assert read_page({"data": {"repositoryOwner": None}, "errors": [error]}, {}, target) is None
    assert read_page({"data": {"repositoryOwner": None}}, {}, target) is None


def test_repeated_cursor_is_a_pagination_loop(gh: GitHubForge, run: Runner, emulator: Emulator):
    gh.add_org("boucle", 250)
    gh.set_loop("boucle")
    with pytest.raises(MalformedResponse, match="boucle de pagination"):
        run.crawl("boucle")
    assert emulator.count(GRAPHQL, method="POST") == 2


def test_more_pages_than_possible_is_a_pagination_loop(
    gh: GitHubForge, run: Runner, emulator: Emulator
):
    gh.add_org("sans-fin", 50)
    gh.graphql.endless.add("sans-fin")
    with pytest.raises(MalformedResponse, match="boucle de pagination"):
        run.crawl("sans-fin")
    assert emulator.count(GRAPHQL, method="POST") == 2  # ceil(50 / 100) + 1 of slack


def test_refused_token_is_explained(gh: GitHubForge, run: Runner, emulator: Emulator):
    gh.add_org("etalab", 1)
    emulator.fault(GRAPHQL, "status", method="POST", status=401)
    with pytest.raises(ForgeUnavailable, match=r"jeton refusé.*GITHUB_COM ou GITHUB_TOKEN") as e:
        run.crawl("etalab")
    assert TOKEN not in str(e.value)


def test_graphql_forced_without_token_gets_401(gh: GitHubForge, emulator, fast_policy):
    gh.add_org("etalab", 1)
    runner = Runner(gh, fast_policy, token=None, graphql=True)
    with pytest.raises(ForgeUnavailable, match="jeton refusé"):
        runner.crawl("etalab")
    assert [(r.method, r.status) for r in emulator.requests()] == [("POST", 401)]


def test_repository_without_id_is_malformed(gh: GitHubForge, run: Runner):
    served = gh.add_org("etalab", 2)
    del served[1]["id"]
    with pytest.raises(MalformedResponse, match="sans identifiant"):
        run.crawl("etalab")


# -- (5) private repositories -------------------------------------------------------------------


def test_private_repositories_are_left_out(gh: GitHubForge, run: Runner):
    gh.add_org("etalab", [{"name": "public"}, {"name": "secret", "private": True}])
    listing = run.crawl("etalab")
    assert [r.name for r in listing.repositories] == ["public"]
    assert listing.organisations[0].repositories_count == 1
    # Even from a server that ignored privacy: PUBLIC, a private node is never listed.
    gh.graphql.ignore_privacy = True
    listing = run.crawl("etalab")
    assert [r.name for r in listing.repositories] == ["public"] and len(signals_of(listing)) == 1


# -- (6) mode selection -------------------------------------------------------------------------


def test_without_token_the_rest_listing_is_used(gh: GitHubForge, emulator, fast_policy):
    gh.add_org("etalab", 3)
    runner = Runner(gh, fast_policy, token=None)
    assert runner.crawler.graphql is False
    listing = runner.crawl("etalab")
    assert len(listing.repositories) == 3 and signals_of(listing) == {}
    assert emulator.count(method="POST") == 0
    assert emulator.count() == 3  # /users, /orgs, one page


def test_registry_picks_graphql_when_a_token_is_given(fast_policy):
    session = make_session("github.com", stats=Stats(), etags=None, policy=fast_policy)
    assert make_crawler(ForgeKind.GITHUB, session, token="t").graphql is True
    assert make_crawler(ForgeKind.GITHUB, session, token=None).graphql is False
    assert GitHubCrawler(session, token="t", graphql=False).graphql is False


@pytest.mark.parametrize(
    ("api_url", "graphql_url"),
    [
        ("https://api.github.com", "https://api.github.com/graphql"),
        ("https://github.example.fr/api/v3", "https://github.example.fr/api/graphql"),
        ("http://127.0.0.1:8080/gh", "http://127.0.0.1:8080/gh/graphql"),
    ],
)
def test_pygithub_derives_the_graphql_url(api_url: str, graphql_url: str):
    assert Github(base_url=api_url).requester.graphql_url == graphql_url


def test_github_enterprise_root(emulator: Emulator, fast_policy: HttpPolicy):
    ghe = GitHubForge(emulator, prefix="/ghe/api/v3", host="github.example.fr")
    ghe.add_org("dinum", 2)
    session = make_session("github.example.fr", stats=Stats(), etags=None, policy=fast_policy)
    crawler = GitHubCrawler(session, token=TOKEN)
    target = Target("github.example.fr", ForgeKind.GITHUB, ghe.api_url, "dinum")
    assert len(crawler.crawl(target, Known()).repositories) == 2
    assert [r.path for r in emulator.requests()] == ["/ghe/api/graphql"]


def test_cli_crawl_with_a_token_lists_through_graphql(
    tmp_path, gh: GitHubForge, emulator: Emulator, monkeypatch: pytest.MonkeyPatch
):
    from click.testing import CliRunner

    from inventory.cli import main

    gh.add_org("etalab", 120, files={"depot-00001": {"README.md": "# Outil"}})
    gh.add_user("jdupont", 2)
    sources = tmp_path / "sources.yml"
    sources.write_text("github.com:\n  forge: github\n  owners:\n    etalab:\n    jdupont:\n")
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    args = ["crawl", "--sources", str(sources), "--db", str(tmp_path / "db.sqlite3")]
    result = CliRunner().invoke(main, [*args, "--api-url", f"github.com={gh.api_url}"])
    assert result.exit_code == 0, result.output
    assert TOKEN not in result.output
    assert emulator.count() == emulator.count(GRAPHQL, method="POST") == 2 + 1
    # The signals observed in the listing were committed with it.
    with Store.open_readonly(tmp_path / "db.sqlite3") as store:
        etalab = Target("github.com", ForgeKind.GITHUB, gh.api_url, "etalab")
        stored = store.stored_health(etalab)
        by_name = {r.name: r.id for r in store.repositories() if r.organization_name == "etalab"}
    assert len(stored) == 120
    readme = stored[by_name["depot-00001"]].signals
    assert readme is not None and readme.has_readme
    assert stored[by_name["depot-00002"]].signals == HealthSignals()


# -- the emulator itself ------------------------------------------------------------------------


def test_listing_query_is_valid_against_the_schema(gh: GitHubForge):
    assert validate(gh.graphql.schema, parse(LISTING_QUERY)) == []


def _post(gh: GitHubForge, query: str, variables: dict | None = None, **headers: str):
    return requests.post(
        gh.emu.url + GRAPHQL,
        json={"query": query, "variables": variables or {}},
        headers=headers,
        timeout=10,
    )


def test_emulator_validates_like_github(gh: GitHubForge):
    gh.add_org("etalab", 3)
    auth = {"Authorization": f"bearer {TOKEN}"}
    unknown = _post(gh, '{ repositoryOwner(login: "etalab") { login stars } }', **auth)
    assert unknown.status_code == 200
    body = unknown.json()
    assert "data" not in body and "stars" in body["errors"][0]["message"]
    assert unknown.headers["X-RateLimit-Resource"] == "graphql"
    too_many = _post(
        gh,
        'query { repositoryOwner(login: "etalab") { repositories(first: 101) { totalCount } } }',
        **auth,
    ).json()
    assert too_many["errors"][0]["type"] == "EXCESSIVE_PAGINATION"
    unbounded = _post(
        gh, '{ repositoryOwner(login: "etalab") { repositories { totalCount } } }', **auth
    ).json()
    assert unbounded["errors"][0]["type"] == "MISSING_PAGINATION_BOUNDARIES"
    assert _post(gh, '{ repositoryOwner(login: "etalab") { login } }').status_code == 401


def test_emulator_cursors_are_opaque_and_page(gh: GitHubForge):
    gh.add_org("etalab", 5)
    auth = {"Authorization": f"bearer {TOKEN}"}
    query = """query($after: String) { repositoryOwner(login: "ETALAB") {
        repositories(first: 2, after: $after, orderBy: {field: NAME, direction: DESC}) {
          totalCount pageInfo { hasNextPage endCursor } nodes { name } } } }"""
    names, cursor = [], None
    for _ in range(3):
        page = _post(gh, query, {"after": cursor}, **auth).json()["data"]["repositoryOwner"]
        connection = page["repositories"]
        assert connection["totalCount"] == 5
        names += [node["name"] for node in connection["nodes"]]
        cursor = connection["pageInfo"]["endCursor"]
        assert not cursor.isdigit()
    assert names == [f"depot-{i:05d}" for i in range(5, 0, -1)]
    assert connection["pageInfo"]["hasNextPage"] is False


# -- the orchestrator's two GitHub modes -----------------------------------------------------


def _crawl_modes_world(gh: GitHubForge) -> Target:
    gh.add_org(
        "etalab",
        150,
        files={
            "depot-00001": {"README.md": "# x", "LICENSE": "EUPL"},
            "depot-00002": {"publiccode.yml": _publiccode("depot-00002")},
        },
    )
    return Target("github.com", ForgeKind.GITHUB, gh.api_url, owner="etalab")


def test_rest_mode_with_a_token_gathers_changed_repositories_by_batched_graphql(
    tmp_path, gh: GitHubForge, emulator: Emulator, fast_policy: HttpPolicy
) -> None:
    from crawlers.github_graphql import ROOT_FILES_BATCH as GITHUB_BATCH
    from inventory.catalogue.crawl import run_crawl
    from tests.catalogue.helpers import read_health

    target = _crawl_modes_world(gh)
    names = {r["name"] for r in gh.repos_of("etalab")}
    assert {"depot-00001", "depot-00002"} <= names
    env = {"GITHUB_TOKEN": TOKEN}
    db = tmp_path / "db.sqlite3"
    with Store.open(db) as store:
        first = run_crawl([target], store, policy=fast_policy, environ=env, github_graphql=False)
        # REST listing (owner lookups + 2 pages), then one GraphQL request per 50 repositories.
        assert emulator.count(GRAPHQL, method="POST") == math.ceil(150 / GITHUB_BATCH)
        assert first.health_requests == math.ceil(150 / GITHUB_BATCH)
        assert (first.health_checked, first.health_skipped) == (150, ())
        emulator.clear_log()
        second = run_crawl([target], store, policy=fast_policy, environ=env, github_graphql=False)
        # Nothing changed: every REST page is a 304 and no GraphQL request is sent.
        assert emulator.count(GRAPHQL, method="POST") == 0
        assert second.not_modified == second.requests and second.health_requests == 0
    by_url = {r.repository_url.rsplit("/", 1)[1]: r.id for r in Store.open(db).repositories()}
    signals = read_health(db)
    assert signals[by_url["depot-00001"]].has_readme and signals[by_url["depot-00001"]].has_license
    publiccode = signals[by_url["depot-00002"]].publiccode
    assert publiccode is not None and publiccode.valid


def test_graphql_mode_needs_no_health_request(
    tmp_path, gh: GitHubForge, emulator: Emulator, fast_policy: HttpPolicy
) -> None:
    from inventory.catalogue.crawl import run_crawl

    target = _crawl_modes_world(gh)
    with Store.open(tmp_path / "db.sqlite3") as store:
        summary = run_crawl([target], store, policy=fast_policy, environ={"GITHUB_TOKEN": TOKEN})
        assert summary.requests == 2  # two listing pages, signals included
        assert (summary.health_checked, summary.health_requests) == (150, 0)
        assert len(store.stored_health(target)) == 150
