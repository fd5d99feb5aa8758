"""Health signals gathered by the crawl itself, under the real orchestrator and store.

GitLab listings carry no file information: the crawl asks GitLab's GraphQL API for the root
file names and the ``publiccode.yml`` of the projects new or changed since their last check,
:data:`crawlers.gitlab_graphql.BATCH` projects per request; an instance that cannot
answer that query is read over REST instead (one request per project, plus one per
``publiccode.yml``). Gitea stays on REST. These tests count those requests on the emulator
against that budget, and check what is stored.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from crawlers.base import ForgeKind, Target
from crawlers.gitlab_graphql import BATCH as GITLAB_BATCH
from crawlers.http import HttpPolicy
from inventory.catalogue.crawl import run_crawl
from inventory.catalogue.store import Store
from tests.catalogue.helpers import read_health
from tests.catalogue.test_publiccode import VALID
from tests.emulator.core import Emulator
from tests.emulator.gitea import GiteaEmulator
from tests.emulator.github import GitHubForge
from tests.emulator.gitlab import GitLabEmulator
from tests.emulator.health import Files

FULL = {"README.md": "# Calcul", "LICENSE": "EUPL", "CONTRIBUTING.md": "", "CHANGELOG.md": ""}
GRAPHQL = r"/gl/api/graphql"
GITLAB_REST = r"/gl/api/v4/projects/.+/repository/.+"
GITEA_REST = r"/gt/api/v1/repos/[^/]+/[^/]+/(contents|raw/.+)"


def publiccode_for(url: str) -> str:
    return VALID.replace("https://github.com/Etalab/taxe.git", url)


class World:
    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator
        self.gitlab = GitLabEmulator(emulator, host="gitlab.example.fr", prefix="/gl")
        self.gitea = GiteaEmulator(emulator, host="git.example.fr", prefix="/gt")
        # The file endpoints are served beside each forge's own API (GraphQL: /gl/api/graphql).
        self.files = Files(
            emulator,
            gitlab="/gl/api/v4",
            gitea="/gt/api/v1",
            github="/unused-graphql",
        )
        self.group = self.gitlab.add_group("dinum")
        self.calcul = self.gitlab.add_project(self.group, "calcul")
        self.spoof = self.gitlab.add_project(self.group, "copie")
        self.empty = self.gitlab.add_project(self.group, "vide")
        mairie = self.gitea.add_org("mairie")
        self.site = self.gitea.add_repo(mairie, "site")
        calcul_url = "https://gitlab.example.fr/dinum/calcul"
        self.files.repos["dinum/calcul"] = {
            **FULL,
            "docs/": "",
            "publiccode.yml": publiccode_for(calcul_url),
        }
        # A publiccode.yml copied from another project: its url names that other project.
        self.files.repos["dinum/copie"] = {
            "README.md": "# Copie",
            "publiccode.yml": publiccode_for(calcul_url),
        }
        self.files.empty.add("dinum/vide")  # a project whose repository has no commit
        self.files.repos["mairie/site"] = {"README.md": "# Site", "LICENSE": "MIT"}
        self.targets = [
            Target(self.gitlab.host, ForgeKind.GITLAB, self.gitlab.api_url, owner="dinum"),
            Target(self.gitea.host, ForgeKind.GITEA, self.gitea.api_url, owner="mairie"),
        ]

    def posts(self) -> int:
        return self.emulator.count(GRAPHQL, method="POST")

    def gitlab_rest(self) -> int:
        return self.emulator.count(GITLAB_REST)

    def gitea_rest(self) -> int:
        return self.emulator.count(GITEA_REST)

    def requested(self, pattern: str) -> int:
        return self.emulator.count(pattern)


def ids(db: Path) -> dict[str, str]:
    with Store.open(db) as store:
        return {r.repository_url.rsplit("/", 1)[1]: r.id for r in store.repositories()}


def check_signals(db: Path) -> None:
    """What the World's repositories show, whichever path (GraphQL or REST) read them."""
    signals = read_health(db)
    by_name = ids(db)
    calcul = signals[by_name["calcul"]]
    assert (calcul.has_readme, calcul.has_license, calcul.has_contributing) == (True, True, True)
    assert calcul.has_changelog and calcul.has_publiccode
    assert calcul.publiccode is not None and calcul.publiccode.valid
    assert calcul.publiccode.name == "Taxe"
    copie = signals[by_name["copie"]]
    assert copie.has_publiccode and copie.publiccode is not None
    assert "publiccode-url-spoofed" in {p.code for p in copie.publiccode.problems}
    vide = signals[by_name["vide"]]  # an empty project has no tree: no file at all
    assert not (vide.has_readme or vide.has_license or vide.has_publiccode)
    site = signals[by_name["site"]]
    assert (site.has_readme, site.has_license, site.has_publiccode) == (True, True, False)


