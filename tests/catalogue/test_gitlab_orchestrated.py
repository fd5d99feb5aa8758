"""GitLab and Gitea adapters under the real orchestrator and SQLite store."""

from __future__ import annotations

from pathlib import Path

from crawlers.base import ForgeKind, Target
from crawlers.http import HttpPolicy
from inventory.catalogue.crawl import run_crawl
from inventory.catalogue.store import Store
from tests.crawlers.gitlab.test_gitlab_crawl import PROJECT_DETAIL, build_deep_group
from tests.emulator.core import Emulator
from tests.emulator.gitea import GiteaEmulator
from tests.emulator.gitlab import GitLabEmulator


def test_incremental_crawl_through_the_store(
    tmp_path: Path, emulator: Emulator, fast_policy: HttpPolicy
):
    gitlab = GitLabEmulator(emulator, host="gitlab.example.fr", prefix="/gl")
    _, _, wanted = build_deep_group(gitlab)
    user = gitlab.add_user("jdupont")
    gitlab.add_project(user, "perso", license_key="etalab-2.0", languages={"R": 100.0})
    gitea = GiteaEmulator(emulator, host="git.example.fr", prefix="/gt")
    gitea.add_repo(gitea.add_org("mairie"), "site", licenses=["EUPL-1.2"])
    targets = [
        Target(gitlab.host, ForgeKind.GITLAB, gitlab.api_url, owner="dinum", pso_id="p1"),
        Target(gitlab.host, ForgeKind.GITLAB, gitlab.api_url, owner="jdupont", pso_id="p2"),
        Target(gitlab.host, ForgeKind.GITLAB, gitlab.api_url, owner="disparu", pso_id="p3"),
        Target(gitea.host, ForgeKind.GITEA, gitea.api_url, owner="mairie", pso_id="p4"),
    ]
    with Store.open(tmp_path / "db.sqlite3") as store:
        first = run_crawl(targets, store, policy=fast_policy)
        assert first.owners_ok == 3
        assert [f.target for f in first.owners_failed] == ["gitlab.example.fr/disparu"]
        assert first.exit_code == 3
        repos = {r.id: r for r in store.repositories()}
        assert len(repos) == len(wanted) + 2
        perso = next(r for r in repos.values() if r.name == "perso")
        assert (perso.license, perso.language, perso.pso_id) == ("etalab-2.0", "R", "p2")

        emulator.clear_log()
        second = run_crawl(targets[:2] + targets[3:], store, policy=fast_policy)
        assert second.exit_code == 0
        assert emulator.count(gitlab.api_path + PROJECT_DETAIL) == 0
        assert second.not_modified >= 4  # group, 2 pages, user lookup... all revalidated
        assert (second.repositories_new, second.repositories_updated) == (0, 0)
        assert {r.id: r for r in store.repositories()} == repos

        # The group fails for good: its projects are kept, marked stale, never lost.
        emulator.fault(gitlab.api_path + r"/groups/.*", "status", status=503, times=None)
        third = run_crawl(targets[:1], store, policy=fast_policy)
        assert [f.target for f in third.owners_failed] == ["gitlab.example.fr/dinum"]
        kept = [r for r in store.repositories() if r.organization_name == "dinum"]
        assert len(kept) == len(wanted)
        assert all(r.stale_since for r in kept)
        assert {r.license for r in kept} == {"CECILL-2.1", "MIT"}
