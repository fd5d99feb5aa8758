"""Gathering health signals from emulated forges, within the request budget."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from crawlers.base import ForgeKind, Listing, Target
from crawlers.github_graphql import ROOT_FILES_BATCH as GITHUB_BATCH
from crawlers.gitlab_graphql import BATCH as GITLAB_BATCH
from inventory.catalogue.health import HealthSignals
from inventory.catalogue.health_pass import gather
from inventory.catalogue.store import Store
from inventory.cli import main
from tests.catalogue.helpers import read_health
from tests.catalogue.test_publiccode import VALID
from tests.emulator.health import (
    GITEA,
    GITHUB,
    GITLAB,
    Files,
)
from tests.insights.helpers import repo

ENV = {"GITHUB_TOKEN": "gh-secret"}
FULL = {"README.md": "# x", "LICENSE": "EUPL", "CONTRIBUTING.md": "", "CHANGELOG.md": ""}
KINDS = {"github": ForgeKind.GITHUB, "gitlab": ForgeKind.GITLAB, "gitea": ForgeKind.GITEA}


def make_db(path: Path, repositories) -> Path:
    with Store.open(path) as store:
        for r in repositories:
            target = Target(r.platform, KINDS[r.forge], "http://127.0.0.1:1", r.id)
            store.save_listing(Listing(target, (), (r,)))
    return path


@pytest.fixture
def files(emulator) -> Files:
    return Files(emulator)


def overrides(files: Files) -> dict[str, str]:
    return {
        "github.com": files.url(GITHUB),
        "gitlab.com": files.url(GITLAB),
        "git.example.fr": files.url(GITEA),
    }


def test_all_three_forges_and_publiccode(tmp_path, files, fast_policy) -> None:
    gh = [repo(f"https://github.com/etalab/r{i}", last_update="2026-01-01") for i in range(3)]
    gl = repo("https://gitlab.com/a/b/c", forge="gitlab", last_update="2026-01-01")
    gt = repo("https://git.example.fr/ville/outil", forge="gitea", last_update="2026-01-01")
    files.repos = {
        "etalab/r0": {**FULL, "publiccode.yml": VALID.replace("Etalab/taxe", "etalab/r0")},
        "etalab/r1": {"readme.txt": "", "src": ""},
        "etalab/r2": {},
        "a/b/c": {"README": "", "publiccode.yml": VALID},  # url of another repository
        "ville/outil": {"Licence.md": "", "CONTRIBUTING": ""},
    }
    db = make_db(tmp_path / "db.sqlite3", [*gh, gl, gt])
    with Store.open(db) as store:
        summary = gather(
            [*gh, gl, gt], store, api_overrides=overrides(files), policy=fast_policy, environ=ENV
        )
    assert summary.complete and summary.checked == 5
    # GitHub and GitLab: one GraphQL request each (GitLab's carries its publiccode.yml too);
    # Gitea: one listing.
    assert files.emulator.count(r"/health-gh/graphql", method="POST") == 1
    assert files.emulator.count(r"/health-gl/graphql", method="POST") == 1
    assert files.emulator.count(r"/health-gl/.*") == 1
    assert files.emulator.count(r"/health-gt/.*") == 1
    assert summary.requests == 3
    signals = read_health(db)
    r0 = signals["github.com/etalab/r0"]
    assert (r0.has_readme, r0.has_license, r0.has_contributing, r0.has_changelog) == (True,) * 4
    assert r0.has_publiccode and r0.publiccode.valid and r0.publiccode.name == "Taxe"
    assert r0.publiccode.description == "Un calculateur de taxe"
    assert signals["github.com/etalab/r1"] == HealthSignals(has_readme=True)
    assert signals["github.com/etalab/r2"] == HealthSignals()
    c = signals["gitlab.com/a/b/c"]
    assert c.has_readme and c.has_publiccode and not c.publiccode.valid
    assert [p.code for p in c.publiccode.problems] == ["publiccode-url-spoofed"]
    assert signals["git.example.fr/ville/outil"] == HealthSignals(
        has_license=True, has_contributing=True
    )
    # The GraphQL query carries the names as variables, with the token.
    (request,) = files.emulator.requests(r"/health-gh/graphql")
    assert request.headers["Authorization"] == "bearer gh-secret"


def test_second_run_with_nothing_changed_sends_nothing(tmp_path, files, fast_policy) -> None:
    repos = [
        repo("https://gitlab.com/a/b/c", forge="gitlab", last_update="2026-01-01"),
        repo("https://git.example.fr/ville/outil", forge="gitea", last_update="2026-01-01"),
    ]
    files.repos = {"a/b/c": {"README": ""}, "ville/outil": {"README": ""}}
    db = make_db(tmp_path / "db.sqlite3", repos)
    with Store.open(db) as store:
        gather(repos, store, api_overrides=overrides(files), policy=fast_policy, environ={})
        files.emulator.clear_log()
        again = gather(repos, store, api_overrides=overrides(files), policy=fast_policy, environ={})
        assert (again.checked, again.skipped, again.requests) == (0, 2, 0)
        changed = [
            repos[0],
            repo("https://git.example.fr/ville/outil", forge="gitea", last_update="2026-02-02"),
        ]
        third = gather(
            changed, store, api_overrides=overrides(files), policy=fast_policy, environ={}
        )
        assert (third.checked, third.skipped, third.requests) == (1, 1, 1)


def test_github_batches_and_missing_repositories(tmp_path, files, fast_policy) -> None:
    many = [repo(f"https://github.com/o/r{i}", last_update="x") for i in range(GITHUB_BATCH + 5)]
    files.repos = {f"o/r{i}": {"README.md": ""} for i in range(GITHUB_BATCH + 4)}  # last one gone
    db = make_db(tmp_path / "db.sqlite3", many)
    with Store.open(db) as store:
        summary = gather(
            many, store, api_overrides=overrides(files), policy=fast_policy, environ=ENV
        )
    assert files.emulator.count(r"/health-gh/graphql") == 2
    assert summary.checked == GITHUB_BATCH + 4
    assert summary.failed == (
        f"https://github.com/o/r{GITHUB_BATCH + 4} : dépôt introuvable par "
        f"GraphQL : https://github.com/o/r{GITHUB_BATCH + 4}",
    )


def test_github_without_token_is_deferred(tmp_path, files, fast_policy) -> None:
    r = repo("https://github.com/o/r", last_update="x")
    db = make_db(tmp_path / "db.sqlite3", [r])
    with Store.open(db) as store:
        summary = gather([r], store, api_overrides=overrides(files), policy=fast_policy, environ={})
    assert summary.deferred == ("github.com (jeton nécessaire pour l'API GraphQL)",)
    assert files.emulator.count() == 0 and not summary.complete


@pytest.mark.parametrize("forge", ["gitlab", "gitea"])
def test_rest_faults_are_per_repository(tmp_path, files, fast_policy, forge) -> None:
    host, root = (
        ("gitlab.com", "/health-gl/projects")
        if forge == "gitlab"
        else (
            "git.example.fr",
            "/health-gt/repos",
        )
    )
    tree = "repository/tree" if forge == "gitlab" else "contents"
    files.gitlab_graphql = "old"  # GitLab read over REST
    repos = [
        repo(f"https://{host}/g/one", forge=forge, last_update="x"),
        repo(f"https://{host}/g/two", forge=forge, last_update="x"),
    ]
    files.repos = {"g/one": {"README": ""}, "g/two": {"README": ""}}
    files.emulator.fault(rf"{root}/g/one/{tree}", "truncated", times=None)
    files.emulator.fault(rf"{root}/g/two/{tree}", "status", status=503, times=1)
    db = make_db(tmp_path / "db.sqlite3", repos)
    with Store.open(db) as store:
        summary = gather(
            repos, store, api_overrides=overrides(files), policy=fast_policy, environ={}
        )
    assert summary.checked == 1
    assert summary.failed == (
        f"https://{host}/g/one : réponse illisible pour https://{host}/g/one",
    )
    assert set(read_health(db)) == {f"{host}/g/two"}


def test_gitlab_graphql_batches_and_falls_back(tmp_path, files, fast_policy) -> None:
    many = [
        repo(f"https://gitlab.com/g/r{i}", forge="gitlab", last_update="x")
        for i in range(GITLAB_BATCH + 2)
    ]
    files.repos = {f"g/r{i}": {"README.md": ""} for i in range(GITLAB_BATCH + 1)}  # last one gone
    db = make_db(tmp_path / "db.sqlite3", many)
    env = {"GITLAB_TOKEN": "gl-secret"}
    with Store.open(db) as store:
        summary = gather(
            many, store, api_overrides=overrides(files), policy=fast_policy, environ=env
        )
        assert files.emulator.count(r"/health-gl/graphql", method="POST") == 2
        assert files.emulator.count(r"/health-gl/projects/.*") == 0
        assert summary.checked == GITLAB_BATCH + 1 and summary.requests == 2
        gone = many[-1].repository_url
        assert summary.failed == (f"{gone} : projet introuvable par GraphQL : {gone}",)
        for request in files.emulator.requests(r"/health-gl/graphql"):
            assert request.headers["Authorization"] == "Bearer gl-secret"

        # An instance without GraphQL: one refused POST, then REST (with GitLab's header).
        files.gitlab_graphql = "absent"
        files.emulator.clear_log()
        again = gather(many, store, api_overrides=overrides(files), policy=fast_policy, environ=env)
        assert files.emulator.count(r"/health-gl/graphql", method="POST") == 1
        # Only the failed one was due; REST reads it as an empty repository (404).
        assert (again.checked, again.skipped, again.requests) == (1, GITLAB_BATCH + 1, 2)
        (tree,) = files.emulator.requests(r"/health-gl/projects/.*")
        assert {k.lower(): v for k, v in tree.headers.items()}["private-token"] == "gl-secret"


def test_cli(tmp_path, files) -> None:
    r = repo("https://gitlab.com/a/b/c", forge="gitlab", last_update="x")
    files.repos = {"a/b/c": {"README": ""}}
    db = make_db(tmp_path / "db.sqlite3", [r])
    result = CliRunner().invoke(
        main, ["health", "--db", str(db), "--api-url", f"gitlab.com={files.url(GITLAB)}"]
    )
    assert result.exit_code == 0, result.output
    assert "Dépôts examinés" in result.output
    result = CliRunner().invoke(main, ["health", "--db", str(tmp_path / "none.sqlite3")])
    assert result.exit_code == 1 and "introuvable" in result.output