def test_first_crawl_reads_gitlab_in_one_graphql_request(
    tmp_path: Path, emulator: Emulator, fast_policy: HttpPolicy
) -> None:
    world = World(emulator)
    db = tmp_path / "db.sqlite3"
    with Store.open(db) as store:
        summary = run_crawl(world.targets, store, policy=fast_policy, environ={})
    assert summary.exit_code == 0
    assert summary.health_checked == 4
    assert summary.health_failed == 0
    # GitLab: one POST for its 3 projects, publiccode.yml included; Gitea: one listing.
    assert (world.posts(), world.gitlab_rest(), world.gitea_rest()) == (1, 0, 1)
    assert summary.health_requests == 2
    assert summary.health_skipped == ()
    # No token configured: public data, asked anonymously.
    (post,) = emulator.requests(GRAPHQL, method="POST")
    assert "Authorization" not in post.headers and post.status == 200
    check_signals(db)


def test_gitlab_projects_are_batched(
    tmp_path: Path, emulator: Emulator, fast_policy: HttpPolicy
) -> None:
    gitlab = GitLabEmulator(emulator, host="gitlab.example.fr", prefix="/gl")
    files = Files(emulator, gitlab="/gl/api/v4")
    group = gitlab.add_group("lot")
    count = 2 * GITLAB_BATCH + 1
    for k in range(count):
        gitlab.add_project(group, f"p{k}")
        files.repos[f"lot/p{k}"] = {"README.md": "", **({"LICENSE": ""} if k % 2 else {})}
    target = Target(gitlab.host, ForgeKind.GITLAB, gitlab.api_url, owner="lot")
    db = tmp_path / "db.sqlite3"
    with Store.open(db) as store:
        summary = run_crawl([target], store, policy=fast_policy, environ={})
    assert (summary.health_checked, summary.health_failed) == (count, 0)
    assert emulator.count(GRAPHQL, method="POST") == math.ceil(count / GITLAB_BATCH) == 3
    assert summary.health_requests == 3
    # Every batch stayed within GitLab's anonymous complexity limit: no fallback to REST.
    assert emulator.count(GITLAB_REST) == 0
    signals = read_health(db)
    by_name = ids(db)
    licensed = sorted(name for name, rid in by_name.items() if signals[rid].has_license)
    assert len(signals) == count and all(s.has_readme for s in signals.values())
    assert licensed == sorted(f"p{k}" for k in range(1, count, 2))


def test_only_changed_repositories_cost_a_request(
    tmp_path: Path, emulator: Emulator, fast_policy: HttpPolicy
) -> None:
    world = World(emulator)
    db = tmp_path / "db.sqlite3"
    with Store.open(db) as store:
        run_crawl(world.targets, store, policy=fast_policy, environ={})
        emulator.clear_log()
        second = run_crawl(world.targets, store, policy=fast_policy, environ={})
        assert (second.health_checked, second.health_requests) == (0, 0)
        assert (world.posts(), world.gitlab_rest(), world.gitea_rest()) == (0, 0, 0)

        # A push on one project removes its CONTRIBUTING: only that project is asked again.
        world.gitlab.touch(world.calcul, "2026-11-20T08:00:00.000Z")
        world.files.repos["dinum/calcul"].pop("CONTRIBUTING.md")
        emulator.clear_log()
        third = run_crawl(world.targets, store, policy=fast_policy, environ={})
        assert third.repositories_updated == 1
        assert (third.health_checked, third.health_requests) == (1, 1)
        assert (world.posts(), world.gitlab_rest(), world.gitea_rest()) == (1, 0, 0)
    calcul = read_health(db)[ids(db)["calcul"]]
    assert not calcul.has_contributing and calcul.has_readme and calcul.has_publiccode


