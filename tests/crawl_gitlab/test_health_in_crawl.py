"""Health signals gathered by the crawl itself (issue 6), under the real orchestrator and store.

GitLab and Gitea listings carry no file information: the crawl asks, for each repository new
or changed since its last check, for its root file names (one request) and reads its
``publiccode.yml`` only when the root holds one. These tests count those requests on the
emulator against that budget, and check what is stored.
"""

from __future__ import annotations

from pathlib import Path

from crawlers.base import ForgeKind, Target
from crawlers.http import HttpPolicy
from inventory.crawl import run_crawl
from inventory.health_crawl import read_health
from inventory.store import Store
from tests.emulator.core import Emulator
from tests.emulator.gitea import GiteaEmulator
from tests.emulator.github import GitHubForge
from tests.emulator.gitlab import GitLabEmulator
from tests.emulator.health import Files
from tests.insights.test_publiccode import VALID

FULL = {"README.md": "# Calcul", "LICENSE": "EUPL", "CONTRIBUTING.md": "", "CHANGELOG.md": ""}


def publiccode_for(url: str) -> str:
    return VALID.replace("https://github.com/Etalab/taxe.git", url)


class World:
    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator
        self.gitlab = GitLabEmulator(emulator, host="gitlab.example.fr", prefix="/gl")
        self.gitea = GiteaEmulator(emulator, host="git.example.fr", prefix="/gt")
        # The file endpoints are served beside each forge's own API.
        self.files = Files(
            emulator,
            gitlab="/gl/api/v4",
            gitea="/gt/api/v1",
            github="/unused-graphql",
        )
        group = self.gitlab.add_group("dinum")
        self.calcul = self.gitlab.add_project(group, "calcul")
        self.spoof = self.gitlab.add_project(group, "copie")
        self.empty = self.gitlab.add_project(group, "vide")
        mairie = self.gitea.add_org("mairie")
        self.site = self.gitea.add_repo(mairie, "site")
        calcul_url = "https://gitlab.example.fr/dinum/calcul"
        self.files.repos["dinum/calcul"] = {**FULL, "publiccode.yml": publiccode_for(calcul_url)}
        # A publiccode.yml copied from another project: its url names that other project.
        self.files.repos["dinum/copie"] = {
            "README.md": "# Copie",
            "publiccode.yml": publiccode_for(calcul_url),
        }
        self.files.repos["mairie/site"] = {"README.md": "# Site", "LICENSE": "MIT"}
        self.targets = [
            Target(self.gitlab.host, ForgeKind.GITLAB, self.gitlab.api_url, owner="dinum"),
            Target(self.gitea.host, ForgeKind.GITEA, self.gitea.api_url, owner="mairie"),
        ]

    def file_requests(self) -> int:
        return self.emulator.count(r"/gl/api/v4/projects/.+/repository/.+") + self.emulator.count(
            r"/gt/api/v1/repos/[^/]+/[^/]+/(contents|raw/.+)"
        )

    def requested(self, pattern: str) -> int:
        return self.emulator.count(pattern)


def ids(db: Path) -> dict[str, str]:
    with Store.open(db) as store:
        return {r.repository_url.rsplit("/", 1)[1]: r.id for r in store.repositories()}


def test_first_crawl_gathers_every_signal_within_the_budget(
    tmp_path: Path, emulator: Emulator, fast_policy: HttpPolicy
) -> None:
    world = World(emulator)
    db = tmp_path / "db.sqlite3"
    with Store.open(db) as store:
        summary = run_crawl(world.targets, store, policy=fast_policy)
    assert summary.exit_code == 0
    # 4 repositories: one root listing each, plus one read per publiccode.yml found (2).
    assert summary.health_checked == 4
    assert summary.health_failed == 0
    assert summary.health_requests == 4 + 2
    assert world.file_requests() == 4 + 2
    assert summary.health_skipped == ()

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
    vide = signals[by_name["vide"]]  # an empty project has no tree (404): no file at all
    assert not (vide.has_readme or vide.has_license or vide.has_publiccode)
    site = signals[by_name["site"]]
    assert (site.has_readme, site.has_license, site.has_publiccode) == (True, True, False)


def test_only_changed_repositories_cost_a_request(
    tmp_path: Path, emulator: Emulator, fast_policy: HttpPolicy
) -> None:
    world = World(emulator)
    db = tmp_path / "db.sqlite3"
    with Store.open(db) as store:
        run_crawl(world.targets, store, policy=fast_policy)
        emulator.clear_log()
        second = run_crawl(world.targets, store, policy=fast_policy)
        assert (second.health_checked, second.health_requests) == (0, 0)
        assert world.file_requests() == 0

        # A push on one project, a new README on it: only that project is asked again.
        world.gitlab.touch(world.calcul, "2026-11-20T08:00:00.000Z")
        world.files.repos["dinum/calcul"].pop("CONTRIBUTING.md")
        emulator.clear_log()
        third = run_crawl(world.targets, store, policy=fast_policy)
        assert third.repositories_updated == 1
        assert (third.health_checked, third.health_requests) == (1, 2)
        assert world.requested(r"/gl/api/v4/projects/dinum/calcul/repository/tree") == 1
        assert world.file_requests() == 2
    calcul = read_health(db)[ids(db)["calcul"]]
    assert not calcul.has_contributing and calcul.has_readme


def test_a_failed_check_keeps_the_listing_and_is_retried(
    tmp_path: Path, emulator: Emulator, fast_policy: HttpPolicy
) -> None:
    world = World(emulator)
    db = tmp_path / "db.sqlite3"
    emulator.fault(r"/gt/api/v1/repos/mairie/site/contents", "status", status=500, times=None)
    with Store.open(db) as store:
        first = run_crawl(world.targets, store, policy=fast_policy)
        # The listing itself succeeded: the owner is fine, the repository is stored, fresh.
        assert first.exit_code == 0
        assert (first.health_checked, first.health_failed) == (3, 1)
        site = next(r for r in store.repositories() if r.name == "site")
        assert site.stale_since is None
        assert site.id not in read_health(db)

        emulator.clear_faults()
        emulator.clear_log()
        second = run_crawl(world.targets, store, policy=fast_policy)
        # Unchanged, but its last check failed: asked again, and only it.
        assert (second.health_checked, second.health_failed) == (1, 0)
        assert world.requested(r"/gt/api/v1/repos/mairie/site/contents") == 1
        assert world.file_requests() == 1
    assert read_health(db)[site.id].has_readme


def test_gone_repositories_lose_their_signals(
    tmp_path: Path, emulator: Emulator, fast_policy: HttpPolicy
) -> None:
    world = World(emulator)
    db = tmp_path / "db.sqlite3"
    with Store.open(db) as store:
        run_crawl(world.targets, store, policy=fast_policy)
        empty_id = ids(db)["vide"]
        assert empty_id in read_health(db)
        del world.gitlab.projects[world.empty["id"]]
        summary = run_crawl(world.targets, store, policy=fast_policy)
        assert summary.repositories_gone == 1
    assert empty_id not in read_health(db)
    assert len(read_health(db)) == 3


def test_health_can_be_turned_off(
    tmp_path: Path, emulator: Emulator, fast_policy: HttpPolicy
) -> None:
    world = World(emulator)
    with Store.open(tmp_path / "db.sqlite3") as store:
        summary = run_crawl(world.targets, store, policy=fast_policy, health=False)
    assert summary.exit_code == 0
    assert (summary.health_checked, summary.health_requests) == (0, 0)
    assert world.file_requests() == 0


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
