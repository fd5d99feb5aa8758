"""``inventory crawl`` and the orchestrator end to end: emulator, real PyGithub, real SQLite."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawlers.base import ForgeKind, Target
from crawlers.http import HttpPolicy
from inventory.catalogue.crawl import run_crawl, select_targets
from inventory.catalogue.store import Store
from inventory.cli import main
from inventory.errors import InventoryError
from tests.emulator.core import Emulator
from tests.emulator.github import GitHubForge

SECRET = "ghp_TOPSECRET0123456789"

SOURCES = """\
github.com:
  forge: github
  owners:
    etalab:
      pso_id: pso-etalab
    betagouv:
    jdupont:
"""


@pytest.fixture
def gh(emulator: Emulator) -> GitHubForge:
    forge = GitHubForge(emulator, prefix="/gh")
    forge.add_org("etalab", 120)
    forge.add_org("betagouv", 30)
    forge.add_user("jdupont", 2)
    return forge


@pytest.fixture
def env(tmp_path: Path, gh: GitHubForge, monkeypatch: pytest.MonkeyPatch):
    sources = tmp_path / "sources.yml"
    sources.write_text(SOURCES, encoding="utf-8")
    monkeypatch.setenv("GITHUB_TOKEN", SECRET)
    # Tests never wait: the crawl's default policy is replaced by one that never sleeps.
    monkeypatch.setattr("inventory.catalogue.crawl.HttpPolicy", _fast_policy)
    return tmp_path


def _fast_policy(**kwargs) -> HttpPolicy:
    return HttpPolicy(timeout=10, max_retries=2, sleep=lambda seconds: None, **kwargs)


def crawl(tmp_path: Path, gh: GitHubForge, *args: str):
    return CliRunner().invoke(
        main,
        [
            "crawl",
            "--sources",
            str(tmp_path / "sources.yml"),
            "--db",
            str(tmp_path / "db.sqlite3"),
            "--api-url",
            f"github.com={gh.api_url}",
            *args,
        ],
    )


def _row(output: str, label: str) -> str:
    for line in output.splitlines():
        if label in line:
            return line
    raise AssertionError(f"{label!r} absent du bilan :\n{output}")


def _value(output: str, label: str) -> int:
    digits = "".join(ch for ch in _row(output, label).split(label, 1)[1] if ch.isdigit())
    return int(digits)


def test_crawl_all_ok_then_second_crawl_all_304(
    env: Path, gh: GitHubForge, emulator: Emulator, monkeypatch: pytest.MonkeyPatch
):
    # With a token GitHub is listed through GraphQL: this test is about the REST listing.
    monkeypatch.delenv("GITHUB_TOKEN")
    result = crawl(env, gh)
    assert result.exit_code == 0, result.output
    assert "Bilan du moissonnage" in result.output
    assert _value(result.output, "Comptes réussis") == 3
    assert _value(result.output, "Comptes en échec") == 0
    assert _value(result.output, "Dépôts nouveaux") == 152
    first_requests = emulator.count()
    assert _value(result.output, "Requêtes envoyées") == first_requests
    # Budget: ceil(n/100) + 2 for organisations, ceil(n/100) + 1 for the user.
    assert first_requests == (2 + 2) + (1 + 2) + (1 + 1)
    with Store.open_readonly(env / "db.sqlite3") as store:
        repos = store.repositories()
        assert len(repos) == 152
        assert {r.pso_id for r in repos if r.organization_name == "etalab"} == {"pso-etalab"}
        assert {s.status for s in store.owner_statuses()} == {"ok"}

    emulator.clear_log()
    again = crawl(env, gh)
    assert again.exit_code == 0, again.output
    assert _value(again.output, "Requêtes envoyées") == first_requests
    assert _value(again.output, "Réponses 304") == first_requests
    assert emulator.count(status=304) == first_requests
    assert _value(again.output, "Dépôts nouveaux") == 0
    assert _value(again.output, "Dépôts mis à jour") == 0
    assert emulator.count(r"/gh/repos/.*") == 0


def test_github_rest_flag_keeps_304s_and_reads_signals_of_changed_repositories(
    env: Path, gh: GitHubForge, emulator: Emulator
):
    # A token is set: GraphQL would be the default; --github-rest asks for the REST listing.
    result = crawl(env, gh, "--github-rest")
    assert result.exit_code == 0, result.output
    rest = (2 + 2) + (1 + 2) + (1 + 1)
    # 152 new repositories: their signals by batched GraphQL, 50 per request and per owner
    # (each listing is committed with its signals): 120 -> 3, 30 -> 1, 2 -> 1.
    assert emulator.count(r"/gh/graphql", method="POST") == 3 + 1 + 1
    assert _value(result.output, "Requêtes envoyées") == rest + 5
    assert _value(result.output, "Signaux de santé relevés") == 152
    emulator.clear_log()
    again = crawl(env, gh, "--github-rest")
    assert _value(again.output, "Réponses 304") == rest
    assert _value(again.output, "Signaux de santé relevés") == 0
    assert emulator.count(r"/gh/graphql", method="POST") == 0


def test_changes_are_counted(env: Path, gh: GitHubForge):
    assert crawl(env, gh).exit_code == 0
    gh.add_repo("betagouv", name="nouveau")
    gh.remove_repo("betagouv", "depot-00001")
    gh.update_repo("betagouv", "depot-00002", stargazers_count=1234)
    result = crawl(env, gh, "--only", "github.com/betagouv")
    assert result.exit_code == 0, result.output
    assert _value(result.output, "Dépôts nouveaux") == 1
    assert _value(result.output, "Dépôts mis à jour") == 1
    assert _value(result.output, "Dépôts disparus") == 1


def test_failed_owner_exit_3_keeps_last_known_repositories(
    env: Path, gh: GitHubForge, emulator: Emulator, monkeypatch: pytest.MonkeyPatch
):
    # With a token GitHub is listed through GraphQL: this test is about the REST listing.
    monkeypatch.delenv("GITHUB_TOKEN")
    assert crawl(env, gh).exit_code == 0
    emulator.fault(r"/gh/orgs/etalab/repos", "status", times=None, status=503)
    emulator.fault(r"/gh/users/jdupont", "not_found", times=None)
    result = crawl(env, gh)
    assert result.exit_code == 3, result.output
    assert _value(result.output, "Comptes réussis") == 1
    assert _value(result.output, "Comptes en échec") == 2
    assert "Comptes en échec" in result.output
    assert "github.com/etalab" in result.output and "HTTP 503" in result.output
    assert "github.com/jdupont" in result.output and "introuvable" in result.output
    with Store.open_readonly(env / "db.sqlite3") as store:
        repos = store.repositories()
        etalab = [r for r in repos if r.organization_name == "etalab"]
        assert len(etalab) == 120 and all(r.stale_since for r in etalab)
        betagouv = [r for r in repos if r.organization_name == "betagouv"]
        assert len(betagouv) == 30 and not any(r.stale_since for r in betagouv)
        statuses = {s.target: s for s in store.owner_statuses()}
        assert statuses["github.com/etalab"].status == "failed"
        assert statuses["github.com/etalab"].last_success is not None


def test_deferred_forge_moves_on(
    env: Path, gh: GitHubForge, emulator: Emulator, monkeypatch: pytest.MonkeyPatch
):
    # With a token GitHub is listed through GraphQL: this test is about the REST listing.
    monkeypatch.delenv("GITHUB_TOKEN")
    emulator.fault(r"/gh/.*", "exhausted", times=None, reset_in=7200)
    result = crawl(env, gh, "--per-host", "1")
    assert result.exit_code == 3, result.output
    assert "Forges reportées" in _row(result.output, "Forges reportées")
    assert "github.com" in _row(result.output, "Forges reportées")
    # The first owner hit the limit; the other owners of that forge were not even tried.
    assert emulator.count() == 1
    assert result.output.count("reportée") >= 3


def test_only_restricts_the_run(
    env: Path, gh: GitHubForge, emulator: Emulator, monkeypatch: pytest.MonkeyPatch
):
    # With a token GitHub is listed through GraphQL: this test is about the REST listing.
    monkeypatch.delenv("GITHUB_TOKEN")
    result = crawl(env, gh, "--only", "github.com/jdupont")
    assert result.exit_code == 0, result.output
    assert {r.path.split("/")[3] for r in emulator.requests()} == {"jdupont"}
    unknown = crawl(env, gh, "--only", "github.com/inconnu")
    assert unknown.exit_code == 1
    assert "aucune forge ni aucun compte" in unknown.output
    assert "Traceback" not in unknown.output


def test_fatal_errors_exit_1_without_traceback(env: Path, gh: GitHubForge):
    missing = CliRunner().invoke(main, ["crawl", "--sources", str(env / "absent.yml")])
    assert missing.exit_code == 1 and "introuvable" in missing.output
    bad_api = crawl(env, gh, "--api-url", "github.com")
    assert bad_api.exit_code == 1 and "HOTE=URL" in bad_api.output
    (env / "db-dir").mkdir()
    unopenable = CliRunner().invoke(
        main,
        ["crawl", "--sources", str(env / "sources.yml"), "--db", str(env / "db-dir")],
    )
    assert unopenable.exit_code != 0 and "Traceback" not in unopenable.output


def test_bad_source_entry_is_reported_and_others_run(env: Path, gh: GitHubForge):
    (env / "sources.yml").write_text(
        SOURCES + "gitlab.example.fr:\n  forge: gitbucket\n", encoding="utf-8"
    )
    result = crawl(env, gh)
    assert result.exit_code == 3
    assert ":9:3: erreur: gitlab.example.fr.forge: " in result.output
    assert _value(result.output, "Comptes réussis") == 3


def test_tokens_never_leak(env: Path, gh: GitHubForge, emulator: Emulator):
    # The token selects the GraphQL listing: etalab's queries fail, betagouv is unknown to
    # GraphQL and to REST (asked once to tell a rename from a deletion).
    gh.graphql.fail("etalab", status=500, times=None)
    gh.graphql.hidden.add("betagouv")
    emulator.fault(r"/gh/users/betagouv", "not_found", times=None)
    result = crawl(env, gh)
    assert result.exit_code == 3
    # The token was used...
    assert emulator.requests()[0].headers["Authorization"] == f"token {SECRET}"
    # ...and appears nowhere: output, database (every byte, WAL included), exports.
    assert SECRET not in result.output
    for path in env.glob("db.sqlite3*"):
        assert SECRET.encode() not in path.read_bytes()
    out, algorithms = env / "exports", env / "algorithms"
    algorithms.mkdir()
    exported = CliRunner().invoke(
        main,
        [
            "export",
            "--out",
            str(out),
            "--db",
            str(env / "db.sqlite3"),
            "--algorithms",
            str(algorithms),
        ],
    )
    assert exported.exit_code == 0, exported.output
    files = sorted(out.glob("*"))
    assert {"repos.csv", "repos.json", "organisations.csv"} <= {p.name for p in files}
    for path in files:
        assert SECRET not in path.read_text(encoding="utf-8")
    with sqlite3.connect(env / "db.sqlite3") as connection:
        errors = [row[0] for row in connection.execute("SELECT last_error FROM owners")]
    assert any(errors) and not any(SECRET in (e or "") for e in errors)


def test_forges_run_in_parallel_each_host_politely(tmp_path: Path, emulator: Emulator, sleeps):
    emulator.latency = 0.03
    one = GitHubForge(emulator, prefix="/one", host="github.com")
    two = GitHubForge(emulator, prefix="/two", host="ghe.example.fr")
    targets = []
    for forge in (one, two):
        for n in range(4):
            forge.add_org(f"org{n}", 3)
            targets.append(Target(forge.host, ForgeKind.GITHUB, forge.api_url, f"org{n}"))
    with Store.open(tmp_path / "db.sqlite3") as store:
        summary = run_crawl(
            targets, store, per_host=2, policy=HttpPolicy(timeout=2, sleep=sleeps.append)
        )
    assert summary.owners_ok == 8 and summary.exit_code == 0
    assert emulator.max_in_flight("/one") <= 2 and emulator.max_in_flight("/two") <= 2
    assert emulator.max_in_flight("") >= 3  # both hosts at once
    assert summary.per_host_requests == {"ghe.example.fr": 12, "github.com": 12}
    assert summary.requests == 24


def test_select_targets():
    targets = [
        Target("github.com", ForgeKind.GITHUB, "u", "etalab"),
        Target("github.com", ForgeKind.GITHUB, "u", "betagouv"),
        Target("gitlab.example.fr", ForgeKind.GITLAB, "u"),
    ]
    assert select_targets(targets, []) == targets
    assert [t.key for t in select_targets(targets, ["github.com"])] == [
        "github.com/etalab",
        "github.com/betagouv",
    ]
    assert [t.key for t in select_targets(targets, ["GitHub.com/Etalab", "gitlab.example.fr"])] == [
        "github.com/etalab",
        "gitlab.example.fr",
    ]
    with pytest.raises(InventoryError):
        select_targets(targets, ["framagit.org"])


def test_progress_display_follows_events():
    import io

    from rich.console import Console

    from inventory.catalogue.crawl import CrawlEvent
    from inventory.cli.crawl import _Progress

    console = Console(file=io.StringIO(), force_terminal=True, width=100)
    bars = _Progress(console)
    with bars.progress:
        bars(CrawlEvent("host", "github.com", total=2))
        bars(CrawlEvent("target", "github.com", "github.com/a", ok=True))
        bars(CrawlEvent("target", "github.com", "github.com/b", ok=False))
    (task,) = bars.progress.tasks
    assert task.description == "github.com" and task.completed == 2 and task.finished
    assert "github.com" in console.file.getvalue()


def test_every_forge_kind_end_to_end(tmp_path: Path, emulator: Emulator, monkeypatch):
    """sources -> crawl (GitHub, GitLab group, whole Gitea instance) -> store -> export."""
    from tests.emulator.gitea import GiteaEmulator
    from tests.emulator.gitlab import GitLabEmulator

    monkeypatch.setattr("inventory.catalogue.crawl.HttpPolicy", _fast_policy)
    github = GitHubForge(emulator, prefix="/gh")
    github.add_org("etalab", 3)
    gitlab = GitLabEmulator(emulator, host="gitlab.example.fr", prefix="/gl")
    group = gitlab.add_group("dinum")
    gitlab.add_project(group, "outil", license_key="mit", languages={"Python": 100.0})
    gitlab.add_project(group, "ancien", archived=True)
    gitea = GiteaEmulator(emulator, host="git.example.fr", prefix="/gt")
    org = gitea.add_org("mairie")
    gitea.add_repo(org, "site", licenses=["EUPL-1.2"])
    (tmp_path / "sources.yml").write_text(
        "github.com:\n  forge: github\n  owners:\n    etalab:\n"
        "gitlab.example.fr:\n  forge: gitlab\n  owners:\n    dinum:\n      pso_id: pso-dinum\n"
        "git.example.fr:\n  forge: gitea\n  pso_id: pso-mairie\n",
        encoding="utf-8",
    )
    db = tmp_path / "db.sqlite3"
    result = CliRunner().invoke(
        main,
        [
            "crawl",
            "--sources",
            str(tmp_path / "sources.yml"),
            "--db",
            str(db),
            "--api-url",
            f"github.com={github.api_url}",
            "--api-url",
            f"gitlab.example.fr={gitlab.api_url}",
            "--api-url",
            f"git.example.fr={gitea.api_url}",
        ],
    )
    assert result.exit_code == 0, result.output
    with Store.open_readonly(db) as store:
        repos = {(r.platform, r.name): r for r in store.repositories()}
    assert set(repos) == {
        ("github.com", "depot-00001"),
        ("github.com", "depot-00002"),
        ("github.com", "depot-00003"),
        ("gitlab.example.fr", "outil"),
        ("gitlab.example.fr", "ancien"),
        ("git.example.fr", "site"),
    }
    assert repos[("gitlab.example.fr", "ancien")].is_archived is True
    assert repos[("gitlab.example.fr", "outil")].pso_id == "pso-dinum"
    assert repos[("git.example.fr", "site")].forge == "gitea"
    assert repos[("git.example.fr", "site")].pso_id == "pso-mairie"
    out, algorithms = tmp_path / "out", tmp_path / "algorithms"
    algorithms.mkdir()
    exported = CliRunner().invoke(
        main, ["export", "--out", str(out), "--db", str(db), "--algorithms", str(algorithms)]
    )
    assert exported.exit_code == 0, exported.output
    lines = (out / "repos.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 + 6


def test_renamed_owner_is_reported(env: Path, gh: GitHubForge):
    gh.rename("betagouv", "beta-gouv")
    result = crawl(env, gh)
    assert result.exit_code == 0, result.output
    assert "github.com/betagouv a été renommé en « beta-gouv »" in result.output
    with Store.open_readonly(env / "db.sqlite3") as store:
        statuses = {s.target: s for s in store.owner_statuses()}
        assert statuses["github.com/betagouv"].renamed_to == "beta-gouv"
        orgs = {o.login for o in store.organisations()}
    assert "beta-gouv" in orgs