@pytest.mark.parametrize("instance", ["old", "absent", "complexity"])
def test_a_gitlab_without_the_query_is_read_over_rest(
    tmp_path: Path, emulator: Emulator, fast_policy: HttpPolicy, instance: str
) -> None:
    world = World(emulator)
    if instance == "complexity":  # a stricter instance: the batch exceeds its limit
        world.files.gitlab_max_complexity = 50
    else:  # "old": no Repository.blobs in its schema; "absent": no GraphQL endpoint at all
        world.files.gitlab_graphql = instance
    db = tmp_path / "db.sqlite3"
    with Store.open(db) as store:
        summary = run_crawl(world.targets, store, policy=fast_policy, environ={})
    assert summary.exit_code == 0
    assert (summary.health_checked, summary.health_failed) == (4, 0)
    # One refused POST, then REST: 3 trees (the empty project's is a 404) + 2 publiccode.yml.
    (post,) = emulator.requests(GRAPHQL, method="POST")
    assert post.status == (404 if instance == "absent" else 200)
    assert (world.gitlab_rest(), world.gitea_rest()) == (5, 1)
    assert world.requested(r"/gl/api/v4/projects/dinum/calcul/repository/files/.+/raw") == 1
    assert summary.health_requests == 1 + 5 + 1
    check_signals(db)


def test_the_fallback_holds_for_the_rest_of_the_run(
    tmp_path: Path, emulator: Emulator, fast_policy: HttpPolicy
) -> None:
    world = World(emulator)
    world.files.gitlab_graphql = "old"
    ville = world.gitlab.add_group("ville")
    world.gitlab.add_project(ville, "outil")
    world.files.repos["ville/outil"] = {"README": ""}
    targets = [
        *world.targets,
        Target(world.gitlab.host, ForgeKind.GITLAB, world.gitlab.api_url, owner="ville"),
    ]
    with Store.open(tmp_path / "db.sqlite3") as store:
        summary = run_crawl(targets, store, policy=fast_policy, per_host=1, environ={})
    assert summary.health_checked == 5
    # Two GitLab listings on one worker: a single refused POST, REST for both.
    assert world.posts() == 1
    assert world.gitlab_rest() == 4 + 2


def test_a_missing_project_fails_and_is_retried(
    tmp_path: Path, emulator: Emulator, fast_policy: HttpPolicy
) -> None:
    world = World(emulator)
    world.gitlab.add_project(world.group, "fantome")  # listed, but GraphQL answers null
    db = tmp_path / "db.sqlite3"
    with Store.open(db) as store:
        first = run_crawl(world.targets, store, policy=fast_policy, environ={})
        assert first.exit_code == 0  # the listing itself is fine
        assert (first.health_checked, first.health_failed) == (4, 1)
        assert world.posts() == 1 and world.gitlab_rest() == 0
        fantome = next(r for r in store.repositories() if r.name == "fantome")
        assert fantome.stale_since is None and fantome.id not in read_health(db)

        # Unchanged, but its check failed: asked again (alone), still failing.
        emulator.clear_log()
        second = run_crawl(world.targets, store, policy=fast_policy, environ={})
        assert (second.health_checked, second.health_failed) == (0, 1)
        assert (world.posts(), second.health_requests) == (1, 1)

        world.files.repos["dinum/fantome"] = {"README.md": ""}
        emulator.clear_log()
        third = run_crawl(world.targets, store, policy=fast_policy, environ={})
        assert (third.health_checked, third.health_failed) == (1, 0)
        assert world.posts() == 1
    assert read_health(db)[fantome.id].has_readme


def test_a_field_error_reads_that_project_over_rest(
    tmp_path: Path, emulator: Emulator, fast_policy: HttpPolicy
) -> None:
    world = World(emulator)
    world.files.broken.add("dinum/calcul")  # Repository.blobs fails for this project only
    db = tmp_path / "db.sqlite3"
    with Store.open(db) as store:
        summary = run_crawl(world.targets, store, policy=fast_policy, environ={})
    assert (summary.health_checked, summary.health_failed) == (4, 0)
    # The batch answered for the others; calcul alone was read again: tree + publiccode.yml.
    assert world.posts() == 1
    assert world.gitlab_rest() == 2
    assert world.requested(r"/gl/api/v4/projects/dinum/calcul/repository/tree") == 1
    assert summary.health_requests == 1 + 2 + 1
    check_signals(db)


def test_the_token_is_sent_as_a_bearer(
    tmp_path: Path, emulator: Emulator, fast_policy: HttpPolicy
) -> None:
    world = World(emulator)
    environ = {"INVENTORY_TOKEN_GITLAB_EXAMPLE_FR": "gl-secret"}
    with Store.open(tmp_path / "db.sqlite3") as store:
        summary = run_crawl(world.targets, store, policy=fast_policy, environ=environ)
    assert summary.health_checked == 4
    (post,) = emulator.requests(GRAPHQL, method="POST")
    assert post.headers["Authorization"] == "Bearer gl-secret"


def test_graphql_faults(tmp_path: Path, emulator: Emulator, fast_policy: HttpPolicy) -> None:
    world = World(emulator)
    db = tmp_path / "db.sqlite3"
    # A 503 is retried by the shared session (POST included), then answered.
    emulator.fault(GRAPHQL, "status", status=503, times=1, method="POST")
    with Store.open(db) as store:
        first = run_crawl(world.targets, store, policy=fast_policy, environ={})
        assert (first.health_checked, first.health_failed) == (4, 0)
        assert world.posts() == 2 and first.retries >= 1 and world.gitlab_rest() == 0
        assert emulator.count(GRAPHQL, method="POST", status=503) == 1

        # A truncated answer fails the batch's projects; they are asked again next crawl.
        world.gitlab.touch(world.calcul, "2026-11-20T08:00:00.000Z")
        world.gitlab.touch(world.spoof, "2026-11-20T08:00:00.000Z")
        emulator.fault(GRAPHQL, "truncated", times=1, method="POST")
        emulator.clear_log()
        second = run_crawl(world.targets, store, policy=fast_policy, environ={})
        assert (second.health_checked, second.health_failed) == (0, 2)
        assert (world.posts(), world.gitlab_rest()) == (1, 0)

        emulator.clear_log()
        third = run_crawl(world.targets, store, policy=fast_policy, environ={})
        assert (third.health_checked, third.health_failed) == (2, 0)
        assert world.posts() == 1
    check_signals(db)


def test_a_failed_gitea_check_keeps_the_listing_and_is_retried(
    tmp_path: Path, emulator: Emulator, fast_policy: HttpPolicy
) -> None:
    world = World(emulator)
    db = tmp_path / "db.sqlite3"
    emulator.fault(r"/gt/api/v1/repos/mairie/site/contents", "status", status=500, times=None)
    with Store.open(db) as store:
        first = run_crawl(world.targets, store, policy=fast_policy, environ={})
        # The listing itself succeeded: the owner is fine, the repository is stored, fresh.
        assert first.exit_code == 0
        assert (first.health_checked, first.health_failed) == (3, 1)
        site = next(r for r in store.repositories() if r.name == "site")
        assert site.stale_since is None
        assert site.id not in read_health(db)

        emulator.clear_faults()
        emulator.clear_log()
        second = run_crawl(world.targets, store, policy=fast_policy, environ={})
        # Unchanged, but its last check failed: asked again, and only it.
        assert (second.health_checked, second.health_failed) == (1, 0)
        assert world.requested(r"/gt/api/v1/repos/mairie/site/contents") == 1
        assert (world.posts(), world.gitlab_rest(), world.gitea_rest()) == (0, 0, 1)
    assert read_health(db)[site.id].has_readme


def test_gone_repositories_lose_their_signals(
    tmp_path: Path, emulator: Emulator, fast_policy: HttpPolicy
) -> None:
    world = World(emulator)
    db = tmp_path / "db.sqlite3"
    with Store.open(db) as store:
        run_crawl(world.targets, store, policy=fast_policy, environ={})
        empty_id = ids(db)["vide"]
        assert empty_id in read_health(db)
        del world.gitlab.projects[world.empty["id"]]
        summary = run_crawl(world.targets, store, policy=fast_policy, environ={})
        assert summary.repositories_gone == 1
    assert empty_id not in read_health(db)
    assert len(read_health(db)) == 3


def test_health_can_be_turned_off(
    tmp_path: Path, emulator: Emulator, fast_policy: HttpPolicy
) -> None:
    world = World(emulator)
    with Store.open(tmp_path / "db.sqlite3") as store:
        summary = run_crawl(world.targets, store, policy=fast_policy, health=False, environ={})
    assert summary.exit_code == 0
    assert (summary.health_checked, summary.health_requests) == (0, 0)
    assert (world.posts(), world.gitlab_rest(), world.gitea_rest()) == (0, 0, 0)


def test_github_without_token_says_signals_were_not_gathered(
    tmp_path: Path, emulator: Emulator, fast_policy: HttpPolicy
) -> None:
    github = GitHubForge(emulator, prefix="/gh", host="github.com")
    github.add_org("etalab", 3)
    target = Target("github.com", ForgeKind.GITHUB, github.api_url, owner="etalab")
    with Store.open(tmp_path / "db.sqlite3") as store:
        summary = run_crawl([target], store, policy=fast_policy, environ={})
    assert summary.exit_code == 0
    assert summary.health_checked == 0
    assert summary.health_skipped == (
        "github.com (jeton nécessaire pour relever les signaux de santé)",
    )
